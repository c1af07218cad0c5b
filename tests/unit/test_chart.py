"""The chart widget speaks plotly's FigureWidget protocol: what it sends over the wire, applied
as plotly's front-end model applies it, draws the figure the kernel believes is shown."""

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
from parley.widgets.chart import WIDGET_BUNDLE, Chart, flatten

DATA = Path(__file__).resolve().parents[2] / "data"


def _set(target: Any, dotted: str, value: Any) -> None:
    """lodash's _.set / _.unset on a dotted path, as the front end's model uses them."""
    *parents, last = dotted.split(".")
    for key in parents:
        target = target.setdefault(key, {})
    if value is None:
        target.pop(last, None)
    else:
        target[last] = copy.deepcopy(value)


class FrontEnd:
    """plotly's front-end FigureModel (js/src/widget.ts), reduced to the messages it handles:
    the figure a view opened now would draw."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.data = copy.deepcopy(state["_widget_data"])
        self.layout = copy.deepcopy(state["_widget_layout"])
        self.received: list[str] = []  # the names of the non-empty updates since it opened

    def receive(self, state: dict[str, Any]) -> None:
        for name, msg in state.items():
            if msg is None:
                continue
            self.received.append(name)
            if name == "_py2js_addTraces":
                self.data.extend(copy.deepcopy(msg["trace_data"]))
            elif name == "_py2js_deleteTraces":
                for i in sorted(msg["delete_inds"], reverse=True):
                    del self.data[i]
            elif name == "_py2js_restyle":
                traces = msg["restyle_traces"]
                for key, values in msg["restyle_data"].items():
                    for n, t in enumerate(traces):
                        _set(self.data[t], key, values[n % len(values)])
            elif name == "_py2js_relayout":
                for key, value in msg["relayout_data"].items():
                    _set(self.layout, key, value)
            elif name in ("_widget_data", "_widget_layout"):
                setattr(self, name.removeprefix("_widget_"), copy.deepcopy(msg))
            elif name.startswith("_py2js_"):
                raise AssertionError(f"a message the front end would need: {name}")

    @property
    def figure(self) -> dict[str, Any]:
        return {"data": self.data, "layout": self.layout}


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> dict[str, FrontEnd]:
    """Every Chart's front end, fed what the kernel really sends (its comm messages)."""
    ends: dict[str, FrontEnd] = {}
    opened = Chart.open

    def open_(self: Chart) -> None:
        opened(self)
        ends[self.model_id] = FrontEnd(self.get_state())
        self.comm.send = lambda data=None, buffers=None, **_: ends[self.model_id].receive(
            data["state"]
        )

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
    assert front.layout["autosize"] is True


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
    chart.observe(lambda ch: ch["new"] and sent.append(ch["new"]), names="_py2js_restyle")
    chart.restyle_traces({0: {"x": [1]}, 2: {"x": [3, 3]}, 1: {"marker": {"size": 9}}})
    assert sent == [
        {"restyle_data": {"x": [[1], [3, 3]]}, "restyle_traces": [0, 2]},
        {"restyle_data": {"marker.size": [9]}, "restyle_traces": [1]},
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
    assert chart._widget_data == [{"type": "bar", "x": [1]}]
    assert chart.sync() is chart
    assert chart._widget_data == [{"type": "bar", "x": [2]}]
    chart.restyle(0, {"x": [3]})  # the state is a copy, not the figure being edited
    assert chart._widget_data == [{"type": "bar", "x": [2]}]


def test_a_click_opens_the_event_and_the_same_click_again_still_counts(mini_story, tables) -> None:
    ex = Explorer(mini_story, tables, lang="en")
    trace = next(i for i, t in enumerate(ex.chart.data) if t["x"])
    event = ex.chart.data[trace]["customdata"][0][0]

    def from_front_end(kind: str) -> None:
        ex.chart.set_state(  # as ipywidgets applies a message from the front end
            {
                "_js2py_pointsCallback": {
                    "event_type": kind,
                    "points": {
                        "trace_indexes": [trace],
                        "point_indexes": [0],
                        "xs": [None],
                        "ys": [None],
                    },
                    "device_state": None,
                    "selector": None,
                }
            }
        )

    from_front_end("plotly_hover")
    assert ex.filter.selected != event, "hovering opens nothing"
    from_front_end("plotly_click")
    assert ex.filter.selected == event and ex.card.value
    ex.select(None)
    from_front_end("plotly_click")
    assert ex.filter.selected == event


def test_flatten_keeps_lists_and_empty_dicts_whole() -> None:
    assert flatten({"marker": {"size": [1], "line": {"width": 2}}, "x": [1], "meta": {}}) == {
        "marker.size": [1],
        "marker.line.width": 2,
        "x": [1],
        "meta": {},
    }


def test_plotlys_front_end_handles_every_message_we_send() -> None:
    """A plotly upgrade that renamed the protocol would fail here, not in a reader's notebook."""
    bundle = WIDGET_BUNDLE.read_text(encoding="utf-8")
    ours = [n for n in Chart.class_trait_names() if re.match(r"_(py2js|js2py|widget|last)_", n)]
    assert len(ours) == 10
    for name in ours:
        assert f'"{name}"' in bundle, name


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
