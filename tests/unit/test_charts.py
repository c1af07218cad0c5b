"""Each chart's traces and frames, on the fixture story and on the bundled data."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from parley.charts import positions as pos
from parley.charts import zone
from parley.charts.common import esc
from parley.charts.economy import economy
from parley.charts.plot import to_plain
from parley.charts.scenarios import scenarios
from parley.charts.voices import voice_dates, voices
from parley.charts.votes import un_votes
from parley.story.load import load_story
from parley.tables import frames, stances
from parley.views import figures

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def mini_tables(mini_story):
    return frames.build_tables(mini_story)


def test_latest_by_side_takes_most_recent(mini_tables) -> None:
    p = mini_tables["positions"]
    early = stances.latest_by_side(p, pd.Timestamp("2025-03-12"))
    assert list(early["id"]) == ["ukraine-ceasefire"]
    late = stances.latest_by_side(p, pd.Timestamp("2025-03-31"))
    assert set(late["id"]) == {"ukraine-ceasefire", "russia-ceasefire"}


@pytest.mark.parametrize("where", ["mini", "bundled"])
def test_snapshots_in_one_pass_are_latest_by_side_on_each_day(mini_tables, where) -> None:
    """The position map's frames come from snapshots(): the rows latest_by_side() gives on
    every day, in its order; checked on every day of the record, not only month ends."""
    p = (
        mini_tables["positions"]
        if where == "mini"
        else frames.build_tables(load_story(DATA))["positions"]
    )
    days = list(pd.date_range(p["as_of"].min() - pd.Timedelta(days=3), p["as_of"].max()))
    got = stances.snapshots(p, days)
    assert len(got) == len(days)
    for day, rows in zip(days, got, strict=True):
        assert rows == list(stances.latest_by_side(p, day).index), day


def _position_map(t, start: pd.Timestamp | None = None) -> go.Figure:
    # go.Figure validates the builder's dict, and gives the tests plotly's attribute access.
    return go.Figure(
        pos.position_map(
            t["positions"],
            t["issues"],
            t["actors"],
            t["sources"],
            pd.Timestamp("2025-03-31"),
            "en",
            start=start,
            sides=t["sides"],
        )
    )


def test_position_map_frames_and_slider(mini_tables) -> None:
    fig = _position_map(mini_tables)
    names = [f.name for f in fig.frames]
    assert names == ["2025-03-31"]  # first statement is in March; as_of closes the range
    assert len(fig.layout.sliders[0].steps) == len(fig.frames)
    assert [t.name for t in fig.data] == ["United States", "Russia", "Ukraine", "Europe"]
    russia = fig.data[1]
    assert list(russia.x) == [9] and russia.marker.color == "#D55E00"  # from story.yaml
    assert "Set conditions." in russia.hovertext[0] and "Example Wire" in russia.hovertext[0]


def test_position_map_frames_start_at_story_start(mini_tables) -> None:
    fig = _position_map(mini_tables, start=pd.Timestamp("2025-01-20"))
    assert [f.name for f in fig.frames] == ["2025-01-31", "2025-02-28", "2025-03-31"]
    assert [len(d.x) for d in fig.frames[0].data] == [0, 0, 0, 0]
    assert [len(d.x) for d in fig.frames[-1].data] == [0, 1, 1, 0]


def test_trajectories_dropdown(mini_tables) -> None:
    fig = go.Figure(
        pos.trajectories(
            mini_tables["positions"],
            mini_tables["issues"],
            mini_tables["actors"],
            mini_tables["sources"],
            pd.Timestamp("2025-03-31"),
            "ja",
            sides=mini_tables["sides"],
        )
    )
    assert len(fig.data) == 2 and all(t.line.shape == "hv" for t in fig.data)
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["停戦"]
    assert list(fig.data[0].x)[-1] == pd.Timestamp("2025-03-31")  # carried to as_of
    # What 0 and 10 mean sits under the plot and follows the picked issue, said once each.
    issue = mini_tables["issues"].iloc[0]
    ends = fig.layout.annotations[0].text
    assert buttons[0].args[1] == {"annotations[0].text": ends}
    assert ends.replace("<br>", "") == issue["min_label_ja"] + issue["max_label_ja"]
    assert fig.layout.yaxis.title.text == "立場"


def test_zone_of_agreement_gap_and_settlement(mini_tables) -> None:
    fig = go.Figure(
        zone.zone_of_agreement(
            mini_tables["positions"],
            mini_tables["issues"],
            pd.Timestamp("2025-03-31"),
            "en",
            settlement={"ceasefire": 5},
            sides=mini_tables["sides"],
        )
    )
    overlap = fig.data[0]
    assert len(overlap.x) == 0  # Ukraine 0–3 and Russia 7–10 do not meet
    assert "no overlap" in fig.layout.yaxis.ticktext[0]
    ukraine_range = next(t for t in fig.data if t.type == "bar" and t.name == "Ukraine")
    assert list(ukraine_range.base) == [0] and list(ukraine_range.x) == [3]
    assert fig.data[-1].name == "Hypothetical settlement" and list(fig.data[-1].x) == [5]


def test_zone_table_overlap() -> None:
    ranges = pd.DataFrame(
        {
            "issue": ["a", "a", "b"],
            "side": ["us", "russia", "us"],
            "acceptable_low": [2.0, 4.0, 1.0],
            "acceptable_high": [6.0, 9.0, 2.0],
        }
    )
    zone = stances.zone_table(ranges, ["a", "b"])
    assert zone["a"] == {"overlap": 1, "low": 4.0, "high": 6.0, "sides": 2}
    assert zone["b"]["overlap"] == 0 and zone["b"]["sides"] == 1  # one side is no agreement


def test_un_votes_counts_and_callouts(mini_tables) -> None:
    fig = go.Figure(
        un_votes(mini_tables["votes"], mini_tables["sources"], "en", mini_tables["actors"])
    )
    assert [t.name for t in fig.data] == ["In favour", "Against", "Abstain", "Absent"]
    assert [list(t.x) for t in fig.data] == [[93], [18], [65], [0]]
    assert fig.layout.barmode == "stack"
    notes = fig.layout.annotations[0].text
    assert "United States: Against" in notes and "Russia: Against" in notes


def test_economy_status_steps(mini_tables) -> None:
    fig = go.Figure(
        economy(
            mini_tables["offers"],
            mini_tables["actors"],
            mini_tables["sources"],
            "en",
            sides=mini_tables["sides"],
        )
    )
    assert [t.customdata[0][0] for t in fig.data] == ["rare-earths", "plan-one", "plan-two"]
    assert fig.data[0].marker.symbol == ("circle-open",)
    assert fig.data[0].marker.color == "#D55E00"
    assert list(fig.data[0].y) == ["Rare earths"]
    assert list(fig.data[2].y) == ["Peace plan (versions)"]  # a sector label from i18n


def test_voices_are_labelled_opinions_beside_events(mini_tables) -> None:
    fig = go.Figure(
        voices(mini_tables["voices"], mini_tables["events"], mini_tables["sources"], "en")
    )
    names = [t.name for t in fig.data if t.name]
    assert "Public reaction (opinion)" in names and "Events" in names
    reaction = next(t for t in fig.data if t.name == "Public reaction (opinion)")
    assert "I want the war to end" in reaction.hovertext[0]
    assert "A call &lt;script&gt;" in reaction.hovertext[0]  # the event it answers, escaped
    assert voice_dates(mini_tables["voices"], mini_tables["events"]).iloc[0] == pd.Timestamp(
        "2025-02-12"
    )


def test_scenarios_chart(mini_tables) -> None:
    fig = go.Figure(
        scenarios(
            mini_tables["scenarios"],
            mini_tables["positions"],
            mini_tables["issues"],
            pd.Timestamp("2025-03-31"),
            "en",
            sides=mini_tables["sides"],
        )
    )
    scen = [t for t in fig.data if t.legendgroup == "scenarios"]
    assert [t.name for t in scen] == ["Frozen conflict"] and list(scen[0].x) == [5]


def test_tables_are_escaped(mini_tables) -> None:
    html = figures.REGISTRY["whos-who"].build(mini_tables, pd.Timestamp("2025-03-31"), "en")
    assert "Mike Waltz" in html and "2025-01-20" in html
    gl = figures.REGISTRY["glossary"].build(mini_tables, pd.Timestamp("2025-03-31"), "ja")
    assert "モラトリアム" in gl


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_figure_builds_on_the_bundled_story(lang: str) -> None:
    story = load_story(DATA)
    t = frames.build_tables(story)
    as_of = pd.Timestamp(story.meta.as_of)
    for fid, spec in figures.REGISTRY.items():
        made = spec.build(t, as_of, lang)
        if isinstance(made, str):
            assert made.startswith("<"), fid
            continue
        made = go.Figure(made)  # plotly validates every property: a misspelt one raises
        assert made.data, fid
        assert made.layout.height <= 720, f"{fid} must fit a 1280x720 slide"
        # Only trace types in plotly.js's basic bundle, so exports can ship the small bundle.
        assert {t.type for t in made.data} <= {"scatter", "bar"}, fid


@pytest.mark.parametrize("variant", ["phone", "slides"])
def test_every_figure_builds_in_every_variant(variant: str) -> None:
    """The same builders lay a chart out for a phone or a slide: valid plotly, and a slide's
    text (every size the figure sets, the default included) no smaller than 20 px."""
    from parley.charts.common import FONT_SIZE

    story = load_story(DATA)
    t = frames.build_tables(story)
    as_of = pd.Timestamp(story.meta.as_of)
    for fid, spec in figures.REGISTRY.items():
        made = spec.build(t, as_of, "en", variant)
        page = spec.build(t, as_of, "en")
        if isinstance(made, str):
            assert made == page, f"{fid}: HTML figures have one layout"
            continue
        fig = go.Figure(made)  # plotly validates every property
        # A phone scrolls: rows may stack taller than a slide or a desktop screen.
        assert fig.data and fig.layout.height <= (1200 if variant == "phone" else 720), fid
        least = FONT_SIZE[variant]
        assert fig.layout.font.size >= least, fid
        sizes = [_font_sizes(made["layout"]), *(_font_sizes(tr) for tr in made["data"])]
        small = [s for group in sizes for s in group if s < least]
        assert not small, f"{fid} ({variant}) sets text smaller than {least} px: {small}"
        if variant == "slides":
            assert made["layout"] != page["layout"], f"{fid}: a slide's chart is laid out for it"


def _font_sizes(node: object, key: str = "") -> list[float]:
    """Every font size set in a figure's layout or trace (hover labels aside)."""
    if isinstance(node, dict):
        if key == "hoverlabel":
            return []
        found = [float(node["size"])] if key.endswith("font") and "size" in node else []
        for k, v in node.items():
            found += _font_sizes(v, k)
        return found
    if isinstance(node, list):
        return [size for item in node for size in _font_sizes(item, key)]
    return []


