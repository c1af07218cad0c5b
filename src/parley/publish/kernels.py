"""Warm kernels that run the notebooks: one per language, every notebook in turn.

Kernel start-up and the pandas/plotly imports are paid once per language, and both
languages run side by side; ``%reset -f`` between notebooks gives each a clean namespace.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import nbformat
from nbformat import NotebookNode

from parley.base.loops import outside_loop
from parley.settings import Settings, kernel_env

KERNEL_TIMEOUT = 600  # seconds per cell


class ExportFailed(Exception):
    pass


def _reset_notebook() -> NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%reset -f")])


def _client(nb: NotebookNode, km: Any, kc: Any, cwd: Path) -> Any:
    """An nbclient runner on an already running kernel (it leaves the kernel running)."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        km=km,
        timeout=KERNEL_TIMEOUT,
        store_widget_state=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.kc = kc  # not a constructor option: set, it stops nbclient starting a new client
    return client


Executed = Callable[[str, Path, NotebookNode, float], None]  # lang, notebook, result, seconds


async def _execute_language(
    lang: str, notebooks: list[Path], env: dict[str, str], log: TextIO, on_done: Executed
) -> None:
    """Run every notebook in one kernel started for ``lang``; ``on_done`` renders each."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.exceptions import CellExecutionError

    cwd = notebooks[0].parent
    km = AsyncKernelManager(kernel_name="python3")
    await km.start_kernel(env=env, cwd=str(cwd), stderr=log, stdout=log)
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=120)
        for n, path in enumerate(notebooks):
            if n:  # a clean namespace per notebook; imported modules stay warm
                await _client(_reset_notebook(), km, kc, cwd).async_execute()
            nb = nbformat.read(path, as_version=4)
            started = time.perf_counter()
            client = _client(nb, km, kc, cwd)
            try:
                await client.async_execute()
            except CellExecutionError as exc:
                raise ExportFailed(f"{path.name} ({lang}): {exc}") from None
            on_done(lang, path, nb, time.perf_counter() - started)
    finally:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)


async def _execute_all(
    runs: list[Settings], notebooks: list[Path], log: TextIO, on_done: Executed
) -> None:
    async with asyncio.TaskGroup() as group:
        for settings in runs:
            env = kernel_env(settings, export=True)
            group.create_task(_execute_language(settings.lang, notebooks, env, log, on_done))


def execute(
    runs: list[Settings], notebooks: list[Path], log: TextIO, on_done: Executed
) -> list[str]:
    """Run ``notebooks`` once per settings (one kernel each, side by side); ``on_done`` gets
    each executed notebook. Returns what went wrong (empty: every notebook ran)."""
    failures: list[str] = []
    try:
        outside_loop(asyncio.run, _execute_all(runs, notebooks, log, on_done))
    except* ExportFailed as group:
        failures += [str(exc) for exc in group.exceptions]
    except* (RuntimeError, TimeoutError) as group:  # a kernel that died or never started
        log.seek(0)
        tail = log.read()[-2000:]
        failures += [f"kernel problem: {exc!r}\n{tail}" for exc in group.exceptions]
    return failures
