"""App mode (Voilà): the language switch, and a preheated kernel learning its reader's ``?lang=``.

A kernel of Voilà's preheated pool runs its notebook before any reader asks for it, in the
server's language (``PARLEY_LANG``). When a reader's request takes the kernel, Voilà hands
the request (its query string among it) to whoever listens on ``voila/query/<kernel id>``;
:func:`follow_request` listens from a thread, so the notebook never waits for it, and
switches the kernel to the page's ``?lang=`` in place once the request arrives.

The page meanwhile shows the right language from its first paint: in app mode every text
output carries both languages (:func:`bilingual`), and the template's script shows the one
the page's ``?lang=`` names before the kernel has even heard of the request.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Callable, Mapping
from urllib.parse import parse_qs

from parley import i18n, settings

SWITCH_CLASS = "parley-lang-switch"  # the template's script finds the switch by it
QUERY_OPEN_TIMEOUT = 10.0  # s to open the socket to the server (it is on loopback)


def bilingual(html: Mapping[str, str], lang: str) -> str:
    """Both languages' HTML (``html``: language -> escaped HTML), each in a block marked
    with its language; the one not ``lang`` starts hidden (``parley-off``, and ``hidden``
    where no parley template styles the page, e.g. Voilà's own on Binder) until the page's
    script says which to show."""
    blocks = []
    for each in i18n.LANGS:
        off = "" if each == lang else " parley-off"
        hidden = "" if each == lang else " hidden"
        blocks.append(f'<div class="parley-l{off}" data-parley-l="{each}" lang="{each}"{hidden}>')
        blocks.append(html[each])
        blocks.append("</div>")
    return "".join(blocks)


def switch() -> object:
    """日本語 / English: toggle buttons that switch the kernel's language (every chart and
    widget re-renders in place) and follow it when the page's request switches it."""
    import ipywidgets as w

    toggle = w.ToggleButtons(
        options=[("日本語", "ja"), ("English", "en")],
        value=i18n.get_lang(),
        description="言語 / Language",
        style={"button_width": "6em", "description_width": "initial"},
    )
    toggle.add_class(SWITCH_CLASS)

    def chosen(change: dict[str, object]) -> None:
        if change["new"] != i18n.get_lang():
            i18n.set_lang(str(change["new"]))

    def followed(lang: str) -> None:
        toggle.value = lang

    toggle.observe(chosen, names="value")
    i18n.on_change(followed)
    return toggle


def query_url() -> str | None:
    """Where Voilà hands this preheated kernel its request (None: not a pool kernel)."""
    kernel = os.environ.get("VOILA_KERNEL_ID")
    if not settings.preheated() or not kernel:
        return None
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{kernel}"


def request_lang(payload: str) -> str | None:
    """The ``?lang=`` of the request Voilà sent (its environment variables as JSON), or
    None when it names none; the request's variables also go into this process's
    environment, as Voilà's own helper does."""
    try:
        info = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(info, dict):
        return None
    for key, value in info.items():
        if isinstance(key, str) and isinstance(value, str):
            os.environ[key] = value
    query = info.get("QUERY_STRING")
    if not isinstance(query, str):
        return None
    lang = parse_qs(query).get("lang", [None])[-1]
    return lang if lang in i18n.LANGS else None


async def _receive(url: str) -> str | None:
    import websockets

    try:
        async with websockets.connect(url, open_timeout=QUERY_OPEN_TIMEOUT) as socket:
            message = await socket.recv()
    except (OSError, TimeoutError, websockets.WebSocketException):
        return None  # no request info: the page stays in the server's language
    return message if isinstance(message, str) else message.decode("utf-8", "replace")


def follow_request(apply: Callable[[str], None] = i18n.set_lang) -> bool:
    """In a preheated kernel, wait in a thread for the reader's request and ``apply`` its
    language on the kernel's own event loop (between cells). Returns whether it listens."""
    url = query_url()
    if url is None:
        return False
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False  # no kernel loop to come back to

    def listen() -> None:
        payload = asyncio.run(_receive(url))
        lang = request_lang(payload) if payload is not None else None
        if lang is not None and lang != i18n.get_lang():
            loop.call_soon_threadsafe(apply, lang)

    threading.Thread(target=listen, name="parley-voila-request", daemon=True).start()
    return True
