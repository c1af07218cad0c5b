"""Figure 8: what a reader downloads in site mode (``parley export --site``).

The site is served by a local static server on loopback that compresses every response
with gzip and lets browsers cache the content-hashed files under ``assets/`` for a year
(HTML is revalidated), as a static host would. A reader opens the overview, then follows
the navigation to each chapter page in the same browser: the bytes the server sends for
each later page are that page's transfer with plotly.js and the style sheet cached.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import sys
import threading
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from parley.bench.records import Record, failed, log, why

TARGET_BYTES = 150_000  # a chapter page after the first, gzip-compressed, assets cached


class _Handler(http.server.SimpleHTTPRequestHandler):
    sent: list[tuple[str, int]]  # (path, bytes of body and headers), set per server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        immutable = "/assets/" in self.path
        if not immutable and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            self.sent.append((self.path, 0))
            return
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header(
            "Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache"
        )
        self.end_headers()
        self.wfile.write(body)
        self.sent.append((self.path, len(body)))


@contextlib.contextmanager
def serve(root: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """A gzip static server for ``root`` on 127.0.0.1; (base URL, the log of what it sent)."""
    sent: list[tuple[str, int]] = []
    handler = type("Handler", (_Handler,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", sent
    finally:
        server.shutdown()
        server.server_close()


def bench_site(
    data_dir: Path, notebooks_dir: Path, work: Path, langs: Sequence[str]
) -> list[Record]:
    from parley.bench.browser import chromium
    from parley.publish import export

    out = work / "site"
    log("site mode: parley export --site, served with gzip on loopback")
    with contextlib.redirect_stdout(sys.stderr):
        code = export.run(
            data_dir,
            list(langs),
            out,
            notebooks_dir=notebooks_dir,
            handouts=False,
            site=export.Site("https://example.org/parley/"),
        )
    if code != 0:
        return [failed("8", "site mode transfer", "bytes", TARGET_BYTES, "export failed")]
    records: list[Record] = []
    pages = sorted(p.name for p in (out / langs[0]).glob("*.html") if ".slides." not in p.name)
    with serve(out) as (base, sent), chromium() as browser:
        for lang in langs:
            context = browser.browser.new_context(viewport={"width": 1280, "height": 800})
            try:
                page = context.new_page()
                for n, name in enumerate(pages):
                    before = len(sent)
                    page.goto(f"{base}{lang}/{name}", wait_until="load")
                    page.wait_for_timeout(200)
                    got = sum(size for _, size in sent[before:])
                    first = n == 0
                    records.append(
                        Record(
                            "8",
                            f"site {lang}/{name}: bytes sent"
                            + (" (first page, nothing cached)" if first else ""),
                            float(got),
                            "bytes",
                            target=None if first else float(TARGET_BYTES),
                            note="gzip; plotly.js, script and style sheet cached after the "
                            "first page"
                            if n == 1 and lang == langs[0]
                            else "",
                        )
                    )
            except Exception as exc:
                records.append(failed("8", f"site mode {lang}", "bytes", TARGET_BYTES, why(exc)))
            finally:
                context.close()
    return records
