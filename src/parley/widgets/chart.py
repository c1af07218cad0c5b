"""A plotly.js chart for ipywidgets boxes, fed the plotly figure JSON our chart builders make.

plotly's ``FigureWidget`` would draw the same, but a kernel pays to import it (it pulls
plotly's renderer registry — nbformat, jsonschema — and its property validators — narwhals) and
again per figure to validate every property it is given, and its front end
(``widgetbundle.js``, 5 MB, sent with every widget) speaks a private protocol that a plotly
release may change. Our figures are already plotly's JSON, validated against plotly's schema
in the tests, so :class:`Chart` sends them as they are to a front end of its own
(``chart.js``, an anywidget module) that calls plotly.js's documented API: ``Plotly.react``,
``Plotly.restyle``, ``Plotly.relayout``, ``Plotly.Plots.resize``.

plotly.js itself reaches the page once: every Chart refers to one :class:`PlotlyJS` widget
per kernel and bundle, holding the same plotly.js the exports inline
(:func:`parley.base.plotlyjs.plotly_bundle`: the vendored basic bundle, or plotly.py's full one
for trace types outside it), and the page runs it once however many charts it holds.

What travels (all JSON):

- state: ``_figure_data``, ``_figure_layout`` and ``_figure_rev``, the figure as of the last
  :meth:`Chart.sync` (a view draws it when it opens), ``_config`` and ``_plotly``;
- kernel → page, custom messages numbered by ``rev``: ``{"type": "react", "data", "layout"}``
  (:meth:`Chart.show`), ``{"type": "restyle", "update", "traces"}`` (the arguments of
  ``Plotly.restyle``), ``{"type": "relayout", "update"}``, and ``{"type": "fit"}``
  (unnumbered: redraw at the box's width). A view applies the messages after the revision it
  drew; one that missed a message redraws from the state, which the kernel writes once idle;
- page → kernel: ``{"event": "click", "trace", "point"}``, the first point a click hits.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import anywidget
from ipywidgets import widget_serialization
from traitlets import Dict, Instance, Integer, List, Unicode

from parley.base.loops import IDLE_DELAY
from parley.base.plotlyjs import plotly_bundle, trace_types
from parley.charts.plot import Plot, to_plain

#: The front end: plotly.js's documented API, nothing of plotly.py's widget.
FRONT_END = Path(__file__).with_name("chart.js")

ClickHandler = Callable[[int, int], None]


class PlotlyJS(anywidget.AnyWidget):
    """One plotly.js bundle's source, sent to the page once per kernel; never displayed.
    :func:`library` makes one per bundle and every :class:`Chart` refers to it."""

    _esm = "export default {};"
    name = Unicode().tag(sync=True)  # "plotly.js basic 4.1.1": the page's cache key
    source = Unicode().tag(sync=True)


_LIBRARIES: dict[str, PlotlyJS] = {}


def library(types: set[str]) -> PlotlyJS:
    """The PlotlyJS widget whose bundle draws ``types`` (one per bundle in this kernel)."""
    source, name = plotly_bundle(types)
    lib = _LIBRARIES.get(name)
    if lib is None or lib.comm is None:  # (a closed widget reaches no page)
        lib = _LIBRARIES[name] = PlotlyJS(name=name, source=source)
    return lib


def flatten(props: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"marker": {"size": s}}`` → ``{"marker.size": s}``: restyle and relayout set a nested
    dict whole, which would drop the container's other properties (a marker's colour)."""
    flat: dict[str, Any] = {}
    for key, value in props.items():
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


_ABSENT = object()


