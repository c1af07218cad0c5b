"""Test a hypothetical settlement against each side's stated ranges and red lines.

Pure functions over the positions table. A red line is a point on an issue's scale that a
side said it would not let a deal cross; the side's own stance tells which way is "across":
if the side stands above the line, outcomes below it cross it, and vice versa.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from parley.tables.stances import latest_stated


@dataclass(frozen=True)
class Crossing:
    issue: str
    at: float
    text_ja: str
    text_en: str


@dataclass(frozen=True)
class Verdict:
    """How one side would see a settlement."""

    side: str
    crossings: tuple[Crossing, ...]
    # issue -> distance outside that side's acceptable range (0 inside; absent: no range stated)
    distance: dict[str, float]

    @property
    def acceptable_everywhere(self) -> bool:
        return not self.crossings and all(d == 0 for d in self.distance.values())


def crosses(value: float, at: float, stance: float) -> bool:
    """Does ``value`` lie across the red line ``at`` from where the side stands?"""
    if stance > at:
        return value < at
    if stance < at:
        return value > at
    return False  # a side standing on its own line gives no direction; never flag


def distance_outside(value: float, low: float, high: float) -> float:
    if value < low:
        return low - value
    if value > high:
        return value - high
    return 0.0


@dataclass(frozen=True)
class Limits:
    """Each side's latest stated ranges and red lines as of a day, as plain tuples.

    They depend on the positions and the day only, so a widget computes them once and
    judges every slider move against them (:func:`judge`) without touching pandas.
    """

    # side -> [(issue, acceptable_low, acceptable_high)], in the positions' order
    ranges: dict[str, list[tuple[str, float, float]]]
    # side -> [(issue, red_line_at, stance, red_line_ja, red_line_en)]
    lines: dict[str, list[tuple[str, float, float, str, str]]]


RANGE_COLUMNS = ("issue", "acceptable_low", "acceptable_high")
LINE_COLUMNS = ("issue", "red_line_at", "stance", "red_line_ja", "red_line_en")


def stated_limits(positions: pd.DataFrame, as_of: pd.Timestamp, sides: tuple[str, ...]) -> Limits:
    """``sides``: the story's side ids, in the order verdicts are given."""
    ranges = latest_stated(positions, as_of, "acceptable_low")
    lines = latest_stated(positions, as_of, "red_line_at")
    return Limits(
        ranges={
            side: list(_columns(ranges[ranges["side"] == side], RANGE_COLUMNS)) for side in sides
        },
        lines={side: list(_columns(lines[lines["side"] == side], LINE_COLUMNS)) for side in sides},
    )


def _columns(rows: pd.DataFrame, columns: tuple[str, ...]) -> zip[tuple[Any, ...]]:
    # .tolist() yields the same Python values iterrows() gave (floats, str), row by row.
    return zip(*(rows[c].tolist() for c in columns), strict=True)


def judge(limits: Limits, settlement: dict[str, float]) -> list[Verdict]:
    """One verdict per side against precomputed :class:`Limits`."""
    out = []
    for side in limits.ranges:
        crossings = []
        for issue, at, stance, text_ja, text_en in limits.lines[side]:
            value = settlement.get(issue)
            if value is not None and crosses(value, at, stance):
                crossings.append(Crossing(issue, float(at), text_ja, text_en))
        distance = {
            issue: distance_outside(settlement[issue], low, high)
            for issue, low, high in limits.ranges[side]
            if issue in settlement
        }
        out.append(Verdict(side, tuple(crossings), distance))
    return out


def verdicts(
    positions: pd.DataFrame,
    as_of: pd.Timestamp,
    settlement: dict[str, float],
    sides: tuple[str, ...],
) -> list[Verdict]:
    """One verdict per side, from each side's latest stated ranges and red lines."""
    return judge(stated_limits(positions, as_of, sides), settlement)


def closest_scenario(scenarios: pd.DataFrame, settlement: dict[str, float]) -> tuple[str, float]:
    """The scenario whose outcomes are nearest (root-mean-square over shared issues)."""
    best: tuple[str, float] = ("", math.inf)
    for sid, rows in scenarios.groupby("id", sort=False):
        shared = [
            (settlement[i], s)
            for i, s in zip(rows["issue"], rows["stance"], strict=True)
            if i in settlement
        ]
        if not shared:
            continue
        rms = math.sqrt(sum((a - b) ** 2 for a, b in shared) / len(shared))
        if rms < best[1]:
            best = (str(sid), rms)
    return best


def scenario_outcomes(scenarios: pd.DataFrame, scenario_id: str) -> dict[str, float]:
    rows = scenarios[scenarios["id"] == scenario_id]
    return {i: float(s) for i, s in zip(rows["issue"], rows["stance"], strict=True)}
