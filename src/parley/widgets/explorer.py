"""The explorer: filters and a bilingual search linked to the timeline, with a details card.

All filtering is :func:`parley.tables.explore.filter_mask`; this module only wires controls to
it, so tests drive :meth:`Explorer.set_filters` and read :attr:`Explorer.chart`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd
from ipywidgets.widgets.widget_description import DescriptionWidget

from parley import i18n
from parley.charts.common import source_labels
from parley.charts.plot import Plot
from parley.charts.timeline import prepare, timeline, trace_data
from parley.story.model import Story
from parley.tables import sides as side_table
from parley.tables.explore import BadCode, Filter, filter_mask, page_link, search_haystack
from parley.tables.frames import Tables
from parley.widgets.cards import event_card
from parley.widgets.chart import Chart

KINDS = (
    "call",
    "meeting",
    "talks",
    "visit",
    "statement",
    "agreement",
    "ceasefire",
    "sanction",
    "aid",
    "military",
    "vote",
    "other",
)
ALL = ""


# Text over a control is indented by the 8 px the control's zero-width label keeps as its
# right margin (ipywidgets' 2 × --jp-widgets-inline-margin), so the two line up.
_OVER_CONTROL = "2px 2px 2px 10px"


@dataclass(frozen=True)
class _View:
    """One language's precomputed rows: what a filter change slices instead of rebuilding."""

    prepared: pd.DataFrame  # prepare()'s rows plus each event's result-list label
    plot: Plot  # the unfiltered timeline in this language
    # side -> (positions of its rows in ``prepared``, those rows): sliced per filter
    sides: dict[str, tuple[np.ndarray, pd.DataFrame]]
    ids: np.ndarray
    result_labels: np.ndarray

    @classmethod
    def build(cls, prepared: pd.DataFrame, figure: Plot, in_figure: tuple[str, ...]) -> _View:
        side = prepared["side"].to_numpy()
        sides = {}
        for s in in_figure:
            positions = np.flatnonzero(side == s)
            sides[s] = (positions, prepared.iloc[positions])
        return cls(
            prepared=prepared,
            plot=figure,
            sides=sides,
            ids=prepared["id"].to_numpy(dtype=object),
            result_labels=prepared["result_label"].to_numpy(dtype=object),
        )