def _get_path(source: dict[str, Any], dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(source, dict) or key not in source:
            return _ABSENT
        source = source[key]
    return source


def _set_path(target: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        target = target.setdefault(key, {})
    if value is None:
        target.pop(last, None)
    else:
        target[last] = value


class Chart(anywidget.AnyWidget):
    """One chart: :meth:`show` a figure, :meth:`restyle` traces, :meth:`relayout` the layout,
    :meth:`on_click` a point. :attr:`data` and :attr:`layout` are the figure as last sent."""

    _esm = FRONT_END.read_text(encoding="utf-8")

    _figure_data = List().tag(sync=True)
    _figure_layout = Dict().tag(sync=True)
    _figure_rev = Integer(0).tag(sync=True)
    _config = Dict().tag(sync=True)
    _plotly = Instance(PlotlyJS).tag(sync=True, **widget_serialization)

    def __init__(self, plot: Plot | None = None, config: Mapping[str, Any] = ()) -> None:
        plain = to_plain(plot) if plot is not None else {"data": [], "layout": {}}
        self._data: list[dict[str, Any]] = list(plain["data"])
        self._layout: dict[str, Any] = dict(plain.get("layout", {}))
        self._clicks: list[ClickHandler] = []
        self._rev = 0  # the last change's number (messages and state)
        self._synced = True
        self._sync_due = False
        # The first figure travels with the widget's own state: no message, no second copy.
        super().__init__(
            _figure_data=copy.deepcopy(self._data),
            _figure_layout=copy.deepcopy(self._layout),
            _config=dict(config),
            _plotly=library(trace_types(self._data)),
        )
        self.on_msg(self._on_message)

    # --- what is shown --------------------------------------------------------------------

    @property
    def data(self) -> list[dict[str, Any]]:
        return self._data

    @property
    def layout(self) -> dict[str, Any]:
        return self._layout

    @property
    def plot(self) -> Plot:
        """The plot as the front end now draws it (plotly JSON)."""
        return {"data": self._data, "layout": self._layout}

    # --- changes ----------------------------------------------------------------------------

    def show(self, plot: Plot) -> None:
        """Replace the traces and the layout with ``plot``'s (``Plotly.react``)."""
        plain = to_plain(plot)
        data, layout = list(plain["data"]), dict(plain.get("layout", {}))
        if data == self._data and layout == self._layout:
            return  # already shown (a chart made with its first figure): nothing to send
        self._data, self._layout = data, layout
        if library(trace_types(data)) is not self._plotly:
            # Another bundle draws it: the views redraw from the state, with that bundle.
            self._rev += 1
            self._synced = False
            self.sync()
            return
        self._send_change({"type": "react", "data": data, "layout": layout})

    def restyle(self, trace: int, props: Mapping[str, Any]) -> None:
        """Set ``props`` (nested dicts merge, as in ``trace.update``) on one trace."""
        self.restyle_traces({trace: props})

    def restyle_traces(self, changes: Mapping[int, Mapping[str, Any]]) -> None:
        """Set properties on several traces in one message, so the front end redraws once
        (traces changing the same properties travel together)."""
        groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = {}
        for trace, props in changes.items():
            index = range(len(self._data))[trace]  # IndexError for a trace that is not there
            flat = {key: to_plain(value) for key, value in flatten(props).items()}
            current = self._data[index]
            # Only what changes travels (a builder's first update sets what it drew).
            flat = {k: v for k, v in flat.items() if _get_path(current, k) != v}
            if flat:
                groups.setdefault(tuple(flat), []).append((index, flat))
        for keys, members in groups.items():
            # Plotly.restyle takes one value per listed trace, in the order they are listed.
            update = {key: [flat[key] for _, flat in members] for key in keys}
            traces = [index for index, _ in members]
            self._send_change({"type": "restyle", "update": update, "traces": traces})
            for index, flat in members:
                for key, value in flat.items():
                    _set_path(self._data[index], key, value)

    def relayout(self, props: Mapping[str, Any]) -> None:
        """Set ``props`` (nested dicts merge) on the layout."""
        flat = {key: to_plain(value) for key, value in flatten(props).items()}
        self._send_change({"type": "relayout", "update": flat})
        for key, value in flat.items():
            _set_path(self._layout, key, value)

    def fit_width(self) -> None:
        """Redraw the chart at its box's width (``Plotly.Plots.resize``).

        The front end draws a view once its box is laid out and follows the box's later
        resizes itself; this is for a box whose width changed without a resize it could see.
        """
        self.send({"type": "fit"})

    def sync(self) -> Chart:
        """Write the figure as now shown into the widget's state.

        A view draws the state when it opens (Voilà builds its views from the state it asks
        the kernel for once the notebook has run), then the messages that follow it. The chart
        syncs itself once the kernel is idle after a change; call this before a box holding
        the chart is displayed, so that its first draw is already the figure as shown."""
        if not self._synced:
            with self.hold_sync():
                self._figure_data = copy.deepcopy(self._data)
                self._figure_layout = copy.deepcopy(self._layout)
                self._plotly = library(trace_types(self._data))
                self._figure_rev = self._rev  # last: the front end redraws on its change
            self._synced = True
        return self

    def _send_change(self, message: dict[str, Any]) -> None:
        self._rev += 1
        self.send({**message, "rev": self._rev})
        self._synced = False
        self._sync_when_idle()

    def _sync_when_idle(self) -> None:
        """Sync once the kernel is idle (between cells), for views opened after a change;
        where no event loop runs (a script, a test) only :meth:`sync` writes the state."""
        if self._sync_due:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._sync_due = True

        def later() -> None:
            self._sync_due = False
            if self.comm is not None:  # (a closed widget has no state to write)
                self.sync()

        loop.call_later(IDLE_DELAY, later)

    # --- clicks ---------------------------------------------------------------------------

    def on_click(self, handler: ClickHandler) -> None:
        """Call ``handler(trace_index, point_index)`` with the first point a click hits."""
        self._clicks.append(handler)

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("event") != "click":
            return
        trace, point = content.get("trace"), content.get("point")
        if isinstance(trace, int) and isinstance(point, int):
            for handler in self._clicks:
                handler(trace, point)


__all__ = ["FRONT_END", "Chart", "PlotlyJS", "flatten", "library"]
