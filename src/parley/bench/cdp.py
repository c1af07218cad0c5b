"""Chromium pages driven over the DevTools protocol itself, for the app bench's page run.

The same binary and flags as :func:`parley.publish.chromium.launch`, but no Playwright: its
driver asks every page for every request, response, console message and websocket frame
(ten app pages: ~1,100 requests and 15 MB of frames) and handles them in a Node process of
its own. On the two cores the bench shares with the server and the pages, that was about
1 CPU-second of the driver's plus the browser's work of sending it all, none of which a
reader's browser does. Here each page is a target in a fresh browser context (nothing
cached, as a new reader), told only what to run first and where to go, then asked one
question at a time (:meth:`Page.evaluate`).

A deliberately small client: one websocket, commands answered in order of their ids, events
ignored. Every call has a timeout; the browser is closed (or killed) and its profile removed
on exit.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from parley.publish.chromium import CHROMIUM_ARGS, ChromiumError, chromium_path

# As Playwright's launch: a page in a window that is not in front still runs at full speed.
FOREGROUND_ARGS = (
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
)
START_TIMEOUT = 30.0  # s for Chromium to print where its DevTools listen
CALL_TIMEOUT = 30.0  # s for one command's answer
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


class CdpError(Exception):
    """A DevTools command failed or went unanswered."""


def devtools_url(lines: Iterator[str]) -> str | None:
    """The browser's DevTools websocket address, from what Chromium prints at start."""
    for line in lines:
        found = _LISTENING.search(line)
        if found:
            return found.group(1)
    return None


class Browser:
    """One Chromium; :meth:`new_page` opens pages, each in a context of its own."""

    def __init__(self, socket: Any) -> None:
        self._socket = socket
        self._ids = itertools.count(1)
        self._answers: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._send_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                message = json.loads(self._socket.recv())
            except Exception:  # the browser closed the socket: nothing more will come
                return
            answer = self._answers.pop(message.get("id", -1), None)
            if answer is not None:
                answer.put(message)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        """Send one command (to a page's ``session``, else the browser) and wait for its
        result; CdpError if it fails or no answer comes within CALL_TIMEOUT."""
        number = next(self._ids)
        answer: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=1)
        self._answers[number] = answer
        command: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        try:
            with self._send_lock:
                self._socket.send(json.dumps(command))
            reply = answer.get(timeout=CALL_TIMEOUT)
        except (queue.Empty, OSError) as exc:
            raise CdpError(f"{method}: no answer ({exc or 'timed out'})") from exc
        finally:
            self._answers.pop(number, None)
        if "error" in reply:
            raise CdpError(f"{method}: {reply['error'].get('message', reply['error'])}")
        return reply.get("result", {})

    def new_page(self, width: int, height: int, init_script: str = "") -> Page:
        """A blank page in a fresh browser context, ``width`` × ``height`` CSS pixels, that
        runs ``init_script`` before any script of every document it loads."""
        context = self.call("Target.createBrowserContext")["browserContextId"]
        target = self.call(
            "Target.createTarget",
            {"url": "about:blank", "browserContextId": context, "newWindow": True},
        )["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, target, session)
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        page.call("Page.enable")  # (the init script below needs the Page domain on)
        if init_script:
            page.call("Page.addScriptToEvaluateOnNewDocument", {"source": init_script})
        return page


class Page:
    """One page (a target with its own session) of a :class:`Browser`."""

    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self._browser = browser
        self._target = target
        self._session = session

    def call(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self._browser.call(method, params, self._session)

    def navigate(self, url: str) -> None:
        """Start loading ``url`` (returns once the request is under way)."""
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise CdpError(f"{url}: {result['errorText']}")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-like values only)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            thrown = details.get("exception", {}).get("description") or details.get("text")
            raise CdpError(f"{expression}: {str(thrown).splitlines()[0]}")
        return result["result"].get("value")

    def close(self) -> None:
        """Close as a reader closes a tab (the page's unload handlers run) and wait until it
        is gone. (Its context goes with the browser: disposing it at once could cut off the
        page's last beacon.)"""
        self.call("Page.close")
        deadline = time.monotonic() + CALL_TIMEOUT
        while time.monotonic() < deadline:
            targets = self._browser.call("Target.getTargets")["targetInfos"]
            if all(t["targetId"] != self._target for t in targets):
                return
            time.sleep(0.05)
        raise CdpError(f"page {self._target} still open {CALL_TIMEOUT:.0f} s after closing")


@contextmanager
def launch() -> Iterator[Browser]:
    """A headless Chromium driven over DevTools, closed (or killed) and its profile removed
    on exit. ChromiumError if it is missing or will not start."""
    binary = chromium_path()
    if binary is None:
        raise ChromiumError("no Chromium on PATH (set $PARLEY_CHROMIUM)")
    try:
        import websocket  # websocket-client (the dev extra)
    except ImportError as exc:
        raise ChromiumError("the page bench needs websocket-client: parley's dev extra") from exc
    profile = Path(tempfile.mkdtemp(prefix="parley-cdp-"))
    args = [
        binary,
        "--headless",  # (the headless shell is headless whatever it is told)
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        *CHROMIUM_ARGS,
        *FOREGROUND_ARGS,
        "about:blank",
    ]
    try:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    except OSError as exc:
        shutil.rmtree(profile, ignore_errors=True)
        raise ChromiumError(f"cannot start {binary}: {exc}") from exc
    stderr = proc.stderr
    assert stderr is not None
    found: list[str | None] = [None]
    reader = threading.Thread(target=lambda: found.__setitem__(0, devtools_url(stderr)))
    reader.daemon = True
    reader.start()
    reader.join(START_TIMEOUT)
    socket = None
    closed = False
    try:
        if found[0] is None:
            raise ChromiumError(f"{binary} did not open its DevTools within {START_TIMEOUT:.0f} s")
        # Drain what Chromium prints later, so it never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in stderr], daemon=True).start()
        socket = websocket.create_connection(found[0], timeout=START_TIMEOUT)
        socket.settimeout(None)  # (each call has its own timeout)
        browser = Browser(socket)
        yield browser
        try:
            browser.call("Browser.close")
            closed = True
        except CdpError:
            pass
    finally:
        if socket is not None:
            socket.close()
        try:
            proc.wait(timeout=10 if closed else 0.1)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)  # (its renderers too: one session)
            proc.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)
