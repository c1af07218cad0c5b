"""Executed notebooks made ready for nbconvert: titles, lean charts, no widget views."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nbformat import NotebookNode

from parley.publish import render

WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
PAGE_VARIANTS = ("phone",)  # what a page carries besides its own layout (charts.js picks)

# (figure, chart id) -> markup of the chart's static picture and of its links (see chart_html)
Decorate = Callable[[Mapping[str, Any], str], tuple[str, str]]


def notebook_title(nb: NotebookNode, lang: str, fallback: str) -> str:
    """The heading of the notebook's bilingual title cell in ``lang`` (ja: the line with
    Japanese script, en: the line without), else its first heading."""
    cjk = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        headings = [
            line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("#")
        ]
        if headings:
            wanted = [h for h in headings if bool(cjk.search(h)) == (lang == "ja")]
            return (wanted or headings)[0]
    return fallback


@dataclass(frozen=True)
class Prepared:
    nb: NotebookNode
    figures: list[Mapping[str, Any]]
    warnings: list[str]


def _export_outputs(
    cell: NotebookNode,
    ci: int,
    into: Prepared,
    *,
    for_deck: bool,
    decorate: Decorate | None = None,
) -> list[NotebookNode]:
    """A code cell's outputs for export: plotly JSON → lean chart HTML (the figure noted in
    ``into``), no widget views (they need a kernel), stderr noted as a warning, not shown.
    A deck shows a chart's "slides" variant; a page its own, with its "phone" variant."""
    outputs = []
    for oi, out in enumerate(cell.outputs):
        only = out.get("metadata", {}).get(render.ONLY)
        if only is not None and only != ("deck" if for_deck else "page"):
            continue
        if out.output_type == "stream" and out.name == "stderr":
            into.warnings.append(f"cell {ci}: {out.text.strip()[:300]}")
            continue
        data = out.get("data", {})
        if WIDGET_MIMETYPE in data:
            continue
        if render.PLOTLY_MIMETYPE in data:
            variants = dict(data.get(render.VARIANTS_MIMETYPE, {}))
            chart_id = f"chart-{ci}-{oi}"
            if for_deck:
                shown = variants.get("slides", data[render.PLOTLY_MIMETYPE])
                into.figures.append(shown)
                html = render.chart_html(shown, chart_id)
            else:
                page = data[render.PLOTLY_MIMETYPE]
                extra = {name: variants[name] for name in PAGE_VARIANTS if name in variants}
                into.figures.extend([page, *extra.values()])
                picture, tools = decorate(page, chart_id) if decorate else ("", "")
                html = render.chart_html(page, chart_id, extra, picture=picture, tools=tools)
            out.data = {"text/html": html}
            out.metadata = {}
        outputs.append(out)
    return outputs


def prepare(nb: NotebookNode, *, for_deck: bool, decorate: Decorate | None = None) -> Prepared:
    """A copy of an executed notebook ready for nbconvert; pages also drop speaker-notes
    cells. Nothing else changes, so a deck keeps the notebook's slide structure.
    ``decorate`` adds each chart's static picture and links."""
    prepared = Prepared(copy.deepcopy(nb), [], [])
    prepared.nb.metadata.pop("widgets", None)
    cells = []
    for ci, cell in enumerate(prepared.nb.cells):
        slide_type = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if not for_deck and slide_type == "notes":
            continue
        if cell.cell_type == "code":
            cell.outputs = _export_outputs(cell, ci, prepared, for_deck=for_deck, decorate=decorate)
        cells.append(cell)
    prepared.nb.cells = cells
    return prepared
