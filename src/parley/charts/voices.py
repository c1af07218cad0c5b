"""Voices: analysis, reactions and statements placed beside the events they answer."""

from __future__ import annotations

import pandas as pd

from parley.charts.common import base_layout, citations, date_ticks, esc, source_labels, wrap
from parley.charts.plot import Plot, Variant, add_trace, new, scatter, update_xaxes, update_yaxes
from parley.i18n import check_lang, label

KIND_COLOURS = {
    "analysis": "#0072B2",
    "public_reaction": "#E69F00",
    "official_statement": "#009E73",
    "article_comment": "#CC79A7",
}
KINDS = ("official_statement", "analysis", "public_reaction", "article_comment")


def voice_dates(voices: pd.DataFrame, events: pd.DataFrame) -> pd.Series:
    """A voice's own date, else the date of the first event it responds to."""
    event_dates = dict(zip(events["id"], events["date"], strict=True))
    return pd.Series(
        [
            row["date"]
            if pd.notna(row["date"])
            else min(
                (event_dates[e] for e in row["responds_to"] if e in event_dates), default=pd.NaT
            )
            for _, row in voices.iterrows()
        ],
        index=voices.index,
        dtype="datetime64[ns]",
    )


def _voice_hover(
    r: pd.Series, kind: str, titles: dict[str, str], labels: dict[str, str], lang: str
) -> str:
    width = 48 if lang == "en" else 28
    lines = [
        f"<b>{label(f'voice_{kind}', lang)}</b> — {esc(r[f'speaker_{lang}'])}",
        wrap(esc(r[f"text_{lang}"]), width),
    ]
    answered = [titles[e] for e in r["responds_to"] if e in titles]
    if answered:
        lines.append("↳ " + wrap(esc("; ".join(answered)), width))
    lines.append(f"{label('sources', lang)}: {wrap(citations(r['sources'], labels), 60)}")
    return "<br>".join(lines)


def voices(
    voices: pd.DataFrame,
    events: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str,
    *,
    variant: Variant = "page",
) -> Plot:
    lang = check_lang(lang)
    labels = source_labels(sources)
    df = voices.assign(when=voice_dates(voices, events)).dropna(subset=["when"])
    titles = dict(zip(events["id"], events[f"title_{lang}"], strict=True))
    dates = dict(zip(events["id"], events["date"], strict=True))
    answered = sorted(
        {e for ids in df["responds_to"] for e in ids if e in dates}, key=lambda e: (dates[e], e)
    )
    fig = new()
    lane_events = label("voices_events_lane", lang)
    add_trace(
        fig,
        scatter(
            x=[dates[e] for e in answered],
            y=[lane_events] * len(answered),
            mode="markers",
            name=label("voices_events_lane", lang),
            marker={"color": "#777", "size": 9, "symbol": "line-ns-open"},
            hovertext=[f"<b>{esc(titles[e])}</b><br>{dates[e]:%Y-%m-%d}" for e in answered],
            hovertemplate="%{hovertext}<extra></extra>",
        ),
    )
    for kind in KINDS:
        part = df[df["kind"] == kind]
        if part.empty:
            continue
        lane = label(f"voice_{kind}", lang)
        # Thin connectors from each voice down to the events it answers.
        xs: list[object] = []
        ys: list[object] = []
        for _, r in part.iterrows():
            for e in r["responds_to"]:
                if e in dates:
                    xs += [r["when"], dates[e], None]
                    ys += [lane, lane_events, None]
        add_trace(
            fig,
            scatter(
                x=xs,
                y=ys,
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
                line={"color": KIND_COLOURS[kind], "width": 0.7},
            ),
        )
        hover = [_voice_hover(r, kind, titles, labels, lang) for _, r in part.iterrows()]
        add_trace(
            fig,
            scatter(
                x=part["when"],
                y=[lane] * len(part),
                mode="markers",
                name=lane,
                marker={
                    "color": KIND_COLOURS[kind],
                    "size": 13,
                    "symbol": "diamond" if kind == "official_statement" else "circle",
                },
                customdata=part[["id"]].to_numpy(),
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            ),
        )
    base_layout(fig, label("voices_title", lang), height=440, variant=variant)
    update_xaxes(fig, type="date", **date_ticks(lang))
    update_yaxes(
        fig,
        categoryorder="array",
        categoryarray=[lane_events, *[label(f"voice_{k}", lang) for k in KINDS]],
    )
    return fig
