"""App mode's forked kernels: a real template (``python -m parley.appkernel``), kernels
launched through the provisioner by jupyter_client, run, interrupted, shut down, killed;
no zombie or leftover process; the fallback to a normal launch."""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_client import KernelManager
from jupyter_client.provisioning import KernelProvisionerFactory

from parley.publish import forkserver
from parley.publish.forkserver import ForkProvisioner, ForkServer, _Shared, forkable

TIMEOUT = 120  # s: a busy machine


def state(pid: int) -> str | None:
    """The process's state letter (Z: a zombie), None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def wait_gone(pid: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while state(pid) is not None:
        assert state(pid) != "Z" or time.monotonic() < deadline, f"{pid} left a zombie"
        assert time.monotonic() < deadline, f"process {pid} still there"
        time.sleep(0.1)  # poll /proc


@pytest.fixture
def fork_provisioner() -> Iterator[None]:
    """Kernel managers in this test use the fork provisioner (as voila.json makes app
    mode's); the template is stopped afterwards."""
    factory = KernelProvisionerFactory.instance()
    before = factory.default_provisioner_name
    factory.default_provisioner_name = "parley-fork"
    _Shared.reset()
    try:
        yield
    finally:
        factory.default_provisioner_name = before
        _Shared.reset()


def run(km: KernelManager, code: str, timeout: float = TIMEOUT) -> tuple[str, dict[str, Any]]:
    """Execute ``code`` through a client of its own; its stdout and the reply's content."""
    client = km.client()
    client.start_channels()
    try:
        return execute(client, code, timeout)
    finally:
        client.stop_channels()


def execute(client: Any, code: str, timeout: float = TIMEOUT) -> tuple[str, dict[str, Any]]:
    """Execute ``code`` through a started ``client``; its stdout and the reply's content."""
    client.wait_for_ready(timeout=timeout)
    out: list[str] = []

    def hook(msg: dict[str, Any]) -> None:
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])

    reply = client.execute_interactive(code, timeout=timeout, output_hook=hook)
    return "".join(out), reply["content"]


def start(tmp_path: Path, **env: str) -> KernelManager:
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path), env={**os.environ, **env})
    return km


def test_a_forked_kernel_runs_with_its_own_env_and_folder(
    fork_provisioner: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The template runs in Japanese (this process's environment); the kernel in English.
    monkeypatch.setenv("PARLEY_LANG", "ja")
    km = start(tmp_path, PARLEY_LANG="en", PARLEY_FORK_TEST="mine")
    try:
        assert isinstance(km.provisioner, ForkProvisioner)
        template = _Shared.server
        assert template is not None and template.alive()
        pid = km.provisioner.pid
        out, reply = run(
            km,
            "import os, sys, threading\n"
            "from parley import i18n\n"
            "print(os.getcwd(), os.environ['PARLEY_FORK_TEST'], i18n.get_lang(),\n"
            "      os.getppid(), os.getpid(), os.getpgid(0), os.getsid(0), sys.path[0],\n"
            "      'pandas' in sys.modules)",
        )
        assert reply["status"] == "ok", reply
        cwd, mark, lang, ppid, own_pid, pgid, sid, path0, preloaded = out.split()
        assert (cwd, mark, lang) == (str(tmp_path), "mine", "en")
        assert int(ppid) == template.process.pid  # forked by the template
        assert int(own_pid) == pid == int(pgid) == int(sid)  # its own session
        assert path0 == str(tmp_path)
        assert preloaded == "True"
        # The template's socket lives in a private folder.
        assert template.folder.stat().st_mode & 0o777 == 0o700
    finally:
        km.shutdown_kernel(now=False)
    assert km.provisioner is None or not km.has_kernel
    wait_gone(pid)  # shut down and reaped: no zombie


def test_interrupt_then_kill(fork_provisioner: None, tmp_path: Path) -> None:
    km = start(tmp_path)
    pid = km.provisioner.pid
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=TIMEOUT)
        msg_id = client.execute("import time; time.sleep(120)")
        time.sleep(1)  # the cell is running
        km.interrupt_kernel()
        reply = client.get_shell_msg(timeout=30)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        assert km.is_alive()  # interrupted, not ended
    finally:
        client.stop_channels()
    km.shutdown_kernel(now=True)  # kill
    wait_gone(pid)


def test_a_kernel_that_dies_is_reported_and_reaped(fork_provisioner: None, tmp_path: Path) -> None:
    km = start(tmp_path)
    pid = km.provisioner.pid
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while km.is_alive():
        assert time.monotonic() < deadline
        time.sleep(0.1)  # poll the provisioner
    assert km.provisioner.process is None or km.provisioner.process.poll() == -signal.SIGKILL
    wait_gone(pid)
    km.cleanup_resources()


def test_the_template_ends_its_kernels_when_the_app_server_goes(tmp_path: Path) -> None:
    server = ForkServer()
    try:
        assert server.wait_ready()
        kernel = server.launch(
            [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "k.json")],
            dict(os.environ),
            str(tmp_path),
        )
        assert kernel.poll() is None
        assert server.process.stdin is not None
        server.process.stdin.close()  # as when the app server exits, however it exits
        assert server.process.wait(timeout=30) == 0
        wait_gone(kernel.pid)
        assert kernel.poll() is not None
        assert children(server.process.pid) == []
    finally:
        server.stop()
    assert not server.folder.exists()


