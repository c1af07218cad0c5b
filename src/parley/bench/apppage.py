"""``parley bench-app --one-page N``: where one app page's time and CPU go.

A fresh `make app` server with warm pools (as :mod:`parley.bench.app`), then ``N`` Chromium
pages of 01-overview opened one after another, each alone, each in a fresh browser context
(nothing cached, as a new reader). For each page, until its widgets are live (the bench's
own readiness: the language switch drawn and the first chart's title):

- the renderer's main-thread CPU (Chrome DevTools Protocol ``Performance.getMetrics`` in
  thread ticks: TaskDuration, ScriptDuration, LayoutDuration, RecalcStyleDuration), which
  a busy machine disturbs little, unlike wall time;
- what the page fetched: requests and bytes per resource type, and per origin (Voilà's own
  bundle, each JupyterLab extension, the template's static files, the page itself);
- the kernel's websocket: frames and bytes received, and the Jupyter messages by type
  (``comm_msg/update_states`` is the widget manager's one reply with every widget's state);
- CPU of the server process and of its kernels from the page's request until the server is
  quiet again (the kernels' share includes the pool refilling the kernel the page took);
- charts drawn when live, of the Chart widgets on the page.

Median of the pages in the table, each page's figures in the log. Bounded like the app
bench: timeouts everywhere, the server stopped (and what it started killed) at the end.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from parley.bench import app as appbench
from parley.bench.records import Record, Sample, log, table, write_json

METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
SETTLE = 300.0  # s for the server and its kernels to be quiet again after a page
CHARTS = """() => [document.querySelectorAll('.js-plotly-plot').length,
  document.querySelectorAll('.parley-chart-widget').length]"""
# Where a request went: Voilà's bundle, one JupyterLab extension, the template's files…
_ORIGIN = re.compile(
    r"/voila/(labextensions/(?:@[^/]+/)?[^/?]+|static|templates/[^/]+/static|render|api/\w+)"
)


def origin(url: str) -> str:
    """The part of the server a URL asks (``labextensions/anywidget``, ``static``…)."""
    if url.startswith(("blob:", "data:")):
        return "page's own (blob:, data:)"
    match = _ORIGIN.search(url)
    return match.group(1) if match else "other"


def message_kind(payload: bytes | str) -> str:
    """A kernel websocket frame's Jupyter message type, with the widget method for comm
    messages (``comm_msg/update_states``); ``?`` for what is not a Jupyter message.
    Binary frames are Jupyter's v1 websocket protocol (offsets, then channel, header,
    parent header, metadata, content, buffers); text frames are one JSON message."""
    header: Any = None
    content: Any = None
    try:
        if isinstance(payload, bytes):
            (count,) = struct.unpack_from("<Q", payload, 0)
            offsets = list(struct.unpack_from(f"<{count}Q", payload, 8))
            parts = [payload[a:b] for a, b in pairwise(offsets)]
            header = json.loads(parts[1]) if len(parts) > 1 else None
            content = json.loads(parts[4]) if len(parts) > 4 else None
        else:
            message = json.loads(payload)
            header, content = message.get("header"), message.get("content")
    except (ValueError, struct.error, AttributeError, UnicodeDecodeError):
        return "?"
    kind = header.get("msg_type") if isinstance(header, dict) else None
    if not isinstance(kind, str):
        return "?"
    if kind.startswith("comm_"):
        data = content.get("data") if isinstance(content, dict) else None
        method = data.get("method") if isinstance(data, dict) else None
        kind += f"/{method}" if isinstance(method, str) else ""
    return kind


@dataclass
class PageProfile:
    live_s: float | None  # wall seconds to widgets live (shared load disturbs it)
    metrics: dict[str, float]  # renderer main-thread CPU seconds (METRICS)
    requests: Counter[str] = field(default_factory=Counter)  # resource type -> count
    request_kb: Counter[str] = field(default_factory=Counter)  # resource type -> KB
    origin_kb: Counter[str] = field(default_factory=Counter)  # origin() -> KB
    frames: int = 0  # websocket frames received
    frame_kb: float = 0.0
    messages: Counter[str] = field(default_factory=Counter)  # message_kind() -> count
    message_kb: Counter[str] = field(default_factory=Counter)
    server_cpu_s: float = 0.0  # the server process (static files, websockets, rendering)
    kernels_cpu_s: float = 0.0  # every kernel, the pool's refill among them
    charts_drawn: int = 0
    charts: int = 0


def _server_processes(server: appbench.AppServer) -> list[int]:
    """The server's own processes (`make` and Voilà), not its kernels."""
    pids = [server.pid, *appbench.descendants(server.pid)]
    kernels = {p for p in pids if "ipykernel" in appbench._cmdline(p)}
    kernels |= {c for k in kernels for c in appbench.descendants(k)}
    return [p for p in pids if p not in kernels]


