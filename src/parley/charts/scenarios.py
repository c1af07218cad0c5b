"""Scenarios against positions: each scenario's outcome per issue beside each side's stance."""

from __future__ import annotations

import pandas as pd

from parley.charts.common import (
    axis_title,
    base_layout,
    esc,
    for_slide,
    phone_row_labels,
    stance_axis,
)
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
from parley.i18n import check_lang, label
from parley.tables import sides as side_table
from parley.tables.stances import latest_by_side

SCENARIO_SYMBOLS = ("diamond", "square", "triangle-up", "star", "hexagon", "cross")


def scenarios(
    scenarios: pd.DataFrame,
    positions: pd.DataFrame,
    issues: pd.DataFrame,
    as_of: pd.Timestamp,
    lang: str,
    *,
    sides: pd.DataFrame,
    variant: Variant = "page",
) -> Plot:
    lang = check_lang(lang)
    names = {
        issue: for_slide(esc(title), variant, lang)
        for issue, title in zip(issues["id"], issues[f"title_{lang}"], strict=True)
    }
    snapshot = latest_by_side(positions, as_of)
    fig = new()
    styles = side_table.styles(sides)
    for side in side_table.side_ids(sides):
        style = styles[side]
        part = snapshot[snapshot["side"] == side]
        add_trace(
            fig,
            scatter(
                x=part["stance"].tolist(),
                y=[names[i] for i in part["issue"]],
                mode="markers",
                name=style.name(lang),
                legendgroup="sides",
                marker={
                    "color": style.colour,
                    "size": 10,
                    "opacity": 0.55,
                    "line": side_table.edge(style, {"width": 0}),
                },
                hovertemplate=f"{esc(style.name(lang))}: %{{x:g}}<extra></extra>",
            ),
        )
    for k, (sid, rows) in enumerate(scenarios.groupby("id", sort=False)):
        title = esc(rows.iloc[0][f"title_{lang}"])
        rows = rows[rows["issue"].isin(names)]
        add_trace(
            fig,
            scatter(
                x=rows["stance"].tolist(),
                y=[names[i] for i in rows["issue"]],
                mode="markers",
                name=title,
                legendgroup="scenarios",
                marker={
                    "symbol": SCENARIO_SYMBOLS[k % len(SCENARIO_SYMBOLS)],
                    "size": 15,
                    "color": "rgba(0,0,0,0)",
                    "line": {"width": 2.5, "color": "#444"},
                },
                customdata=[[sid]] * len(rows),
                hovertemplate=f"<b>{title}</b><br>%{{y}}: %{{x:g}}<extra></extra>",
            ),
        )
    base_layout(fig, label("scenarios_title", lang), height=540, variant=variant)
    update_xaxes(
        fig,
        range=[-0.5, 10.5],
        title=axis_title(for_slide(stance_axis(issues, lang), variant, lang, title=True)),
        tickvals=[0, 5, 10],
    )
    update_yaxes(fig, categoryorder="array", categoryarray=list(names.values())[::-1])
    # Scenario names are long: a legend under the chart keeps the plot area wide.
    update_layout(
        fig,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.18, "yanchor": "top"},
        margin={"b": 150},
    )
    if variant == "phone":
        # Categories sit at 0, 1, … from the bottom (the array is reversed): a name goes
        # half a row above its markers.
        order = list(names.values())[::-1]
        n = len(order)
        phone_row_labels(
            fig,
            [(float(k), name) for k, name in enumerate(order)],
            above=0.5,
            axis_range=[-0.5, n - 0.15],
        )
    return fig
