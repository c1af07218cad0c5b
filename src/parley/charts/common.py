"""Shared chart pieces: escaping, layout, source citations for hover text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from parley.base.markup import escape
from parley.base.palette import FONT_FAMILY, INK, PAPER, PLOT_BACKGROUND
from parley.charts.plot import Plot, Variant, update_layout, update_xaxes, update_yaxes
from parley.i18n import label


def esc(text: object) -> str:
    """Escape data for plotly's HTML-like text (a `<script>` in a title shows as text)."""
    return escape(text, quote=False)  # plotly shows &quot; literally, see parley.base.markup


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


_CHAR = re.compile(r"&[#a-zA-Z0-9]+;|.", re.DOTALL)  # one character of escaped text


def wrap_narrow(text: str, width: int) -> str:
    """:func:`wrap`, then a line with no space that is still longer than ``width`` (a run
    of Japanese; :func:`wrap` puts such a run on a line of its own) cut every ``width``
    characters: for a phone's narrow plot, where a long line is not wider but cut off. An
    entity (``&amp;``) counts as one character and is never cut."""
    lines = []
    # (wrap cuts text with no space at all between any two characters, entities too)
    for line in wrap(text, width).split("<br>") if " " in text else [text]:
        chars = _CHAR.findall(line)
        if " " in line or len(chars) <= width:
            lines.append(line)
            continue
        lines += ["".join(chars[i : i + width]) for i in range(0, len(chars), width)]
    return "<br>".join(lines)


def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """Source id -> its escaped citation, 'Reuters (2025-02-12)'.

    Build it once per sources table and pass it to :func:`citations`: indexing the table
    per cited id would cost time per event, most of a large timeline's build.
    """
    by_id = sources.set_index("id") if "id" in sources.columns else sources
    return {
        sid: f"{esc(publisher)}" + (f" ({esc(date)})" if date else "")
        for sid, publisher, date in zip(
            by_id.index, by_id["publisher"], by_id["published"], strict=True
        )
    }


def citations(ids: Iterable[str], labels: Mapping[str, str]) -> str:
    """'Reuters (2025-02-12); Kremlin (2025-03-18)' for hover text, escaped.

    ``labels`` is :func:`source_labels` of the sources table, built once per figure; an id
    that is not a known source is shown as itself.
    """
    return "; ".join(labels[sid] if sid in labels else esc(sid) for sid in ids)


# What parley's charts use of plotly_white: cartesian axes, scatter and bar (the charts'
# trace types are checked by the unit tests, and a test checks this still equals
# plotly_white cut to these keys). The whole template also styles maps, 3-D, polar and
# colour scales, none of which we draw, and copying it would add its JSON to every plot.
# Kept as a literal: reading plotly's template registry is a slow import for a kernel.
TEMPLATE_LAYOUT = (
    "autotypenumbers",
    "colorway",
    "font",
    "hovermode",
    "hoverlabel",
    "paper_bgcolor",
    "plot_bgcolor",
    "xaxis",
    "yaxis",
    "shapedefaults",
    "annotationdefaults",
    "title",
)
TEMPLATE_TRACES = ("scatter", "bar")
_PATTERN = {"fillmode": "overlay", "size": 10, "solidity": 0.2}
_AXIS = {
    "automargin": True,
    "gridcolor": "#EBF0F8",
    "linecolor": "#EBF0F8",
    "ticks": "",
    "title": {"standoff": 15},
    "zerolinecolor": "#EBF0F8",
    "zerolinewidth": 2,
}
TEMPLATE: dict[str, Any] = {
    "data": {
        "bar": [
            {
                "error_x": {"color": "#2a3f5f"},
                "error_y": {"color": "#2a3f5f"},
                "marker": {"line": {"color": "white", "width": 0.5}, "pattern": _PATTERN},
                "type": "bar",
            }
        ],
        "scatter": [{"fillpattern": _PATTERN, "type": "scatter"}],
    },
    "layout": {
        "annotationdefaults": {"arrowcolor": "#2a3f5f", "arrowhead": 0, "arrowwidth": 1},
        "autotypenumbers": "strict",
        "colorway": [
            "#636efa",
            "#EF553B",
            "#00cc96",
            "#ab63fa",
            "#FFA15A",
            "#19d3f3",
            "#FF6692",
            "#B6E880",
            "#FF97FF",
            "#FECB52",
        ],
        "font": {"color": "#2a3f5f"},
        "hoverlabel": {"align": "left"},
        "hovermode": "closest",
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "shapedefaults": {"line": {"color": "#2a3f5f"}},
        "title": {"x": 0.05},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
    },
}


# Text sizes in px of the SVG a chart draws, by variant. A slide is drawn at 1280×720 and
# reveal.js scales it to the screen (0.96 at 1280×720 with its 4 % margin): 20 px stays
# at 18 px or more there, legible from the back of a room (hover labels aside).
FONT_SIZE: dict[str, int] = {"page": 13, "phone": 13, "slides": 20}
TITLE_SIZE: dict[str, int | None] = {"page": None, "phone": None, "slides": 26}


