"""How a figure reaches the page: plotly's JSON mimetype in notebooks, a lean chart in exports.

Committed notebooks carry ``application/vnd.plotly.v1+json`` only (small, deterministic,
rendered by JupyterLab). nbconvert drops that mimetype, so :mod:`parley.publish.export` turns each
such output into :func:`chart_html`: a placeholder div plus the figure as inert JSON, drawn by
the one plotly.js the export inlines per page. That keeps plotly.js out of every output (no
4.8 MB copy in the first figure's cell, no per-figure MathJax CDN tag) and lets a deck draw a
slide's charts only when the slide is shown.

A figure has a layout per place it is shown (:data:`parley.charts.plot.Variant`). In export
kernels ``nb.figure`` shows the page's Plot under plotly's mimetype and, in the same output,
the other variants that differ from it under :data:`VARIANTS_MIMETYPE` (``{"phone": Plot,
"slides": Plot}``). :mod:`parley.publish.notebooks` then picks: a deck carries the "slides"
Plot only; a page carries the page's Plot and the "phone" one beside it (``data-variant``),
and ``charts.js`` draws the phone one in a box narrower than its threshold.

In the kernels ``parley export`` starts (``PARLEY_EXPORT=1``), :func:`renderer` names
``parley_export``: the same JSON bundle under its own name, so code that asks "is a live
notebook showing this?" (``renderer() == DEFAULT_RENDERER``) hears no. Elsewhere
``PLOTLY_RENDERER`` picks the renderer, as plotly itself does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

import plotly.io as pio

from parley.base import markup
from parley.base.markup import escape
from parley.charts.plot import to_plain
from parley.settings import EXPORT_ENV, NOTEBOOK_RENDERER

DEFAULT_RENDERER = NOTEBOOK_RENDERER
EXPORT_RENDERER = "parley_export"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
VARIANTS_MIMETYPE = "application/vnd.parley.variants+json"  # {variant: Plot}, beside the page's
# Output metadata naming the one artefact an export output is for ("deck" or "page"): the
# deck's speaker notes, numbered citations and source list; the page's full source list.
ONLY = "parley_only"


def exporting() -> bool:
    """True in a kernel started by ``parley export`` (no live kernel behind the output)."""
    return os.environ.get(EXPORT_ENV) == "1"


def renderer() -> str:
    if exporting():
        _register_export_renderer()
        return EXPORT_RENDERER
    return os.environ.get("PLOTLY_RENDERER", DEFAULT_RENDERER)


def _register_export_renderer() -> None:
    # Registered on use, not at import: plotly rejects unknown names in PLOTLY_RENDERER when
    # plotly.io is imported, so the name cannot travel in that variable.
    if EXPORT_RENDERER not in pio.renderers:
        pio.renderers[EXPORT_RENDERER] = pio.renderers[DEFAULT_RENDERER]


def plotly_bundle(fig: Mapping[str, Any]) -> dict[str, Any]:
    """What plotly's ``plotly_mimetype`` renderer displays: the figure's JSON under plotly's
    mimetype, made without plotly.io's renderer registry (importing it pulls in nbformat
    and jsonschema into every kernel that shows a chart)."""
    return {PLOTLY_MIMETYPE: to_plain(fig)}


def show(fig: Mapping[str, Any], variants: Mapping[str, Mapping[str, Any]] | None = None) -> None:
    """Through plotly's renderer registry (exports, ``PLOTLY_RENDERER``), which validates
    the figure on the way. ``variants``: the figure's other layouts, shown in the same
    output under :data:`VARIANTS_MIMETYPE`, each validated as the page's is."""
    if not variants:
        pio.show(dict(fig), renderer=renderer())
        return
    from IPython.display import display

    bundle = {
        PLOTLY_MIMETYPE: validated(fig),
        VARIANTS_MIMETYPE: {name: validated(plot) for name, plot in variants.items()},
    }
    display(bundle, raw=True)


def validated(fig: Mapping[str, Any]) -> dict[str, Any]:
    """The figure's JSON as plotly's mimetype renderer sends it, checked by plotly's
    validators (a misspelt property raises)."""
    return dict(json.loads(pio.to_json(dict(fig), validate=True, remove_uids=False)))


# The one JSON-in-<script> escaper lives with the HTML escaper (views embed JSON too).
script_safe_json = markup.script_safe_json


def chart_html(
    figure: Mapping[str, Any],
    chart_id: str,
    variants: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    picture: str = "",
    tools: str = "",
) -> str:
    """A chart placeholder and its figure JSON; ``chart_id`` must be an HTML-safe slug.
    ``variants`` (name → Plot; names are parley's own, see ``Variant``) follow as more
    specs for the same chart, each marked with its ``data-variant``. ``picture``: markup of
    its static picture, shown until the live chart is drawn (it goes before the
    placeholder); ``tools``: markup of its links (get the data), after it."""
    height = figure.get("layout", {}).get("height") or 450
    specs = [(None, figure), *(variants or {}).items()]
    return (
        f"{picture}"
        f'<div class="parley-chart" id="{chart_id}" data-height="{int(height)}"></div>'
        + "".join(
            f'<script type="application/json" class="parley-chart-spec" data-chart="{chart_id}"'
            + (f' data-variant="{escape(name)}"' if name else "")
            + f">{script_safe_json(dict(plot))}</script>"
            for name, plot in specs
        )
        + tools
    )


def trace_types(figures: Iterable[Mapping[str, Any]]) -> set[str]:
    """Every plotly trace type the figures use, animation frames included."""
    types: set[str] = set()
    for fig in figures:
        traces = list(fig.get("data", []))
        for frame in fig.get("frames", []) or []:
            traces += list(frame.get("data", []))
        types.update(str(trace.get("type", "scatter")) for trace in traces)
    return types
