"""Issue 23's pure parts: the picture sanitiser, site-mode checks and metadata, languages on
mixed runs, chart text alternatives (the browser tests check them on the pages)."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pandas as pd
import pytest

from parley.cli import main
from parley.publish import export, pages, pictures, render
from parley.story.load import load_story
from parley.tables import frames
from parley.views import summaries

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="10" height="10" onload="alert(1)">'
    "<script>alert(1)</script>"
    '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
    '<defs><clipPath id="c"><rect width="5" height="5"/></clipPath></defs>'
    '<g clip-path="url(#c)" style="fill: url(https://evil.example/x)">'
    '<a xlink:href="javascript:alert(1)"><text>in a link</text></a>'
    '<image href="https://evil.example/i.png"/>'
    '<use xlink:href="#c"/>'
    '<text x="1" y="2" onclick="alert(1)">&lt;script&gt;kept as text&lt;/script&gt;</text>'
    '<path d="M0 0L1 1" style="fill: url(#c)"/>'
    "</g></svg>"
)


def test_sanitise_svg_keeps_drawing_and_drops_anything_that_could_run_or_fetch() -> None:
    clean = pictures.sanitise_svg(SVG)
    for banned in ("<script", "foreignObject", "onload", "onclick", "javascript:", "evil", "<a "):
        assert banned not in clean, banned
    assert "&lt;script&gt;kept as text&lt;/script&gt;" in clean  # text stays text
    assert 'clip-path="url(#c)"' in clean and "<path" in clean and "<clipPath" in clean
    assert 'style="fill: url(#c)"' in clean


@pytest.mark.parametrize(
    "bad",
    ["<html/>", '<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>'],
)
def test_sanitise_svg_refuses_what_is_no_plain_svg(bad: str) -> None:
    with pytest.raises(ValueError):
        pictures.sanitise_svg(bad)


def test_svg_data_url_round_trips_and_needs_no_quotes() -> None:
    raw = '<svg xmlns="http://www.w3.org/2000/svg"><text>a "b" # %</text></svg>'
    svg = pictures.sanitise_svg(raw)
    url = pictures.svg_data_url(svg)
    assert url.startswith("data:image/svg+xml,") and '"' not in url and "#" not in url
    assert urllib.parse.unquote(url.partition(",")[2]) == svg


def test_chart_html_puts_the_picture_before_and_the_links_after_the_chart() -> None:
    html = render.chart_html({"data": [], "layout": {}}, "chart-1-0", picture="<img>", tools="<p>")
    assert html.startswith('<img><div class="parley-chart" id="chart-1-0"')
    assert html.endswith("</script><p>")


@pytest.mark.parametrize(
    "url",
    ["", "example.org", "ftp://example.org/", "https://", "https://a.org/?q=1", "https://a.org/#x",
     "https://u@a.org/", 'https://a.org/"x', "https://a.org/ x", "https://a.org:99999/"],
)  # fmt: skip
def test_bad_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        export.site_base_url(url)


def test_good_base_urls_end_with_a_slash() -> None:
    assert export.site_base_url("https://example.org/parley") == "https://example.org/parley/"
    assert export.site_base_url("http://localhost:8000/") == "http://localhost:8000/"


@pytest.mark.parametrize(
    "args",
    [
        ["--site"],
        ["--base-url", "https://example.org/"],
        ["--site", "--base-url", "ftp://example.org/"],
        ["--site", "--base-url", "not a url"],
    ],
)
def test_cli_refuses_a_bad_site_request_in_one_line(capsys, args: list[str]) -> None:
    assert main(["export", "--out", "/nonexistent/never", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("parley export:") and err.count("\n") == 1
    assert "Traceback" not in err


def test_link_preview_metadata_is_absolute_and_escaped() -> None:
    site = export.Site("https://example.org/p/")
    html = export.meta_html(site, "en", "02-timeline.html", PAYLOAD, PAYLOAD, "02-timeline.png")
    assert "<script" not in html and "<img" not in html
    assert 'property="og:url" content="https://example.org/p/en/02-timeline.html"' in html
    assert 'content="https://example.org/p/en/02-timeline.png"' in html
    assert 'name="twitter:card" content="summary_large_image"' in html


def test_headings_in_the_other_language_are_marked() -> None:
    body = "<h1>各陣営の立場</h1><h2>Positions</h2><h3>2025</h3><h2>Sources 出典</h2>"
    assert pages.mark_languages(body, "en") == (
        '<h1 lang="ja">各陣営の立場</h1><h2>Positions</h2><h3>2025</h3>'
        '<h2 lang="ja">Sources 出典</h2>'
    )
    assert pages.mark_languages(body, "ja") == (
        '<h1>各陣営の立場</h1><h2 lang="en">Positions</h2><h3>2025</h3><h2>Sources 出典</h2>'
    )


@pytest.fixture(scope="module")
def story_tables() -> tuple[frames.Tables, pd.Timestamp]:
    story = load_story(DATA)
    return frames.build_tables(story), pd.Timestamp(story.meta.as_of)


@pytest.mark.parametrize("fid", sorted(summaries.SUMMARIES))
def test_each_summary_says_what_the_data_shows_in_its_language(story_tables, fid: str) -> None:
    t, as_of = story_tables
    ja, en = (summaries.summary(fid, t, as_of, lang) for lang in ("ja", "en"))
    assert ja and en
    assert any("\u3040" <= c <= "\u9fff" for c in ja)
    assert not any("\u3040" <= c <= "\u30ff" for c in en)


def test_summaries_count_from_the_tables(story_tables) -> None:
    t, as_of = story_tables
    n = len(t["events"])
    assert summaries.summary("timeline", t, as_of, "en").startswith(f"{n} events from ")
    votes = t["votes"].iloc[0]
    said = summaries.summary("un-votes", t, as_of, "en")
    assert f"{votes['yes']} in favour, {votes['no']} against" in said
    # One fewer event: the sentence follows the data.
    fewer = dict(t, events=t["events"].iloc[1:])
    assert summaries.summary("timeline", fewer, as_of, "en").startswith(f"{n - 1} events")


def test_zone_summary_follows_the_overlap(story_tables) -> None:
    t, as_of = story_tables
    positions = t["positions"].copy()
    positions["acceptable_low"], positions["acceptable_high"] = 0.0, 10.0  # all overlap
    said = summaries.summary("zone-of-agreement", dict(t, positions=positions), as_of, "en")
    assert "overlaps on" in said
    yes, no = summaries.overlaps(dict(t, positions=positions), as_of)
    assert yes and not no


def test_empty_story_parts_give_no_summary(story_tables) -> None:
    t, as_of = story_tables
    empty = {k: v.iloc[0:0] for k, v in t.items()}
    for fid in summaries.SUMMARIES:
        assert summaries.summary(fid, empty, as_of, "ja") == ""


def test_a_source_in_the_other_language_carries_its_lang() -> None:
    from parley.views.blocks import source_item

    story = load_story(DATA)
    english = next(s for s in story.sources if s.language == "en")
    japanese = next(s for s in story.sources if s.language == "ja")
    assert '<span lang="en">' in source_item(english, "ja")
    assert "lang=" not in source_item(english, "en")
    assert '<span lang="ja">' in source_item(japanese, "en")


def test_the_stamps_english_words_are_marked_on_japanese_pages() -> None:
    ctx = pages.Context("ja", ("ja", "en"), "abc1234", "2026-03-19", (), None)
    assert '<span lang="en">build abc1234</span>' in pages.stamp_html(ctx, "x.html")
    ctx_en = pages.Context("en", ("ja", "en"), "abc1234", "2026-03-19", (), None)
    assert "<span>build abc1234</span>" in pages.stamp_html(ctx_en, "x.html")


def test_the_site_bench_server_gzips_and_lets_hashed_assets_be_cached(tmp_path) -> None:
    import gzip
    import urllib.request

    from parley.bench.site import serve

    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "plotly-0123456789ab.js").write_text("x" * 5000, encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>hi</p>" * 100, encoding="utf-8")
    with serve(tmp_path) as (base, sent):
        for name, cache in (
            ("assets/plotly-0123456789ab.js", "immutable"),
            ("page.html", "no-cache"),
        ):
            req = urllib.request.Request(base + name, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(req) as got:
                body = got.read()
                assert got.headers["Content-Encoding"] == "gzip"
                assert cache in got.headers["Cache-Control"]
            assert gzip.decompress(body) == (tmp_path / name).read_bytes()
    assert [path for path, _ in sent] == ["/assets/plotly-0123456789ab.js", "/page.html"]
    assert all(0 < size < 1000 for _, size in sent)  # compressed
