"""The one way parley starts a browser: headless Chromium through Playwright.

Used for the PDF handouts, the bench and the browser tests, with the same binary and the
same flags (no sandbox or GPU, which containers lack; no background network, so a page that
reached out would be caught by its test, not hidden by the browser's own traffic).

The binary is Debian's ``chromium-headless-shell`` when it is there: the same Blink as
``chromium`` without a browser's own interface (Playwright uses the same kind of build for
headless runs). The full browser, headless, still builds a toolbar for every window, and
each Playwright context is a window: Chromium 156 loaded its omnibox popup (a WebUI page of
~270 files) in a renderer of its own per context, ~1 CPU-second each, which was a third of
what ten app pages at once cost the machine in the app bench (issue 25).
``playwright`` is imported only here and only when a browser starts (a development extra).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM_ENV = "PARLEY_CHROMIUM"  # a Chromium binary; else one of BINARIES, else Playwright's
BINARIES = ("chromium-headless-shell", "chromium", "chromium-browser")  # first found on PATH
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)


class ChromiumError(Exception):
    """Chromium (or Playwright, which drives it) is not there or would not start."""


def chromium_path() -> str | None:
    """``$PARLEY_CHROMIUM``, else the first of :data:`BINARIES` on PATH; None: Playwright's
    own browser."""
    found = (shutil.which(name) for name in BINARIES)
    return os.environ.get(CHROMIUM_ENV) or next((path for path in found if path), None)


@contextmanager
def launch() -> Iterator[Any]:
    """A headless Chromium (a Playwright ``Browser``), closed on exit. Playwright's sync API
    refuses to run inside an asyncio loop: call from a thread without one."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        raise ChromiumError("a browser needs playwright: install parley's dev extra") from exc
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(
                executable_path=chromium_path(), args=list(CHROMIUM_ARGS), headless=True
            )
        except Error as exc:
            raise ChromiumError(f"cannot start Chromium (set ${CHROMIUM_ENV}): {exc}") from exc
        try:
            yield browser
        finally:
            browser.close()
