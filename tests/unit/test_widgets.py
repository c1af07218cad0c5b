"""Widgets driven as a reader would: filters, search, selection, codes, settlement, language."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from parley import i18n, settings
from parley.tables import frames
from parley.tables.explore import (
    SEARCH_COLUMNS,
    BadCode,
    Filter,
    filter_events,
    filter_mask,
    normalise,
    search_haystack,
    search_mask,
)
from parley.tables.settlement import (
    closest_scenario,
    crosses,
    distance_outside,
    judge,
    stated_limits,
    verdicts,
)
from parley.widgets import Explorer, ScenarioBuilder

DATA = Path(__file__).resolve().parents[2] / "data"


pytestmark = pytest.mark.usefixtures("japanese")


def _points(chart) -> int:
    return sum(len(t["x"]) for t in chart.data)


def test_filter_changes_the_figure(mini_story, tables) -> None:
    ex = Explorer(mini_story, tables)
    assert _points(ex.chart) == 3
    ex.set_filters(kinds=["vote"])
    assert _points(ex.chart) == 1
    assert [c[0] for c in ex.chart.data[0]["customdata"]] == ["vote-day"]
    ex.set_filters(kinds=[], start=dt.date(2025, 3, 1))
    assert [r for r in ex.results.options] and _points(ex.chart) == 1
    ex.set_filters(start=None, actors=["trump"])
    assert _points(ex.chart) == 1


def test_control_change_filters(mini_story, tables) -> None:
    ex = Explorer(mini_story, tables)
    ex.kinds.value = ("talks",)  # as a reader clicking the list
    assert [v for _, v in ex.results.options] == ["talks"]
    assert ex.count.value == "3件中1件"


def test_search_both_languages(mini_story, tables) -> None:
    ev = tables["events"]
    assert list(ev[search_mask(ev, "電話")]["id"]) == ["call-one"]
    assert list(ev[search_mask(ev, "RESOLUTION adopted")]["id"]) == ["vote-day"]
    assert list(ev[search_mask(ev, "ＵＮ")]["id"]) == ["vote-day"]  # full-width folds
    ex = Explorer(mini_story, tables)
    ex.query.value = "phone"
    assert [v for _, v in ex.results.options] == ["call-one"]


def test_select_opens_card_with_sources_and_voices(mini_story, tables) -> None:
    ex = Explorer(mini_story, tables, lang="en")
    ex.results.value = "call-one"
    card = ex.card.value
    assert "A call &lt;script&gt;alert(1)&lt;/script&gt;" in card and "<script>" not in card
    assert 'href="https://example.org/one"' in card and "Example Wire" in card
    assert "I want the war to end" in card  # the voice that responds to it


def test_share_code_round_trip(mini_story, tables) -> None:
    ex = Explorer(mini_story, tables)
    ex.set_filters(kinds=["vote", "call"], query="国連", selected="vote-day")
    code = ex.code.value
    assert code.startswith("p1.") and len(code) < 120
    other = Explorer(mini_story, tables)
    other.open_code(f"https://example.org/lab?explore={code}")
    assert other.filter == ex.filter
    assert [v for _, v in other.results.options] == ["vote-day"]
    assert "国連総会の採決" in other.card.value


def test_the_widget_shows_the_page_link_of_its_view(mini_story, tables) -> None:
    """Beside its code, the same view as a readable link into the exported page."""
    from parley.tables.explore import from_fragment

    ex = Explorer(mini_story, tables)
    ex.set_filters(kinds=["vote", "call"], query="国連 UN", selected="vote-day")
    link = ex.link.value
    assert link == "02-timeline.html#kind=vote,call&q=%E5%9B%BD%E9%80%A3%20UN&event=vote-day"
    assert from_fragment(link.split("#", 1)[1]) == ex.filter
    ex.set_filters(kinds=[], query="", selected=None)
    assert ex.link.value == "02-timeline.html"


def test_bad_code_is_a_clear_message(mini_story, tables) -> None:
    ex = Explorer(mini_story, tables, lang="en")
    ex.open_code("p1.@@@")
    assert "Cannot read that code" in ex.message.value
    with pytest.raises(BadCode, match="should start"):
        Filter.from_code("hello")


def test_filter_dates_keep_overlapping_events(tables) -> None:
    rows = filter_events(tables["events"], Filter(start=dt.date(2025, 3, 24)))
    assert list(rows["id"]) == ["talks"]  # 23–25 March overlaps a window from the 24th


def test_language_switch_relabels_in_place(mini_story, tables) -> None:
    ex = Explorer(mini_story, tables)
    sb = ScenarioBuilder(mini_story, tables)
    assert ex.chart.layout["title"]["text"] == "交渉の歩み"
    i18n.set_lang("en")
    assert ex.chart.layout["title"]["text"] == "The negotiations, event by event"
    assert ("Russia", "russia") in ex.sides.options
    assert sb.sliders["ceasefire"].description == "Ceasefire"
    assert "Side" in sb.verdict.value


def test_every_explorer_control_is_named_by_its_heading(mini_story, tables) -> None:
    # A control's description is its <label for> (its accessible name); the visible heading
    # above it is separate text, so the two must say the same thing in both languages.
    import ipywidgets as w
    from ipywidgets.widgets.widget_description import DescriptionWidget

    ex = Explorer(mini_story, tables)
    inputs = [c for c in _descendants(ex.widget) if isinstance(c, DescriptionWidget)]
    inputs = [c for c in inputs if not isinstance(c, (w.HTML, w.Button))]
    assert len(inputs) == 10  # nine filters and codes, and the page link
    for lang in ("ja", "en"):
        i18n.set_lang(lang)
        headings = {h.value.removeprefix("<b>").removesuffix("</b>") for h in ex._labels.values()}
        names = [c.description for c in inputs]
        assert all(names) and set(names) == headings, (lang, names)
        assert all(c.style.description_width == "0px" for c in inputs)


def _descendants(widget):  # type: ignore[no-untyped-def]
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def test_settlement_verdicts_change(mini_story, tables) -> None:
    sb = ScenarioBuilder(mini_story, tables, lang="en")
    near_kyiv = {v.side: v for v in sb.set_settlement({"ceasefire": 1})}
    # Russia stands at 9 with a red line at 6: a settlement at 1 crosses it.
    assert [c.issue for c in near_kyiv["russia"].crossings] == ["ceasefire"]
    assert near_kyiv["russia"].distance == {"ceasefire": 6.0}
    assert near_kyiv["ukraine"].acceptable_everywhere
    near_moscow = {v.side: v for v in sb.set_settlement({"ceasefire": 8})}
    assert not near_moscow["russia"].crossings and near_moscow["ukraine"].distance == {
        "ceasefire": 5.0
    }
    marker = sb.chart.data[-1]
    assert marker["x"] == [8.0]
    assert "Frozen conflict" in sb.verdict.value  # the closest scenario is named


def test_choose_scenario_moves_sliders(mini_story, tables) -> None:
    sb = ScenarioBuilder(mini_story, tables)
    sb.choose_scenario("frozen")
    assert sb.sliders["ceasefire"].value == 5


def test_settlement_rules() -> None:
    assert crosses(2, at=6, stance=9) and not crosses(7, at=6, stance=9)
    assert crosses(8, at=4, stance=1) and not crosses(5, at=5, stance=5)
    assert distance_outside(1, 3, 5) == 2 and distance_outside(4, 3, 5) == 0


def test_closest_scenario(tables) -> None:
    assert closest_scenario(tables["scenarios"], {"ceasefire": 4.5}) == ("frozen", 0.5)


def test_verdicts_use_latest_stated_range(tables) -> None:
    import pandas as pd

    result = {
        v.side: v
        for v in verdicts(
            tables["positions"],
            pd.Timestamp("2025-03-12"),
            {"ceasefire": 5},
            tuple(tables["sides"]["id"]),
        )
    }
    assert result["russia"].distance == {}  # Russia's range was stated on 18 March
    assert result["ukraine"].distance == {"ceasefire": 2.0}


def test_nested_figures_carry_their_first_draw(mini_story, tables) -> None:
    """A chart inside a box has its figure in its state when shown (Voilà draws from it)."""
    explorer = Explorer(mini_story, tables, lang="en")
    builder = ScenarioBuilder(mini_story, tables, lang="en")
    for chart in (explorer.chart, builder.chart):
        assert chart._figure_data == chart.data and len(chart.data) > 0
        assert chart._figure_layout == chart.layout and chart.layout.get("title")


def test_app_mode_reads_the_page_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARLEY_LANG", "ja")
    monkeypatch.setenv("QUERY_STRING", "lang=en")
    monkeypatch.delenv("VOILA_REQUEST_URL", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert settings.language() == "ja", "a query string outside app mode is not ours"
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://127.0.0.1:8866/voila/render/01.ipynb")
    assert i18n.in_app() and settings.language() == "en"
    monkeypatch.setenv("QUERY_STRING", "lang=xx")
    assert settings.language() == "ja"
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.setenv("PARLEY_LANG", "en")
    assert settings.language() == "en"


# --- the caches behind fast widget updates: same results as computing afresh -------------


def _reference_haystack(events: pd.DataFrame) -> pd.Series:
    """The haystack as search_mask rebuilt it on every keystroke before it was cached."""
    cols = [c for c in SEARCH_COLUMNS if c in events.columns]
    return events[cols].astype(str).agg(" ".join, axis=1).map(normalise)


@pytest.mark.parametrize(
    "query",
    [
        "電話",
        "国連 採決",
        "RESOLUTION adopted",
        "ＵＮ",
        "ｐｈｏｎｅ",
        "phone",
        "talks",
        "zzz",
        "  ",
    ],
)
def test_cached_haystack_finds_what_a_fresh_search_does(tables, query: str) -> None:
    ev = tables["events"]
    haystack = search_haystack(ev)
    assert haystack.tolist() == _reference_haystack(ev).tolist()
    assert search_mask(ev, query, haystack).equals(search_mask(ev, query))
    flt = Filter(query=query)
    assert filter_events(ev, flt, haystack).equals(filter_events(ev, flt))
    assert filter_mask(ev, flt, haystack).equals(filter_mask(ev, flt))


def test_cached_haystack_on_the_bundled_story() -> None:
    from parley.story.load import load_story

    ev = frames.build_tables(load_story(DATA))["events"]
    haystack = search_haystack(ev)
    assert haystack.tolist() == _reference_haystack(ev).tolist()
    for query in ("トランプ", "ﾄﾗﾝﾌﾟ", "ＮＡＴＯ", "nato", "ceasefire", "停戦 ウクライナ"):
        expected = _reference_haystack(ev).str.contains(normalise(query).split()[0], regex=False)
        got = search_mask(ev, query, haystack)
        assert got.equals(search_mask(ev, query))
        assert not (got & ~expected).any()  # every hit contains the first word at least


def _figure_json(chart) -> dict:
    """The chart's figure as plotly reads it (its schema validates every property)."""
    data = json.loads(pio.to_json(go.Figure(chart.plot)))
    for trace in data["data"]:
        trace.pop("uid", None)
    return data