class Explorer:
    def __init__(self, story: Story, tables: Tables, lang: str | None = None) -> None:
        self.story = story
        self.tables = tables
        self.events = tables["events"]
        self._styles = side_table.styles(tables["sides"])
        self._side_ids = side_table.side_ids(tables["sides"])
        self._in_figure = tuple(self._styles)  # the timeline's traces: sides, then groups
        self.lang = i18n.resolve(lang)
        self.filter = Filter()
        self._hold = False
        # Built once: the events do not change, only the filter and the language do.
        self._haystack = search_haystack(self.events)
        self._labels_by_id = source_labels(tables["sources"])
        self._views: dict[str, _View] = {}
        self._shown: dict[str, np.ndarray] = {}
        months = pd.date_range(
            self.events["date"].min().to_period("M").to_timestamp(),
            self.events["date"].max(),
            freq="MS",
        )
        self._months = [m.date() for m in months] or [dt.date.today()]
        self.sides = w.SelectMultiple(rows=4, layout=w.Layout(width="13em"))
        self.kinds = w.SelectMultiple(rows=4, layout=w.Layout(width="13em"))
        self.actor = w.Dropdown(layout=w.Layout(width="16em"))
        self.issue = w.Dropdown(layout=w.Layout(width="16em"))
        self.dates = w.SelectionRangeSlider(
            options=[(f"{m:%Y-%m}", m) for m in self._months],
            index=(0, len(self._months) - 1),
            continuous_update=False,
            layout=w.Layout(width="30em"),
        )
        self.query = w.Text(continuous_update=True, layout=w.Layout(width="20em"))
        self.results = w.Select(rows=8, layout=w.Layout(width="100%"))
        self.card = w.HTML()
        self.count = w.HTML(layout=w.Layout(margin=_OVER_CONTROL))
        self.code = w.Text(disabled=False, layout=w.Layout(width="22em"))
        # The same view in the exported page (02-timeline.html#side=…): readable, and the
        # page opens it without a kernel (it reads share codes too, as #share=<code>).
        self.link = w.Text(layout=w.Layout(width="30em"))
        self.paste = w.Text(layout=w.Layout(width="22em"))
        self.open_button = w.Button(icon="folder-open")
        self.message = w.HTML()
        # Made with its first figure, which travels in the widget's own state (drawing it
        # again in _relabel below then sends nothing).
        self.chart = Chart(self._view(self.lang).plot)
        self.chart.on_click(self._on_click)
        for control in (self.sides, self.kinds, self.actor, self.issue, self.dates, self.query):
            control.observe(self._on_control, names="value")
        self.results.observe(self._on_select, names="value")
        self.open_button.on_click(lambda _: self.open_code(self.paste.value))
        self.paste.continuous_update = False  # Enter (or leaving the box) opens the code
        self.paste.observe(lambda ch: ch["new"] and self.open_code(ch["new"]), names="value")
        self._relabel(self.lang)
        self.widget = self._layout()
        i18n.on_change(self.relabel)

    # --- layout and labels ------------------------------------------------------------

    def _layout(self) -> w.Widget:
        self._labels = {k: w.HTML(layout=w.Layout(margin=_OVER_CONTROL)) for k in self._named()}
        # The headings are plain text to assistive technology; a control's own description
        # is its <label for>, its accessible name (set per language in _fill_labels). Zero
        # width: the heading already shows the same words.
        for control in self._named().values():
            control.style.description_width = "0px"
        self._fill_labels()

        def box(key: str, control: w.Widget) -> w.VBox:
            return w.VBox([self._labels[key], control])

        filters = w.HBox(
            [
                box("sides", self.sides),
                box("kinds", self.kinds),
                w.VBox([box("actor", self.actor), box("issue", self.issue)]),
                w.VBox([box("query", self.query), box("dates", self.dates)]),
            ],
            layout=w.Layout(flex_flow="row wrap"),
        )
        share = w.HBox(
            [
                box("share", self.code),
                box("page_link", self.link),
                box("paste", w.HBox([self.paste, self.open_button])),
                self.message,
            ],
            layout=w.Layout(flex_flow="row wrap"),
        )
        lower = w.HBox(
            [
                w.VBox(
                    [self._labels["results"], self.count, self.results],
                    layout=w.Layout(width="40%"),
                ),
                w.Box([self.card], layout=w.Layout(width="60%")),
            ]
        )
        return w.VBox([filters, self.chart.sync(), lower, share])

    def _named(self) -> dict[str, DescriptionWidget]:
        """Each labelled control by its heading's key."""
        return {
            "sides": self.sides,
            "kinds": self.kinds,
            "actor": self.actor,
            "issue": self.issue,
            "dates": self.dates,
            "query": self.query,
            "results": self.results,
            "share": self.code,
            "page_link": self.link,
            "paste": self.paste,
        }

    def _fill_labels(self) -> None:
        lang = self.lang
        for key, widget in getattr(self, "_labels", {}).items():
            widget.value = f"<b>{i18n.label(f'explorer_{key}', lang)}</b>"
        for key, control in self._named().items():
            control.description = i18n.label(f"explorer_{key}", lang)
        self.open_button.description = i18n.label("explorer_open", lang)
        self.query.placeholder = i18n.label("explorer_query_hint", lang)
        self.paste.placeholder = "p1.…"

    def relabel(self, lang: str) -> None:
        self._relabel(lang)

    def warm(self, lang: str) -> None:
        """Prepare ``lang``'s rows and figure now, so a later switch to it only swaps them.

        A first switch otherwise pays for every hover text and the figure's build, which
        grow with the story; nothing is shown.
        """
        self._view(i18n.resolve(lang))

    def _relabel(self, lang: str) -> None:
        self.lang = i18n.resolve(lang)
        self._hold = True
        try:
            people = sorted(self.story.actors, key=lambda a: a.name(self.lang))
            self.sides.options = [(self._styles[s].name(self.lang), s) for s in self._side_ids]
            self.kinds.options = [(i18n.label(f"kind_event_{k}", self.lang), k) for k in KINDS]
            self.actor.options = [(i18n.label("explorer_all", self.lang), ALL)] + [
                (a.name(self.lang), a.id) for a in people
            ]
            self.issue.options = [(i18n.label("explorer_all", self.lang), ALL)] + [
                (i.title(self.lang), i.id) for i in self.story.issues
            ]
            self._show_filter(self.filter)
        finally:
            self._hold = False
        self._fill_labels()
        self._draw()
        self._render()

    # --- state ------------------------------------------------------------------------

    def _read_controls(self) -> Filter:
        start, end = self.dates.value
        first, last = self._months[0], self._months[-1]
        end_day = (pd.Timestamp(end) + pd.offsets.MonthEnd(0)).date()
        return Filter(
            sides=tuple(self.sides.value),
            kinds=tuple(self.kinds.value),
            actors=(self.actor.value,) if self.actor.value else (),
            issues=(self.issue.value,) if self.issue.value else (),
            start=None if start == first else start,
            end=None if end == last else end_day,
            query=self.query.value,
            selected=self.filter.selected,
        )

    def _show_filter(self, flt: Filter) -> None:
        """Put a filter's values into the controls (without re-rendering each one)."""
        self.sides.value = tuple(s for s in flt.sides if s in self._side_ids)
        self.kinds.value = tuple(k for k in flt.kinds if k in KINDS)
        self.actor.value = (
            flt.actors[0]
            if flt.actors and flt.actors[0] in {v for _, v in self.actor.options}
            else ALL
        )
        self.issue.value = (
            flt.issues[0]
            if flt.issues and flt.issues[0] in {v for _, v in self.issue.options}
            else ALL
        )
        start = max(
            (m for m in self._months if flt.start and m <= flt.start), default=self._months[0]
        )
        end = max((m for m in self._months if flt.end and m <= flt.end), default=self._months[-1])
        self.dates.value = (start, end)
        self.query.value = flt.query

    def set_filters(self, **changes: Any) -> pd.DataFrame:
        """Change filters programmatically (tests, benchmarks, share codes); returns the rows."""
        for key in ("sides", "kinds", "actors", "issues", "verification"):
            if key in changes:
                changes[key] = tuple(changes[key])
        self.filter = Filter(**{**self.filter.__dict__, **changes})
        self._hold = True
        try:
            self._show_filter(self.filter)
        finally:
            self._hold = False
        return self._render()

    def _on_control(self, _change: dict[str, Any]) -> None:
        if self._hold:
            return
        self.filter = self._read_controls()
        self._render()

    def _on_select(self, change: dict[str, Any]) -> None:
        if self._hold:
            return
        self.select(change["new"] or None)

    def select(self, event_id: str | None) -> None:
        """Open the details card for an event (from the list, a chart click or a code)."""
        self.filter = Filter(**{**self.filter.__dict__, "selected": event_id})
        self.card.value = (
            event_card(self.story, self.tables, event_id, self.lang) if event_id else ""
        )
        self.code.value = self.filter.code()
        self.link.value = page_link(self.filter)

    def open_code(self, code: str) -> None:
        try:
            flt = Filter.from_code(code)
        except BadCode as exc:
            self.message.value = (
                f"<span role='alert'>⚠ {i18n.label('explorer_bad_code', self.lang)}: {exc}</span>"
            )
            return
        self.message.value = ""
        self.set_filters(**flt.__dict__)

    # --- rendering --------------------------------------------------------------------

    def _view(self, lang: str) -> _View:
        """This language's prepared rows and figure, built on first use and then kept.

        The events never change under a widget, so a language switch back and forth
        reuses them instead of recomputing every hover text (seconds at 10,000 events).
        """
        if lang not in self._views:
            prepared = prepare(self.events, self.tables["sources"], lang, self._labels_by_id)
            title = prepared[f"title_{lang}"]
            prepared = prepared.assign(
                result_label=prepared["date"].dt.strftime("%Y-%m-%d") + "  " + title
            )
            fig = timeline(
                self.events,
                self.tables["sources"],
                lang,
                prepared=prepared,
                every_side=True,
                sides=self.tables["sides"],
            )
            self._views[lang] = _View.build(prepared, fig, self._in_figure)
        return self._views[lang]

    def _draw(self) -> None:
        """Show the figure for the current language: every side's trace, all events."""
        view = self._view(self.lang)
        self._prepared = view.prepared
        self.chart.show(view.plot)
        # The new traces show every event of their side (timeline() fills them as a refill
        # of an empty filter would), so the next refill skips the sides a filter keeps whole.
        self._shown = {side: np.ones(len(pos), dtype=bool) for side, (pos, _) in view.sides.items()}

    def _render(self) -> pd.DataFrame:
        mask = filter_mask(self.events, self.filter, self._haystack)
        keep = mask.to_numpy()
        view = self._view(self.lang)
        # Refill the existing traces, in one message: far cheaper than a new figure per
        # keystroke. A side whose rows did not change keeps its trace (nothing to send).
        changes = {}
        for index, side in enumerate(self._in_figure):
            positions, part = view.sides[side]
            kept = keep[positions]
            if side in self._shown and np.array_equal(self._shown[side], kept):
                continue
            changes[index] = trace_data(part[kept])
            self._shown[side] = kept
        self.chart.restyle_traces(changes)
        self._hold = True
        try:
            ids = view.ids[keep].tolist()
            labels = view.result_labels[keep].tolist()
            self.results.options = list(zip(labels, ids, strict=True))
            shown = set(ids)
            selected = self.filter.selected
            self.results.value = selected if selected in shown else None
        finally:
            self._hold = False
        self.count.value = i18n.label("explorer_count", self.lang).format(
            n=int(keep.sum()), total=len(self.events)
        )
        self.select(self.filter.selected if self.filter.selected in shown else None)
        return self.events[mask]

    def _on_click(self, trace: int, point: int) -> None:
        self.select(str(self.chart.data[trace]["customdata"][point][0]))
