"""Test a hypothetical settlement against each side's stated ranges and red lines.

Pure functions over the positions table. A red line is a point on an issue's scale that a
side said it would not let a deal cross; the side's own stance tells which way is "across":
if the side stands above the line, outcomes below it cross it, and vice versa.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .charts.positions import latest_stated
from .model import SIDES


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
    def total_distance(self) -> float:
        return sum(self.distance.values())

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


def verdicts(
    positions: pd.DataFrame, as_of: pd.Timestamp, settlement: dict[str, float]
) -> list[Verdict]:
    """One verdict per side, from each side's latest stated ranges and red lines."""
    ranges = latest_stated(positions, as_of, "acceptable_low")
    lines = latest_stated(positions, as_of, "red_line_at")
    out = []
    for side in SIDES:
        crossings = []
        for _, r in lines[lines["side"] == side].iterrows():
            value = settlement.get(r["issue"])
            if value is not None and crosses(value, r["red_line_at"], r["stance"]):
                crossings.append(
                    Crossing(
                        r["issue"], float(r["red_line_at"]), r["red_line_ja"], r["red_line_en"]
                    )
                )
        distance = {
            r["issue"]: distance_outside(
                settlement[r["issue"]], r["acceptable_low"], r["acceptable_high"]
            )
            for _, r in ranges[ranges["side"] == side].iterrows()
            if r["issue"] in settlement
        }
        out.append(Verdict(side, tuple(crossings), distance))
    return out


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