def base_layout(fig: Plot, title: str, height: int = 520, *, variant: Variant = "page") -> Plot:
    size = FONT_SIZE[variant]
    title_size = TITLE_SIZE[variant]
    update_layout(
        fig,
        title={"text": esc(title), "x": 0.01, "xanchor": "left"},
        font={"family": FONT_FAMILY, "size": size, "color": INK},
        height=height,
        autosize=True,  # the width of whatever box holds the chart, also after a relayout
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        # An opaque light card: readable in JupyterLab's light and dark themes alike.
        paper_bgcolor=PAPER,
        plot_bgcolor=PLOT_BACKGROUND,
        hoverlabel={"font": {"family": FONT_FAMILY}, "align": "left"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        template=TEMPLATE,
    )
    if title_size:
        update_layout(fig, title={"font": {"size": title_size}})
    update_xaxes(fig, gridcolor="rgba(127,127,127,0.25)")
    update_yaxes(fig, gridcolor="rgba(127,127,127,0.25)")
    return fig


def legible(fig: Plot, variant: Variant) -> Plot:
    """No text of the finished figure smaller than its variant's size: the font sizes a
    builder set for a page (annotations, tick labels, legend, menus) raised to it."""
    least = FONT_SIZE[variant]
    layout = fig["layout"]

    def raise_font(owner: dict[str, Any], key: str = "font") -> None:
        font = owner.get(key)
        if isinstance(font, dict) and isinstance(font.get("size"), int | float):
            font["size"] = max(font["size"], least)

    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            raise_font(value, "tickfont")
            if isinstance(value.get("title"), dict):
                raise_font(value["title"])
    for key in ("legend", "title"):
        if isinstance(layout.get(key), dict):
            raise_font(layout[key])
    for item in [*layout.get("annotations", []), *layout.get("updatemenus", [])]:
        raise_font(item)
    for trace in fig["data"]:
        raise_font(trace, "textfont")
    return fig


# Characters per line of long labels on a slide (20 px text): issue names beside a plot,
# axis titles under it.
SLIDE_LABEL = {"ja": 16, "en": 36}
SLIDE_TITLE = {"ja": 40, "en": 80}


def for_slide(text: str, variant: Variant, lang: str, *, title: bool = False) -> str:
    """A long label wrapped to fit a slide at its larger text; as it is elsewhere."""
    if variant != "slides":
        return text
    widths = SLIDE_TITLE if title else SLIDE_LABEL
    return wrap(text, widths.get(lang, widths["en"]))


def stance_axis(issues: pd.DataFrame, lang: str) -> str:
    """The story's title for stance axes (story.yaml `stance_axis`), else a plain one."""
    column = f"axis_{lang}"
    if column in issues and len(issues) and issues[column].iloc[0]:
        return str(issues[column].iloc[0])
    return label("stance", lang)


def axis_title(text: str) -> dict[str, str]:
    """An axis title as plotly.js 3+ takes it (a bare string is no longer read); the text
    is one of parley's own labels."""
    return {"text": text}


def date_ticks(lang: str) -> dict[str, str]:
    """Month ticks in the reader's language (plotly's defaults are English: "Mar 2025")."""
    return {"tickformat": "%Y年%-m月"} if lang == "ja" else {"tickformat": "%b %Y"}


PHONE_ROW = 92  # px a row takes on a phone: its name on one or two lines, then its markers


def phone_row_labels(
    fig: Plot,
    rows: list[tuple[float, str]],
    *,
    above: float,
    axis_range: list[float],
    anchor: str = "middle",
    row_px: int = PHONE_ROW,
) -> Plot:
    """A phone layout for charts with one row per issue: each row's name on its own line
    above the row, across the full width, instead of tick labels at the left that leave a
    390 px screen a plot a few dozen px wide. ``rows``: (y value, label) in plotly's text;
    ``above``: the y offset from a row to its name's line; ``axis_range``: the y range
    that holds every row and the name above the first; ``anchor``: which edge of the name
    sits at that offset ("bottom": just above the row's own markers); ``row_px``: a row's
    height."""
    update_yaxes(fig, showticklabels=False, range=axis_range, autorange=False)
    names = [
        {
            "text": wrap(text, 44) if "<br>" not in text else text,
            "xref": "paper",
            "x": 0,
            "xanchor": "left",
            "yref": "y",
            "y": y + above,
            "yanchor": anchor,
            "showarrow": False,
            "align": "left",
            "font": {"size": FONT_SIZE["phone"], "color": INK},
        }
        for y, text in rows
    ]
    layout = fig["layout"]
    layout["annotations"] = [*layout.get("annotations", []), *names]
    height = int(layout.get("height") or 450)
    update_layout(
        fig,
        height=max(height, 220 + row_px * len(rows)),
        margin={"l": 8, "r": 12},
    )
    return fig
