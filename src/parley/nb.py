"""What notebooks call: one function per text block, figure or widget.

Notebooks stay thin (a bilingual title, then calls into here). Each output is displayed
with a display id and re-rendered in place when the reader flips the language switch, so
the whole notebook changes language without re-running. Content is escaped in
:mod:`parley.views.blocks` and the chart builders.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pandas as pd
from IPython.display import display

from parley import i18n, settings
from parley.base import loops
from parley.charts.plot import Plot, Variant
from parley.publish import render
from parley.story.load import load_story
from parley.story.model import Story
from parley.story.problems import ContentError
from parley.tables import frames
from parley.views import blocks as views
from parley.views import figures, summaries
from parley.widgets import appmode


class StoryProblem(Exception):
    """Shown in a notebook as the list of problems only, without a Python traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def _render_traceback_(self) -> list[str]:  # IPython's hook for custom error display
        return [self.message]


@cache
def story() -> Story:
    data = settings.data_dir()  # $PARLEY_DATA, else the nearest data/ (see parley.settings)
    try:
        return load_story(data, cache=True)  # a warm kernel skips parsing and validation
    except ContentError as exc:
        raise StoryProblem(f"The story in {data} has problems:\n{exc}") from None


@cache
def tables() -> frames.Tables:
    """The story's DataFrames, built once per kernel (they hold both languages)."""
    return frames.build_tables(story())


# --- display with in-place language switching ------------------------------------------

Make = Callable[[str], "str | Plot"]
# How to show each live output in another language (a display handle's update, a chart's).
_live: list[Callable[[str], None]] = []


def _bundle(made: str | Plot) -> tuple[dict[str, Any], bool]:
    if isinstance(made, str):
        return {"text/html": made, "text/plain": "[HTML]"}, True
    # Only live notebooks reach here (exports go through render.show, see _show).
    return render.plotly_bundle(made), True


def _show(make: Make) -> None:
    lang = i18n.get_lang()
    made = make(lang)
    if not isinstance(made, str) and render.renderer() != render.DEFAULT_RENDERER:
        render.show(made)  # exports: an HTML renderer; nothing to switch live there
        return
    if i18n.in_app():
        _show_in_app(make, made, lang)
        return
    data, raw = _bundle(made)
    handle = display(data, raw=raw, display_id=True)

    def relabel(lang: str) -> None:
        data, _ = _bundle(make(lang))
        if render.PLOTLY_MIMETYPE in data:
            # JupyterLab's plotly renderer ignores updates once drawn (plotly.py#3053): a
            # blank first makes it build a fresh renderer for the relabelled figure.
            handle.update({"text/plain": ""}, raw=True)
        handle.update(data, raw=True)

    _live.append(relabel)


def _show_in_app(make: Make, made: str | Plot, lang: str) -> None:
    """Voilà shows what the cells displayed when they ran and keeps only widgets live. So a
    text carries both languages and the page shows the one its ``?lang=`` names (the
    template's script; a language switch only flips which), and a figure is a Chart widget
    the kernel relabels in place. (plotly's own renderer for its mimetype throws there: "r.
    setData is not a function"; the Chart draws on the plotly.js the page already has.)"""
    if isinstance(made, str):
        html = {each: made if each == lang else str(make(each)) for each in i18n.LANGS}
        display({"text/html": appmode.bilingual(html, lang), "text/plain": "[HTML]"}, raw=True)
        return
    from parley.widgets.chart import Chart

    chart = Chart(made)
    display(chart)
    _live.append(lambda lang: chart.show(make(lang)))  # type: ignore[arg-type]


def _relabel(lang: str) -> None:
    for relabel in list(_live):
        relabel(lang)


i18n.on_change(_relabel)


def _html(make_html: Callable[[Story, str], str]) -> None:
    s = story()
    _show(lambda lang: make_html(s, lang))


# Chapters a story may leave out (a story need not have UN votes or an economic track, say):
# a notebook's section for an absent chapter shows nothing, from its intro() to the next.
_absent: dict[str, bool] = {"section": False}
_section: dict[str, str | None] = {"chapter": None}  # the chapter the last intro() opened


def _has_chapter(chapter_id: str) -> bool:
    return any(ch.id == chapter_id for ch in story().meta.chapters)


def _chapter_call(fn: Callable[[Story, str, str], str], chapter_id: str) -> None:
    s = story()
    if not _has_chapter(chapter_id):
        return  # an optional chapter this story does not tell
    _show(lambda lang: fn(s, chapter_id, lang))


def _only(where: str, make: Callable[[str], str]) -> None:
    """In an export kernel, HTML for one artefact only ("deck": speaker notes, numbered
    citations, the deck's source list; "page"); elsewhere nothing."""
    if not render.exporting():
        return
    html = make(i18n.get_lang())
    if html:
        bundle = {"text/html": html, "text/plain": "[HTML]"}
        display(bundle, raw=True, metadata={render.ONLY: where})


