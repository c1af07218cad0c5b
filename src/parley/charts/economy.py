"""The economic offers: each offer's status steps over time, by sector, coloured by side."""

from __future__ import annotations

import pandas as pd

from parley.charts.common import base_layout, citations, date_ticks, esc, source_labels, wrap
from parley.charts.plot import Plot, Variant, add_trace, new, scatter, update_xaxes, update_yaxes
from parley.i18n import check_lang, label
from parley.tables import sides as side_table

STATUS_SYMBOLS = {
    "floated": "circle-open",
    "discussed": "circle",
    "agreed": "square",
    "signed": "star",
    "expired": "x",
    "rejected": "x-open",
}


def economy(
    offers: pd.DataFrame,
    actors: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str,
    *,
    sides: pd.DataFrame,
    variant: Variant = "page",
) -> Plot:
    """One line per offer from its first to its latest status; markers show each status."""
    lang = check_lang(lang)
    labels = source_labels(sources)
    groups = dict(zip(actors["id"], actors["group"], strict=True))
    names = dict(zip(actors["id"], actors[f"name_{lang}"], strict=True))
    styles = side_table.styles(sides)
    fig = new()
    seen_sides: set[str] = set()
    sectors: list[str] = []
    for offer_id, steps in offers.groupby("id", sort=False):
        steps = steps.sort_values("date")
        first = steps.iloc[0]
        side = groups.get(first["from"], "other")
        style = side_table.style_of(styles, side)
        sector = first[f"sector_{lang}"] or first["sector"]
        if sector not in sectors:
            sectors.append(sector)
        hover = [
            f"<b>{esc(r[f'title_{lang}'])}</b><br>{r['date']:%Y-%m-%d} · "
            f"{label('status_' + r['status'], lang)}<br>"
            f"{esc(names.get(r['from'], r['from']))} → {esc(names.get(r['to'], r['to']))}"
            + (
                f"<br>{wrap(esc(r[f'note_{lang}']), 48 if lang == 'en' else 28)}"
                if r[f"note_{lang}"]
                else ""
            )
            + f"<br>{label('sources', lang)}: {wrap(citations(r['sources'], labels), 60)}"
            for _, r in steps.iterrows()
        ]
        add_trace(
            fig,
            scatter(
                x=steps["date"],
                y=[sector] * len(steps),
                mode="lines+markers",
                name=style.name(lang),
                legendgroup=side,
                showlegend=side not in seen_sides,
                line={"color": style.colour, "width": 2},
                marker={
                    "symbol": [STATUS_SYMBOLS[s] for s in steps["status"]],
                    "size": 13,
                    "color": style.colour,
                    "line": {"width": 2, "color": style.outline},
                },
                customdata=[[offer_id]] * len(steps),
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            ),
        )
        seen_sides.add(side)
    base_layout(fig, label("economy_title", lang), variant=variant)
    update_xaxes(fig, type="date", **date_ticks(lang))
    update_yaxes(fig, categoryorder="array", categoryarray=sectors[::-1])
    return fig
