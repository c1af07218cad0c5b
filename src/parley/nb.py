"""What notebooks call: one function per text block, figure or widget.

Notebooks stay thin (a bilingual title, then calls into here). Everything shown from the
data files is HTML-escaped here or in the chart builders.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import plotly.graph_objects as go
from IPython.display import HTML, display

from . import frames, i18n, render
from .charts.timeline import timeline
from .load import load_story
from .model import Story
from .problems import ContentError


class StoryProblem(Exception):
    """Shown in a notebook as the list of problems only, without a Python traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def _render_traceback_(self) -> list[str]:  # IPython's hook for custom error display
        return [self.message]


def find_data_dir(start: Path | None = None) -> Path:
    """``$PARLEY_DATA``, else the nearest ``data/story.yaml`` at or above the working folder."""
    env = os.environ.get("PARLEY_DATA")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "story.yaml").is_file():
            return folder / "data"
    return here / "data"


@cache
def story() -> Story:
    data = find_data_dir()
    try:
        return load_story(data)
    except ContentError as exc:
        raise StoryProblem(f"The story in {data} has problems:\n{exc}") from None


def _show_html(markup: str) -> None:
    display(HTML(markup))


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def language_switch() -> None:
    """The language control: a toggle that flips the language for everything shown next."""
    import ipywidgets as w

    toggle = w.ToggleButtons(
        options=[("日本語", "ja"), ("English", "en")],
        value=i18n.get_lang(),
        description=i18n.label("language"),
        style={"button_width": "6em"},
    )
    toggle.observe(lambda change: i18n.set_lang(change["new"]), names="value")
    display(toggle)


def header() -> None:
    """The story's title, subtitle and the date the content is current to."""
    s, lang = story(), i18n.get_lang()
    meta = s.meta
    sub = f"<p>{_e(meta.subtitle(lang))}</p>" if meta.subtitle else ""
    _show_html(
        f'<div class="parley-header"><h2>{_e(meta.title(lang))}</h2>{sub}'
        f"<p><small>{_e(i18n.label('as_of', lang))}: {meta.as_of.isoformat()}</small></p></div>"
    )


def chapter(chapter_id: str) -> None:
    """A chapter's question-and-answer hook and key points."""
    s, lang = story(), i18n.get_lang()
    chapters = {c.id: c for c in s.meta.chapters}
    if chapter_id not in chapters:
        raise StoryProblem(
            f"story.yaml: no chapter {chapter_id!r}; chapters are: {', '.join(chapters)}"
        )
    ch = chapters[chapter_id]
    points = "".join(f"<li>{_e(p(lang))}</li>" for p in ch.key_points)
    _show_html(
        f'<section class="parley-chapter"><h3>{_e(ch.title(lang))}</h3>'
        f"<p><b>{_e(i18n.label('question', lang))}:</b> {_e(ch.question(lang))}<br>"
        f"<b>{_e(i18n.label('answer', lang))}:</b> {_e(ch.answer(lang))}</p>"
        f"<p><b>{_e(i18n.label('key_points', lang))}</b></p><ul>{points}</ul></section>"
    )


def takeaways() -> None:
    s, lang = story(), i18n.get_lang()
    items = "".join(f"<li>{_e(t(lang))}</li>" for t in s.meta.takeaways)
    _show_html(f"<h3>{_e(i18n.label('takeaways', lang))}</h3><ul>{items}</ul>")


def _timeline_figure(s: Story, lang: str) -> go.Figure:
    return timeline(frames.events(s), frames.sources(s), lang)


FIGURE_BUILDERS: dict[str, tuple[Callable[[Story, str], go.Figure], str]] = {
    "timeline": (_timeline_figure, "timeline_desc"),
}


def figure(figure_id: str) -> None:
    """A chart with its short text description beside it (for screen readers too)."""
    s, lang = story(), i18n.get_lang()
    if figure_id not in FIGURE_BUILDERS:
        raise StoryProblem(f"unknown figure {figure_id!r}; known: {', '.join(FIGURE_BUILDERS)}")
    build, desc_key = FIGURE_BUILDERS[figure_id]
    _show_html(
        f'<p class="parley-figure-desc" role="note">'
        f"<b>{_e(i18n.label('figure_description', lang))}:</b> "
        f"{_e(i18n.label(desc_key, lang))}</p>"
    )
    render.show(build(s, lang))


def sources_list(chapter_id: str | None = None) -> None:
    """The sources cited by the entries a chapter shows (every source when no chapter)."""
    s, lang = story(), i18n.get_lang()
    cited: list[str] = []
    if chapter_id is None:
        cited = [src.id for src in s.sources]
    else:
        ch = {c.id: c for c in s.meta.chapters}[chapter_id]
        if "timeline" in ch.figures:
            cited += [sid for e in s.events for sid in e.sources]
    by_id = {src.id: src for src in s.sources}
    items = []
    for sid in dict.fromkeys(cited):
        src = by_id[sid]
        date = src.published.isoformat() if src.published else ""
        title = _e(src.title)
        if src.url:
            title = f'<a href="{_e(src.url)}" target="_blank" rel="noopener">{title}</a>'
        items.append(f"<li>{_e(src.publisher)}, {title}" + (f", {date}" if date else "") + "</li>")
    _show_html(
        f"<h3>{_e(i18n.label('sources', lang))}</h3>"
        f'<ol class="parley-sources">{"".join(items)}</ol>'
    )
