"""App mode's kernels (`make app` with voila.json, culling shortened): a reader who closes
the tab frees their kernel at once, one whose page vanished without a word is culled, and
neither a warm pool kernel nor a reader still on the page is culled however idle."""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from e2e_support import COPY_IGNORE, ROOT, Server, free_port, serve, server_env

pytestmark = pytest.mark.browser

CULL_IDLE = 4  # s: the test's culling timeout (voila.json's default is a minute)
POOL_TIMEOUT = 240.0  # s for the warm pool to fill on a busy machine
OVERVIEW = "01-overview.ipynb"


@pytest.fixture(scope="module")
def short_culling(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`make app` over a copy holding only the overview (one pool: lean), culling after
    CULL_IDLE seconds checked every second; everything else is voila.json's."""
    tmp = tmp_path_factory.mktemp("app-kernels")
    root = tmp / "notebooks"
    root.mkdir()
    shutil.copy(ROOT / "notebooks" / OVERVIEW, root / OVERVIEW)
    shutil.copytree(ROOT / "data", tmp / "data", ignore=COPY_IGNORE)
    port = free_port()
    args = (
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE} "
        "--MappingKernelManager.cull_interval=1"
    )
    env = server_env(tmp)
    env["PARLEY_DATA"] = str(tmp / "data")
    served = f"APP_SERVE={tmp / 'served'}"
    cmd = ["make", "-s", "app", f"APP_PORT={port}", f"APP_ROOT={root}", served, f"APP_ARGS={args}"]
    with serve(cmd, ready_path="/", port=port, env=env, cwd=ROOT, log=tmp / "app.log") as server:
        wait_for_log(server, f"Kernel pool of {OVERVIEW} is filled", POOL_TIMEOUT)
        yield server


def wait_for_log(server: Server, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in server.log.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.5)  # poll the server's log
    pytest.fail(f"no {text!r} in the server's log within {timeout:.0f} s")


def kernel_alive(server: Server, kernel_id: str) -> bool:
    try:
        with urllib.request.urlopen(f"{server.url}/api/kernels/{kernel_id}", timeout=10) as r:
            return json.load(r)["id"] == kernel_id
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return False
        raise


def pool_kernels(server: Server) -> list[str]:
    """The kernels the server started that no page has been given yet (from its log)."""
    log = server.log.read_text(encoding="utf-8", errors="replace")
    started = re.findall(r"Kernel started: ([0-9a-f-]+)", log)
    used = set(re.findall(r"Using pre-heated kernel: ([0-9a-f-]+)", log))
    return [k for k in started if k not in used]


def open_reader(chromium: Any, server: Server) -> tuple[Any, str]:
    """A reader's page, once its widgets are live; returns it with its kernel's id."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/voila/render/{OVERVIEW}", wait_until="commit")
    page.locator(".js-plotly-plot .gtitle").first.wait_for(timeout=180_000)
    kernel = page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    assert kernel
    return page, str(kernel)


def assert_forked(server: Server, timeout: float = 60) -> None:
    """Every kernel the server runs was forked from its kernel template (voila.json's
    provisioner), none launched as `python -m ipykernel_launcher` (a silent fallback).
    Counted once the count is stable (refills may be starting)."""
    from parley.bench.app import TEMPLATE, _cmdline, descendants, kernel_pids

    deadline = time.monotonic() + timeout
    while True:
        log = server.log.read_text(encoding="utf-8", errors="replace")
        started = re.findall(r"Kernel started: ([0-9a-f-]+)", log)
        running = [k for k in started if kernel_alive(server, k)]
        tree = descendants(server.pid)
        forked = kernel_pids(server.pid)
        templates = [p for p in tree if TEMPLATE in _cmdline(p) and p not in forked]
        launched = [p for p in tree if "ipykernel_launcher" in _cmdline(p)]
        assert not launched, "kernels launched without the fork server"
        assert len(templates) == 1, templates
        if running and len(forked) == len(running):
            return
        assert time.monotonic() < deadline, (len(forked), len(running))
        time.sleep(1)  # a refill between the log and the process list: look again


def wait_until_gone(server: Server, kernel_id: str, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not kernel_alive(server, kernel_id):
            return time.monotonic() - started
        time.sleep(0.25)  # poll the kernel's REST model
    pytest.fail(f"kernel {kernel_id} still running {timeout:.0f} s later")


def test_closed_and_vanished_pages_free_their_kernels(short_culling: Server, chromium: Any) -> None:
    server = short_culling
    # A warm pool kernel idles far past the culling timeout and stays.
    time.sleep(CULL_IDLE + 3)
    warm = [k for k in pool_kernels(server) if kernel_alive(server, k)]
    assert warm, "the warm pool was culled"

    staying, staying_kernel = open_reader(chromium, server)
    closing, closing_kernel = open_reader(chromium, server)
    vanishing, vanishing_kernel = open_reader(chromium, server)
    assert len({staying_kernel, closing_kernel, vanishing_kernel}) == 3
    assert_forked(server)  # the pool's and the refills'

    # The tab closes: its page asks the server to shut the kernel down (the _xsrf fix).
    closing.close(run_before_unload=True)
    wait_until_gone(server, closing_kernel, timeout=15)
    assert f"Kernel shutdown: {closing_kernel}" in server.log.read_text(encoding="utf-8")

    # A page that vanishes without a word (a crash, a lost network) after a while on the
    # page (the culler has seen it connected; a kernel no page ever connected to gets the
    # manager's handout grace instead, a minute): culled once idle.
    time.sleep(2)
    vanishing.close()  # no beforeunload, no shutdown request: only the socket closes
    wait_until_gone(server, vanishing_kernel, timeout=CULL_IDLE * 3 + 10)
    assert f"Culling 'idle' kernel 'python3' ({vanishing_kernel})" in server.log.read_text(
        encoding="utf-8"
    )

    # The reader still on their page keeps their kernel, idle as it is.
    assert kernel_alive(server, staying_kernel)
    staying.context.close()
