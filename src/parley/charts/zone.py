"""The zone of agreement: each side's acceptable range and red line per issue, with the
overlap (or the gap) between all sides that stated a range; the scenario builder draws its
settlement on it."""

from __future__ import annotations

import pandas as pd

from parley.charts.common import (
    axis_title,
    base_layout,
    esc,
    for_slide,
    phone_row_labels,
    stance_axis,
    wrap,
)
from parley.charts.plot import (
    Plot,
    Variant,
    add_trace,
    bar,
    new,
    scatter,
    update_layout,
    update_xaxes,
    update_yaxes,
)
from parley.charts.positions import issue_labels
from parley.i18n import check_lang, label
from parley.tables import sides as side_table
from parley.tables.stances import latest_stated, zone_table


def zone_of_agreement(
    positions: pd.DataFrame,
    issues: pd.DataFrame,
    as_of: pd.Timestamp,
    lang: str,
    settlement: dict[str, float] | None = None,
    *,
    sides: pd.DataFrame,
    variant: Variant = "page",
) -> Plot:
    """Acceptable ranges as bars, red lines as crosses, the shared overlap shaded per issue.

    ``settlement`` (issue id → stance), when given, is drawn as a black diamond per issue:
    the scenario builder passes the reader's hypothetical deal here.
    """
    lang = check_lang(lang)
    ids = list(issues["id"])
    names = issue_labels(issues, lang)
    rows = {issue: k for k, issue in enumerate(ids)}
    ranges = latest_stated(positions, as_of, "acceptable_low")
    red_lines = latest_stated(positions, as_of, "red_line_at")
    zone = zone_table(ranges, ids)
    fig = new()
    shared = [i for i in ids if zone[i]["overlap"]]
    add_trace(
        fig,
        bar(
            y=[rows[i] for i in shared],
            x=[zone[i]["high"] - zone[i]["low"] for i in shared],
            base=[zone[i]["low"] for i in shared],
            orientation="h",
            name=label("overlap", lang),
            marker={"color": "rgba(127,127,127,0.35)"},
            width=0.8,
            customdata=[zone[i]["high"] for i in shared],
            hovertemplate=f"{esc(label('overlap', lang))}: %{{base:g}}–%{{customdata:g}}"
            "<extra></extra>",
        ),
    )
    side_ids = side_table.side_ids(sides)
    styles, offset = side_table.styles(sides), side_table.offsets(side_ids)
    for side in side_ids:
        style, name = styles[side], esc(styles[side].name(lang))
        part = ranges[ranges["side"] == side]
        add_trace(
            fig,
            bar(
                y=[rows[i] - offset[side] for i in part["issue"]],
                x=(part["acceptable_high"] - part["acceptable_low"]).clip(lower=0.08).tolist(),
                base=part["acceptable_low"].tolist(),
                orientation="h",
                name=style.name(lang),
                legendgroup=side,
                marker={"color": style.colour, "line": side_table.edge(style, {"width": 0})},
                width=0.12,
                customdata=part["acceptable_high"].tolist(),
                hovertemplate=f"{name} — "
                f"{esc(label('acceptable', lang))}: %{{base:g}}–%{{customdata:g}}<extra></extra>",
            ),
        )
        lines = red_lines[red_lines["side"] == side]
        add_trace(
            fig,
            scatter(
                y=[rows[i] - offset[side] for i in lines["issue"]],
                x=lines["red_line_at"].tolist(),
                mode="markers",
                name=f"{style.name(lang)} — {label('red_line', lang)}",
                legendgroup=side,
                showlegend=False,
                marker={
                    "symbol": "x-thin-open",
                    "size": 14,
                    "color": style.outline,
                    "line": {"width": 3, "color": style.outline},
                },
                hovertext=[
                    f"{name} — {label('red_line', lang)} "
                    f"({r['red_line_at']:g}): {wrap(esc(r[f'red_line_{lang}']), 40)}"
                    for _, r in lines.iterrows()
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            ),
        )
    if settlement:
        chosen = [i for i in ids if i in settlement]
        add_trace(
            fig,
            scatter(
                y=[rows[i] for i in chosen],
                x=[settlement[i] for i in chosen],
                mode="markers",
                name=label("settlement", lang),
                marker={
                    "symbol": "diamond",
                    "size": 15,
                    "color": "#222",
                    "line": {"width": 2, "color": "white"},
                },
                hovertemplate=f"{esc(label('settlement', lang))}: %{{x:g}}<extra></extra>",
            ),
        )
    base_layout(fig, label("zone_title", lang), height=520, variant=variant)
    update_layout(fig, barmode="overlay")
    update_xaxes(
        fig,
        range=[-0.3, 10.3],
        title=axis_title(for_slide(stance_axis(issues, lang), variant, lang, title=True)),
        tickvals=[0, 5, 10],
    )
    update_yaxes(
        fig,
        tickvals=list(rows.values()),
        ticktext=[_issue_tick(names[i], _zone_status(zone[i], lang), variant, lang) for i in ids],
        autorange="reversed",
        zeroline=False,
    )
    if variant == "phone":
        labels = [f"{names[i]} <sup>{_zone_status(zone[i], lang)}</sup>" for i in ids]
        phone_row_labels(
            fig,
            [(rows[i], text) for i, text in zip(ids, labels, strict=True)],
            above=-0.36,  # just above the row's top bar (bars sit within ±0.3 of it)
            axis_range=[len(ids) - 0.55, -0.95],
            anchor="bottom",
            row_px=118,
        )
    return fig


def _issue_tick(name: str, status: str, variant: Variant, lang: str) -> str:
    """The issue's name over its zone status: smaller on a page, at full size on a slide
    (where a superscript would fall under the legible size)."""
    if variant == "slides":
        return f'{for_slide(name, variant, lang)}<br><span style="color:#555">{status}</span>'
    return f"{name}<br><sup>{status}</sup>"


def _zone_status(z: dict[str, float], lang: str) -> str:
    if z["sides"] < 2:
        return label("ranges_stated", lang).format(n=int(z["sides"]))
    if z["overlap"]:
        return f"{label('overlap_short', lang)} {z['low']:g}–{z['high']:g}"
    return label("no_overlap", lang)