def test_a_missing_template_falls_back_to_a_normal_launch(
    fork_provisioner: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    real = ForkServer.__init__

    def broken(self: ForkServer, module: str = "", env: Any = None) -> None:
        real(self, "parley.no_such_template", env)

    monkeypatch.setattr(ForkServer, "__init__", broken)
    caplog.set_level(logging.WARNING)
    kms = [start(tmp_path), start(tmp_path)]
    try:
        for km in kms:
            out, reply = run(km, "import os; print(os.getppid())")
            assert reply["status"] == "ok"
            assert int(out) == os.getpid()  # launched by this process, not forked
        warnings = [r for r in caplog.records if "fork server" in r.getMessage()]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]  # one line, not one each
    finally:
        for km in kms:
            km.shutdown_kernel(now=True)


def test_what_the_template_stands_in_for() -> None:
    launcher = [sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"]
    assert forkable(launcher, {"env": {}, "cwd": "."})
    assert not forkable(launcher, {"stdout": object()})  # output the template cannot give
    assert not forkable(["/usr/bin/other-python", *launcher[1:]], {})
    assert not forkable(["julia", "kernel.jl", "k.json"], {})
    assert forkserver.TEMPLATE_MODULE == "parley.appkernel"


def test_a_dead_template_takes_its_kernels_and_launches_fall_back(
    fork_provisioner: None, tmp_path: Path, caplog: Any
) -> None:
    caplog.set_level(logging.WARNING)
    km = start(tmp_path)
    pid = km.provisioner.pid
    template = _Shared.server
    assert template is not None
    _, reply = run(km, "1")  # running (its parent poller too)
    assert reply["status"] == "ok"
    template.process.kill()  # no goodbye: its kernels are orphans
    template.process.wait()
    wait_gone(pid, timeout=30)  # a kernel ends when its parent does, as a launched one
    deadline = time.monotonic() + 10
    while km.is_alive():
        assert time.monotonic() < deadline
        time.sleep(0.1)  # poll the provisioner
    km.cleanup_resources()
    after = start(tmp_path)  # the template has gone: a normal launch, said once
    try:
        out, reply = run(after, "import os; print(os.getppid())")
        assert reply["status"] == "ok" and int(out) == os.getpid()
        assert [r.getMessage() for r in caplog.records if "fork server" in r.getMessage()]
    finally:
        after.shutdown_kernel(now=True)


def test_a_forked_kernel_gives_every_widget_state_in_one_message(
    fork_provisioner: None, tmp_path: Path
) -> None:
    """What a page's widget manager asks first: all states over ipywidgets' control comm.
    (The template imports ipywidgets before any kernel exists, so registering its comm
    targets is the fork's job; without it the kernel answered "No such comm target".)"""
    km = start(tmp_path)
    client = km.client()
    client.start_channels()
    try:
        # (one client for all: a second client of the same manager was left unanswered)
        out, reply = execute(
            client, "import ipywidgets as w\nb = w.Button(description='x')\nprint(b.model_id)"
        )
        assert reply["status"] == "ok", reply
        button = out.strip()
        comm_id = "control-test"
        for msg_type, content, metadata in (
            (
                "comm_open",
                {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                {"version": "1.0.0"},
            ),
            ("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}, {}),
        ):
            client.shell_channel.send(client.session.msg(msg_type, content, metadata=metadata))
        deadline = time.monotonic() + TIMEOUT
        seen = []
        while time.monotonic() < deadline:
            msg = client.get_iopub_msg(timeout=TIMEOUT)
            seen.append((msg["msg_type"], msg["content"].get("text", "")))
            if msg["msg_type"] == "comm_msg" and msg["content"]["comm_id"] == comm_id:
                data = msg["content"]["data"]
                assert data["method"] == "update_states"
                assert data["states"][button]["model_name"] == "ButtonModel"
                break
            assert msg["msg_type"] != "comm_close", seen  # the kernel refused the comm
        else:
            pytest.fail(f"no update_states within {TIMEOUT} s: {seen}")
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)


def test_after_fork_reads_again_what_modules_read_at_import(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ipywidgets.widgets import widget

    from parley import appkernel, i18n, nb, settings

    before = i18n.get_lang()
    monkeypatch.setenv("PARLEY_LANG", "en" if before == "ja" else "ja")
    monkeypatch.setenv("JUPYTER_WIDGETS_ECHO", "0")
    monkeypatch.setattr(widget, "JUPYTER_WIDGETS_ECHO", True)
    monkeypatch.setattr(appkernel, "_loaded", [settings.data_dir().resolve()])
    nb.story()  # the template's story
    try:
        appkernel.after_fork()
        assert i18n.get_lang() != before
        assert widget.JUPYTER_WIDGETS_ECHO is False
        assert nb.story.cache_info().currsize == 1  # the same data folder: kept
        monkeypatch.setenv("PARLEY_DATA", str(tmp_path))  # another story
        appkernel.after_fork()
        assert nb.story.cache_info().currsize == 0
    finally:
        i18n.set_lang(before)


def test_app_mode_chooses_the_fork_provisioner_by_its_entry_point() -> None:
    import json

    root = Path(__file__).resolve().parents[2]
    config = json.loads((root / "voila.json").read_text(encoding="utf-8"))
    name = config["KernelProvisionerFactory"]["default_provisioner_name"]
    factory = KernelProvisionerFactory.instance()
    assert factory._check_availability(name)  # registered (pyproject.toml's entry point)
    assert factory.provisioners[name].load() is ForkProvisioner


def test_a_kernel_that_cannot_start_is_refused_and_the_template_serves_on(tmp_path: Path) -> None:
    server = ForkServer()
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "k.json")]
    try:
        assert server.wait_ready()
        with pytest.raises(forkserver.Refused, match="failed before it started"):
            server.launch(argv, dict(os.environ), str(tmp_path / "no-such-folder"))
        kernel = server.launch(argv, dict(os.environ), str(tmp_path))  # the next one works
        assert kernel.poll() is None
        kernel.kill()
        assert kernel.wait(timeout=20) == -signal.SIGKILL
        wait_gone(kernel.pid)
        deadline = time.monotonic() + 10
        while children(server.process.pid):  # the refused child too: reaped, no zombie
            assert time.monotonic() < deadline, children(server.process.pid)
            time.sleep(0.1)  # poll /proc
    finally:
        server.stop()
