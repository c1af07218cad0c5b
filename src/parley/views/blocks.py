"""Text blocks as escaped HTML: pure functions of (story, language) → markup.

Everything taken from the data is passed through :func:`e` (the one escaper,
:func:`parley.base.markup.escape`), so markup-like characters in a title show as text and
cannot run.
"""

from __future__ import annotations

from collections import Counter

from parley import i18n
from parley.base.markup import escape as e
from parley.story.model import Chapter, Source, SpeakerNote, Story


class UnknownChapter(KeyError):
    pass


LANG_NAMES = {"ja": "日本語", "en": "English"}


def chapter_of(story: Story, chapter_id: str) -> Chapter:
    chapters = {c.id: c for c in story.meta.chapters}
    if chapter_id not in chapters:
        raise UnknownChapter(
            f"story.yaml has no chapter {chapter_id!r}; chapters are: {', '.join(chapters)}"
        )
    return chapters[chapter_id]


def header(story: Story, lang: str) -> str:
    meta = story.meta
    sub = f"<p>{e(meta.subtitle(lang))}</p>" if meta.subtitle else ""
    return (
        f'<div class="parley-header"><h2>{e(meta.title(lang))}</h2>{sub}'
        f"<p><small>{e(i18n.label('as_of', lang))}: {meta.as_of.isoformat()}</small></p></div>"
    )