def test_explorer_refills_match_a_fresh_explorer_across_language_switches(
    mini_story, tables
) -> None:
    ex = Explorer(mini_story, tables)
    steps = [
        {"kinds": ["vote"]},
        {"kinds": [], "query": "phone"},
        {"query": ""},
        {"sides": ["us"]},
        {"sides": ["us"], "query": "国連"},  # one side unchanged: its trace is kept
        {"sides": [], "query": ""},
    ]
    for step in steps:
        ex.set_filters(**step)
        for lang in ("en", "ja"):  # the second visit to each language reuses its cache
            i18n.set_lang(lang)
            fresh = Explorer(mini_story, tables, lang=lang)
            fresh.set_filters(**ex.filter.__dict__)
            assert _figure_json(ex.chart) == _figure_json(fresh.chart)
            assert ex.results.options == fresh.results.options
            assert ex.count.value == fresh.count.value


def test_builder_chart_kept_per_language_shows_the_current_settlement(mini_story, tables) -> None:
    sb = ScenarioBuilder(mini_story, tables)
    sb.set_settlement({"ceasefire": 2})
    i18n.set_lang("en")
    sb.set_settlement({"ceasefire": 7})
    i18n.set_lang("ja")  # the Japanese chart was built at 2: the diamond must say 7
    fresh = ScenarioBuilder(mini_story, tables)
    fresh.set_settlement({"ceasefire": 7})
    assert _figure_json(sb.chart) == _figure_json(fresh.chart)
    assert sb.verdict.value == fresh.verdict.value


