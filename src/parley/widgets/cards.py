"""The details card for one event: escaped HTML in one language.

Pure functions of the story (no widget state), so that any card, the explorer's in a kernel
or a page's, cites sources the same way: publisher · title (linked) · date, never the
story's internal source ids.
"""

from __future__ import annotations

import pandas as pd

from parley import i18n
from parley.story.model import Source, Story
from parley.tables.frames import Tables
from parley.views import blocks
from parley.views.blocks import e

RELATED_DAYS = 21  # positions stated within three weeks of an event count as related


def citation(src: Source) -> str:
    """A card's citation (views.blocks.citation), opened apart from the app's page."""
    return blocks.citation(src, new_tab=True)


def citations(story: Story, source_ids: list[str]) -> str:
    """The citations of ``source_ids``, in order, each once (unknown ids are left out:
    validation has already refused a story that cites one)."""
    by_id = {s.id: s for s in story.sources}
    return "; ".join(citation(by_id[i]) for i in dict.fromkeys(source_ids) if i in by_id)


def event_card(story: Story, tables: Tables, event_id: str, lang: str) -> str:
    events = {ev.id: ev for ev in story.events}
    ev = events.get(event_id)
    if ev is None:
        return f"<p>{e(i18n.label('explorer_no_event', lang))}: {e(event_id)}</p>"
    when = ev.date.isoformat() + (f" – {ev.end_date.isoformat()}" if ev.end_date else "")
    place = f" · {e(ev.place(lang))}" if ev.place else ""
    parts = [
        f"<h4>{e(ev.title(lang))}</h4>",
        f"<p><small>{when}{place}</small></p>",
        f"<p>{e(ev.summary(lang))}</p>",
    ]
    if ev.verification != "verified":
        parts.append(f"<p>⚠ <b>{e(i18n.label(ev.verification, lang))}</b></p>")
    if ev.framing_note:
        parts.append(
            f"<p>✎ <b>{e(i18n.label('framing_note', lang))}:</b> {e(ev.framing_note(lang))}</p>"
        )
    for acc in ev.accounts:
        cited = citations(story, acc.sources)
        parts.append(f"<p>↔ {e(acc.text(lang))} <small>({cited})</small></p>")
    by_id = {s.id: s for s in story.sources}
    parts.append(
        f"<p><b>{e(i18n.label('sources', lang))}</b></p><ol>"
        + "".join(f"<li>{citation(by_id[s])}</li>" for s in ev.sources if s in by_id)
        + "</ol>"
    )
    positions = tables["positions"]
    day = pd.Timestamp(ev.date)
    near = positions[
        positions["issue"].isin(ev.issues)
        & ((positions["as_of"] - day).abs() <= pd.Timedelta(days=RELATED_DAYS))
    ]
    if len(near):
        names = {a.id: a.name(lang) for a in story.actors}
        items = "".join(
            f"<li>{e(names.get(r['actor'], r['actor']))} ({r['as_of']:%Y-%m-%d}): "
            f"{e(r[f'statement_{lang}'])}</li>"
            for _, r in near.iterrows()
        )
        parts.append(
            f"<p><b>{e(i18n.label('explorer_related_positions', lang))}</b></p><ul>{items}</ul>"
        )
    voices = [v for v in story.voices if event_id in v.responds_to]
    if voices:
        items = "".join(
            f"<li><i>{e(i18n.label(f'voice_{v.kind}', lang))}</i> — {e(v.speaker(lang))}: "
            f"{e(v.text(lang))}</li>"
            for v in voices
        )
        parts.append(
            f"<p><b>{e(i18n.label('explorer_related_voices', lang))}</b></p><ul>{items}</ul>"
        )
    return f'<div class="parley-card" role="region" aria-live="polite">{"".join(parts)}</div>'
