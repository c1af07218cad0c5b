"""The chart widget's own protocol: what it sends over the wire, applied as its front end
(chart.js) applies it with plotly.js, draws the figure the kernel believes is shown."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from parley import i18n
from parley.widgets import Explorer, ScenarioBuilder
from parley.widgets.chart import FRONT_END, Chart, PlotlyJS, flatten

DATA = Path(__file__).resolve().parents[2] / "data"


def _set(target: Any, dotted: str, value: Any) -> None:
    """A property set on a dotted path, as Plotly.restyle and Plotly.relayout set it (null
    removes it)."""
    *parents, last = dotted.split(".")
    for key in parents:
        target = target.setdefault(key, {})
    if value is None:
        target.pop(last, None)
    else:
        target[last] = copy.deepcopy(value)


class FrontEnd:
    """chart.js reduced to the figure it draws: the state when a view opens, then each
    message applied as the plotly.js call chart.js makes for it would apply it."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.state = copy.deepcopy(state)  # the front end's model: the traits it was sent
        self.received: list[str] = []  # the messages' types and the states' keys since then
        self._draw()

    def _draw(self) -> None:
        self.data = copy.deepcopy(self.state["_figure_data"])
        self.layout = copy.deepcopy(self.state["_figure_layout"])
        self.rev = self.state["_figure_rev"]

    def update(self, state: dict[str, Any]) -> None:
        """A state update carries the traits that changed."""
        self.received.extend(state)
        self.state.update(copy.deepcopy(state))
        if "_figure_rev" in state and state["_figure_rev"] > self.rev:
            self._draw()  # chart.js redraws from the state

    def custom(self, msg: dict[str, Any]) -> None:
        self.received.append(msg["type"])
        if msg["type"] == "fit":
            return
        assert msg["rev"] == self.rev + 1, "a message out of order"
        self.rev = msg["rev"]
        if msg["type"] == "react":  # Plotly.react(div, data, layout)
            self.data, self.layout = copy.deepcopy(msg["data"]), copy.deepcopy(msg["layout"])
        elif msg["type"] == "restyle":  # Plotly.restyle(div, update, traces)
            traces = msg["traces"]
            for key, values in msg["update"].items():
                for n, t in enumerate(traces):
                    _set(self.data[t], key, values[n % len(values)])
        elif msg["type"] == "relayout":  # Plotly.relayout(div, update)
            for key, value in msg["update"].items():
                _set(self.layout, key, value)
        else:
            raise AssertionError(f"a message chart.js does not handle: {msg['type']}")

    @property
    def figure(self) -> dict[str, Any]:
        return {"data": self.data, "layout": self.layout}


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> dict[str, FrontEnd]:
    """Every Chart's front end, fed what the kernel really sends (its comm messages)."""
    ends: dict[str, FrontEnd] = {}
    opened = Chart.open

    def receive(model_id: str, data: dict[str, Any]) -> None:
        json.dumps(data)  # what travels is JSON
        if data["method"] == "custom":
            ends[model_id].custom(data["content"])
        elif data["method"] == "update":
            ends[model_id].update(data["state"])

    def open_(self: Chart) -> None:
        opened(self)
        ends[self.model_id] = FrontEnd(self.get_state())
        self.comm.send = lambda data=None, buffers=None, **_: receive(self.model_id, data)

    monkeypatch.setattr(Chart, "open", open_)
    return ends


pytestmark = pytest.mark.usefixtures("japanese")