def _shown_figure(figure_id: str) -> bool:
    """A figure is left out in an absent chapter's section, or when the story has nothing
    for it to show (no votes, no offers…)."""
    if _absent["section"]:
        return False
    kind = figures.REGISTRY[figure_id].cites
    return kind is None or bool(getattr(story(), kind))


# --- what notebooks call ---------------------------------------------------------------


def language_switch() -> None:
    """日本語 / English: flips every output of this notebook in place (in app mode too: the
    page's URL follows, and a preheated kernel switches to its reader's ``?lang=``)."""
    toggle = appmode.switch()
    if i18n.in_app():
        display(toggle)
        appmode.follow_request()
        return
    # Before a kernel runs (a freshly opened notebook, GitHub, nbviewer) only text/plain
    # shows: say what the control is instead of the widget's Python repr.
    bundle = dict(toggle._repr_mimebundle_())  # type: ignore[attr-defined]
    bundle["text/plain"] = "日本語 / English — 言語の切り替え / language switch (needs a kernel)"
    display(bundle, raw=True)


def header() -> None:
    """The story's title, subtitle and the date the content is current to."""
    _html(views.header)
    s = story()
    _only("deck", lambda lang: views.speaker_note(s.meta.title_notes, lang))


def intro(chapter_id: str) -> None:
    """What the reader will learn: the chapter's question-and-answer hook. Opens the
    chapter's section: if the story has no such chapter, the section shows nothing."""
    _absent["section"] = not _has_chapter(chapter_id)
    _section["chapter"] = chapter_id
    _chapter_call(views.hook, chapter_id)
    if _has_chapter(chapter_id):  # the deck links a slide by its chapter id (#/positions)
        _only("deck", lambda lang: views.chapter_anchor(chapter_id))


def key_points(chapter_id: str) -> None:
    _chapter_call(views.key_points, chapter_id)
    if _has_chapter(chapter_id):
        note = views.chapter_of(story(), chapter_id).key_points_notes
        _only("deck", lambda lang: views.speaker_note(note, lang))


def notes(chapter_id: str) -> None:
    """The chapter's speaker notes (a `notes` cell in the deck)."""
    _chapter_call(views.notes, chapter_id)


def takeaways() -> None:
    _html(views.takeaways)
    s = story()
    _only("deck", lambda lang: views.speaker_note(s.meta.takeaways_notes, lang))


def methods() -> None:
    _html(views.methods)


def figure(figure_id: str) -> None:
    """A chart with its short text description beside it (for screen readers too)."""
    if figure_id not in figures.REGISTRY:
        raise StoryProblem(f"unknown figure {figure_id!r}; known: {', '.join(figures.REGISTRY)}")
    if not _shown_figure(figure_id):
        return
    spec = figures.REGISTRY[figure_id]
    as_of = pd.Timestamp(story().meta.as_of)
    note = views.figure_note(story(), _section["chapter"], figure_id)
    if spec.description:
        key = spec.description

        def caption(lang: str, cites: str = "", how: bool = True) -> str:
            return _figure_text(figure_id, key, as_of, lang, cites, how=how)

        if render.exporting() and note is not None:
            # A slide's caption cites the sources of its note's number ("[3][12]").
            _only("page", caption)
            # A slide has no room for "how to read it" (the presenter says it; the notes hold it).
            _only(
                "deck",
                lambda lang: caption(lang, " " + views.cite_marks(note.sources), how=False),
            )
        else:
            _show(caption)
    _only("deck", lambda lang: views.speaker_note(note, lang))
    if render.exporting():
        # No kernel behind an export: every layout travels in the one output, and the
        # page or deck picks its own (see parley.publish.render).
        made = spec.variants(tables(), as_of, i18n.get_lang())
        page = made.pop("page")
        if not isinstance(page, str):
            others = {name: plot for name, plot in made.items() if isinstance(plot, dict)}
            render.show(
                _tagged(page, spec.cites),
                {name: _tagged(plot, spec.cites) for name, plot in others.items()},
            )
        else:
            _show(lambda lang: spec.build(tables(), as_of, lang))
        if figure_id == "voices":
            # Pages: each event the voices respond to links to its entry in the explorer.
            from parley.views.explorer import responded_events

            s = story()
            _only("page", lambda lang: responded_events(s, lang))
        return
    _show(lambda lang: _tagged(spec.build(tables(), as_of, lang), spec.cites))


