"""A plotly.js chart for ipywidgets boxes, fed the plotly figure JSON our chart builders make.

plotly's ``FigureWidget`` would draw the same, but a kernel pays to import it (it pulls
plotly's renderer registry — nbformat, jsonschema — and its property validators — narwhals) and
again per figure to validate every property it is given: a large share of a widget notebook's
time (see the bench's notebook figures). Our figures are already plotly's JSON, validated
against plotly's schema in the tests, so :class:`Chart` skips that layer and speaks
FigureWidget's own front-end protocol to plotly's own front end
(``plotly/package_data/widgetbundle.js``, the file FigureWidget loads): the same drawing,
hover, zoom, legend and click events in JupyterLab and Voilà.

The protocol, as plotly.py's ``js/src/widget.ts`` defines it: a new view draws
``_widget_data`` and ``_widget_layout``; later changes travel as one-shot ``_py2js_*``
messages (a trait set to the message, then back to None) that every open view applies and
that the front end's model also applies to its copy of the figure, for views opened later.
Clicks come back as ``_js2py_pointsCallback``. Of the deltas the front end also reports,
only ``_js2py_traceDeltas`` is read, for one thing: the one a view sends right after its first
draw (the only one carrying an edit id, as we send none) is the moment to fit the chart to its
box (:meth:`Chart.fit_width`). The others are not declared here, so ipywidgets drops them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import anywidget
import plotly
from traitlets import Dict, Integer, List

from parley.charts.plot import Plot, to_plain

#: plotly's front end for FigureWidget, shipped inside the plotly package we depend on (its
#: version always matches the protocol below: plotly.py's FigureWidget speaks it too).
WIDGET_BUNDLE = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"

ClickHandler = Callable[[int, int], None]


def _message_trait() -> Dict:
    return Dict(default_value=None, allow_none=True).tag(sync=True)


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

    _esm = WIDGET_BUNDLE

    _widget_data = List().tag(sync=True)
    _widget_layout = Dict().tag(sync=True)
    _config = Dict().tag(sync=True)
    _py2js_addTraces = _message_trait()
    _py2js_deleteTraces = _message_trait()
    _py2js_restyle = _message_trait()
    _py2js_relayout = _message_trait()
    _js2py_pointsCallback = _message_trait()
    # Not echoed back: the front end only reports it, and it carries every trace's defaults.
    _js2py_traceDeltas = Dict(default_value=None, allow_none=True).tag(sync=True, echo_update=False)
    # Read by the front end on every draw; it echoes them in its deltas (see _on_drawn).
    _last_layout_edit_id = Integer(0).tag(sync=True)
    _last_trace_edit_id = Integer(0).tag(sync=True)

    def __init__(self, plot: Plot | None = None, config: Mapping[str, Any] = ()) -> None:
        plain = to_plain(plot) if plot is not None else {"data": [], "layout": {}}
        self._data: list[dict[str, Any]] = list(plain["data"])
        self._layout: dict[str, Any] = dict(plain.get("layout", {}))
        self._clicks: list[ClickHandler] = []
        self._synced = True
        # The first figure travels with the widget's own state: no message, no second copy.
        super().__init__(
            _widget_data=copy.deepcopy(self._data),
            _widget_layout=copy.deepcopy(self._layout),
            _config=dict(config),
        )
        self.observe(self._on_points, names="_js2py_pointsCallback")
        self.observe(self._on_drawn, names="_js2py_traceDeltas")

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
        """Replace the traces and the layout with ``plot``'s."""
        plain = to_plain(plot)
        data, layout = list(plain["data"]), dict(plain.get("layout", {}))
        if data == self._data and layout == self._layout:
            return  # already shown (a chart made with its first figure): nothing to send
        if self._data:
            self._message("_py2js_deleteTraces", {"delete_inds": list(range(len(self._data)))})
        # Top-level keys replace their containers whole; a key the new layout lacks is removed.
        changes = {key: layout.get(key) for key in {**self._layout, **layout}}
        if changes:
            self._message("_py2js_relayout", {"relayout_data": changes})
        if data:
            self._message("_py2js_addTraces", {"trace_data": data})
        self._data, self._layout = data, layout
        self._synced = False

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
            # Restyle takes one value per listed trace, in the order the traces are listed.
            data = {key: [flat[key] for _, flat in members] for key in keys}
            traces = [index for index, _ in members]
            self._message("_py2js_restyle", {"restyle_data": data, "restyle_traces": traces})
            for index, flat in members:
                for key, value in flat.items():
                    _set_path(self._data[index], key, value)
        self._synced = False

    def relayout(self, props: Mapping[str, Any]) -> None:
        """Set ``props`` (nested dicts merge) on the layout."""
        flat = {key: to_plain(value) for key, value in flatten(props).items()}
        self._message("_py2js_relayout", {"relayout_data": flat})
        for key, value in flat.items():
            _set_path(self._layout, key, value)
        self._synced = False

    def fit_width(self) -> None:
        """Redraw the chart at its box's width.

        Inside an ipywidgets box the chart is first drawn before the box is on the page, so
        plotly.js falls back to its 700 px default and only resizes on a JupyterLab panel
        resize. Turning autosize off and on makes plotly.js measure the box again. The chart
        does it itself each time a view reports its first draw (see :meth:`_on_drawn`): a
        timer in the kernel could fire before a slow front end has drawn anything.
        """
        self.relayout({"autosize": False})
        self.relayout({"autosize": True})

    def sync(self) -> Chart:
        """Write the figure as now shown into the widget's state.

        Views opened later in a front end that was already connected draw from its model,
        which applies every message; Voilà, though, builds its views from the state it asks
        the kernel for once the notebook has run, which messages do not change. Call this
        before a box holding the chart is displayed."""
        if not self._synced:
            self._widget_data = copy.deepcopy(self._data)
            self._widget_layout = copy.deepcopy(self._layout)
            self._synced = True
        return self

    def _message(self, name: str, message: dict[str, Any]) -> None:
        # A message is a value the front end sees change; None re-arms it for the next one.
        setattr(self, name, message)
        setattr(self, name, None)

    def _on_drawn(self, change: dict[str, Any]) -> None:
        message = change["new"]
        if not message:
            return
        self._js2py_traceDeltas = None  # so the next view's identical report is a change too
        if message.get("trace_edit_id") is not None:  # a view's first draw (see the module)
            self.fit_width()

    # --- clicks ---------------------------------------------------------------------------

    def on_click(self, handler: ClickHandler) -> None:
        """Call ``handler(trace_index, point_index)`` with the first point a click hits."""
        self._clicks.append(handler)

    def _on_points(self, change: dict[str, Any]) -> None:
        message = change["new"]
        if not message or message.get("event_type") != "plotly_click":
            return  # hover and selection events: nothing here listens to them
        points = message.get("points") or {}
        traces, indexes = points.get("trace_indexes") or [], points.get("point_indexes") or []
        self._js2py_pointsCallback = None  # so the same click again is a change again
        if traces and indexes:
            for handler in self._clicks:
                handler(int(traces[0]), int(indexes[0]))


__all__ = ["WIDGET_BUNDLE", "Chart", "flatten"]
