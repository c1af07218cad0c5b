"""Keeping charts responsive at scale: past a threshold, one marker per period and lane.

Headless Chromium (and many laptops) draw plotly's SVG markers without a GPU, and
``scattergl`` is not in the basic plotly.js bundle the exports inline. Each marker costs on
every zoom and pan (twice with the range slider, which draws the traces again), and carries
its hover text to the browser: 10,000 events make a 17 MB figure. So a trace (one side) with
more than :data:`MAX_MARKERS` events is *aggregated*: one marker per (week, lane), or per
(month, lane) when weeks give more than :data:`BIN_TARGET`, sized by how many events it
stands for, its hover listing the count, the dates and the most important titles. Below the
threshold nothing changes, so the bundled story and any filter that narrows the view below
it show every event as before. The timeline applies it in
:func:`~parley.charts.timeline.trace_data`, so the static figure and the explorer's refills
both stay small.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MAX_MARKERS = 100  # per trace (one side): past this many events it is aggregated
# Markers an aggregated trace aims at: zooming costs time per SVG point (no GPU), so a
# few dozen markers per side keep a 10,000-event timeline's zoom near the bundled story's
# (which shows every event); the bench's scale figures check it.
BIN_TARGET = 30
TOP_TITLES = 5  # titles listed in an aggregated marker's hover
AGGREGATE_SYMBOL = "square"  # a group of events, distinct from the verification symbols
# Bins tried in turn, finest first: the first that gives at most BIN_TARGET markers wins;
# the last is used whatever it gives.
BINS: tuple[str, ...] = ("week", "month")  # weeks start on Monday; calendar months


def _title(hover: str) -> str:
    # prepare() puts the escaped title first, in bold: "<b>title</b><br>date<br>…"
    return hover.split("<br>", 1)[0].removeprefix("<b>").removesuffix("</b>")


def _bin(days: np.ndarray, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """(first day, last day) of each date's week or month, as datetime64[D]."""
    if unit == "week":
        # 1970-01-01 was a Thursday: weekday (Monday = 0) is (days since then + 3) % 7.
        start = days - ((days.astype("int64") + 3) % 7).astype("timedelta64[D]")
        return start, start + np.timedelta64(6, "D")
    month = days.astype("datetime64[M]")
    last = (month + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    return month.astype("datetime64[D]"), last


def _size(count: int) -> int:
    # Area grows with the count: 10 px for one event, 40 px at 64 or more.
    return min(40, round(10 + 30 * math.sqrt(min(count, 64) / 64)))


def thin(
    prepared: pd.DataFrame, max_markers: int = MAX_MARKERS, target: int = BIN_TARGET
) -> pd.DataFrame:
    """``prepared`` (rows of :func:`parley.charts.timeline.prepare`) unchanged when it has at
    most ``max_markers`` rows; else one row per (week, lane), or per (month, lane) when weeks
    give more than ``target`` markers, with the columns that
    :func:`~parley.charts.timeline.trace_data` reads. Pure; the input is not modified.

    Numpy and plain Python rather than a pandas group-by: this runs for every trace on every
    explorer update, and a group-by has a fixed cost that dwarfs small traces.
    """
    if len(prepared) <= max_markers:
        return prepared
    days = prepared["date"].to_numpy(dtype="datetime64[D]")
    lanes = prepared["lane"].to_numpy()
    codes = pd.factorize(lanes)[0].astype("int64")
    for unit in BINS:
        start, end = _bin(days, unit)
        key = start.astype("int64") * 64 + codes  # fewer than 64 lanes
        if np.unique(key).size <= target:
            break
    # Rank rows most important first, then earliest; then group them by bin and lane
    # (a stable sort keeps the ranking inside each group: its first row is its headline).
    ranked = np.lexsort((days, -prepared["importance"].to_numpy()))
    grouped = ranked[np.argsort(key[ranked], kind="stable")]
    _, firsts, counts = np.unique(key[grouped], return_index=True, return_counts=True)
    ids = prepared["id"].to_numpy()
    hovers = prepared["hover"].to_numpy()
    side = prepared["side"].to_numpy()
    label = prepared["lane_label"].to_numpy()
    importance = prepared["importance"].to_numpy()
    rows = []
    for first, count in zip(firsts.tolist(), counts.tolist(), strict=True):
        head = grouped[first]
        titles = "<br>• ".join(_title(hovers[i]) for i in grouped[first : first + TOP_TITLES])
        lo, hi = pd.Timestamp(start[head]), pd.Timestamp(end[head])
        more = f"<br>… +{count - TOP_TITLES}" if count > TOP_TITLES else ""
        rows.append(
            {
                "id": ids[head],
                "date": lo + (hi - lo) / 2,  # the bin's middle
                "side": side[head],
                "lane": lanes[head],
                "lane_label": label[head],
                "importance": importance[head],
                "count": count,
                "bin_start": lo,
                "hover": f"<b>{count}</b> · {lo:%Y-%m-%d} – {hi:%Y-%m-%d}<br>• {titles}{more}",
                "marker_size": _size(count),
                "marker_symbol": AGGREGATE_SYMBOL,
                # every event the marker stands for (the page explorer dims or lights it)
                "members": ids[grouped[first : first + count]].tolist(),
            }
        )
    return pd.DataFrame(rows)  # in date order: the key sorts by bin start first
