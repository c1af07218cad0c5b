"""The page explorer and builder as the export renders them (views/explorer.py, builder.py):
escaped HTML, the script's data embedded once and inert, each event's place in the chart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from parley.bench import synth
from parley.charts.timeline import LANES, timeline
from parley.story.load import load_story
from parley.tables import frames
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
    assert "<script>alert(1)</script>" in data["events"][0]["t"], "the raw text, for search"
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