def test_an_unknown_variant_is_refused(mini_tables) -> None:
    with pytest.raises(ValueError, match="unknown chart variant 'poster'"):
        figures.REGISTRY["timeline"].build(mini_tables, pd.Timestamp("2025-03-31"), "en", "poster")


def test_variants_keep_only_layouts_that_differ(mini_tables) -> None:
    as_of = pd.Timestamp("2025-03-31")
    html = figures.REGISTRY["glossary"].variants(mini_tables, as_of, "en")
    assert list(html) == ["page"], "an HTML figure has one layout"
    made = figures.REGISTRY["timeline"].variants(mini_tables, as_of, "en")
    page = figures.REGISTRY["timeline"].build(mini_tables, as_of, "en", exported=True)
    assert to_plain(made["page"]) == to_plain(page)
    assert made["slides"]["layout"]["font"]["size"] > made["page"]["layout"]["font"]["size"]


def test_exported_timeline_hovers_name_the_event_and_point_to_its_details(mini_tables) -> None:
    """On pages and decks the explorer's list and cards hold each event's summary and
    sources: the chart's hover says title, date and mark, and (pages) how to open them."""
    as_of = pd.Timestamp("2025-03-31")
    spec = figures.REGISTRY["timeline"]
    live = spec.build(mini_tables, as_of, "en")
    made = spec.variants(mini_tables, as_of, "en")
    events = mini_tables["events"].set_index("id")
    for trace in made["page"]["data"]:
        for (event_id,), hover in zip(trace["customdata"], trace["hovertext"], strict=True):
            ev = events.loc[event_id]
            lines = hover.split("<br>")
            assert lines[0] == f"<b>{esc(ev['title_en'])}</b>"
            assert lines[1].startswith(f"{ev['date']:%Y-%m-%d}")
            assert lines[-1] == "<i>Click for details and sources</i>"
            assert ev["summary_en"][:20] not in hover
    assert made["page"]["layout"]["meta"]["parley_events"] == "02-timeline.html"
    slides = made["slides"]
    assert "parley_events" not in slides["layout"]["meta"], "no one clicks a projected slide"
    assert all("Click" not in h for t in slides["data"] for h in t["hovertext"])
    # The live chart (notebook, app) stands alone: its hover carries the summary.
    first = events.loc[live["data"][0]["customdata"][0][0]]
    assert first["summary_en"][:20] in live["data"][0]["hovertext"][0].replace("<br>", " ")


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_helper_matches_wcag_reference_values() -> None:
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_chart_draws_its_own_card_readable_in_light_and_dark_themes(lang: str) -> None:
    """JupyterLab's dark theme is a dark page under a transparent chart: every chart paints
    an opaque background and its text reaches WCAG AA contrast on it."""
    story = load_story(DATA)
    t = frames.build_tables(story)
    as_of = pd.Timestamp(story.meta.as_of)
    hex_colour = re.compile(r"#[0-9a-fA-F]{6}")
    for fid, spec in figures.REGISTRY.items():
        made = spec.build(t, as_of, lang)
        if isinstance(made, str):
            continue
        layout = go.Figure(made).layout
        for background in (layout.paper_bgcolor, layout.plot_bgcolor):
            assert hex_colour.fullmatch(background or ""), f"{fid}: {background!r} not opaque"
            assert _contrast(layout.font.color, background) >= 4.5, fid
        texts = [a.font.color for a in layout.annotations if a.font and a.font.color]
        for colour in texts:
            assert _contrast(colour, layout.paper_bgcolor) >= 4.5, f"{fid}: {colour}"


