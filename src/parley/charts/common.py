"""Shared chart pieces: escaping, layout, source citations for hover text."""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from ..palette import FONT_FAMILY


def esc(text: object) -> str:
    """Escape data for plotly's HTML-like text (a `<script>` in a title shows as text)."""
    return html.escape("" if text is None else str(text), quote=False)


def wrap(text: str, width: int) -> str:
    """Insert <br> so hover boxes stay narrow; counts characters, fine for ja and en."""
    words, lines, line = text.split(" ") if " " in text else list(text), [], ""
    joiner = " " if " " in text else ""
    for w in words:
        if len(line) + len(w) > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line}{joiner}{w}" if line else w
    lines.append(line)
    return "<br>".join(lines)


def citations(ids: Iterable[str], sources: pd.DataFrame) -> str:
    """'Reuters (2025-02-12); Kremlin (2025-03-18)' for hover text, escaped."""
    by_id = sources.set_index("id") if "id" in sources.columns else sources
    parts = []
    for sid in ids:
        if sid in by_id.index:
            row = by_id.loc[sid]
            date = row["published"]
            parts.append(f"{esc(row['publisher'])}" + (f" ({esc(date)})" if date else ""))
        else:
            parts.append(esc(sid))
    return "; ".join(parts)


def base_layout(fig: go.Figure, title: str, height: int = 520) -> go.Figure:
    fig.update_layout(
        title={"text": esc(title), "x": 0.01, "xanchor": "left"},
        font={"family": FONT_FAMILY, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        # Transparent so JupyterLab's dark theme shows through; gridlines stay mid-grey.
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(127,127,127,0.06)",
        hoverlabel={"font": {"family": FONT_FAMILY}, "align": "left"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        template="plotly_white",
    )
    fig.update_xaxes(gridcolor="rgba(127,127,127,0.25)")
    fig.update_yaxes(gridcolor="rgba(127,127,127,0.25)")
    return fig


def date_ticks(lang: str) -> dict[str, str]:
    """Month ticks in the reader's language (plotly's defaults are English: "Mar 2025")."""
    return {"tickformat": "%Y年%-m月"} if lang == "ja" else {"tickformat": "%b %Y"}
