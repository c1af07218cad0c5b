"""App mode's kernel manager: cull what readers left behind, never a kernel just handed out.

`make app` runs Voilà with the settings in the repository's ``voila.json``: a pool of
preheated kernels per notebook (each has already run its notebook when a reader arrives)
and jupyter_server's culling as the safety net behind the page's own shutdown request when
a tab closes. Voilà already keeps its pool out of the culler's reach. What it misses is the
kernel that has just left the pool: its last activity is when it ran the notebook, possibly
long ago, and its reader's browser has not connected yet (the page is still loading, slowly
on a busy server), so with no connection and an old activity stamp the culler would shut it
down under a reader about to use it. This manager leaves a kernel that no page has connected
to yet alone for ``handout_grace`` seconds from the first cull pass that sees it out of the
pool; once a page has connected, the usual idle timeout and connection count decide.

A kernel that a reader never connects to (an HTTP client that read the page and left) is
therefore gone within ``cull_interval + handout_grace + cull_interval`` seconds.

It also queues kernel starts: at most ``start_concurrency`` kernels (default: two per CPU)
start and run their notebook at a time. When more readers arrive than the pool holds, each
waits for a refill; started all at once, twenty kernels on two cores all finish late
together, while queued they finish a few at a time. A kernel a reader is waiting for goes
before the others (Voilà hands a reader the next pool item even if it is still waiting for
its turn), and a turn passes on when the kernel's notebook has run (Voilà's renderer task
ends; kernels Voilà did not start through its pool: busy, then quiet). And a pool that
still holds at least half its kernels ready is topped up only once the machine is quiet, so
that the pages being served do not share the CPU with refills nobody is waiting for yet.

And it makes the server give back the memory a burst of readers used. Each page is rendered
into buffers of a few hundred KB; glibc's malloc serves the first such buffer from its own
mapping, but once one is freed it raises its threshold and serves the next ones from the heap,
where a freed buffer below a live one stays with the process: 40 readers at once left the
server 100 MB larger for good, and each later burst added more. With the threshold fixed at
glibc's default (128 KB), every large buffer is mapped and unmapped on its own (measured: 13
MB left after the first 40, then none).
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import time
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer

M_MMAP_THRESHOLD = -3  # glibc's mallopt() parameter number (malloc.h)
MMAP_THRESHOLD = 128 * 1024  # glibc's default, which it otherwise raises as buffers are freed


def map_large_buffers() -> bool:
    """Fix this process's malloc mmap threshold (see the module); True if glibc took it.
    Elsewhere (no ``mallopt``: macOS; musl ignores it) nothing changes."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


