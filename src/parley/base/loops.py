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


IDLE_DELAY = 1.0  # s: past a notebook's "Run All", before a reader reaches for a control


def when_idle(fn: Callable[[], object], delay: float = IDLE_DELAY) -> None:
    """``fn()`` in ``delay`` seconds, once this thread's event loop is free (in a kernel:
    between cells, never inside one), or right away where no loop runs.

    For work that is only ahead of need: if it fails, whoever needs the result builds it
    then and reports the error where the reader sees it, so a failure here is dropped.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        fn()
        return

    def run() -> None:
        try:
            fn()
        except Exception:  # see the docstring
            pass

    loop.call_later(delay, run)
