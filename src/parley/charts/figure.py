"""Figures as plotly's own JSON in plain dicts, not ``plotly.graph_objects``.

A notebook only sends a figure's JSON to the front end. Building it through plotly's object
model validated and deep-copied every property, and the first use of each class in a fresh
kernel loaded its validators: most of what a notebook cost beyond a bare kernel. The unit
tests validate every builder's output with ``go.Figure``, so a misspelt property still
fails there; the widgets hand these dicts to a FigureWidget, which validates them as before.

The helpers mirror the part of plotly's API the builders use, with its merge semantics:
nested dicts merge, anything else (lists included) replaces.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

Figure = dict[str, Any]  # {"data": [trace, …], "layout": {…}, "frames": [{name, data}, …]}
Trace = dict[str, Any]


def new(data: Iterable[Trace] = (), frames: list[dict[str, Any]] | None = None) -> Figure:
    fig: Figure = {"data": list(data), "layout": {}}
    if frames is not None:
        fig["frames"] = frames
    return fig


def scatter(**props: Any) -> Trace:
    return {"type": "scatter", **props}


def bar(**props: Any) -> Trace:
    return {"type": "bar", **props}


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


def update_layout(fig: Figure, **props: Any) -> Figure:
    merge(fig["layout"], props)
    return fig


def update_xaxes(fig: Figure, **props: Any) -> Figure:
    """The figure's x axis (every chart here has one)."""
    merge(fig["layout"].setdefault("xaxis", {}), props)
    return fig


def update_yaxes(fig: Figure, **props: Any) -> Figure:
    merge(fig["layout"].setdefault("yaxis", {}), props)
    return fig


def add_annotation(fig: Figure, **props: Any) -> Figure:
    fig["layout"].setdefault("annotations", []).append(merge({}, props))
    return fig


def to_json(fig: Mapping[str, Any]) -> str:
    """The figure as JSON, encoded as plotly encodes it (dates, numpy arrays, NaN → null)."""
    from plotly.io.json import to_json_plotly

    return to_json_plotly(fig)


def to_plain(fig: Mapping[str, Any]) -> Figure:
    """The figure with only JSON types left: what a front end receives."""
    out: Figure = json.loads(to_json(fig))
    return out


def add_trace(fig: Figure, trace: Trace) -> Figure:
    fig["data"].append(trace)
    return fig
