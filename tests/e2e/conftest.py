"""End to end: JupyterLab and Voilà on loopback driven by Debian chromium, the PDF handouts,
and Binder's install reproduced in a fresh virtual environment (helpers: e2e_support.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from e2e_support import (
    COPY_IGNORE,
    ROOT,
    TIMINGS,
    Server,
    free_port,
    serve,
    server_env,
    watch_console,
)


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A page whose console errors and uncaught exceptions are collected from the start
    (:func:`e2e_support.console_errors`; the Lab and app tests assert there are none)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch_console(page)
    yield page
    context.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """JupyterLab on loopback over a copy of notebooks/ and data/, so that running the
    notebooks (and autosave) never touches the committed files."""
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "root"
    for name in ("notebooks", "data"):
        shutil.copytree(ROOT / name, root / name, ignore=COPY_IGNORE)
    port = free_port()
    token = "parley-e2e"
    args = " ".join(
        (
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.allow_root=True",  # containers and CI run as root
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
        )
    )
    # `make lab` itself (with its settings overrides: no "Jupyter news?" toast over the
    # notebook), on a free port over the copy.
    cmd = ["make", "-s", "lab", f"LAB_ARGS={args}", "LAB_NOTEBOOK="]
    with serve(
        cmd,
        ready_path=f"/api/status?token={token}",
        port=port,
        env=server_env(tmp),
        cwd=ROOT,
        log=tmp / "lab.log",
    ) as server:
        yield Server(server.url, server.log, token)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`make app` itself, on a free port (Voilà over notebooks/, loopback only)."""
    tmp = tmp_path_factory.mktemp("app")
    port = free_port()
    with serve(
        ["make", "-s", "app", f"APP_PORT={port}", "PARLEY_LANG=ja"],
        ready_path="/",
        port=port,
        env=server_env(tmp),
        cwd=ROOT,
        log=tmp / "app.log",
    ) as server:
        yield server


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TIMINGS:
        terminalreporter.section("end-to-end timings")
        for name, value in TIMINGS.items():
            terminalreporter.write_line(f"{name}: {value}")
