"""The app bench's own Chromium driver (``parley.bench.cdp``) on real pages: each page in a
fresh context at the size asked, its init script run first, its value read back, and gone
once closed (its unload handlers run, as when a reader closes a tab)."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from parley.bench import cdp

PAGE = b"""<!doctype html><title>t</title><script>
window.addEventListener("pagehide", () => navigator.sendBeacon("/left", "bye"));
localStorage.setItem("visits", String(Number(localStorage.getItem("visits") || 0) + 1));
</script>"""


@pytest.fixture
def site() -> Iterator[tuple[str, list[str]]]:
    """A loopback server for one page; the paths the pages asked for."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(PAGE)

        def do_POST(self) -> None:
            asked.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def test_pages_load_in_fresh_contexts_and_leave_as_tabs_do(site: tuple[str, list[str]]) -> None:
    url, asked = site
    with cdp.launch() as browser:
        pages = [browser.new_page(800, 600, init_script="window.__first = 1;") for _ in range(2)]
        for page in pages:
            page.navigate(url + "/")
        for page in pages:
            for _ in range(100):
                if page.evaluate("document.readyState") == "complete":
                    break
            assert page.evaluate("[window.__first, innerWidth, innerHeight]") == [1, 800, 600]
            # Nothing shared between the two readers: each saw its first visit.
            assert page.evaluate("localStorage.getItem('visits')") == "1"
        with pytest.raises(cdp.CdpError, match=r"ReferenceError: noSuchName is not defined"):
            pages[0].evaluate("noSuchName")
        for page in pages:
            page.close()
        targets = browser.call("Target.getTargets")["targetInfos"]
        assert not [t for t in targets if t["url"].startswith(url)]
    assert asked.count("/") == 2
    for _ in range(50):  # the beacons travel after the close returns
        if asked.count("/left") == 2:
            break
        time.sleep(0.1)
    assert asked.count("/left") == 2