def _reference_verdicts(positions, as_of, settlement, sides) -> list:
    """verdicts() as it was before the limits were precomputed: row by row."""
    from parley.tables.settlement import Crossing, Verdict
    from parley.tables.stances import latest_stated

    ranges = latest_stated(positions, as_of, "acceptable_low")
    lines = latest_stated(positions, as_of, "red_line_at")
    out = []
    for side in sides:
        crossings = [
            Crossing(r["issue"], float(r["red_line_at"]), r["red_line_ja"], r["red_line_en"])
            for _, r in lines[lines["side"] == side].iterrows()
            if r["issue"] in settlement
            and crosses(settlement[r["issue"]], r["red_line_at"], r["stance"])
        ]
        distance = {
            r["issue"]: distance_outside(
                settlement[r["issue"]], r["acceptable_low"], r["acceptable_high"]
            )
            for _, r in ranges[ranges["side"] == side].iterrows()
            if r["issue"] in settlement
        }
        out.append(Verdict(side, tuple(crossings), distance))
    return out


def test_precomputed_limits_judge_as_the_row_by_row_verdicts() -> None:
    from parley.story.load import load_story

    story = load_story(DATA)
    t = frames.build_tables(story)
    as_of = pd.Timestamp(story.meta.as_of)
    sides = tuple(t["sides"]["id"])
    limits = stated_limits(t["positions"], as_of, sides)
    issues = list(t["issues"]["id"])
    for k in range(21):
        settlement = {i: ((k + n * 3) % 21) / 2 for n, i in enumerate(issues) if (k + n) % 4}
        assert judge(limits, settlement) == _reference_verdicts(
            t["positions"], as_of, settlement, sides
        )