def _paren(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "ja" else f"({text})"


def hook(story: Story, chapter_id: str, lang: str) -> str:
    """The chapter's title and its question-and-answer hook (what the reader will learn)."""
    ch = chapter_of(story, chapter_id)
    return (
        f'<section class="parley-hook"><h3>{e(ch.title(lang))}</h3>'
        f"<p><b>{e(i18n.label('question', lang))}:</b> {e(ch.question(lang))}</p>"
        f"<p><b>{e(i18n.label('answer', lang))}:</b> {e(ch.answer(lang))} "
        # The as-of comes from story.as_of, never typed into the answer (parley validate).
        f'<small class="parley-asof">{e(_paren(i18n.as_of_phrase(story.meta.as_of, lang), lang))}'
        "</small>"
        "</p></section>"
    )


def key_points(story: Story, chapter_id: str, lang: str) -> str:
    ch = chapter_of(story, chapter_id)
    items = "".join(f"<li>{e(p(lang))}</li>" for p in ch.key_points)
    return (
        f'<section class="parley-points"><h4>{e(i18n.label("key_points", lang))}</h4>'
        f"<ul>{items}</ul></section>"
    )


def notes(story: Story, chapter_id: str, lang: str) -> str:
    ch = chapter_of(story, chapter_id)
    if ch.notes is None:
        return ""
    return f'<aside class="notes"><p>{e(ch.notes(lang))}</p></aside>'


def chapter_anchor(chapter_id: str) -> str:
    """Marks the deck's slide that opens a chapter, so ``#/<chapter id>`` links to it."""
    return f'<span class="parley-chapter" data-chapter="{e(chapter_id)}" hidden></span>'


def cite_marks(source_ids: list[str]) -> str:
    """Citation marks for a slide: one link per source to the deck's source list. They
    carry the source id (shown until the deck numbers them "[3]" in slide order)."""
    marks = "".join(
        f'<a class="parley-cite" href="#/sources" data-source="{e(sid)}">[{e(sid)}]</a>'
        for sid in dict.fromkeys(source_ids)
    )
    return f'<span class="parley-cites">{marks}</span>'


def speaker_note(note: SpeakerNote | None, lang: str) -> str:
    """A slide's speaker notes (reveal.js reads ``aside.notes``) with the sources of its
    number; empty for no note."""
    if note is None:
        return ""
    return (
        f'<aside class="notes"><p>{e(note.text(lang))}</p>'
        f'<p class="parley-note-sources">{e(i18n.label("notes_sources", lang))}: '
        f"{cite_marks(note.sources)}</p></aside>"
    )


def figure_note(story: Story, chapter_id: str | None, figure_id: str) -> SpeakerNote | None:
    """The note for a figure shown in a chapter's section: that chapter's, else the first
    chapter's that has one for the figure."""
    chapters = story.meta.chapters
    ordered = sorted(chapters, key=lambda ch: ch.id != chapter_id)
    return next(
        (ch.figure_notes[figure_id] for ch in ordered if figure_id in ch.figure_notes), None
    )


def noted_sources(story: Story) -> list[str]:
    """Every source a speaker note cites, in story order (the deck keeps those it shows)."""
    notes = [story.meta.title_notes]
    for ch in story.meta.chapters:
        notes += [*ch.figure_notes.values(), ch.key_points_notes]
    notes.append(story.meta.takeaways_notes)
    ids = [sid for note in notes if note is not None for sid in note.sources]
    return list(dict.fromkeys(ids))


def deck_sources(story: Story, source_ids: list[str], lang: str) -> str:
    """The deck's numbered source list: publisher · title · date · link per entry, each
    marked with its id (the deck orders them by the numbers its slides cite)."""
    by_id = {s.id: s for s in story.sources}
    items = []
    for sid in dict.fromkeys(source_ids):
        if sid not in by_id:
            continue
        src = by_id[sid]
        parts = [f"<b>{e(src.publisher)}</b>", f"<cite>{e(src.title)}</cite>"]
        if src.published:
            parts.append(src.published.isoformat())
        if src.url:
            parts.append(f'<a href="{e(src.url)}" target="_blank" rel="noopener">{e(src.url)}</a>')
        items.append(f'<li data-source="{e(sid)}">{" · ".join(parts)}</li>')
    return (
        f'<div class="parley-appendix"><h3>{e(i18n.label("deck_sources", lang))}</h3>'
        f'<p class="parley-appendix-note">{e(i18n.label("deck_sources_note", lang))}</p>'
        f"<ol>{''.join(items)}</ol></div>"
    )


def takeaways(story: Story, lang: str) -> str:
    items = "".join(f"<li>{e(t(lang))}</li>" for t in story.meta.takeaways)
    return f"<h3>{e(i18n.label('takeaways', lang))}</h3><ul>{items}</ul>"


def methods(story: Story, lang: str) -> str:
    paras = "".join(f"<p>{e(p)}</p>" for p in story.meta.methods(lang).split("\n") if p.strip())
    return f"<details><summary>{e(i18n.label('methods', lang))}</summary>{paras}</details>"


def citation(src: Source, *, new_tab: bool = False) -> str:
    """One source as a reader knows it: publisher · title · date, the title linking to the
    source (``new_tab``: opened apart from the page), every part escaped."""
    title = e(src.title)
    if src.url:
        opens = ' target="_blank" rel="noopener noreferrer"' if new_tab else ' rel="noopener"'
        title = f'<a href="{e(src.url)}"{opens}>{title}</a>'
    parts = [e(src.publisher), title]
    if src.published:
        parts.append(f'<time datetime="{src.published.isoformat()}">{src.published}</time>')
    return " · ".join(parts)


def source_item(src: Source, lang: str) -> str:
    title = e(src.title)
    if src.url:
        title = f'<a href="{e(src.url)}" target="_blank" rel="noopener">{title}</a>'
    parts = [e(src.publisher), title]
    if src.language != lang:  # a source in another language: screen readers switch voice
        parts = [f'<span lang="{e(src.language)}">{", ".join(parts)}</span>']
    if src.published:
        parts.append(src.published.isoformat())
    parts.append(e(i18n.label(f"kind_{src.kind}", lang)))
    note = f" <small>{e(src.note(lang))}</small>" if src.note else ""
    return f"<li>{', '.join(parts)}{note}</li>"


def short_citation(src: Source) -> str:
    """A source named in passing: its publisher linking to it, and its date, escaped."""
    name = e(src.publisher)
    if src.url:
        name = f'<a href="{e(src.url)}" rel="noopener">{name}</a>'
    return f"{name} ({src.published})" if src.published else name


def sources(
    story: Story, source_ids: list[str], lang: str, *, listed_above: frozenset[str] = frozenset()
) -> str:
    """A collapsed, numbered list of the given sources, with counts by kind in the summary.

    ``listed_above``: sources the page already cites in full next to what they back (the
    page explorer's event list, with their notes): counted here, not listed twice.
    """
    by_id = {s.id: s for s in story.sources}
    chosen = [by_id[i] for i in dict.fromkeys(source_ids) if i in by_id]
    kinds = Counter(s.kind for s in chosen)
    summary = ", ".join(f"{e(i18n.label(f'kind_{k}', lang))} {n}" for k, n in kinds.most_common())
    rest = [s for s in chosen if s.id not in listed_above]
    above = len(chosen) - len(rest)
    said = e(i18n.label("sources_above" if rest else "sources_all_above", lang).format(n=above))
    said = f'<p class="parley-sources-above">{said}</p>' if above else ""
    items = f"<ol>{''.join(source_item(s, lang) for s in rest)}</ol>" if rest else ""
    return (
        f'<details class="parley-sources"><summary><b>{e(i18n.label("sources", lang))}</b> '
        f"({len(chosen)}: {summary})</summary>{said}{items}</details>"
    )
