"""Running blocking work from code that may already be inside an asyncio event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_loop(fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` here, or in a worker thread when this thread runs an event loop.

    Jupyter kernels and Playwright's sync API run a loop; ``asyncio.run`` and Playwright's
    sync API both refuse to start inside one, and a fresh thread has none.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()
