"""App mode's kernels forked from a template that has already imported what they need.

A cold kernel spends most of its start importing (ipykernel, pandas, plotly, ipywidgets,
parley) before it runs a single cell. In app mode (`make app`, ``voila.json``) the kernels
are instead forked from a *template* process, :mod:`parley.appkernel`, which the app server
starts (so it and every kernel stay descendants of the Voilà server) and which imports all
that once. Each fork shares the template's pages copy-on-write.

The parts:

- :func:`serve`, the template's loop: a Unix socket in a private temporary folder (0700);
  a request is one JSON line ``{"argv", "env", "cwd"}``; the template forks, the child
  starts its own session, takes the request's environment and folder and becomes
  ``python -m ipykernel_launcher -f …`` (:func:`_become_kernel`); the template answers
  ``{"pid"}`` once the child has done so, keeps the connection and, when the child ends,
  reaps it and sends ``{"exit"}`` (an exit code as :class:`subprocess.Popen` gives one).
  It ignores SIGINT (Ctrl-C reaches the whole ``make app`` process group: the Voilà server
  shuts its kernels down itself), and when its standard input closes (the server has
  exited, however) or on SIGTERM it ends its remaining kernels and exits.
- :class:`ForkServer`, the app server's handle on the template; :class:`ForkedKernel`,
  a forked kernel seen as a :class:`subprocess.Popen` (poll, wait, signals).
- :class:`ForkProvisioner`, the jupyter_client kernel provisioner (entry point
  ``parley-fork`` in ``pyproject.toml``) that ``voila.json`` chooses for app mode only
  (``KernelProvisionerFactory.default_provisioner_name``; JupyterLab and Binder read no
  such setting, so they launch kernels as usual). Everything but the launch is
  :class:`~jupyter_client.provisioning.LocalProvisioner`'s. A launch the template cannot
  serve (another kernel, redirected output, no template or a dead one) is a normal launch,
  with one log line when the template fails.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib.util
import json
import logging
import os
import random
import select
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

TEMPLATE_MODULE = "parley.appkernel"
SOCKET_NAME = "fork.sock"
LAUNCHER = ["-m", "ipykernel_launcher"]
READY_TIMEOUT = 120.0  # s for the template's imports (a busy machine)
REQUEST_TIMEOUT = 30.0  # s for one fork and its answer
STOP_GRACE = 5.0  # s between SIGTERM and SIGKILL for kernels left when the template ends


# --- the template's side ----------------------------------------------------------------


def _send(conn: socket.socket, message: dict[str, Any]) -> None:
    conn.sendall(json.dumps(message).encode() + b"\n")


def _read_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def serve(path: str, after_fork: Callable[[], None] | None = None) -> int:
    """The template's loop on the Unix socket ``path`` (see the module); returns the exit
    code once its standard input closes or SIGTERM arrives. ``after_fork`` runs in each
    child once it has its environment and folder, before the kernel starts."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if others:  # a fork copies only the calling thread: locks held by others stay held
        raise RuntimeError(f"the template runs threads, it cannot fork safely: {others}")
    stopping: list[bool] = []
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the loop through the wakeup fd
    wake_r, wake_w = socket.socketpair()
    wake_r.setblocking(False)
    wake_w.setblocking(False)
    signal.set_wakeup_fd(wake_w.fileno())
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(wake_r, selectors.EVENT_READ, "wake")
    selector.register(0, selectors.EVENT_READ, "parent")
    kernels: dict[int, socket.socket] = {}  # pid -> the connection its launch came on
    own: list[Any] = [listener, wake_r, wake_w, selector]  # closed in each child
    try:
        while not stopping:
            for key, _ in selector.select():
                if key.data == "accept":
                    conn, _ = listener.accept()
                    _fork(conn, kernels, own, after_fork)
                elif key.data == "wake":
                    while True:
                        try:
                            if not wake_r.recv(4096):
                                break
                        except BlockingIOError:
                            break
                elif not os.read(0, 4096):  # the app server has gone
                    stopping.append(True)
            _reap(kernels)
    finally:
        _end(kernels)
        for item in own:
            item.close()
        Path(path).unlink(missing_ok=True)
    return 0