def _figure_text(
    figure_id: str, key: str, as_of: pd.Timestamp, lang: str, cites: str = "", *, how: bool = True
) -> str:
    """What the chart's data shows (its text alternative), then (``how``) how to read the
    chart; ``cites`` (already HTML) ends the sentence on a slide."""
    said = summaries.summary(figure_id, tables(), as_of, lang)
    reading = views.e(i18n.label(key, lang))
    return (
        f'<p class="parley-figure-desc" role="note">'
        f"<b>{views.e(i18n.label('figure_description', lang))}:</b> "
        f"{views.e(said) if said else reading}{cites}</p>"
        + (
            f'<details class="parley-how"><summary>{views.e(i18n.label("how_to_read", lang))}'
            f"</summary><p>{reading}</p></details>"
            if said and how
            else ""
        )
    )


def _tagged(made: str | Plot, table: str | None) -> str | Plot:
    """A chart names the data table behind it (pages link to it: "get the data")."""
    if isinstance(made, str) or table is None:
        return made
    layout = made.setdefault("layout", {})
    layout["meta"] = {**(layout.get("meta") or {}), "parley_table": table}
    return made


def sources(chapter_id: str | None = None) -> None:
    """The sources behind what a chapter shows (every source when no chapter is given)."""
    s = story()
    above: frozenset[str] = frozenset()  # sources the page lists elsewhere in full
    if chapter_id is None:
        ids = [src.id for src in s.sources]
        if render.exporting():  # the deck lists the sources its slides cite, numbered
            _only("page", lambda lang: views.sources(s, ids, lang))
            _only("deck", lambda lang: views.deck_sources(s, views.noted_sources(s), lang))
            return
    elif not _has_chapter(chapter_id):
        return  # an optional chapter this story does not tell
    else:
        shows = views.chapter_of(s, chapter_id).figures
        ids = figures.cited_sources(s, shows)
        if "explorer" in shows and not _live_kernel():
            # The page explorer's list cites each event's sources in full, notes too.
            from parley.views.explorer import listed_sources

            above = listed_sources(s)
    _show(lambda lang: views.sources(s, ids, lang, listed_above=above))


def _live_kernel() -> bool:
    # `parley export` kernels (PARLEY_EXPORT=1) or an HTML renderer: no kernel will be
    # there to answer a widget once the output is on a page.
    return not render.exporting() and render.renderer() == render.DEFAULT_RENDERER


def _display_widget(widget: Any) -> None:
    """Show a widget; once the kernel is idle, fit its chart to its box once more and build
    its views in the other language, so the reader's first language switch swaps prepared
    plots instead of building them (several times slower). Idle, not now: the reader should
    not wait for the cell on work for a switch they may never make. (The chart also fits
    itself when a view reports its first draw; this second fit covers a view drawn while
    its box was not laid out yet.)"""
    display(widget.widget)
    others = [lang for lang in i18n.LANGS if lang != widget.lang]

    def when_shown() -> None:
        widget.chart.fit_width()
        for lang in others:
            widget.warm(lang)

    loops.when_idle(when_shown)


def explorer() -> None:
    """The explorer widget; in static exports, the page explorer (escaped list, filters,
    search, cards; :mod:`parley.views.explorer` and its script) in step with the timeline
    chart above it."""
    if _absent["section"]:
        return
    if not _live_kernel():
        from parley.views.explorer import explorer_html

        s, t = story(), tables()
        _show(lambda lang: explorer_html(s, t, lang))
        return
    from parley.widgets import Explorer

    _display_widget(Explorer(story(), tables()))


def scenario_builder() -> None:
    """The scenario builder widget; in static exports, the charts around it stand in."""
    if _absent["section"] or not story().scenarios:
        return
    if not _live_kernel():
        # The page builder (computed in the browser) and its zone chart, whose settlement
        # markers it moves (the chart's last trace, as in the widget).
        from parley.charts.zone import zone_of_agreement
        from parley.views.builder import builder_html, first_settlement

        s, t = story(), tables()
        as_of = pd.Timestamp(s.meta.as_of)
        zone = figures.REGISTRY["zone-of-agreement"]
        _show(lambda lang: builder_html(s, t, lang))

        def chart(lang: str, variant: Variant = "page") -> Plot:
            made = zone_of_agreement(
                t["positions"],
                t["issues"],
                as_of,
                lang,
                settlement=first_settlement(s),
                sides=t["sides"],
                variant=variant,
            )
            return dict(_tagged(made, zone.cites))

        # The same text alternative, data link and phone layout as the zone figure's.
        if zone.description:
            key = zone.description
            _show(lambda lang: _figure_text("zone-of-agreement", key, as_of, lang))
        if render.exporting():
            lang = i18n.get_lang()
            render.show(chart(lang), {"phone": chart(lang, "phone")})
        else:
            _show(chart)
        return
    from parley.widgets import ScenarioBuilder

    _display_widget(ScenarioBuilder(story(), tables()))
