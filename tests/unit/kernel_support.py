"""Running test code as a Jupyter kernel runs a cell: inside an event loop that then idles."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from parley.base import loops


def in_a_fresh_thread(fn: Callable[[], Any]) -> Any:
    """``fn()`` in a thread with no event loop (a pytest session may run one: Playwright's)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


def in_a_kernel_cell(cell: Callable[[], Any], idle: float = loops.IDLE_DELAY + 0.3) -> Any:
    """``cell()`` run inside an event loop, as a kernel runs a cell; then the loop idles for
    ``idle`` seconds, as a kernel does between cells. Returns what ``cell`` returned."""

    async def kernel() -> Any:
        result = cell()
        await asyncio.sleep(idle)
        return result

    return in_a_fresh_thread(lambda: asyncio.run(kernel()))
