"""UN votes: each resolution's counts as a stacked bar, with the story's chosen states' votes
(story.yaml `called_out`) named beside it."""

from __future__ import annotations

import pandas as pd

from parley.charts.common import (
    axis_title,
    base_layout,
    citations,
    esc,
    phone_row_labels,
    source_labels,
    wrap,
)
from parley.charts.plot import (
    Plot,
    Variant,
    add_annotation,
    add_trace,
    bar,
    new,
    update_layout,
    update_xaxes,
    update_yaxes,
)
from parley.i18n import check_lang, label

# Neutral, colour-blind-safe shades: vote choices are not sides, so no side colours here.
CHOICE_COLOURS = {"yes": "#56B4E9", "no": "#CC79A7", "abstain": "#BBBBBB", "absent": "#EEEEEE"}
CHOICE_LABELS = {"yes": "in_favour", "no": "against", "abstain": "abstain", "absent": "absent"}


def resolution_label(row: pd.Series, lang: str, *, small: bool = True) -> str:
    """The resolution over its body and date (a superscript, except on a slide)."""
    body = label(f"body_{row['body']}", lang)
    under = f"{body} · {row['date']:%Y-%m-%d}"
    return f"{esc(row['resolution'])}<br>" + (
        f"<sup>{under}</sup>" if small else f'<span style="color:#555">{under}</span>'
    )


def un_votes(
    votes: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str,
    actors: pd.DataFrame | None = None,
    *,
    variant: Variant = "page",
) -> Plot:
    """Each vote's ``called_out`` actors (story.yaml) are named beside its bar, by their
    name in ``actors``."""
    lang = check_lang(lang)
    names = (
        dict(zip(actors["id"], actors[f"name_{lang}"], strict=True)) if actors is not None else {}
    )
    df = votes.sort_values(["date", "body", "resolution"], kind="stable")
    labels = source_labels(sources)
    ys = [resolution_label(r, lang, small=variant != "slides") for _, r in df.iterrows()]
    fig = new()
    for choice in ("yes", "no", "abstain", "absent"):
        counts = df[choice].fillna(0).astype(int).tolist()
        hover = [
            f"<b>{esc(r[f'title_{lang}'])}</b><br>{label(CHOICE_LABELS[choice], lang)}: {n}"
            f"<br>{label('sources', lang)}: {wrap(citations(r['sources'], labels), 60)}"
            for n, (_, r) in zip(counts, df.iterrows(), strict=True)
        ]
        add_trace(
            fig,
            bar(
                y=ys,
                x=counts,
                orientation="h",
                name=label(CHOICE_LABELS[choice], lang),
                marker={"color": CHOICE_COLOURS[choice], "line": {"width": 0.5, "color": "#666"}},
                text=[str(n) if n else "" for n in counts],
                textposition="inside",
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            ),
        )
    called = [
        [
            f"{esc(names.get(s, s))}: {label(r['notable'][s], lang)}"
            for s in r["called_out"]
            if s in r["notable"]
        ]
        for _, r in df.iterrows()
    ]
    phone = variant == "phone"
    if not phone:
        for y, notes in zip(ys, called, strict=True):
            if notes:
                add_annotation(
                    fig,
                    y=y,
                    x=1.0,
                    xref="paper",
                    xanchor="left",
                    showarrow=False,
                    text="<br>".join(notes),
                    align="left",
                    font={"size": 11},
                )
    base_layout(
        fig, label("votes_title", lang), height=max(320, 130 * len(df) + 120), variant=variant
    )
    # Room at the right for the called-out states' votes (wider at a slide's text size).
    update_layout(fig, barmode="stack", margin={"r": 290 if variant == "slides" else 190})
    update_xaxes(fig, title=axis_title(label("states", lang)))
    update_yaxes(fig, categoryorder="array", categoryarray=ys[::-1])
    if phone:
        # A phone has no room for names at the left and votes at the right of the bars
        # (the plot was a sliver, the names cut off): each resolution's name and the
        # called-out votes go on their own lines above its bar, across the full width.
        for trace in fig["data"]:
            trace["width"] = 0.4
        last = len(ys) - 1  # the category axis counts from the bottom: ys[0] is at the top
        phone_row_labels(
            fig,
            [
                (last - k, "<br>".join([y, *notes]))
                for k, (y, notes) in enumerate(zip(ys, called, strict=True))
            ],
            above=0.24,  # just above the bar (bars sit within ±0.2 of their row)
            axis_range=[-0.5, last + 1.0],
            anchor="bottom",
            row_px=150,
        )
    return fig
