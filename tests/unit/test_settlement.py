"""A settlement exactly on a red line: the line is the limit, not across it."""

from __future__ import annotations

import pytest

from parley.tables.settlement import crosses, judge, stated_limits
from parley.widgets import ScenarioBuilder


@pytest.mark.parametrize(("at", "stance"), [(6, 9), (4, 1), (0, 3), (10, 7)])
def test_a_value_on_the_line_does_not_cross_it(at: float, stance: float) -> None:
    assert not crosses(at, at=at, stance=stance)
    step = 0.01 if stance < at else -0.01  # the smallest step beyond it does
    assert crosses(at + step, at=at, stance=stance)


def test_a_settlement_on_russias_red_line_is_not_a_crossing(mini_story, tables) -> None:
    """Russia (stance 9) drew its ceasefire red line at 6 in the mini story."""
    limits = stated_limits(
        tables["positions"], tables["events"]["date"].max(), tuple(tables["sides"]["id"])
    )
    on_the_line = {v.side: v for v in judge(limits, {"ceasefire": 6.0})}
    assert not on_the_line["russia"].crossings
    beyond = {v.side: v for v in judge(limits, {"ceasefire": 5.99})}
    assert [c.issue for c in beyond["russia"].crossings] == ["ceasefire"]
    builder = ScenarioBuilder(mini_story, tables, lang="en")
    shown = {v.side: v for v in builder.set_settlement({"ceasefire": 6})}
    assert not shown["russia"].crossings
