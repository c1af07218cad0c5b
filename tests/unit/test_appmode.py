"""App mode (Voilà): event cards cite sources as readers know them, a text output carries both
languages, the kernel switches in place (and learns a preheated page's ?lang=), and the
kernel manager culls only what readers left behind."""

from __future__ import annotations

import asyncio
import json
import platform
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from kernel_support import in_a_fresh_thread

from parley import i18n, settings
from parley.story.model import Source
from parley.widgets import appmode
from parley.widgets.cards import citation, event_card

pytestmark = pytest.mark.usefixtures("japanese")

VOILA_VARS = ("VOILA_REQUEST_URL", "VOILA_PREHEAT", "VOILA_KERNEL_ID", "QUERY_STRING")


@pytest.fixture
def no_voila(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (*VOILA_VARS, "VOILA_APP_PORT", "VOILA_SERVER_URL", "VOILA_WS_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# --- event cards -----------------------------------------------------------------------


def test_card_cites_publisher_title_and_date_never_an_id(mini_story, tables) -> None:
    card = event_card(mini_story, tables, "vote-day", "en")
    assert (
        'United Nations · <a href="https://example.org/un" target="_blank" '
        'rel="noopener noreferrer">General Assembly adopts resolution</a> · '
        '<time datetime="2025-02-24">2025-02-24</time>'
    ) in card
    # The other account cites the story's seed source: by its publisher and title.
    assert "Another account <small>(元記事 (the original article) · 米ロ関係の現在地は?)" in card
    ids = {s.id for s in mini_story.sources}
    assert not [i for i in ids if f"({i})" in card or f">{i}<" in card], card


def test_citation_escapes_every_field() -> None:
    src = Source(
        id="x",
        publisher='<img src=x onerror="alert(1)">',
        title="</a><script>alert(2)</script>",
        url='https://example.org/a?b=1&c="><script>alert(3)</script>',  # type: ignore[arg-type]
        published="2025-01-02",  # type: ignore[arg-type]
        language="en",
        kind="news",
    )
    html = citation(src)
    assert "<script" not in html and "<img" not in html, html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert 'href="https://example.org/a?b=1&amp;c=' in html


# --- both languages in a text output --------------------------------------------------


def test_bilingual_marks_each_language_and_hides_the_other() -> None:
    html = appmode.bilingual({"ja": "<p>日本語</p>", "en": "<p>English</p>"}, "en")
    assert html == (
        '<div class="parley-l parley-off" data-parley-l="ja" lang="ja" hidden><p>日本語</p></div>'
        '<div class="parley-l" data-parley-l="en" lang="en"><p>English</p></div>'
    )


def test_app_mode_shows_text_in_both_languages_and_relabels_charts_in_place(
    no_voila: pytest.MonkeyPatch,
) -> None:
    from parley import nb
    from parley.widgets.chart import Chart

    no_voila.setenv("VOILA_PREHEAT", "True")  # a kernel of Voilà's pool
    shown: list[Any] = []
    no_voila.setattr(nb, "display", lambda obj, **_: shown.append(obj))
    no_voila.setattr(nb, "_live", [])
    nb._show(lambda lang: f"<p>{lang}</p>")
    assert shown[0]["text/html"] == appmode.bilingual({"ja": "<p>ja</p>", "en": "<p>en</p>"}, "ja")

    nb._show(lambda lang: {"data": [], "layout": {"title": {"text": f"title {lang}"}}})
    chart = shown[1]
    assert isinstance(chart, Chart) and chart.layout["title"]["text"] == "title ja"
    i18n.set_lang("en")
    assert chart.layout["title"]["text"] == "title en", "the same chart, relabelled"
    assert len(shown) == 2, "nothing displayed anew"


def test_the_switch_follows_the_kernel_language() -> None:
    toggle: Any = appmode.switch()
    assert appmode.SWITCH_CLASS in toggle._dom_classes and toggle.value == "ja"
    i18n.set_lang("en")
    assert toggle.value == "en"
    toggle.value = "ja"
    assert i18n.get_lang() == "ja"


# --- a preheated kernel learns its reader's request -----------------------------------


def test_pool_kernels_count_as_app_mode(no_voila: pytest.MonkeyPatch) -> None:
    assert not settings.in_app() and appmode.query_url() is None
    no_voila.setenv("VOILA_PREHEAT", "True")
    no_voila.setenv("VOILA_KERNEL_ID", "k1")
    no_voila.setenv("VOILA_APP_PORT", "9999")
    no_voila.setenv("VOILA_SERVER_URL", "/base/")
    assert settings.in_app() and settings.preheated()
    assert appmode.query_url() == "ws://127.0.0.1:9999/base/voila/query/k1"
    no_voila.setenv("VOILA_PREHEAT", "False")  # a kernel Voilà started for a request
    no_voila.setenv("VOILA_REQUEST_URL", "http://127.0.0.1:9999/voila/render/a.ipynb")
    assert settings.in_app() and appmode.query_url() is None


def test_request_lang_reads_the_query_string(no_voila: pytest.MonkeyPatch) -> None:
    assert appmode.request_lang(json.dumps({"QUERY_STRING": "lang=en&x=1"})) == "en"
    assert settings.language() == "ja"  # the environment has it, but this is no app kernel
    assert appmode.request_lang(json.dumps({"QUERY_STRING": "lang=xx"})) is None
    assert appmode.request_lang(json.dumps({"QUERY_STRING": ""})) is None
    assert appmode.request_lang("not json") is None
    assert appmode.request_lang("[1, 2]") is None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_follow_request_switches_on_the_kernel_loop(no_voila: pytest.MonkeyPatch) -> None:
    """A server like Voilà's query socket sends the request: the kernel's own loop (not the
    listening thread) applies its language, and the notebook never waited for it."""
    import threading

    import websockets

    port = _free_port()
    no_voila.setenv("VOILA_PREHEAT", "True")
    no_voila.setenv("VOILA_KERNEL_ID", "k2")
    no_voila.setenv("VOILA_APP_PORT", str(port))
    no_voila.setenv("VOILA_SERVER_URL", "/")
    asked: list[str] = []

    async def handler(connection: Any) -> None:
        asked.append(connection.request.path)
        await asyncio.sleep(0.2)  # the request comes later than the notebook's first cell
        await connection.send(json.dumps({"QUERY_STRING": "lang=en"}))

    async def kernel() -> tuple[bool, list[tuple[str, bool]]]:
        applied: list[tuple[str, bool]] = []
        main = threading.current_thread()
        async with websockets.serve(handler, "127.0.0.1", port):
            listening = appmode.follow_request(
                lambda lang: applied.append((lang, threading.current_thread() is main))
            )
            assert not applied  # returned at once
            for _ in range(100):
                if applied:
                    break
                await asyncio.sleep(0.05)
        return listening, applied

    listening, applied = in_a_fresh_thread(lambda: asyncio.run(kernel()))
    assert listening and asked == ["/voila/query/k2"]
    assert applied == [("en", True)]


# --- the kernel manager: cull what readers left, not what was just handed out ----------


def test_a_kernel_no_page_connected_to_yet_is_not_culled(monkeypatch: pytest.MonkeyPatch) -> None:
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    from parley.publish import appserver

    forwarded: list[str] = []

    async def cull(self: Any, kernel_id: str) -> None:
        forwarded.append(kernel_id)

    monkeypatch.setattr(AsyncMappingKernelManager, "cull_kernel_if_idle", cull)
    now = [1000.0]
    monkeypatch.setattr(appserver.time, "monotonic", lambda: now[0])
    manager = appserver.ClassroomKernelManager(cull_idle_timeout=4, handout_grace=60)
    connected = {"slow": 0, "read": 1, "pooled": 0}
    monkeypatch.setattr(manager, "connections", lambda kernel_id: connected[kernel_id])

    def cull_pass(*kernels: str) -> list[str]:
        """One pass of the culler over the kernels that reach this manager (Voilà's pool
        manager keeps its ready kernels from it)."""
        forwarded.clear()
        manager._kernels = dict.fromkeys(kernels)
        # A thread of its own: the browser tests' Playwright keeps a loop on this one.
        in_a_fresh_thread(lambda: asyncio.run(manager.cull_kernels()))
        return list(forwarded)

    # "slow": handed out, its page still loading; "read": a page connected to it;
    # "pooled": still starting (so not yet protected as part of the pool).
    assert cull_pass("slow", "read", "pooled") == ["read"], "connected: the usual checks"
    now[0] += 59
    connected["read"] = 0  # its reader left; it stays subject to the usual checks
    assert cull_pass("slow", "read") == ["read"]  # "pooled" is ready in the pool now
    now[0] += 2
    assert cull_pass("slow", "read", "pooled") == ["slow", "read"], "no page came: as usual"
    now[0] += 30  # "pooled" was handed out when it reached here again: a grace of its own
    assert cull_pass("pooled") == []
    now[0] += 31
    assert cull_pass("pooled") == ["pooled"]


def _counted_starts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Kernel starts that only count ("k1", "k2", …): the list fills as they happen."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    started: list[str] = []

    async def start(self: Any, *args: Any, **kwargs: Any) -> str:
        kernel_id = f"k{len(started) + 1}"
        started.append(kernel_id)
        self._kernels[kernel_id] = None
        return kernel_id

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", start)
    return started


def test_kernel_starts_queue_one_per_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """With two turns, a third kernel starts only once one of the first two has run its
    notebook (busy, then idle for a moment): a burst is served in order, not all late."""
    from parley.publish import appserver

    started = _counted_starts(monkeypatch)
    monkeypatch.setattr(appserver.ClassroomKernelManager, "SETTLED", 0.05)
    monkeypatch.setattr(appserver.ClassroomKernelManager, "POLL", 0.01)
    states: dict[str, str] = {}

    async def burst() -> list[list[str]]:
        manager = appserver.ClassroomKernelManager(start_concurrency=2)
        monkeypatch.setattr(
            manager, "kernel_model", lambda k: {"execution_state": states.get(k, "starting")}
        )
        seen = []
        tasks = [asyncio.create_task(manager.start_kernel()) for _ in range(3)]
        await asyncio.sleep(0.2)
        seen.append(list(started))  # two turns taken, the third waits
        states["k1"] = "busy"  # k1 runs its notebook…
        await asyncio.sleep(0.2)
        seen.append(list(started))  # …still its turn
        states["k1"] = "idle"  # …and has run it
        await asyncio.gather(*tasks)
        seen.append(list(started))
        return seen

    assert in_a_fresh_thread(lambda: asyncio.run(burst())) == [
        ["k1", "k2"],
        ["k1", "k2"],
        ["k1", "k2", "k3"],
    ]


def test_a_kernel_too_fast_to_be_seen_busy_passes_its_turn_once_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A forked kernel runs each cell between two looks at its state (idle at every look);
    its activity stamps moving count as having run, and the turn passes once they stop."""
    from parley.publish import appserver

    started = _counted_starts(monkeypatch)
    monkeypatch.setattr(appserver.ClassroomKernelManager, "SETTLED", 0.3)
    monkeypatch.setattr(appserver.ClassroomKernelManager, "POLL", 0.01)
    activity = {"k1": 0}

    async def burst() -> list[list[str]]:
        manager = appserver.ClassroomKernelManager(start_concurrency=1)
        monkeypatch.setattr(
            manager,
            "kernel_model",
            lambda k: {"execution_state": "idle", "last_activity": str(activity.get(k, 0))},
        )
        seen = []
        tasks = [asyncio.create_task(manager.start_kernel()) for _ in range(2)]
        await asyncio.sleep(0.2)
        seen.append(list(started))  # idle at every look, no activity: not run yet
        for _ in range(5):  # cells run between looks
            activity["k1"] += 1
            await asyncio.sleep(0.03)
        seen.append(list(started))  # (still active a moment ago)
        # Quiet now: the turn passes within SETTLED, not at settle_timeout (two minutes).
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)
        seen.append(list(started))
        return seen

    assert in_a_fresh_thread(lambda: asyncio.run(burst())) == [["k1"], ["k1"], ["k1", "k2"]]


def test_a_kernel_whose_notebook_run_ended_passes_its_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pool kernel idle at every look, its activity stamp never moving: the end of the
    task that ran its notebook (Voilà's renderer) is enough, not two minutes' timeout."""
    from parley.publish import appserver

    started = _counted_starts(monkeypatch)
    monkeypatch.setattr(appserver.ClassroomKernelManager, "SETTLED", 0.05)
    monkeypatch.setattr(appserver.ClassroomKernelManager, "POLL", 0.01)

    async def burst() -> list[list[str]]:
        manager = appserver.ClassroomKernelManager(start_concurrency=1)
        monkeypatch.setattr(
            manager, "kernel_model", lambda k: {"execution_state": "idle", "last_activity": "t"}
        )
        run = asyncio.get_running_loop().create_future()
        seen = []
        tasks = [asyncio.create_task(manager.start_kernel()) for _ in range(2)]
        await asyncio.sleep(0.2)
        manager._notebook_runs["k1"] = run  # (what the _initialize wrapper records)
        await asyncio.sleep(0.2)
        seen.append(list(started))  # running its notebook: still its turn
        run.set_result(None)
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)
        seen.append(list(started))
        return seen

    assert in_a_fresh_thread(lambda: asyncio.run(burst())) == [["k1"], ["k1", "k2"]]


class _Pooled:
    """What Voilà's pool manager adds to the kernel manager, reduced to what ours uses:
    ``_pools`` (notebook -> its pool items, tasks) and ``_initialize``, through which every
    pool item starts its kernel."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[call-arg]
        self._pools: dict[str, list[asyncio.Task[Any]]] = {}

    async def _initialize(self, notebook: str, kernel_id: Any = None, **kwargs: Any) -> Any:
        kernel_id = await self.start_kernel()  # type: ignore[attr-defined]
        task = asyncio.get_running_loop().create_future()
        task.set_result(None)
        return {"kernel_id": kernel_id, "task": task}


def _pooled_manager(turns: int) -> Any:
    from parley.publish import appserver

    cls = type("Pooled", (_Pooled, appserver.ClassroomKernelManager), {})
    return cls(start_concurrency=turns)


def test_a_reader_waiting_for_a_pool_item_gets_the_next_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Voilà hands a reader the next pool item, ready or not; the item a reader took starts
    before the top-ups that asked for a turn earlier."""
    from parley.publish import appserver

    monkeypatch.setattr(appserver.ClassroomKernelManager, "SETTLED", 0.05)
    monkeypatch.setattr(appserver.ClassroomKernelManager, "POLL", 0.01)
    order: list[str] = []

    async def scenario() -> list[str]:
        manager = _pooled_manager(turns=1)
        monkeypatch.setattr(manager, "_wanted_now", lambda notebook: True)
        holder = asyncio.get_running_loop().create_future()

        async def item(name: str) -> None:
            await manager._take_turn()
            order.append(name)
            if name == "first":
                await holder
            manager._give_turn()

        first = asyncio.create_task(item("first"))
        await asyncio.sleep(0.05)
        early = asyncio.create_task(item("top-up"))
        taken = asyncio.create_task(item("taken"))
        manager._pools["nb"] = [early, taken]
        await asyncio.sleep(0.05)
        manager._pools["nb"].remove(taken)  # a reader took it: it waits for this one
        holder.set_result(None)
        await asyncio.wait_for(asyncio.gather(first, early, taken), timeout=5)
        return order

    assert in_a_fresh_thread(lambda: asyncio.run(scenario())) == ["first", "taken", "top-up"]


def test_a_pool_half_ready_or_more_is_topped_up_once_the_machine_is_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from parley.publish import appserver

    monkeypatch.setattr(appserver.ClassroomKernelManager, "TOP_UP_QUIET", 0.1)
    monkeypatch.setattr(appserver.ClassroomKernelManager, "TOP_UP_POLL", 0.02)
    idle = [0.1]
    monkeypatch.setattr(appserver.CpuIdle, "share", lambda self: idle[0])

    async def scenario() -> list[str]:
        loop = asyncio.get_running_loop()
        manager = _pooled_manager(turns=2)
        ready = [loop.create_future() for _ in range(3)]
        for future in ready:
            future.set_result(None)
        seen = []

        async def top_up() -> None:
            await manager._top_up_turn("nb")

        # Four pool items, three ready: this top-up (the fourth) is not needed now.
        waiting = asyncio.create_task(top_up())
        manager._pools["nb"] = [*ready, waiting]
        await asyncio.sleep(0.5)  # long since quiet by the clock, but the CPU is busy
        seen.append("waits while the CPU is busy" if not waiting.done() else "went")
        idle[0] = 0.9  # the machine is quiet now
        await asyncio.wait_for(waiting, timeout=5)
        seen.append("went once quiet")

        # The same, but a reader takes the item: it goes at once, however busy the CPU.
        idle[0] = 0.1
        taken = asyncio.create_task(top_up())
        manager._pools["nb"] = [*ready, taken]
        await asyncio.sleep(0.1)
        manager._pools["nb"].remove(taken)
        await asyncio.wait_for(taken, timeout=2)
        seen.append("taken: went")

        # Fewer than half ready (readers are using the pool up): at once.
        manager._pools["nb"] = [ready[0], loop.create_future(), loop.create_future()]
        mine = asyncio.create_task(top_up())
        manager._pools["nb"].append(mine)
        await asyncio.wait_for(mine, timeout=2)
        seen.append("low: went")
        return seen

    assert in_a_fresh_thread(lambda: asyncio.run(scenario())) == [
        "waits while the CPU is busy",
        "went once quiet",
        "taken: went",
        "low: went",
    ]


def test_pool_items_start_through_the_manager_and_their_runs_are_watched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _counted_starts(monkeypatch)

    async def scenario() -> tuple[str, bool]:
        manager = _pooled_manager(turns=1)
        monkeypatch.setattr(manager, "kernel_model", lambda k: {"execution_state": "idle"})
        content = await manager._initialize("nb")
        watched = manager._notebook_runs.get(content["kernel_id"]) is content["task"]
        return content["kernel_id"], watched

    assert in_a_fresh_thread(lambda: asyncio.run(scenario())) == ("k1", True)


def test_cpu_idle_share_is_the_idle_part_of_the_time_between_looks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from parley.publish import appserver

    readings = iter([(100, 1000), (160, 1100), None])
    monkeypatch.setattr(appserver.CpuIdle, "_read", staticmethod(lambda: next(readings)))
    idle = appserver.CpuIdle()
    assert idle.share() == pytest.approx(0.6)
    assert idle.share() is None  # no /proc/stat: the caller goes by time alone


MAPPED_AFTER_A_BIG_FREE = """
import sys
if sys.argv[1] == "fixed":
    from parley.publish.appserver import map_large_buffers
    assert map_large_buffers()
def maps():
    return sum(1 for _ in open("/proc/self/maps"))
x = bytearray(4_000_000); del x  # a freed mapped buffer: glibc raises its threshold past it
before = maps()
y = bytearray(300_000)
print(maps() - before)
"""


@pytest.mark.skipif(
    not Path("/proc/self/maps").exists() or platform.libc_ver()[0] != "glibc",
    reason="glibc on Linux only: elsewhere map_large_buffers changes nothing by design",
)
@pytest.mark.parametrize(("mode", "new_mappings"), [("default", 0), ("fixed", 1)])
def test_the_server_maps_each_large_buffer_on_its_own(mode: str, new_mappings: int) -> None:
    """A page-sized buffer after a bigger one was freed: glibc's default serves it from the
    heap (where it can stay with the process once freed); with the threshold fixed it gets
    its own mapping, unmapped when freed."""
    ran = subprocess.run(
        [sys.executable, "-c", MAPPED_AFTER_A_BIG_FREE, mode],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(ran.stdout) == new_mappings