def test_notebook_widgets_prepare_the_other_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """nb.explorer() / nb.scenario_builder() warm the other language once the kernel is
    idle after showing them, so the reader's first switch only swaps prepared figures."""
    from unittest import mock

    from kernel_support import in_a_kernel_cell

    from parley import nb

    monkeypatch.setattr(nb, "display", lambda *a, **k: None)
    monkeypatch.setattr(i18n, "_lang", "ja")
    for make, cls in ((nb.explorer, Explorer), (nb.scenario_builder, ScenarioBuilder)):
        with mock.patch.object(cls, "warm", autospec=True) as warm:

            def cell(make=make, warm=warm) -> int:
                make()
                return warm.call_count

            assert in_a_kernel_cell(cell) == 0, cls.__name__  # not inside the cell
        assert [c.args[1] for c in warm.call_args_list] == ["en"], cls.__name__


def test_fit_width_asks_the_front_end_to_measure_the_box_again() -> None:
    """The front end draws once its box is laid out and follows its resizes; fit_width is
    one unnumbered message (Plotly.Plots.resize) that changes nothing in the figure."""
    from parley.widgets.chart import Chart

    chart = Chart({"data": [], "layout": {"autosize": True}})
    sent: list[dict] = []
    chart.send = lambda content, buffers=None: sent.append(content)
    before = copy.deepcopy(chart.plot)
    chart.fit_width()
    assert sent == [{"type": "fit"}]
    assert chart.plot == before and chart._figure_rev == 0
