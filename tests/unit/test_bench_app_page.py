"""`parley bench-app --one-page`'s parts that need no browser: naming a kernel websocket
frame's Jupyter message (both wire formats the server speaks), where a request went, the
records, and the command line."""

from __future__ import annotations

import json
from collections import Counter

from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

from parley import cli
from parley.bench.apppage import PageProfile, message_kind, origin, records


def _message(msg_type: str, content: dict) -> dict:
    return {
        "header": {"msg_type": msg_type, "msg_id": "1"},
        "parent_header": {},
        "metadata": {},
        "content": content,
        "buffers": [],
    }


def _v1(message: dict, channel: str) -> bytes:
    """A message as jupyter_server frames it for the v1 websocket protocol."""
    return serialize_msg_to_ws_v1(message, channel, pack=lambda part: json.dumps(part).encode())


def test_message_kind_reads_both_websocket_protocols() -> None:
    states = _message("comm_msg", {"comm_id": "c", "data": {"method": "update_states"}})
    status = _message("status", {"execution_state": "idle"})
    # Jupyter's v1 binary protocol, as jupyter_server itself frames a message
    assert message_kind(_v1(states, "iopub")) == "comm_msg/update_states"
    assert message_kind(_v1(status, "iopub")) == "status"
    # the legacy protocol: one JSON text frame
    assert message_kind(json.dumps({**states, "channel": "iopub"})) == "comm_msg/update_states"
    opened = _message("comm_open", {"comm_id": "c", "target_name": "jupyter.widget"})
    assert message_kind(json.dumps(opened)) == "comm_open"
    for junk in (b"", b"\x01", "not json", "[]", json.dumps({"header": 3})):
        assert message_kind(junk) == "?"


def test_origin_names_the_part_of_the_server_asked() -> None:
    base = "http://127.0.0.1:8866/voila/"
    assert origin(base + "labextensions/anywidget/static/528.js?v=1") == "labextensions/anywidget"
    assert (
        origin(base + "labextensions/@jupyter-widgets/jupyterlab-manager/static/84.js")
        == "labextensions/@jupyter-widgets/jupyterlab-manager"
    )
    assert origin(base + "static/voila.js") == "static"
    assert origin(base + "templates/parley/static/index.css") == "templates/parley/static"
    assert origin(base + "render/01-overview.ipynb") == "render"
    assert origin("blob:http://127.0.0.1:8866/abc") == "page's own (blob:, data:)"
    assert origin("https://cdn.example.org/x.js") == "other"


def _profile(live: float | None, task: float) -> PageProfile:
    metrics = dict.fromkeys(("TaskDuration", "ScriptDuration", "LayoutDuration"), task)
    metrics["RecalcStyleDuration"] = task
    return PageProfile(
        live,
        metrics,
        requests=Counter(Script=100),
        request_kb=Counter(Script=5000.0),
        charts_drawn=1,
        charts=7,
    )


def test_records_are_the_median_of_the_pages() -> None:
    rows = {
        r.name: r for r in records([_profile(3.0, 1.0), _profile(5.0, 1.4), _profile(4.0, 1.2)])
    }
    live = rows["one page: widgets live (wall)"]
    assert (live.value, live.low, live.high, live.runs) == (4.0, 3.0, 5.0, 3)
    assert rows["one page: renderer TaskDuration (CPU)"].value == 1.2
    assert rows["one page: bytes fetched"].value == 5000.0
    never = records([_profile(None, 1.0)])
    assert never[0].value is None and "never" in never[0].note


def test_one_page_count_is_bounded(capsys) -> None:
    assert cli.main(["bench-app", "--one-page", "50"]) == 2
    assert "--one-page" in capsys.readouterr().err