def _fork(
    conn: socket.socket,
    kernels: dict[int, socket.socket],
    own: list[Any],
    after_fork: Callable[[], None] | None,
) -> None:
    conn.settimeout(REQUEST_TIMEOUT)
    try:
        request = json.loads(_read_line(conn))
        argv, env, cwd = list(request["argv"]), dict(request["env"]), str(request["cwd"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        try:
            _send(conn, {"error": f"bad request: {exc}"})
        except OSError:
            pass
        conn.close()
        return
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the loop
        code = 1
        try:
            os.close(ready_r)
            inherited = [*own, conn, *kernels.values()]
            code = _become_kernel(argv, env, cwd, inherited, ready_w, after_fork)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    os.close(ready_w)
    with os.fdopen(ready_r, "rb") as ready:
        # The child has its session, folder and environment (or has failed: end of file).
        answered, _, _ = select.select([ready], [], [], REQUEST_TIMEOUT)
        started = ready.read(1) if answered else b""
    if not started:
        _signal_group(pid, signal.SIGKILL)  # (reaped by the loop)
    try:
        if started:
            _send(conn, {"pid": pid})
            kernels[pid] = conn
        else:
            _send(conn, {"error": "the forked kernel failed before it started"})
            conn.close()
    except OSError:  # the asker has gone: the kernel is nobody's
        conn.close()
        _signal_group(pid, signal.SIGKILL)
        kernels.pop(pid, None)


def _become_kernel(
    argv: list[str],
    env: dict[str, str],
    cwd: str,
    close: list[Any],
    ready: int,
    after_fork: Callable[[], None] | None,
) -> int:
    """In the forked child: what ``python -m ipykernel_launcher …`` in ``cwd`` with ``env``
    would be, from the template's imported modules. Returns the exit code."""
    signal.set_wakeup_fd(-1)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
        signal.signal(signum, signal.SIG_DFL)
    for item in close:
        item.close()
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.setsid()  # its own session and process group, as jupyter_client's launch gives
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    random.seed()  # (the random module reseeds after a fork itself; numpy's does not)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    atexit._clear()  # the template's exit handlers are not the kernel's
    spec = importlib.util.find_spec("ipykernel_launcher")
    sys.argv = [spec.origin if spec and spec.origin else "ipykernel_launcher", *argv[3:]]
    if "JPY_PARENT_PID" in env:
        # A kernel ends when its parent does; ipykernel read $JPY_PARENT_PID when the
        # template imported it, so the kernel's parent (the template) is given here.
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        sys.argv.append(f"--IPKernelApp.parent_handle={os.getppid()}")
    sys.path[0] = os.getcwd()  # as `python -m` puts it
    if after_fork:
        after_fork()
    os.write(ready, b"1")
    os.close(ready)
    from ipykernel import kernelapp

    try:
        kernelapp.launch_new_instance()
    finally:
        atexit._run_exitfuncs()  # the kernel's own (its history, its threads)
    return 0


def _reap(kernels: dict[int, socket.socket]) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = kernels.pop(pid, None)
        if conn is not None:
            try:
                _send(conn, {"exit": os.waitstatus_to_exitcode(status)})
            except OSError:
                pass
            conn.close()


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except OSError:
        try:
            os.kill(pid, signum)
        except OSError:
            pass


def _end(kernels: dict[int, socket.socket]) -> None:
    """The kernels still running when the template stops: SIGTERM, then SIGKILL."""
    for pid in list(kernels):
        _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    while kernels and time.monotonic() < deadline:
        _reap(kernels)
        time.sleep(0.05)  # poll the children's exits
    for pid in list(kernels):
        _signal_group(pid, signal.SIGKILL)
    while kernels:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            break
        conn = kernels.pop(pid, None)
        if conn is not None:
            conn.close()


# --- the app server's side --------------------------------------------------------------


class Refused(Exception):
    """The template could not start this kernel (it still serves others)."""


class ForkedKernel:
    """A kernel the template forked, as the provisioner's :class:`subprocess.Popen`: its
    exit status comes from the template over the launch's connection. Should the template
    die first, the kernel (then a child of init) is looked at through its pid."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, conn: socket.socket) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._conn: socket.socket | None = conn
        self._buffer = b""
        conn.setblocking(False)

    def poll(self) -> int | None:
        if self.returncode is not None:
            return self.returncode
        if self._conn is None:
            return self._poll_orphan()
        try:
            chunk = self._conn.recv(4096)
        except BlockingIOError:
            return None
        except OSError:
            chunk = b""
        if chunk:
            self._buffer += chunk
            if self._buffer.endswith(b"\n"):
                self.returncode = int(json.loads(self._buffer)["exit"])
                self._close()
            return self.returncode
        self._close()  # the template has gone without a word
        return self._poll_orphan()

    def _poll_orphan(self) -> int | None:
        try:
            state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            state = "X"
        if state in ("Z", "X"):
            self.returncode = -signal.SIGKILL  # unknown: it is gone
        return self.returncode

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"forked kernel {self.pid}", timeout or 0)
            time.sleep(0.05)  # poll the template's report
        return code

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkServer:
    """The template process, started by (and a child of) the app server; its socket in a
    private temporary folder."""

    def __init__(self, module: str = TEMPLATE_MODULE, env: dict[str, str] | None = None) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="parley-fork-"))  # mode 0700
        self.path = self.folder / SOCKET_NAME
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, str(self.path)],
            stdin=subprocess.PIPE,  # closes when the app server ends: the template ends too
            env=env,
        )
        self._ready = False

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> bool:
        """Whether the template is up (its imports done, its socket listening)."""
        deadline = time.monotonic() + timeout
        while not self._ready:
            if not self.alive() or time.monotonic() > deadline:
                return False
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                    probe.connect(str(self.path))
                    probe.sendall(b"{}\n")  # a bad request: answered, no fork
                self._ready = True
            except OSError:
                time.sleep(0.05)  # poll for the socket
        return True

    def launch(self, argv: list[str], env: dict[str, str], cwd: str) -> ForkedKernel:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.settimeout(REQUEST_TIMEOUT)
            conn.connect(str(self.path))
            _send(conn, {"argv": argv, "env": env, "cwd": cwd})
            line = _read_line(conn)
            if not line:
                raise OSError("the fork server closed the connection")
            answer = json.loads(line)
            if "pid" not in answer:
                raise Refused(str(answer.get("error", answer)))
        except BaseException:
            conn.close()
            raise
        return ForkedKernel(int(answer["pid"]), conn)

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_GRACE + 5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdin:
            self.process.stdin.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def forkable(cmd: list[str], kwargs: dict[str, Any]) -> bool:
    """Whether the template can stand in for ``cmd``: this Python's ipykernel, with the
    standard streams left as the app server's."""
    if len(cmd) < 3 or cmd[1:3] != LAUNCHER:
        return False
    if os.path.realpath(cmd[0]) != os.path.realpath(sys.executable):
        return False
    return all(kwargs.get(name) is None for name in ("stdin", "stdout", "stderr"))


class _Shared:
    """The app server's one template: started by the first launch, given up for good
    (normal launches from then on) once it fails."""

    server: ForkServer | None = None
    failed = False
    lock = threading.Lock()

    @classmethod
    def get(cls, log: logging.Logger | logging.LoggerAdapter[Any]) -> ForkServer | None:
        """The template, once it is ready (blocks: run it in an executor)."""
        with cls.lock:
            if cls.failed:
                return None
            if cls.server is None:
                cls.server = ForkServer()
                atexit.register(cls.server.stop)
            server = cls.server
            if not server.wait_ready():
                cls.give_up(log, "the fork server did not start")
                return None
        return server

    @classmethod
    def give_up(cls, log: logging.Logger | logging.LoggerAdapter[Any], why: str) -> None:
        if not cls.failed:
            log.warning("parley: %s; kernels start without it (a normal launch)", why)
        cls.failed = True
        if cls.server is not None:
            cls.server.stop()
            cls.server = None

    @classmethod
    def reset(cls) -> None:
        """No template, none failed (tests)."""
        with cls.lock:
            if cls.server is not None:
                cls.server.stop()
            cls.server, cls.failed = None, False


class ForkProvisioner(LocalProvisioner):  # type: ignore[misc]
    """Launches a kernel by forking the app server's template (see the module)."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        kernel = None
        if forkable(cmd, kwargs):
            loop = asyncio.get_running_loop()
            server = await loop.run_in_executor(None, _Shared.get, self.log)
            if server is not None:
                env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
                if not kwargs.get("independent"):
                    env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launch
                cwd = str(kwargs.get("cwd") or os.getcwd())
                try:
                    kernel = await loop.run_in_executor(None, server.launch, cmd, env, cwd)
                except Refused as exc:
                    self.log.warning("parley: no forked kernel (%s); a normal launch", exc)
                except (OSError, ValueError) as exc:
                    _Shared.give_up(self.log, f"the fork server failed ({exc})")
        if kernel is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = kernel
        self.pid = kernel.pid
        self.pgid = kernel.pid  # its own session
        self.cwd = kwargs.get("cwd", Path.cwd())
        return self.connection_info
