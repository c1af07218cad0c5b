"""The page explorer and builder as the export renders them (views/explorer.py, builder.py):
escaped HTML, the script's data embedded once and inert, each event's place in the chart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from parley.base.markup import escape
from parley.bench import synth
from parley.charts.timeline import LANES, timeline
from parley.story.load import load_story
from parley.tables import frames
from parley.views import blocks
from parley.views.builder import builder_html
from parley.views.explorer import chart_points, event_href, explorer_html, responded_events

ROOT = Path(__file__).resolve().parents[2]


def _script_data(html: str, cls: str) -> dict:
    found = re.findall(rf'<script type="application/json" class="{cls}">(.*?)</script>', html)
    assert len(found) == 1, "embedded once"
    assert "<" not in found[0] and ">" not in found[0] and "&" not in found[0]
    return json.loads(found[0])


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_explorer_html_is_escaped_and_complete(mini_story, tables, lang: str) -> None:
    html = explorer_html(mini_story, tables, lang)
    assert "<script>alert" not in html and "<b>太字</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;b&gt;太字&lt;/b&gt;" in html
    assert html.count("data-parley-list") == 1
    rows = re.findall(r'<li class="parley-ev" id="event-([^"]+)"', html)
    assert rows == tables["events"]["id"].tolist()
    assert 'href="https://example.org/one"' in html, "sources are links"
    data = _script_data(html, "parley-explorer-data")
    assert [e["id"] for e in data["events"]] == rows
    # The other language's raw texts, for search (the page's own are in the rows: the
    # script reads them there, so no text travels twice).
    other = {"ja": "<script>alert(1)</script>", "en": "<b>太字</b>"}
    own = {"ja": "<b>太字</b>", "en": "<script>alert(1)</script>"}
    assert other[lang] in data["events"][0]["t"], "the raw text, for search"
    assert own[lang] not in data["events"][0]["t"]
    # every control the script drives is there before it runs (hidden until it does)
    for name in ("q", "side", "kind", "ver", "issue", "actor", "from", "to"):
        assert f'name="{name}"' in html


def test_builder_html_is_escaped_and_judged_at_export(mini_story, tables) -> None:
    html = builder_html(mini_story, tables, "en")
    data = _script_data(html, "parley-builder-data")
    assert [i["id"] for i in data["issues"]] == [i.id for i in mini_story.issues]
    assert html.count('type="range"') == len(mini_story.issues)
    assert "<tbody><tr" in html, "the first settlement's verdicts are on the page"
    assert "<script>" not in html.replace('<script type="application/json"', "")


def _assert_points_match(events: pd.DataFrame, sides: pd.DataFrame, sources) -> int:
    fig = timeline(events, sources, "en", sides=sides)
    points = chart_points(events, sides)
    lanes = events["kind"].map(LANES)
    by_id = dict(zip(events["id"], range(len(events)), strict=True))
    aggregated = 0
    for k, (t, p) in enumerate(points):
        head = fig["data"][t]["customdata"][p][0]
        if head == events["id"].iloc[k]:
            continue
        aggregated += 1  # a marker standing for several events: same side and lane
        h = by_id[head]
        assert events["side"].iloc[h] == events["side"].iloc[k]
        assert lanes.iloc[h] == lanes.iloc[k]
        x = pd.Timestamp(fig["data"][t]["x"][p])
        assert abs(x - events["date"].iloc[k]) <= pd.Timedelta(days=31)
    return aggregated


def test_each_event_knows_its_marker_in_the_bundled_timeline() -> None:
    t = frames.build_tables(load_story(ROOT / "data"))
    assert _assert_points_match(t["events"], t["sides"], t["sources"]) == 0


def test_each_event_knows_its_aggregated_marker_at_scale(tmp_path: Path) -> None:
    data = synth.write_story(1000, tmp_path / "synth", ROOT / "data")
    t = frames.build_tables(load_story(data))
    assert _assert_points_match(t["events"], t["sides"], t["sources"]) > 500


def test_voices_link_the_events_they_respond_to() -> None:
    story = load_story(ROOT / "data")
    html = responded_events(story, "en")
    linked = re.findall(r'href="([^"]+)"', html)
    cited = {i for v in story.voices for i in v.responds_to}
    assert linked and {event_href(i) for i in cited} == set(linked)


def _row_html(html: str, event_id: str) -> str:
    found = re.search(
        rf'<li class="parley-ev" id="event-{event_id}".*?</li>\s*(?=<li class="parley-ev"|</ol>)',
        html,
        re.S,
    )
    assert found, event_id
    return found.group(0)


def test_rows_name_sources_never_their_ids(mini_story, tables) -> None:
    """An event's sources are cited in full, in their own language; a differing account's
    sources by publisher and date with a link, never by the data's internal ids."""
    html = explorer_html(mini_story, tables, "ja")
    vote = _row_html(html, "vote-day")
    account = re.search(r'<div class="parley-ev-accounts">.*?</div>', vote, re.S).group(0)
    assert "元記事 (the original article)" in account
    assert "(seed)" not in account and ">seed<" not in account
    assert '<span lang="en">United Nations · <a href="https://example.org/un"' in vote


def test_rows_carry_the_sources_notes() -> None:
    """The explorer's page lists each event's sources with the event (not again at its
    foot), so a source's note (where a copy was found, a missing headline) goes there."""
    story = load_story(ROOT / "data")
    t = frames.build_tables(story)
    noted = {s.id: s for s in story.sources if s.note}
    event = next(ev for ev in story.events if any(i in noted for i in ev.sources))
    source = noted[next(i for i in event.sources if i in noted)]
    for lang in ("ja", "en"):
        row = _row_html(explorer_html(story, t, lang), event.id)
        assert f"<small>{escape(source.note(lang))}</small>" in row


def test_a_source_list_counts_what_the_page_lists_above_and_lists_the_rest(mini_story) -> None:
    ids = ["wire-one", "un-record", "seed"]
    full = blocks.sources(mini_story, ids, "en")
    assert full.count("<li>") == 3 and "parley-sources-above" not in full
    html = blocks.sources(mini_story, ids, "en", listed_above=frozenset({"wire-one", "seed"}))
    assert "(3: " in html, "the count is of every source behind the chapter"
    assert html.count("<li>") == 1 and "General Assembly adopts resolution" in html
    assert "2 of them are listed above" in html
    none_left = blocks.sources(mini_story, ids, "ja", listed_above=frozenset(ids))
    assert "<ol>" not in none_left and "いずれも上の一覧で" in none_left
