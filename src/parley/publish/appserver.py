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

It also queues kernel starts: at most ``start_concurrency`` kernels (default: one per CPU)
start and run their notebook at a time. When more readers arrive than the pool holds, each
waits for a refill; started all at once, twenty kernels on two cores all finish late
together, while queued they finish one after another, first come first served.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer


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
        help="Kernels that start and run their notebook at once (0: one per CPU).",
    )
    settle_timeout = Integer(
        120, config=True, help="Seconds a starting kernel holds its turn at most."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handed_out: dict[str, float] = {}  # kernel id -> when a cull pass first saw it
        self._connected: set[str] = set()  # kernels a page has been seen connected to
        self._cull_pass = 0  # cull passes so far
        self._last_pass: dict[str, int] = {}  # kernel id -> the last pass that reached here
        self._turns = asyncio.Semaphore(self.start_concurrency or os.cpu_count() or 1)
        self._settling: set[asyncio.Task[None]] = set()  # (kept referenced while they run)

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Start a kernel once it is its turn; the turn passes on once the kernel has run
        what it was started for (busy, then idle for ``SETTLED`` seconds) or ``settle_timeout``."""
        await self._turns.acquire()
        try:
            kernel_id = str(await super().start_kernel(*args, **kwargs))
        except BaseException:
            self._turns.release()
            raise
        task = asyncio.get_running_loop().create_task(self._pass_turn(kernel_id))
        self._settling.add(task)
        task.add_done_callback(self._settling.discard)
        return kernel_id

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
                if state == "busy" or changes >= 3:
                    busy_seen = True
                if state == "busy" or moved:
                    idle_since = None
                elif state == "idle" and busy_seen:
                    idle_since = idle_since or loop.time()
                    if loop.time() - idle_since >= self.SETTLED:
                        return
                await asyncio.sleep(self.POLL)
        finally:
            self._turns.release()

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
        await super().shutdown_kernel(kernel_id, *args, **kwargs)