class ClassroomKernelManager(AsyncMappingKernelManager):  # type: ignore[misc]
    """``VoilaConfiguration.multi_kernel_manager_class`` for app mode (see the module)."""

    handout_grace = Integer(
        60,
        config=True,
        help="Seconds a kernel handed to a page is never culled while no page has connected.",
    )

    start_concurrency = Integer(
        0,
        config=True,
        help="Kernels that start and run their notebook at once (0: two per CPU).",
    )
    settle_timeout = Integer(
        120, config=True, help="Seconds a starting kernel holds its turn at most."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        map_large_buffers()  # once per server: it made this manager, once
        self._handed_out: dict[str, float] = {}  # kernel id -> when a cull pass first saw it
        self._connected: set[str] = set()  # kernels a page has been seen connected to
        self._cull_pass = 0  # cull passes so far
        self._last_pass: dict[str, int] = {}  # kernel id -> the last pass that reached here
        per_cpu = self.STARTS_PER_CPU * (os.cpu_count() or 1)
        self._free_turns = self.start_concurrency or per_cpu
        self._waiting: list[tuple[asyncio.Task[Any] | None, asyncio.Future[None]]] = []
        self._settling: set[asyncio.Task[None]] = set()  # (kept referenced while they run)
        # kernel id -> the task running its notebook for the pool (Voilà's renderer)
        self._notebook_runs: dict[str, asyncio.Future[Any]] = {}
        self._last_request = 0.0  # loop time a pool last asked for a kernel
        initialize = getattr(self, "_initialize", None)  # Voilà's pool subclass has it
        if initialize is not None:

            async def initialize_and_watch(notebook: str, *args: Any, **kwargs: Any) -> Any:
                await self._top_up_turn(notebook)
                content = await initialize(notebook, *args, **kwargs)
                self._notebook_runs[content["kernel_id"]] = content["task"]
                return content

            # Voilà starts every pool kernel through this (an instance attribute wins over
            # its subclass's method): a top-up can wait for a quiet machine, and the run's
            # end is the surest sign the turn can pass.
            self._initialize = initialize_and_watch

    # A pool that still holds at least half its kernels ready is topped up once the machine
    # is quiet: no reader arrived for TOP_UP_QUIET s and the CPUs are at least half idle
    # (Linux; elsewhere the time alone), or after TOP_UP_WAIT s at most. Pages being served
    # come first: ten pages loading at once and ten top-ups shared two cores, and all were
    # late (issue 25). Below half, or with a reader waiting, top-ups start at once.
    TOP_UP_QUIET = 3.0
    TOP_UP_WAIT = 60.0
    TOP_UP_IDLE = 0.5
    TOP_UP_POLL = 0.5  # s between looks

    def _wanted_now(self, notebook: str) -> bool:
        """Whether the pool item being filled is needed at once: a reader has taken it from
        the pool (Voilà hands out pool items in order, ready or not), or fewer than half of
        the pool's kernels have run the notebook (the first fill, or readers using it up)."""
        if self._reader_waits(asyncio.current_task()):
            return True
        pool = self._pools[notebook]  # (it is a pool item: the pools exist)
        return 2 * sum(1 for item in pool if item.done()) < len(pool)

    async def _top_up_turn(self, notebook: str) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        self._last_request = now
        if self._wanted_now(notebook):
            return
        deadline = now + self.TOP_UP_WAIT
        idle = CpuIdle()
        while loop.time() < deadline:
            await asyncio.sleep(self.TOP_UP_POLL)
            if self._wanted_now(notebook):
                return
            share = idle.share()
            quiet = loop.time() - self._last_request >= self.TOP_UP_QUIET
            if quiet and (share is None or share >= self.TOP_UP_IDLE):
                return

    # Turns: first the kernels a reader is waiting for (Voilà hands a reader the next pool
    # item, which may still be waiting for its turn), then the others, each in order of
    # arrival.

    def _reader_waits(self, task: asyncio.Task[Any] | None) -> bool:
        pools = getattr(self, "_pools", {}).values()
        return not any(task in pool for pool in pools)  # not a pool item, or handed out

    def _dispatch(self) -> None:
        while self._free_turns > 0 and self._waiting:
            urgent = [w for w in self._waiting if self._reader_waits(w[0])]
            chosen = (urgent or self._waiting)[0]
            self._waiting.remove(chosen)
            self._free_turns -= 1
            chosen[1].set_result(None)

    async def _take_turn(self) -> None:
        turn = asyncio.get_running_loop().create_future()
        waiter = (asyncio.current_task(), turn)
        self._waiting.append(waiter)
        self._dispatch()
        try:
            await turn
        except asyncio.CancelledError:
            if waiter in self._waiting:
                self._waiting.remove(waiter)
            elif turn.done() and not turn.cancelled():
                self._give_turn()
            raise

    def _give_turn(self) -> None:
        self._free_turns += 1
        self._dispatch()

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Start a kernel once it is its turn; the turn passes on once the kernel has run
        what it was started for (busy, then idle for ``SETTLED`` seconds) or ``settle_timeout``."""
        await self._take_turn()
        try:
            kernel_id = str(await super().start_kernel(*args, **kwargs))
        except BaseException:
            self._give_turn()
            raise
        task = asyncio.get_running_loop().create_task(self._pass_turn(kernel_id))
        self._settling.add(task)
        task.add_done_callback(self._settling.discard)
        return kernel_id

    # Kernels starting at once per CPU: a forked kernel's start and its notebook's run wait
    # on messages more than on the CPU (one per CPU left the CPUs half idle; measured in
    # the issue 25 note), and more at once run each other late.
    STARTS_PER_CPU = 2
    SETTLED = 0.5  # s idle after being busy: the notebook has run (forked: in ~0.5 s)
    POLL = 0.2  # s between looks at the kernel's state

    async def _pass_turn(self, kernel_id: str) -> None:
        # "Busy" is seen by sampling, and a fast kernel (forked: see publish.forkserver)
        # runs each cell between two samples, idle while the server sends the next one; so
        # activity between samples (the kernel's last_activity moved thrice: more than its
        # start-up's kernel_info) counts as busy too, and any activity restarts the wait.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settle_timeout
        busy_seen, idle_since = False, None
        last_activity, changes = None, 0
        try:
            while loop.time() < deadline and kernel_id in self:
                try:
                    model = self.kernel_model(kernel_id)
                    state = model.get("execution_state")
                    activity = model.get("last_activity")
                except Exception:  # not stamped yet: look again
                    state, activity = "starting", None
                moved = activity is not None and activity != last_activity
                if moved:
                    changes += last_activity is not None
                    last_activity = activity
                run = self._notebook_runs.get(kernel_id)
                if state == "busy" or changes >= 3 or (run is not None and run.done()):
                    busy_seen = True
                if state == "busy" or moved:
                    idle_since = None
                elif state == "idle" and busy_seen:
                    idle_since = idle_since or loop.time()
                    if loop.time() - idle_since >= self.SETTLED:
                        return
                await asyncio.sleep(self.POLL)
        finally:
            self._notebook_runs.pop(kernel_id, None)
            self._give_turn()

    async def cull_kernels(self) -> None:
        self._cull_pass += 1
        await super().cull_kernels()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        # Voilà's pool manager (a subclass of this one) returns early for its ready pool
        # kernels, so a kernel reaching here has been handed to a reader or is still
        # starting. The grace counts from the first of an unbroken run of passes that
        # reach here: a kernel that went into the pool in between starts afresh.
        if self._last_pass.get(kernel_id) != self._cull_pass - 1:
            self._handed_out[kernel_id] = time.monotonic()
        self._last_pass[kernel_id] = self._cull_pass
        first_seen = self._handed_out[kernel_id]
        if self.connections(kernel_id):
            self._connected.add(kernel_id)
        waited = time.monotonic() - first_seen
        if kernel_id not in self._connected and waited < self.handout_grace:
            return
        await super().cull_kernel_if_idle(kernel_id)

    def connections(self, kernel_id: str) -> int:
        """How many pages are connected to the kernel now (its REST model's count)."""
        try:
            return int(self.kernel_model(kernel_id).get("connections", 0))
        except Exception:  # gone, or still starting (no activity stamp yet): no page
            return 0

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        self._handed_out.pop(kernel_id, None)
        self._last_pass.pop(kernel_id, None)
        self._connected.discard(kernel_id)
        self._notebook_runs.pop(kernel_id, None)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)


class CpuIdle:
    """The share of the machine's CPU time spent idle since the last look (``/proc/stat``);
    None where there is no such file."""

    def __init__(self) -> None:
        self._last = self._read()

    @staticmethod
    def _read() -> tuple[int, int] | None:
        try:
            with open("/proc/stat", encoding="ascii") as stat:
                fields = [int(x) for x in stat.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        return fields[3] + fields[4], sum(fields[:8])  # idle + iowait, all but guests

    def share(self) -> float | None:
        now, last = self._read(), self._last
        self._last = now
        if now is None or last is None or now[1] <= last[1]:
            return None
        return (now[0] - last[0]) / (now[1] - last[1])
