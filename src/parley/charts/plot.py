"""Plots: plotly's own figure JSON in plain dicts, not ``plotly.graph_objects``.

Naming: a *figure* is what a chapter names and the reader sees (a chart or a table, see
:mod:`parley.views.figures`); a :data:`Plot` is the plotly JSON a chart builder returns; a
:class:`~parley.widgets.chart.Chart` is the widget that draws one in a kernel.

A notebook only sends a figure's JSON to the front end. Building it through plotly's object
model validated and deep-copied every property, and the first use of each class in a fresh
kernel loaded its validators: most of what a notebook cost beyond a bare kernel. The unit
tests validate every builder's output with ``go.Figure``, so a misspelt property still
fails there; the widgets hand these dicts to :class:`parley.widgets.chart.Chart`, which sends
them to plotly's front end as they are (its tests validate what it shows the same way).

The helpers mirror the part of plotly's API the builders use, with its merge semantics:
nested dicts merge, anything else (lists included) replaces.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

Plot = dict[str, Any]  # {"data": [trace, …], "layout": {…}, "frames": [{name, data}, …]}
Trace = dict[str, Any]

# Where a chart is shown: a page (the default), a phone-width page, or a slide (1280×720,
# read from across a room). Every chart builder takes ``variant=`` and builds the layout it
# asks for with the same code; a builder with one layout for all ignores it. An export
# carries every variant that differs from the page's (see parley.publish.render).
Variant = Literal["page", "phone", "slides"]
VARIANTS: tuple[Variant, ...] = ("page", "phone", "slides")


def new(data: Iterable[Trace] = (), frames: list[dict[str, Any]] | None = None) -> Plot:
    fig: Plot = {"data": list(data), "layout": {}}
    if frames is not None:
        fig["frames"] = frames
    return fig


def scatter(**props: Any) -> Trace:
    return {"type": "scatter", **props}


def bar(**props: Any) -> Trace:
    return {"type": "bar", **props}


def add_trace(fig: Plot, trace: Trace) -> Plot:
    fig["data"].append(trace)
    return fig


def merge(target: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``changes`` merged into ``target`` as plotly's ``update`` does; mappings are copied
    in, so a shared constant (the template) is never changed through a figure."""
    for key, value in changes.items():
        if isinstance(value, Mapping):
            inner = target.get(key)
            target[key] = merge(inner if isinstance(inner, dict) else {}, value)
        else:
            target[key] = value
    return target


def update_layout(fig: Plot, **props: Any) -> Plot:
    merge(fig["layout"], props)
    return fig


def update_xaxes(fig: Plot, **props: Any) -> Plot:
    """The figure's x axis (every chart here has one)."""
    merge(fig["layout"].setdefault("xaxis", {}), props)
    return fig


def update_yaxes(fig: Plot, **props: Any) -> Plot:
    merge(fig["layout"].setdefault("yaxis", {}), props)
    return fig


def add_annotation(fig: Plot, **props: Any) -> Plot:
    fig["layout"].setdefault("annotations", []).append(merge({}, props))
    return fig


def to_plain(value: Any) -> Any:
    """``value`` with only JSON types left, as plotly's JSON encoder writes a figure: numpy
    arrays and scalars as lists and numbers, dates in ISO format, NaN, NaT and infinities
    as null. Here rather than plotly.io.json, whose import (narwhals, validators) would
    delay a kernel's first chart."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "M":  # datetime64: tolist() would give integers
            return [to_plain(pd.Timestamp(v)) for v in value]
        return to_plain(value.tolist())
    if isinstance(value, pd.Series | pd.Index):
        return to_plain(value.tolist())
    if isinstance(value, np.datetime64):  # .item() of a nanosecond date is an integer
        return to_plain(pd.Timestamp(value))
    if isinstance(value, np.generic):
        return to_plain(value.item())
    if value is pd.NaT:
        return None
    if isinstance(value, dt.date | dt.time):  # pd.Timestamp is a datetime
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a plotly JSON value: {value!r:.80}")
