"""Widgets driven as a reader would: filters, search, selection, codes, settlement, language."""

from __future__ import annotations

import datetime as dt

import pytest

from parley import figures, i18n
from parley.explore import BadCode, Filter, filter_events, search_mask
from parley.settlement import closest_scenario, crosses, distance_outside, verdicts
from parley.widgets import Explorer, ScenarioBuilder


@pytest.fixture
def tables(mini_story):
    return figures.build_tables(mini_story)


@pytest.fixture(autouse=True)
def _japanese():
    i18n.set_lang("ja")
    yield
    i18n.set_lang("ja")


def _points(fig) -> int:
    return sum(len(t.x) for t in fig.data)


def test_filter_changes_the_figure(mini_story, tables) -> None:
    ex = Explorer(mini_story, tables)
    assert _points(ex.figure) == 3
    ex.set_filters(kinds=["vote"])
    assert _points(ex.figure) == 1 and list(ex.figure.data[0].customdata[:, 0]) == ["vote-day"]
    ex.set_filters(kinds=[], start=dt.date(2025, 3, 1))
    assert [r for r in ex.results.options] and _points(ex.figure) == 1
    ex.set_filters(start=None, actors=["trump"])
    assert _points(ex.figure) == 1


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
    assert ex.figure.layout.title.text == "2025年の交渉の歩み"
    i18n.set_lang("en")
    assert ex.figure.layout.title.text == "The 2025 negotiations, event by event"
    assert ("Russia", "russia") in ex.sides.options
    assert sb.sliders["ceasefire"].description == "Ceasefire"
    assert "Side" in sb.verdict.value


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
    marker = sb.figure.data[-1]
    assert list(marker.x) == [8.0]
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
        for v in verdicts(tables["positions"], pd.Timestamp("2025-03-12"), {"ceasefire": 5})
    }
    assert result["russia"].distance == {}  # Russia's range was stated on 18 March
    assert result["ukraine"].distance == {"ceasefire": 2.0}
