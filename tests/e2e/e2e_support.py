"""What the end-to-end tests share: paths, the timings they report, and servers.

A server runs as a subprocess in its own session. :func:`serve` waits until it answers
(polling its URL, never a fixed sleep) and at the end stops it with SIGTERM, then kills what
it started (kernels run in sessions of their own) by process id.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NOTEBOOKS = ROOT / "notebooks"
START_TIMEOUT = 180.0  # seconds for a server to answer (it is slow on a busy 2-core box)
TIMINGS: dict[str, str] = {}  # printed at the end of the run (the note reports them)
COPY_IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc), children first found first."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _stop(proc: subprocess.Popen[bytes]) -> None:
    spawned = _descendants(proc.pid)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # the server's own group: make, voila, lab
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    for pid in spawned:  # kernels left behind (they run in sessions of their own)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _tail(log: Path, chars: int = 3000) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-chars:] if log.exists() else ""


def wait_until_answering(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)  # poll interval while the port opens
    pytest.fail(f"{url} did not answer within {START_TIMEOUT:.0f} s:\n{_tail(log)}")


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:PORT (no trailing slash)
    log: Path
    token: str = ""
    pid: int = 0  # the server's command (its process group)


@contextmanager
def serve(
    cmd: list[str], *, ready_path: str, port: int, env: dict[str, str], cwd: Path, log: Path
) -> Iterator[Server]:
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_answering(url + ready_path, proc, log)
        yield Server(url, log, pid=proc.pid)
    finally:
        _stop(proc)


_CONSOLE: dict[int, list[str]] = {}  # per page (its id): what watch_console collected


def watch_console(page: Any) -> None:
    """Collect ``page``'s console errors and uncaught exceptions from now on."""
    errors = _CONSOLE.setdefault(id(page), [])

    def console(message: Any) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            errors.append(f"console: {message.text} ({where})")

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))


def console_errors(page: Any) -> list[str]:
    """The console errors and uncaught exceptions of ``page`` so far (the browser's own
    "Failed to load resource" lines included: a missing file is an error too)."""
    return list(_CONSOLE.get(id(page), []))


def assert_no_console_errors(page: Any) -> None:
    errors = console_errors(page)
    assert not errors, f"{len(errors)} console errors:\n" + "\n".join(errors)


# What the Chart widgets' front end (src/parley/widgets/chart.js) loaded on the page: the
# plotly.js bundles it ran (by name) and the <script> elements it added for them.
PLOTLY_LOADED = """() => [Object.keys(globalThis.__parleyPlotly || {}),
  document.querySelectorAll('script[src^="blob:"]').length,
  document.querySelectorAll('.js-plotly-plot').length]"""


def assert_plotly_once(page: Any, charts: int) -> None:
    """The widget charts on the page draw with one plotly.js, run once: the exports'.
    ``charts``: how many plotly charts the page shows at least."""
    from parley.base.plotlyjs import plotly_bundle

    names, scripts, drawn = page.evaluate(PLOTLY_LOADED)
    assert drawn >= charts, f"{drawn} plotly charts on the page"
    assert names == [plotly_bundle({"scatter"})[1]] and scripts == 1, (names, scripts)


def server_env(tmp: Path) -> dict[str, str]:
    """The environment a reader's server gets, with Jupyter's per-user state kept in tmp (and
    no make state when `make test` runs the tests)."""
    drop = ("JUPYTER", "PARLEY_", "PLOTLY_", "VOILA_", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(
        PARLEY_LANG="ja",
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    return env