def _plotly(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure as plotly reads it: validated against its schema (a bad property raises)."""
    return json.loads(pio.to_json(go.Figure(figure)))


def test_explorer_front_end_draws_what_the_kernel_shows(wire, mini_story, tables) -> None:
    ex = Explorer(mini_story, tables)
    front = wire[ex.chart.model_id]
    for step, lang in (
        ({"kinds": ["vote"]}, "ja"),
        ({"kinds": [], "query": "phone"}, "en"),
        ({"sides": ["us"]}, "en"),
        ({"sides": [], "query": ""}, "ja"),
    ):
        ex.set_filters(**step)
        i18n.set_lang(lang)
        assert front.figure == ex.chart.plot
        fresh = Explorer(mini_story, tables, lang=lang)
        fresh.set_filters(**ex.filter.__dict__)
        assert _plotly(front.figure) == _plotly(fresh.chart.plot)
    ex.chart.fit_width()
    assert front.received[-1] == "fit"
    # A view opened now draws the state, which sync brings up to the figure shown.
    ex.chart.sync()
    assert FrontEnd(ex.chart.get_state()).figure == ex.chart.plot


def test_widgets_send_their_first_figure_once(wire, mini_story, tables) -> None:
    """The chart opens with its first figure in its state; building the widget around it
    sends nothing more (no redraw of the same figure, no restyle that changes nothing)."""
    for widget in (Explorer(mini_story, tables), ScenarioBuilder(mini_story, tables)):
        front = wire[widget.chart.model_id]
        assert front.received == [], type(widget).__name__
        assert front.figure == widget.chart.plot and front.data


def test_builder_front_end_moves_the_settlement(wire, mini_story, tables) -> None:
    sb = ScenarioBuilder(mini_story, tables)
    front = wire[sb.chart.model_id]
    sb.set_settlement({"ceasefire": 8})
    assert front.data[-1]["x"] == [8.0]
    i18n.set_lang("en")
    assert front.figure == sb.chart.plot
    assert _plotly(front.figure)["layout"]["title"]["text"] == sb.chart.layout["title"]["text"]


def test_restyle_merges_nested_properties_and_show_drops_old_layout_keys(wire) -> None:
    chart = Chart(
        {
            "data": [{"type": "scatter", "x": [1], "marker": {"color": "red", "size": 3}}],
            "layout": {"title": {"text": "a"}, "showlegend": True},
        }
    )
    front = wire[chart.model_id]
    chart.restyle(0, {"x": [1, 2], "marker": {"size": [4, 5]}})
    assert (
        front.data
        == chart.data
        == [{"type": "scatter", "x": [1, 2], "marker": {"color": "red", "size": [4, 5]}}]
    )
    chart.show({"data": [{"type": "bar", "x": [1]}], "layout": {"showlegend": False}})
    assert (
        front.figure
        == chart.plot
        == {
            "data": [{"type": "bar", "x": [1]}],
            "layout": {"showlegend": False},
        }
    )
    with pytest.raises(IndexError):
        chart.restyle(3, {"x": [1]})


def test_traces_restyled_together_travel_in_one_message(wire) -> None:
    trace = {"type": "scatter", "x": [0], "marker": {"color": "red"}}
    chart = Chart({"data": [dict(trace), dict(trace), dict(trace)], "layout": {}})
    front = wire[chart.model_id]
    sent: list[dict] = []
    send = chart.send
    chart.send = lambda content, buffers=None: (sent.append(content), send(content, buffers))
    chart.restyle_traces({0: {"x": [1]}, 2: {"x": [3, 3]}, 1: {"marker": {"size": 9}}})
    assert sent == [
        {"type": "restyle", "update": {"x": [[1], [3, 3]]}, "traces": [0, 2], "rev": 1},
        {"type": "restyle", "update": {"marker.size": [9]}, "traces": [1], "rev": 2},
    ]
    assert front.data == chart.data
    assert [t["x"] for t in chart.data] == [[1], [0], [3, 3]]
    assert chart.data[1]["marker"] == {"color": "red", "size": 9}
    chart.restyle_traces({})  # nothing changed: nothing sent
    assert len(sent) == 2


def test_sync_writes_the_shown_figure_into_the_state() -> None:
    """Voilà draws a chart from the state it asks for, which messages do not change."""
    chart = Chart({"data": [{"type": "bar", "x": [1]}], "layout": {}})
    chart.restyle(0, {"x": [2]})
    assert chart._figure_data == [{"type": "bar", "x": [1]}] and chart._figure_rev == 0
    assert chart.sync() is chart
    assert chart._figure_data == [{"type": "bar", "x": [2]}] and chart._figure_rev == 1
    chart.restyle(0, {"x": [3]})  # the state is a copy, not the figure being edited
    assert chart._figure_data == [{"type": "bar", "x": [2]}]


def test_a_view_that_missed_a_message_redraws_from_the_next_state(wire) -> None:
    chart = Chart({"data": [{"type": "bar", "x": [1]}], "layout": {}})
    chart.restyle(0, {"x": [2]})
    late = FrontEnd(chart.get_state())  # a view opened after the message: it draws x=[1]
    chart.restyle(0, {"x": [3]})
    with pytest.raises(AssertionError, match="out of order"):
        late.custom({"type": "restyle", "update": {"x": [[3]]}, "traces": [0], "rev": 2})
    late.update(chart.sync().get_state())
    assert late.figure == chart.plot


def test_the_chart_syncs_itself_once_the_kernel_is_idle(monkeypatch) -> None:
    """In a kernel (an event loop runs), for views opened after a change."""
    from kernel_support import in_a_kernel_cell

    from parley.widgets import chart as chart_module

    monkeypatch.setattr(chart_module, "IDLE_DELAY", 0.01)
    chart = Chart({"data": [{"type": "bar", "x": [1]}], "layout": {}})

    def cell() -> list[dict[str, Any]]:
        chart.restyle(0, {"x": [2]})
        chart.restyle(0, {"x": [3]})
        return copy.deepcopy(chart._figure_data)  # within the cell: not yet

    assert in_a_kernel_cell(cell, idle=0.1) == [{"type": "bar", "x": [1]}]
    assert chart._figure_data == [{"type": "bar", "x": [3]}] and chart._figure_rev == 2


def test_one_plotly_js_per_kernel_and_bundle(wire) -> None:
    """plotly.js travels once (its own widget), never in a chart's state; a trace type the
    basic bundle cannot draw moves the chart to the full bundle, as the exports do."""
    bar = Chart({"data": [{"type": "bar", "x": [1]}], "layout": {}})
    line = Chart({"data": [{"type": "scatter", "x": [1]}], "layout": {}})
    assert bar._plotly is line._plotly and isinstance(bar._plotly, PlotlyJS)
    assert bar._plotly.name.startswith("plotly.js basic ")
    assert len(bar._plotly.source) > 1_000_000
    state = json.dumps(bar.get_state())
    assert len(state) < 20_000 and bar.get_state()["_plotly"] == f"IPY_MODEL_{bar._plotly.model_id}"
    front = wire[bar.model_id]
    bar.show({"data": [{"type": "choropleth", "z": [1]}], "layout": {}})
    assert bar._plotly.name.startswith("plotly.js full ")
    assert bar._figure_rev == 1 and front.figure == bar.plot


def test_a_click_opens_the_event_and_the_same_click_again_still_counts(mini_story, tables) -> None:
    ex = Explorer(mini_story, tables, lang="en")
    trace = next(i for i, t in enumerate(ex.chart.data) if t["x"])
    event = ex.chart.data[trace]["customdata"][0][0]

    def from_front_end(content: Any) -> None:  # as ipywidgets hands on a custom message
        ex.chart._handle_custom_msg(content, [])

    from_front_end({"event": "hover", "trace": trace, "point": 0})
    assert ex.filter.selected != event, "hovering opens nothing"
    from_front_end({"event": "click", "trace": trace, "point": 0})
    assert ex.filter.selected == event and ex.card.value
    ex.select(None)
    from_front_end({"event": "click", "trace": trace, "point": 0})
    assert ex.filter.selected == event
    from_front_end({"event": "click", "trace": None, "point": None})  # a click on no point


def test_flatten_keeps_lists_and_empty_dicts_whole() -> None:
    assert flatten({"marker": {"size": [1], "line": {"width": 2}}, "x": [1], "meta": {}}) == {
        "marker.size": [1],
        "marker.line.width": 2,
        "x": [1],
        "meta": {},
    }


def test_the_front_end_uses_plotly_js_documented_api_only() -> None:
    """chart.js handles every message the kernel sends, calls only plotly.js's documented
    functions, and is small (it travels with every chart; plotly.js travels once)."""
    js = FRONT_END.read_text(encoding="utf-8")
    assert Chart._esm == js and len(js) < 20_000
    for kind in ("react", "restyle", "relayout", "fit"):
        assert f'"{kind}"' in js, kind
    called = set(re.findall(r"\bPlotly\.([\w.]+)\(", js))
    assert called <= {"react", "restyle", "relayout", "Plots.resize", "purge"}, called
    assert '"plotly_click"' in js and 'event: "click"' in js
    for name in ("_figure_data", "_figure_layout", "_figure_rev", "_config", "_plotly"):
        assert f'"{name}"' in js and Chart.class_traits()[name].metadata["sync"], name


def test_widgets_do_not_import_plotlys_figure_widget() -> None:
    """What the Chart saves a kernel: plotly's FigureWidget, its validators and renderers."""
    code = (
        "import sys\n"
        "from parley.story.load import load_story\n"
        "from parley.tables import frames\n"
        "from parley.widgets import Explorer, ScenarioBuilder\n"
        f"s = load_story({str(DATA)!r})\n"
        "t = frames.build_tables(s)\n"
        "Explorer(s, t); ScenarioBuilder(s, t)\n"
        "bad = [m for m in ('plotly.basewidget', 'plotly.graph_objs._figurewidget',\n"
        "       '_plotly_utils.basevalidators', 'plotly.io._renderers') if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_app_mode_draws_figures_with_the_chart_widget(monkeypatch) -> None:
    """In Voilà a figure is a Chart (our front end), not plotly's mimetype, whose renderer
    throws there after drawing; elsewhere it stays the mimetype (JupyterLab, committed
    notebooks)."""
    from parley import nb
    from parley.publish import render

    shown: list[Any] = []
    monkeypatch.setattr(nb, "display", lambda obj, **_: shown.append(obj))
    monkeypatch.setattr(nb, "_live", [])  # (no display handles to relabel here)
    monkeypatch.delenv("PLOTLY_RENDERER", raising=False)
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://127.0.0.1:8866/voila/render/01-overview.ipynb")
    nb.figure("timeline")
    charts = [obj for obj in shown if isinstance(obj, Chart)]
    assert len(charts) == 1 and charts[0].data and charts[0].layout.get("title")
    monkeypatch.delenv("VOILA_REQUEST_URL")
    shown.clear()
    nb.figure("timeline")
    assert any(isinstance(obj, dict) and render.PLOTLY_MIMETYPE in obj for obj in shown)
