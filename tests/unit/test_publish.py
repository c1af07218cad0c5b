"""The export's pure pieces, without a kernel or a browser (fast: part of the unit run)."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from parley.publish import assets, export, notebooks, pages, render

FIGURE = {
    "data": [{"type": "scatter", "x": [1], "y": [2], "hovertext": ["</script><b>x</b> & y"]}],
    "layout": {"height": 520, "title": {"text": "T"}},
}


def test_chart_json_cannot_leave_its_script() -> None:
    html = render.chart_html(FIGURE, "chart-4-1")
    body = html.split('data-chart="chart-4-1">', 1)[1].removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == FIGURE  # the escapes are plain JSON: nothing lost
    assert 'data-height="520"' in html and 'id="chart-4-1"' in html


def test_trace_types_include_animation_frames() -> None:
    fig = {"data": [{"x": [1]}], "frames": [{"data": [{"type": "heatmap"}]}]}
    assert render.trace_types([fig, {"data": [{"type": "bar"}]}]) == {"scatter", "heatmap", "bar"}


def test_basic_bundle_only_when_it_can_draw_every_trace() -> None:
    from plotly.offline import get_plotlyjs_version

    source, described = assets.plotly_bundle({"scatter", "bar"})
    assert described == f"plotly.js basic {get_plotlyjs_version()}"
    assert assets.bundle_version(source) == get_plotlyjs_version()
    assert len(source) < 2_000_000
    full, described = assets.plotly_bundle({"scatter", "choropleth"})
    assert described.startswith("plotly.js full") and len(full) > 3_000_000


def test_script_safe_js_keeps_code_meaning_but_never_closes_the_element() -> None:
    src = 'var a = "</script>", b = /<!--x/, c = `</SCRIPT >`; if (a < b) {}'
    safe = assets.script_safe_js(src)
    assert not re.search(r"</script|<!--", safe, flags=re.IGNORECASE)
    assert safe == src.replace("</script", "\\x3C/script").replace("<!--", "\\x3C!--").replace(
        "</SCRIPT", "\\x3C/SCRIPT"
    )


def test_style_sheets_lose_imports_and_may_not_close_the_element() -> None:
    css = "@import url(./fonts/source-sans-pro/source-sans-pro.css);\n.a { color: red }"
    assert assets.style_safe_css(css).strip() == ".a { color: red }"
    with pytest.raises(ValueError):
        assets.style_safe_css(".a::after { content: '</style>' }")


def _notebook() -> nbformat.NotebookNode:
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell("# 年表:就任から\n## Timeline: from"),
        v4.new_code_cell("nb.language_switch()"),
        v4.new_code_cell("nb.figure('timeline')"),
        v4.new_code_cell("nb.notes('overview')"),
    ]
    widget = {notebooks.WIDGET_MIMETYPE: {"model_id": "m"}, "text/plain": "ToggleButtons(...)"}
    cells[1].outputs = [v4.new_output("display_data", widget)]
    cells[2].outputs = [
        v4.new_output("stream", name="stderr", text="FutureWarning: something\n"),
        v4.new_output("display_data", {render.PLOTLY_MIMETYPE: FIGURE}),
    ]
    cells[3].metadata["slideshow"] = {"slide_type": "notes"}
    cells[3].outputs = [v4.new_output("display_data", {"text/html": "<p>notes</p>"})]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["widgets"] = {"state": {}}
    return nb


def test_prepare_turns_plotly_json_into_charts_and_drops_what_needs_a_kernel() -> None:
    nb = _notebook()
    page = notebooks.prepare(nb, for_deck=False)
    deck = notebooks.prepare(nb, for_deck=True)
    assert "widgets" not in page.nb.metadata
    assert page.figures == [FIGURE] and deck.figures == [FIGURE]
    assert page.warnings == ["cell 2: FutureWarning: something"]
    assert [len(c.get("outputs", [])) for c in page.nb.cells] == [0, 0, 1]  # no notes cell
    assert [len(c.get("outputs", [])) for c in deck.nb.cells] == [0, 0, 1, 1]
    chart = deck.nb.cells[2].outputs[0].data
    assert set(chart) == {"text/html"} and 'id="chart-2-1"' in chart["text/html"]
    assert render.PLOTLY_MIMETYPE in nb.cells[2].outputs[1].data, "the input is left as it was"


SLIDES_FIGURE = {"data": FIGURE["data"], "layout": {"height": 600, "font": {"size": 20}}}
PHONE_FIGURE = {"data": FIGURE["data"], "layout": {"height": 400, "title": {"text": "</script>"}}}


def test_a_deck_shows_the_slides_variant_and_a_page_carries_the_phone_one() -> None:
    nb = _notebook()
    nb.cells[2].outputs[1].data[render.VARIANTS_MIMETYPE] = {
        "slides": SLIDES_FIGURE,
        "phone": PHONE_FIGURE,
    }
    deck = notebooks.prepare(nb, for_deck=True)
    page = notebooks.prepare(nb, for_deck=False)
    assert deck.figures == [SLIDES_FIGURE] and page.figures == [FIGURE, PHONE_FIGURE]
    deck_html = deck.nb.cells[2].outputs[0].data["text/html"]
    assert deck_html == render.chart_html(SLIDES_FIGURE, "chart-2-1")
    assert 'data-height="600"' in deck_html and "data-variant" not in deck_html
    page_html = page.nb.cells[2].outputs[0].data["text/html"]
    specs = re.findall(r"<script ([^>]*)>(.*?)</script>", page_html)
    assert [attrs for attrs, _ in specs] == [
        'type="application/json" class="parley-chart-spec" data-chart="chart-2-1"',
        'type="application/json" class="parley-chart-spec" data-chart="chart-2-1"'
        ' data-variant="phone"',
    ]
    assert [json.loads(body) for _, body in specs] == [FIGURE, PHONE_FIGURE]
    assert "</script>" not in specs[1][1] and 'data-height="520"' in page_html


def test_an_export_kernel_shows_every_variant_in_one_output(monkeypatch) -> None:
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw: shown.append(obj))
    render.show(FIGURE, {"slides": SLIDES_FIGURE})
    (bundle,) = shown
    assert set(bundle) == {render.PLOTLY_MIMETYPE, render.VARIANTS_MIMETYPE}
    assert bundle[render.PLOTLY_MIMETYPE]["layout"]["title"] == {"text": "T"}
    assert bundle[render.VARIANTS_MIMETYPE]["slides"]["layout"]["font"] == {"size": 20}
    with pytest.raises(ValueError):  # validated as plotly's renderer validates the page's
        render.show(FIGURE, {"slides": {"data": [], "layout": {"fnot": 1}}})


def test_notebook_title_per_language() -> None:
    nb = _notebook()
    assert notebooks.notebook_title(nb, "ja", "x") == "年表:就任から"
    assert notebooks.notebook_title(nb, "en", "x") == "Timeline: from"
    assert notebooks.notebook_title(nbformat.v4.new_notebook(), "en", "fallback") == "fallback"


def test_stamp_names_build_date_language_and_links_the_other_language() -> None:
    ctx = pages.Context(
        lang="en",
        langs=("ja", "en"),
        build="abc1234 + uncommitted changes",
        as_of="2025-10-22",
        pages=(pages.Page("02-timeline.html", 'A <"title">'),),
        deck=None,
    )
    stamp = pages.stamp_html(ctx, "02-timeline.html")
    assert "build abc1234 + uncommitted changes" in stamp
    assert "As of 2025-10-22" in stamp and "English" in stamp
    assert '<a href="../ja/02-timeline.html" hreflang="ja" lang="ja">日本語</a>' in stamp
    nav = pages.nav_html(ctx, "02-timeline.html")
    assert 'aria-current="page"' in nav and "A &lt;&quot;title&quot;&gt;" in nav


def test_build_id_outside_git_is_uncommitted(tmp_path) -> None:
    assert export.build_id(tmp_path) == "uncommitted"


def test_human_size() -> None:
    assert pages.human_size(1_400_000) == "1.4 MB"
    assert pages.human_size(4_200) == "4 kB"


def test_deck_only_and_page_only_outputs_reach_their_artefact_only() -> None:
    nb = _notebook()
    v4 = nbformat.v4
    deck_only = v4.new_output("display_data", {"text/html": "<aside class='notes'>say</aside>"})
    deck_only.metadata = {render.ONLY: "deck"}
    page_only = v4.new_output("display_data", {"text/html": "<details>all sources</details>"})
    page_only.metadata = {render.ONLY: "page"}
    nb.cells[2].outputs += [deck_only, page_only]
    deck = notebooks.prepare(nb, for_deck=True)
    page = notebooks.prepare(nb, for_deck=False)
    deck_html = [o.data["text/html"] for o in deck.nb.cells[2].outputs]
    page_html = [o.data["text/html"] for o in page.nb.cells[2].outputs]
    assert any("say" in h for h in deck_html) and not any("all sources" in h for h in deck_html)
    assert any("all sources" in h for h in page_html) and not any("say" in h for h in page_html)


def test_chromium_prefers_the_headless_build(monkeypatch: pytest.MonkeyPatch) -> None:
    # The full browser builds a toolbar per window (a context): the headless build goes first.
    from parley.publish import chromium

    on_path = {"chromium": "/usr/bin/chromium"}
    monkeypatch.setattr(chromium.shutil, "which", on_path.get)
    monkeypatch.delenv(chromium.CHROMIUM_ENV, raising=False)
    assert chromium.chromium_path() == "/usr/bin/chromium"
    on_path["chromium-headless-shell"] = "/usr/bin/chromium-headless-shell"
    assert chromium.chromium_path() == "/usr/bin/chromium-headless-shell"
    monkeypatch.setenv(chromium.CHROMIUM_ENV, "/opt/chrome")
    assert chromium.chromium_path() == "/opt/chrome"
    monkeypatch.delenv(chromium.CHROMIUM_ENV)
    on_path.clear()
    assert chromium.chromium_path() is None


def test_app_pages_use_the_explainers_font_stack() -> None:
    # The Voilà template repeats palette.FONT_FAMILY in its CSS (a Jinja template of Voilà's
    # cannot import it): the two stay the same, for the page text and its form controls.
    from parley.base.palette import FONT_FAMILY
    from parley.publish.assets import TEMPLATES

    template = TEMPLATES / "voila" / "templates" / "parley" / "index.html.j2"
    css = template.read_text(encoding="utf-8")
    for variable in ("--jp-content-font-family", "--jp-ui-font-family"):
        assert f"{variable}: {FONT_FAMILY};" in css
    assert "button, input, select, textarea) { font-family: var(--jp-ui-font-family); }" in css
