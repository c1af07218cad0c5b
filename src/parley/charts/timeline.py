"""The timeline: events in lanes by kind, coloured by the side that led, with a range slider."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd

from parley.charts.common import base_layout, citations, date_ticks, esc, source_labels, wrap
from parley.charts.plot import (
    Plot,
    Variant,
    add_trace,
    new,
    scatter,
    update_layout,
    update_xaxes,
    update_yaxes,
)
from parley.charts.scale import thin
from parley.i18n import check_lang, label
from parley.tables import sides as side_table
from parley.tables.explore import PAGE as EXPLORER_PAGE

LANES: dict[str, str] = {
    "call": "diplomacy",
    "meeting": "diplomacy",
    "talks": "diplomacy",
    "visit": "diplomacy",
    "statement": "statement",
    "vote": "vote",
    "agreement": "agreement",
    "ceasefire": "agreement",
    "sanction": "pressure",
    "aid": "pressure",
    "military": "military",
    "other": "other",
}
LANE_ORDER: tuple[str, ...] = (
    "diplomacy",
    "statement",
    "agreement",
    "pressure",
    "vote",
    "military",
    "other",
)
SYMBOLS = {"verified": "circle", "unverified": "circle-open", "disputed": "diamond-open"}


# "full": everything about the event (a notebook or app, where the chart stands alone);
# "brief": title, date and mark only (exported pages and decks, where the explorer's list
# and card carry the rest: the long texts would otherwise travel twice in every page).
Hover = Literal["full", "brief"]

# The columns hover_text() reads, for the event's language.
HOVER_COLUMNS: tuple[str, ...] = (
    "date",
    "end_date",
    "title_{lang}",
    "summary_{lang}",
    "verification",
    "accounts",
    "framing_note_{lang}",
    "sources",
)


def hover_text(
    row: Mapping[str, Any],
    sources: pd.DataFrame,
    lang: str,
    labels: Mapping[str, str] | None = None,
    hover: Hover = "full",
    hint: bool = False,
) -> str:
    """One event's hover box (``labels``: :func:`~parley.charts.common.source_labels`);
    ``hint`` ends a brief one with "click for details" (a page, where a click opens them)."""
    date = row["date"].strftime("%Y-%m-%d")
    if pd.notna(row["end_date"]):
        date += " – " + row["end_date"].strftime("%Y-%m-%d")
    lines = [f"<b>{esc(row[f'title_{lang}'])}</b>", date]
    if hover == "full":
        lines.append(wrap(esc(row[f"summary_{lang}"]), 48 if lang == "en" else 28))
    if row["verification"] != "verified":
        lines.append(f"⚠ {label(row['verification'], lang)}")
    if hover == "brief":
        if hint:
            lines.append(f"<i>{esc(label('timeline_click', lang))}</i>")
        return "<br>".join(lines)
    if labels is None:
        labels = source_labels(sources)
    if row["accounts"]:
        lines.append(f"↔ {label('accounts', lang)}: {row['accounts']}")
    if row[f"framing_note_{lang}"]:
        lines.append(
            f"✎ {label('framing_note', lang)}: "
            + wrap(esc(row[f"framing_note_{lang}"]), 48 if lang == "en" else 28)
        )
    lines.append(
        f"{label('sources', lang)}: "
        + wrap(citations(row["sources"], labels), 60 if lang == "en" else 40)
    )
    return "<br>".join(lines)


def prepare(
    events: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str,
    labels: Mapping[str, str] | None = None,
    hover: Hover = "full",
    hint: bool = False,
) -> pd.DataFrame:
    """Per-event marker attributes and hover text; computed once, then filtered cheaply.

    ``labels`` is :func:`~parley.charts.common.source_labels` of ``sources``, when the
    caller keeps one (a widget preparing both languages); ``hover`` and ``hint``: see
    :func:`hover_text`.
    """
    lane_names = {lane: label(f"lane_{lane}", lang) for lane in LANE_ORDER}
    lane = events["kind"].map(LANES).fillna("other")
    if labels is None and hover == "full":
        labels = source_labels(sources)  # once, not per cited source
    # Plain dicts of the columns hover_text() reads rather than iterrows(): the same
    # values without building a Series per event (which dominates at large story sizes).
    rows = events[[c.format(lang=lang) for c in HOVER_COLUMNS]].to_dict("records")
    return events.assign(
        lane=lane,
        lane_label=lane.map(lane_names),
        hover=[hover_text(row, sources, lang, labels, hover, hint) for row in rows],
        marker_size=events["importance"] * 6 + 6,
        marker_symbol=events["verification"].map(SYMBOLS),
    )


def trace_data(prepared: pd.DataFrame) -> dict[str, object]:
    """The data-carrying properties of one side's trace (what a filter changes)."""
    prepared = thin(prepared)  # past scale.MAX_MARKERS events: one per week (or month) and lane
    return {
        "x": prepared["date"].tolist(),
        "y": prepared["lane_label"].tolist(),
        "customdata": prepared[["id"]].to_numpy(),
        "hovertext": prepared["hover"].tolist(),
        "marker": {
            "size": prepared["marker_size"].tolist(),
            "symbol": prepared["marker_symbol"].tolist(),
        },
    }


def timeline(
    events: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str,
    prepared: pd.DataFrame | None = None,
    every_side: bool = False,
    *,
    sides: pd.DataFrame,
    variant: Variant = "page",
    hover: Hover = "full",
) -> Plot:
    """Events as markers: x = date, y = lane (kind), colour = lead side, size = importance.

    ``every_side`` keeps a (possibly empty) trace per side so a widget can refill the
    same traces when filters change instead of rebuilding the figure. With ``hover``
    "brief" a page's markers say "click for details" (a slide's do not: no one clicks a
    projected slide), and the layout's ``meta.parley_events`` tells the page's script that
    a marker's first custom datum is an event id to open.
    """
    lang = check_lang(lang)
    hint = hover == "brief" and variant != "slides"
    df = prepared if prepared is not None else prepare(events, sources, lang, None, hover, hint)
    fig = new()
    for side, style in side_table.styles(sides).items():
        part = df[df["side"] == side]
        if part.empty and not every_side:
            continue
        data = trace_data(part)
        marker = data.pop("marker")
        add_trace(
            fig,
            scatter(
                **data,
                mode="markers",
                name=style.name(lang),
                legendgroup=side,
                marker={
                    **marker,  # type: ignore[dict-item]
                    "color": style.colour,
                    "line": {"width": 2, "color": style.outline},
                    "opacity": 0.9,
                },
                hovertemplate="%{hovertext}<extra></extra>",
            ),
        )
    used = [lane for lane in LANE_ORDER if lane in set(df["lane"])]
    names = [label(f"lane_{lane}", lang) for lane in used]
    base_layout(fig, label("timeline_title", lang), variant=variant)
    update_yaxes(fig, categoryorder="array", categoryarray=names[::-1])
    update_xaxes(
        fig,
        type="date",
        **date_ticks(lang),
        # No one drags a slider on a projected slide; the room goes to the chart.
        rangeslider={"visible": variant != "slides", "thickness": 0.08},
    )
    # Exports size its margins from measured text, sparing plotly.js a second draw
    # (parley_assets/charts.js); plotly itself ignores meta.
    # On a page, a click on a marker opens the event in the explorer (parley_assets/charts.js).
    events_page = {"parley_events": EXPLORER_PAGE} if hint else {}
    update_layout(fig, meta={"parley_margins": "measured", **events_page})
    return fig
