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
"""

from __future__ import annotations

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

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handed_out: dict[str, float] = {}  # kernel id -> when a cull pass first saw it
        self._connected: set[str] = set()  # kernels a page has been seen connected to

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        # Voilà's pool manager (a subclass of this one) returns early for pooled kernels;
        # a kernel reaching here has been handed to a reader.
        first_seen = self._handed_out.setdefault(kernel_id, time.monotonic())
        if self.connections(kernel_id):
            self._connected.add(kernel_id)
        waited = time.monotonic() - first_seen
        if kernel_id not in self._connected and waited < self.handout_grace:
            return
        await super().cull_kernel_if_idle(kernel_id)

    def connections(self, kernel_id: str) -> int:
        """How many pages are connected to the kernel now (its REST model's count)."""
        if kernel_id not in self:
            return 0
        return int(self.kernel_model(kernel_id).get("connections", 0))

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        self._handed_out.pop(kernel_id, None)
        self._connected.discard(kernel_id)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)
