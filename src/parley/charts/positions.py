"""Where each side stood on each issue, and how that moved over 2025.

- :func:`position_map`: issues × stance, one marker per side, with a time slider built from
  plotly animation frames (works without a kernel, in slides and static pages too).
- :func:`trajectories`: each side's stance over time, one issue at a time via a dropdown.

The zone of agreement is :mod:`parley.charts.zone`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from parley.charts.common import (
    axis_title,
    base_layout,
    citations,
    date_ticks,
    esc,
    for_slide,
    source_labels,
    stance_axis,
    wrap,
    wrap_narrow,
)
from parley.charts.plot import (
    Plot,
    Trace,
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
from parley.tables.stances import frame_dates, snapshots


def issue_labels(issues: pd.DataFrame, lang: str) -> dict[str, str]:
    return dict(zip(issues["id"], issues[f"title_{lang}"].map(esc), strict=True))


def _position_hover(
    row: pd.Series, actors: dict[str, str], labels: Mapping[str, str], lang: str
) -> str:
    width = 48 if lang == "en" else 28
    lines = [
        f"<b>{esc(actors.get(row['actor'], row['actor']))}</b> — {row['as_of']:%Y-%m-%d}",
        f"{label('stance', lang)}: {row['stance']:g}",
        wrap(esc(row[f"statement_{lang}"]), width),
    ]
    if pd.notna(row["acceptable_low"]):
        lines.append(
            f"{label('acceptable', lang)}: {row['acceptable_low']:g}–{row['acceptable_high']:g}"
        )
    if pd.notna(row["red_line_at"]):
        lines.append(
            f"{label('red_line', lang)} ({row['red_line_at']:g}): "
            + wrap(esc(row[f"red_line_{lang}"]), width)
        )
    if row["verification"] != "verified":
        lines.append(f"⚠ {label(row['verification'], lang)}")
    lines.append(f"{label('sources', lang)}: " + wrap(citations(row["sources"], labels), 60))
    return "<br>".join(lines)


def position_hovers(
    positions: pd.DataFrame, actors: dict[str, str], sources: pd.DataFrame, lang: str
) -> pd.Series:
    """Every position's hover text, by the positions' index: built once per figure, since
    the position map shows the same position in many monthly frames."""
    labels = source_labels(sources)
    return pd.Series(
        [_position_hover(r, actors, labels, lang) for _, r in positions.iterrows()],
        index=positions.index,
        dtype=object,
    )


def _side_traces(
    shown: list[object],
    columns: dict[str, dict[object, Any]],
    rows: dict[str, int],
    sides: pd.DataFrame,
    lang: str,
) -> list[Trace]:
    side_of, issue_of, stance_of = columns["side"], columns["issue"], columns["stance"]
    hover_of = columns["hover"]
    ids = side_table.side_ids(sides)
    styles, offset = side_table.styles(sides), side_table.offsets(ids)
    traces = []
    for side in ids:
        part = [r for r in shown if side_of[r] == side]
        traces.append(
            scatter(
                x=[stance_of[r] for r in part],
                y=[rows[issue_of[r]] - offset[side] for r in part],
                mode="markers",
                name=styles[side].name(lang),
                marker={
                    "color": styles[side].colour,
                    "size": 15,
                    "line": side_table.edge(styles[side], {"width": 1, "color": "white"}),
                },
                hovertext=[hover_of[r] for r in part],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    return traces


def position_map(
    positions: pd.DataFrame,
    issues: pd.DataFrame,
    actors: pd.DataFrame,
    sources: pd.DataFrame,
    as_of: pd.Timestamp,
    lang: str,
    start: pd.Timestamp | None = None,
    *,
    sides: pd.DataFrame,
    variant: Variant = "page",
) -> Plot:
    """Issues down the side, stance across; a slider steps through month-end snapshots."""
    lang = check_lang(lang)
    names = issue_labels(issues, lang)
    actor_names = dict(zip(actors["id"], actors[f"name_{lang}"], strict=True))
    dates = frame_dates(positions, as_of, start)
    rows = {issue: k for k, issue in enumerate(names)}  # first issue on top (y reversed)
    hovers = position_hovers(positions, actor_names, sources, lang)
    # Plain dicts for the per-frame lookups (a Series lookup per point is far slower).
    columns = {c: positions[c].to_dict() for c in ("side", "issue", "stance")}
    columns["hover"] = hovers.to_dict()
    frames = [
        {"name": f"{d:%Y-%m-%d}", "data": _side_traces(shown, columns, rows, sides, lang)}
        for d, shown in zip(dates, snapshots(positions, dates), strict=True)
    ]
    fig = new([dict(t) for t in frames[-1]["data"]], frames=frames)
    steps = [
        {
            "method": "animate",
            "label": f"{d:%Y-%m}" if d != as_of else f"{d:%Y-%m-%d}",
            "args": [
                [f"{d:%Y-%m-%d}"],
                {
                    "mode": "immediate",
                    "frame": {"duration": 0, "redraw": True},
                    "transition": {"duration": 0},
                },
            ],
        }
        for d in dates
    ]
    update_layout(
        fig,
        sliders=[
            {
                "active": len(dates) - 1,
                "steps": steps,
                "x": 0.08,
                "len": 0.9,
                # Below the stance axis's title, so "as of" never runs into it.
                "y": -0.16,
                "currentvalue": {"prefix": f"{label('as_of', lang)}: "},
            }
        ],
        updatemenus=[
            {
                "type": "buttons",
                "showactive": False,
                "x": 0.0,
                "y": -0.16,
                "xanchor": "left",
                "yanchor": "top",
                "buttons": [
                    {
                        "label": "▶",
                        "method": "animate",
                        "args": [
                            None,
                            {"frame": {"duration": 700, "redraw": True}, "fromcurrent": True},
                        ],
                    }
                ],
            }
        ],
    )
    base_layout(fig, label("position_map_title", lang), height=560, variant=variant)
    update_xaxes(
        fig,
        range=[-0.5, 10.5],
        title=axis_title(stance_axis(issues, lang)),
        zeroline=False,
        tickvals=[0, 5, 10],
    )
    update_yaxes(
        fig,
        tickvals=list(rows.values()),
        ticktext=list(names.values()),
        autorange="reversed",
        zeroline=False,
    )
    update_layout(fig, margin={"b": 150})
    return fig


def trajectories(
    positions: pd.DataFrame,
    issues: pd.DataFrame,
    actors: pd.DataFrame,
    sources: pd.DataFrame,
    as_of: pd.Timestamp,
    lang: str,
    *,
    sides: pd.DataFrame,
    variant: Variant = "page",
) -> Plot:
    """Step lines of each side's stance over time; a dropdown picks the issue. On a slide
    (no pointer, read from across a room) every issue has a small panel of its own."""
    lang = check_lang(lang)
    actor_names = dict(zip(actors["id"], actors[f"name_{lang}"], strict=True))
    hovers = position_hovers(positions, actor_names, sources, lang)
    fig = new()
    issue_ids = list(issues["id"])
    per_issue: list[int] = []
    styles = side_table.styles(sides)
    panels = variant == "slides"
    for k, issue in enumerate(issue_ids):
        count = 0
        for side in side_table.side_ids(sides):
            style = styles[side]
            part = positions[(positions["issue"] == issue) & (positions["side"] == side)]
            if part.empty:
                continue
            part = part.sort_values("as_of")
            # Carry the last stance to as_of so a line shows how long a stance held.
            xs = [*part["as_of"], as_of]
            ys = [*part["stance"], part["stance"].iloc[-1]]
            hover = hovers.loc[part.index].tolist()
            where: dict[str, object] = {}
            if panels:  # panel k; one legend entry per side, from the first panel showing it
                shown = {t["legendgroup"] for t in fig["data"]}
                where = {"showlegend": side not in shown}
                if k:
                    where |= {"xaxis": f"x{k + 1}", "yaxis": f"y{k + 1}"}
            add_trace(
                fig,
                scatter(
                    x=xs,
                    y=ys,
                    mode="lines+markers",
                    line={"shape": "hv", "width": 3, "color": style.colour},
                    marker={
                        "size": [10] * len(part) + [0],
                        "color": style.colour,
                        "line": side_table.edge(style, {"width": 0}),
                    },
                    name=style.name(lang),
                    legendgroup=side,
                    visible=panels or k == 0,
                    hovertext=[*hover, ""],
                    hovertemplate="%{hovertext}<extra></extra>",
                    **where,
                ),
            )
            count += 1
        per_issue.append(count)
    if panels:
        return _trajectory_panels(fig, issues, lang, variant)
    buttons = []
    offset = 0
    total = sum(per_issue)
    for k, issue in enumerate(issue_ids):
        visible = [False] * total
        for j in range(offset, offset + per_issue[k]):
            visible[j] = True
        offset += per_issue[k]
        row = issues[issues["id"] == issue].iloc[0]
        buttons.append(
            {
                "label": esc(row[f"title_{lang}"]),
                "method": "update",
                "args": [
                    {"visible": visible},
                    {"annotations[0].text": _scale_ends(row, lang, variant)},
                ],
            }
        )
    base_layout(fig, label("trajectories_title", lang), height=600, variant=variant)
    first = issues.iloc[0] if len(issues) else None
    update_layout(
        fig,
        # The issue picker sits on its own row between the title and the plot, the legend
        # at the right of that row; what 0 and 10 mean goes under the plot (too long for
        # an axis title).
        margin={"t": 110, "b": 150},
        legend={"y": 1.02, "yanchor": "bottom"},
        updatemenus=[
            {
                "buttons": buttons,
                "x": 0.0,
                "xanchor": "left",
                "y": 1.02,
                "yanchor": "bottom",
                "active": 0,
            }
        ],
        annotations=[
            {
                "text": _scale_ends(first, lang, variant) if first is not None else "",
                "xref": "paper",
                "yref": "paper",
                "x": 0.0,
                "y": -0.1,
                "xanchor": "left",
                "yanchor": "top",
                "align": "left",
                "showarrow": False,
                "font": {"size": 12},
            }
        ],
    )
    if variant == "phone" and buttons:
        # Room under the plot for the longest issue's scale ends, then the legend (which
        # the page puts at the bottom, in rows, on a phone).
        lines = max(b["args"][1]["annotations[0].text"].count("<br>") + 1 for b in buttons)
        below = 70 + SCALE_LINE_PX * lines + 70
        update_layout(fig, margin={"b": below}, height=600 + below - 150)
    update_yaxes(
        fig, range=[-0.5, 10.5], title=axis_title(label("stance", lang)), tickvals=[0, 5, 10]
    )
    update_xaxes(fig, type="date", **date_ticks(lang))
    return fig


PANEL_COLUMNS = 3


def _trajectory_panels(fig: Plot, issues: pd.DataFrame, lang: str, variant: Variant) -> Plot:
    """Small multiples: issue k in panel k of a grid (3 across), its title above it, the
    stance scale (0, 5, 10) on each panel's left, dates under the bottom row."""
    count = max(len(issues), 1)
    rows = -(-count // PANEL_COLUMNS)
    gap_x, gap_y = 0.05, 0.16
    width = (1 - gap_x * (PANEL_COLUMNS - 1)) / PANEL_COLUMNS
    height = (1 - gap_y * (rows - 1)) / rows
    base_layout(fig, label("trajectories_title", lang), height=620, variant=variant)
    annotations = []
    for k, (_, issue) in enumerate(issues.iterrows()):
        row, col = divmod(k, PANEL_COLUMNS)
        x0 = col * (width + gap_x)
        y1 = 1 - row * (height + gap_y)
        suffix = str(k + 1) if k else ""
        fig["layout"][f"xaxis{suffix}"] = {
            "domain": [x0, x0 + width],
            "anchor": f"y{suffix}",
            "type": "date",
            "nticks": 3,
            "showticklabels": row == rows - 1 or k + PANEL_COLUMNS >= count,
            "gridcolor": "rgba(127,127,127,0.25)",
            **date_ticks(lang),
        }
        fig["layout"][f"yaxis{suffix}"] = {
            "domain": [y1 - height, y1],
            "anchor": f"x{suffix}",
            "range": [-0.5, 10.5],
            "tickvals": [0, 5, 10],
            "gridcolor": "rgba(127,127,127,0.25)",
        }
        annotations.append(
            {
                "text": f"<b>{for_slide(esc(issue[f'title_{lang}']), variant, lang)}</b>",
                "xref": f"x{suffix} domain",
                "yref": f"y{suffix} domain",
                "x": 0,
                "y": 1.02,
                "xanchor": "left",
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
            }
        )
    update_layout(
        fig,
        annotations=annotations,
        margin={"t": 130, "b": 40, "l": 40, "r": 20},
        legend={"y": 1.12, "yanchor": "bottom"},
    )
    return fig


SCALE_LINE = {"ja": 70, "en": 140}  # characters per line of the scale's ends under the plot
# On a phone the plot is about 225 px wide on a 320 px screen (13 px text): past that the
# line is not wrapped by plotly but cut off at the chart's edge.
SCALE_LINE_PHONE = {"ja": 17, "en": 36}
SCALE_LINE_PX = 17  # px a line of it takes (13 px text)


def _scale_ends(row: pd.Series, lang: str, variant: Variant = "page") -> str:
    """What 0 and 10 mean on the issue's scale (the labels carry their "0 =" themselves)."""
    fit, width = (wrap_narrow, SCALE_LINE_PHONE) if variant == "phone" else (wrap, SCALE_LINE)
    return "<br>".join(fit(esc(row[f"{end}_label_{lang}"]), width[lang]) for end in ("min", "max"))