def profile_page(server: appbench.AppServer, browser: Any) -> PageProfile:
    """One page on ``server``, alone, in a fresh context (see the module's docstring)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(appbench.PAGE_READY_JS)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
        cdp.send("Network.enable")
        profile = PageProfile(None, {})
        types: dict[str, tuple[str, str]] = {}

        def responded(event: dict[str, Any]) -> None:
            types[event["requestId"]] = (event["type"], event["response"]["url"])

        def finished(event: dict[str, Any]) -> None:
            kind, url = types.get(event["requestId"], ("Other", ""))
            kb = event["encodedDataLength"] / 1024
            profile.requests[kind] += 1
            profile.request_kb[kind] += kb
            profile.origin_kb[origin(url)] += kb

        def received(event: dict[str, Any]) -> None:
            frame = event["response"]
            data = frame["payloadData"]
            payload = base64.b64decode(data) if frame["opcode"] == 2 else data
            size = len(payload) / 1024
            profile.frames += 1
            profile.frame_kb += size
            kind = message_kind(payload)
            profile.messages[kind] += 1
            profile.message_kb[kind] += size

        cdp.on("Network.responseReceived", responded)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.webSocketFrameReceived", received)
        serving = _server_processes(server)  # make, voila (its kernels apart)
        server_before = appbench.cpu_seconds(serving)
        all_before = appbench.cpu_seconds([server.pid, *appbench.descendants(server.pid)])
        began_ms = time.time() * 1000
        page.goto(f"{server.url}/voila/render/{appbench.NOTEBOOK}", wait_until="commit")
        deadline = time.monotonic() + appbench.READER_TIMEOUT
        live_at = None
        while live_at is None and time.monotonic() < deadline:
            live_at = page.evaluate(appbench.LIVE_AT)
            time.sleep(0.05)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        profile.metrics = {name: float(metrics.get(name, 0.0)) for name in METRICS}
        profile.charts_drawn, profile.charts = page.evaluate(CHARTS)
        if live_at is not None:
            profile.live_s = (float(live_at) - began_ms) / 1000
    finally:
        context.close()  # the page's kernel is shut down, as when a reader leaves
    appbench.wait_quiet(server, time.monotonic() + SETTLE, every=1.0)
    now = [server.pid, *appbench.descendants(server.pid)]
    profile.server_cpu_s = appbench.cpu_seconds(serving) - server_before
    # (a kernel that stopped meanwhile takes its CPU time with it: this is a lower bound)
    profile.kernels_cpu_s = appbench.cpu_seconds(now) - all_before - profile.server_cpu_s
    return profile


def describe(n: int, p: PageProfile) -> str:
    live = f"{p.live_s:.2f} s" if p.live_s is not None else "never"
    cpu = ", ".join(f"{name} {p.metrics[name]:.3f} s" for name in METRICS)
    kinds = ", ".join(f"{k} {p.requests[k]} / {p.request_kb[k]:.0f} KB" for k in p.requests)
    origins = ", ".join(f"{k} {kb:.0f} KB" for k, kb in p.origin_kb.most_common())
    messages = ", ".join(f"{k} ×{c} {p.message_kb[k]:.0f} KB" for k, c in p.messages.items())
    return (
        f"page {n}: widgets live {live}; charts drawn {p.charts_drawn} of {p.charts}\n"
        f"  renderer main thread (CPU): {cpu}\n"
        f"  requests: {kinds}\n  by origin: {origins}\n"
        f"  websocket received: {p.frames} frames, {p.frame_kb:.0f} KB: {messages}\n"
        f"  CPU until quiet: server {p.server_cpu_s:.2f} s, kernels {p.kernels_cpu_s:.2f} s"
    )


def records(profiles: list[PageProfile]) -> list[Record]:
    n = len(profiles)

    def row(name: str, values: list[float], unit: str, note: str = "") -> Record:
        sample = Sample(values)
        return Record(
            "app-page",
            name,
            sample.median,
            unit,
            low=sample.low,
            high=sample.high,
            runs=n,
            note=note,
        )

    lives = [p.live_s for p in profiles if p.live_s is not None]
    rows = [
        row("one page: widgets live (wall)", lives, "s", "alone on a warm server")
        if lives
        else Record("app-page", "one page: widgets live (wall)", None, "s", note="never live"),
    ]
    for name in METRICS:
        rows.append(
            row(f"one page: renderer {name} (CPU)", [p.metrics[name] for p in profiles], "s")
        )
    rows += [
        row("one page: requests", [float(sum(p.requests.values())) for p in profiles], "req"),
        row("one page: bytes fetched", [sum(p.request_kb.values()) for p in profiles], "KB"),
        row("one page: websocket bytes received", [p.frame_kb for p in profiles], "KB"),
        row("one page: server CPU until quiet", [p.server_cpu_s for p in profiles], "s"),
        row(
            "one page: kernels CPU until quiet",
            [p.kernels_cpu_s for p in profiles],
            "s",
            "includes the pool refilling the kernel the page took",
        ),
        row(
            "one page: charts drawn when live", [float(p.charts_drawn) for p in profiles], "charts"
        ),
    ]
    return rows


def run(root: Path, out_dir: Path, pages: int) -> int:
    """``pages`` single pages on one fresh warm server; the table and
    ``out_dir/bench-app-page.json``. Returns 0 when it ran."""
    from parley.publish.chromium import launch

    work = Path(tempfile.mkdtemp(prefix="parley-bench-app-page-"))
    pools = len(list((root / "notebooks").glob("*.ipynb")))
    profiles: list[PageProfile] = []
    log("one page at a time: starting a fresh server (pools warm first) …")
    try:
        with appbench.app_server(root, work, pools) as server, launch() as browser:
            for n in range(pages):
                profile = profile_page(server, browser)
                profiles.append(profile)
                log(describe(n, profile))
    except (OSError, RuntimeError, TimeoutError) as exc:
        log(f"one page at a time: not measured: {exc}")
    if not profiles:
        return 1
    rows = records(profiles)
    path = write_json(rows, out_dir / "bench-app-page.json")
    print(table(rows))
    print(f"wrote {path} ({len(rows)} records)")
    return 0
