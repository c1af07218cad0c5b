"""Where each side stood: queries over the positions table, shared by charts and logic.

Pure functions of DataFrames (no figures): the latest stance per side and issue on a day,
the latest stated range or red line, the monthly frames of the position map, and the
overlap of the sides' acceptable ranges. The position charts draw them and
:mod:`parley.tables.settlement` judges a deal with them, so the builder's logic never
imports a chart.
"""

from __future__ import annotations

import pandas as pd

from parley.story.fields import GENERIC_GROUPS


def latest_by_side(positions: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Each side's most recent position per issue stated on or before ``day``."""
    known = positions[(positions["as_of"] <= day) & ~positions["side"].isin(GENERIC_GROUPS)]
    if known.empty:
        return known
    known = known.sort_values(["as_of", "id"], kind="stable")
    return known.groupby(["issue", "side"], as_index=False, sort=False).tail(1)


def frame_dates(
    positions: pd.DataFrame, as_of: pd.Timestamp, start: pd.Timestamp | None = None
) -> list[pd.Timestamp]:
    """Month ends from ``start`` (default: the first statement) to as_of, plus as_of itself.

    Statements made before ``start`` still count: each frame shows the latest stance so far.
    """
    if positions.empty:
        return [as_of]
    start = start if start is not None else positions["as_of"].min()
    ends = list(pd.date_range(start, as_of, freq="ME"))
    if not ends or ends[-1] != as_of:
        ends.append(as_of)
    return ends


def snapshots(positions: pd.DataFrame, dates: list[pd.Timestamp]) -> list[list[object]]:
    """For each of ``dates`` (ascending), the index labels :func:`latest_by_side` would
    return on that day, in its order: one pass over the statements in date order, instead
    of a filter, sort and group per monthly frame (most of the position map's build)."""
    known = positions[~positions["side"].isin(GENERIC_GROUPS)].sort_values(
        ["as_of", "id"], kind="stable"
    )
    keys = list(zip(known["issue"], known["side"], strict=True))
    when = known["as_of"].to_numpy()
    labels = known.index.to_numpy(dtype=object)
    latest: dict[tuple[str, str], int] = {}  # (issue, side) -> its latest row, in date order
    out = []
    row = 0
    for day in dates:
        while row < len(keys) and when[row] <= day.to_datetime64():
            latest[keys[row]] = row
            row += 1
        out.append([labels[r] for r in sorted(latest.values())])
    return out


def latest_stated(positions: pd.DataFrame, day: pd.Timestamp, column: str) -> pd.DataFrame:
    """Per side and issue, the latest position up to ``day`` that states ``column``.

    A later statement without a range does not erase a range stated earlier.
    """
    stated = positions[positions[column].notna()]
    return latest_by_side(stated, day)


def zone_table(ranges: pd.DataFrame, issue_ids: list[str]) -> dict[str, dict[str, float]]:
    """Per issue: how many sides stated a range, and the intersection of those ranges.

    ``overlap`` is 1 only when at least two sides stated ranges and they intersect.
    """
    out: dict[str, dict[str, float]] = {}
    for issue in issue_ids:
        rows = ranges[ranges["issue"] == issue]
        sides = int(rows["side"].nunique())
        low = float(rows["acceptable_low"].max()) if sides else 0.0
        high = float(rows["acceptable_high"].min()) if sides else 0.0
        out[issue] = {
            "overlap": int(sides >= 2 and low <= high),
            "low": low,
            "high": high,
            "sides": sides,
        }
    return out