def _reference_citations(ids, sources: pd.DataFrame) -> str:
    """citations() as it was before labels were cached: the sources table, row by row."""
    from parley.charts.common import esc

    by_id = sources.set_index("id")
    parts = []
    for sid in ids:
        if sid in by_id.index:
            row = by_id.loc[sid]
            date = row["published"]
            parts.append(f"{esc(row['publisher'])}" + (f" ({esc(date)})" if date else ""))
        else:
            parts.append(esc(sid))
    return "; ".join(parts)


def test_cached_source_labels_cite_as_the_sources_table_did() -> None:
    from parley.charts.common import citations, source_labels

    t = frames.build_tables(load_story(DATA))
    sources = t["sources"]
    labels = source_labels(sources)
    assert set(labels) == set(sources["id"])
    cited = [list(ids) for ids in t["events"]["sources"]] + [
        [],
        ["no-such-source", "<b>bad</b>"],
        [*sources["id"][:3], "unknown"],
    ]
    for ids in cited:
        expected = _reference_citations(ids, sources)
        assert citations(ids, labels) == expected


_WHOLE_SECONDS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.0+$")


def _same_dates(value):
    """Dates written alike: plotly's encoder writes numpy dates to the nanosecond."""
    if isinstance(value, dict):
        return {k: _same_dates(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_same_dates(v) for v in value]
    if isinstance(value, str) and (m := _WHOLE_SECONDS.match(value)):
        value = m.group(1)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00", value):
        return value[:10]
    return value


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_notebook_bundle_is_plotlys_own(lang: str) -> None:
    """nb shows a builder's dict through render.plotly_bundle, without plotly's object model:
    plotly reads what is sent as the same figure its own plotly_mimetype renderer would
    display after validating the builder's output."""
    import plotly.io as pio

    from parley.publish import render

    story = load_story(DATA)
    t = frames.build_tables(story)
    for fid, spec in figures.REGISTRY.items():
        made = spec.build(t, pd.Timestamp(story.meta.as_of), lang)
        if isinstance(made, str):
            continue
        bundle = render.plotly_bundle(made)
        assert set(bundle) == {render.PLOTLY_MIMETYPE}, fid
        sent = bundle[render.PLOTLY_MIMETYPE]
        assert json.loads(json.dumps(sent)) == sent, fid  # JSON types only
        plotly_own = pio.renderers["plotly_mimetype"].to_mimebundle(go.Figure(made).to_dict())
        expected = go.Figure(plotly_own[render.PLOTLY_MIMETYPE]).to_plotly_json()
        assert _same_dates(go.Figure(sent).to_plotly_json()) == _same_dates(expected), fid


def test_showing_a_chart_leaves_plotlys_renderer_registry_unimported() -> None:
    """The registry imports nbformat and jsonschema (~0.25 s of a kernel's first chart); a
    figure is shown as a dict, never through plotly's object model (~0.3 s more) nor its
    JSON encoder (~0.09 s of imports)."""
    import subprocess
    import sys

    code = (
        "import sys, pandas as pd\n"
        "from parley.views import figures; from parley import nb\n"
        "t = nb.tables()\n"
        "made = figures.REGISTRY['timeline'].build(t, pd.Timestamp(nb.story().meta.as_of), 'ja')\n"
        "data, _ = nb._bundle(made)\n"
        "assert 'application/vnd.plotly.v1+json' in data\n"
        "print(sorted(m for m in ('nbformat', 'jsonschema', 'plotly.io._renderers',"
        " 'plotly.io._json', 'plotly.graph_objs._figure', 'plotly.graph_objs._scatter')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=DATA.parent,
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k not in ("PLOTLY_RENDERER", "PARLEY_EXPORT")},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_lean_template_is_plotly_white_cut_to_what_the_charts_use() -> None:
    """TEMPLATE is a literal (reading plotly's template registry cost a kernel ~0.1 s):
    after a plotly upgrade it must still be plotly_white's own values."""
    import plotly.io as pio

    from parley.charts.common import TEMPLATE, TEMPLATE_LAYOUT, TEMPLATE_TRACES

    full = pio.templates["plotly_white"].to_plotly_json()
    assert TEMPLATE["layout"] == {k: v for k, v in full["layout"].items() if k in TEMPLATE_LAYOUT}
    assert TEMPLATE["data"] == {k: v for k, v in full["data"].items() if k in TEMPLATE_TRACES}


def test_figure_helpers_merge_as_plotly_updates() -> None:
    from parley.charts import plot as f

    shared = {"layout": {"font": {"size": 10}}}
    fig = f.new([f.scatter(x=[1])])
    f.update_layout(fig, template=shared, legend={"x": 1, "y": 0}, colorway=["#000"])
    f.update_layout(fig, legend={"y": 1}, colorway=["#fff"])
    f.update_xaxes(fig, title={"text": "t"})
    f.update_xaxes(fig, range=[0, 1])
    f.add_annotation(fig, text="a", font={"size": 9})
    assert fig["layout"]["legend"] == {"x": 1, "y": 1}  # nested dicts merge
    assert fig["layout"]["colorway"] == ["#fff"]  # lists replace
    assert fig["layout"]["xaxis"] == {"title": {"text": "t"}, "range": [0, 1]}
    assert fig["layout"]["annotations"] == [{"text": "a", "font": {"size": 9}}]
    fig["layout"]["template"]["layout"]["font"]["size"] = 99
    # a shared constant is copied in, never changed through a figure
    assert shared == {"layout": {"font": {"size": 10}}}
    go.Figure(fig)  # and plotly takes the result


def test_figure_json_is_what_plotlys_encoder_writes() -> None:
    """to_plain stands in for plotly.io.json (slow to import): same values, JSON types."""
    import datetime as dt

    import numpy as np
    from plotly.io.json import to_json_plotly

    from parley.charts.plot import to_plain

    value = {
        "ints": np.array([1, 2], dtype="int64"),
        "objects": np.array([["a"], ["b"]], dtype=object),
        "when": pd.Series(pd.to_datetime(["2025-02-04", None])),
        "stamps": np.array(["2025-03-01T12:30"], dtype="datetime64[ns]"),
        "scalars": [np.float64(1.5), np.int64(3), np.bool_(True), float("nan"), float("inf")],
        "dates": [dt.date(2025, 1, 20), pd.Timestamp("2025-01-20"), pd.NaT, None],
        "np_dates": [np.datetime64("2025-01-20T06:00:00.000000000"), np.datetime64("NaT")],
        "nested": ({"t": "<b>x</b>"},),
    }
    plain = to_plain(value)
    assert json.loads(json.dumps(plain, allow_nan=False)) == plain
    assert plain == {
        "ints": [1, 2],
        "objects": [["a"], ["b"]],
        "when": ["2025-02-04T00:00:00", None],
        "stamps": ["2025-03-01T12:30:00"],
        "scalars": [1.5, 3, True, None, None],
        "dates": ["2025-01-20", "2025-01-20T00:00:00", None, None],
        "np_dates": ["2025-01-20T06:00:00", None],
        "nested": [{"t": "<b>x</b>"}],
    }
    theirs = json.loads(to_json_plotly(value))
    # plotly writes a nanosecond numpy date scalar as its integer; to_plain writes the date.
    assert theirs.pop("np_dates")[0] == 1737352800000000000
    assert _same_dates({k: v for k, v in plain.items() if k != "np_dates"}) == _same_dates(theirs)
    with pytest.raises(TypeError, match="object is not a plotly JSON value"):
        to_plain({"x": object()})


def test_trajectories_on_a_slide_are_small_multiples() -> None:
    """One panel per issue (no dropdown a projector cannot use), each side in the legend once."""
    story = load_story(DATA)
    t = frames.build_tables(story)
    as_of = pd.Timestamp(story.meta.as_of)
    made = figures.REGISTRY["trajectories"].build(t, as_of, "en", "slides")
    page = figures.REGISTRY["trajectories"].build(t, as_of, "en")
    issues = list(t["issues"]["title_en"])
    assert "updatemenus" in page["layout"] and "updatemenus" not in made["layout"]
    axes = {tr.get("xaxis", "x") for tr in made["data"]}
    assert len(axes) == len(issues), "a panel per issue"
    assert all(tr["visible"] for tr in made["data"])
    legend = [tr["name"] for tr in made["data"] if tr["showlegend"]]
    assert sorted(legend) == sorted(set(legend)) and len(legend) == len(t["sides"])
    titles = [a["text"] for a in made["layout"]["annotations"]]
    assert [re.sub(r"<[^>]+>", " ", x).split() for x in titles] == [i.split() for i in issues]
    go.Figure(made)  # valid plotly


@pytest.mark.parametrize("fid", ["zone-of-agreement", "scenario-builder"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_phone_rows_name_each_issue_above_it(fid: str, lang: str) -> None:
    """On a phone the issue names leave the y axis (where they left the plot a sliver) for
    a line of their own above each row, inside the axis range; the page layout keeps them."""
    story = load_story(DATA)
    t = frames.build_tables(story)
    as_of = pd.Timestamp(story.meta.as_of)
    spec = figures.REGISTRY[fid]
    page, phone = spec.build(t, as_of, lang), spec.build(t, as_of, lang, "phone")
    assert page["layout"]["yaxis"].get("showticklabels", True) is True
    assert phone["layout"]["yaxis"]["showticklabels"] is False
    names = t["issues"][f"title_{lang}"].tolist()
    notes = [a for a in phone["layout"]["annotations"] if a.get("xref") == "paper" and a["x"] == 0]
    shown = [n["text"].replace("<br>", "" if lang == "ja" else " ") for n in notes]
    for name in names:
        assert any(text.startswith(name) for text in shown), (name, shown)
    low, high = sorted(phone["layout"]["yaxis"]["range"])
    assert all(low <= n["y"] <= high for n in notes)
    assert phone["layout"]["margin"]["l"] < 20


def test_un_votes_on_a_phone_name_each_vote_above_its_bar(mini_tables) -> None:
    """At the left the resolutions' names left a 360 px plot a sliver and were cut off, and
    the called-out votes at the right took 190 px: on a phone both go above each bar."""
    args = (mini_tables["votes"], mini_tables["sources"], "en", mini_tables["actors"])
    page, phone = un_votes(*args), un_votes(*args, variant="phone")
    assert page["layout"]["margin"]["r"] == 190 and phone["layout"]["margin"]["r"] < 20
    assert phone["layout"]["yaxis"]["showticklabels"] is False
    (row,) = phone["layout"]["annotations"]  # one vote in the fixture: one row, no side notes
    assert row["xref"] == "paper" and row["x"] == 0 and row["yanchor"] == "bottom"
    assert row["text"].startswith(page["data"][0]["y"][0])  # the resolution's own label
    assert "United States: Against" in row["text"] and "Russia: Against" in row["text"]
    low, high = phone["layout"]["yaxis"]["range"]
    assert low < 0 < row["y"] < high  # above the bar, inside the plot
    go.Figure(phone)  # valid plotly


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_trajectories_scale_ends_fit_a_phone(lang: str) -> None:
    """What 0 and 10 mean, under the plot, ran 500 px past a phone's edge on one line."""
    story = load_story(DATA)
    t = frames.build_tables(story)
    as_of = pd.Timestamp(story.meta.as_of)
    spec = figures.REGISTRY["trajectories"]
    page, phone = spec.build(t, as_of, lang), spec.build(t, as_of, lang, "phone")
    texts = [phone["layout"]["annotations"][0]["text"]] + [
        b["args"][1]["annotations[0].text"] for b in phone["layout"]["updatemenus"][0]["buttons"]
    ]
    most = pos.SCALE_LINE_PHONE[lang] + 1  # (wrap's line may hold the space it broke at)
    for text in texts:
        lines = text.split("<br>")
        assert all(len(re.sub(r"&[#a-zA-Z0-9]+;", "x", line)) <= most for line in lines), lines

    # Every word is still there, in order (only line breaks were added).
    def words(text: str) -> list[str]:
        return text.replace("<br>", " ").split() if lang == "en" else [re.sub(r"<br>| ", "", text)]

    assert words(texts[0]) == words(page["layout"]["annotations"][0]["text"])
    assert phone["layout"]["margin"]["b"] > page["layout"]["margin"]["b"]


def test_wrap_narrow_cuts_only_runs_with_no_space_and_never_an_entity() -> None:
    from parley.charts.common import wrap, wrap_narrow

    assert wrap_narrow("at least 30 days first", 10) == wrap("at least 30 days first", 10)
    assert wrap_narrow("あいうえおかきくけこさ", 4) == "あいうえ<br>おかきく<br>けこさ"
    assert wrap_narrow("あい&amp;うえお", 3) == "あい&amp;<br>うえお"
    assert wrap_narrow("", 5) == ""
