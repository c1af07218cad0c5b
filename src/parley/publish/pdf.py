"""PDF handouts of the slide decks: one slide per page, printed by headless Chromium.

The deck opens from ``file://`` with every other request aborted, in reveal.js's print mode
(``?print-pdf``: each slide on its own page of the deck's size, 1280×720 plus reveal's
margin, landscape). The deck draws a slide's charts only when the slide is shown, so once
reveal has laid the pages out, each page's slide is announced as shown (reveal's
``slidechanged`` event, which the deck's own script answers by fitting and drawing the
slide), every chart is awaited, and each slide is centred again at its drawn height.
Playwright drives the browser (``playwright`` is imported only when printing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from parley.base.loops import outside_loop
from parley.publish import chromium

SLIDE = {"width": 1280, "height": 720}
TIMEOUT_MS = 60_000
# reveal.js dispatches `pdf-ready` on .reveal once the pages are laid out.
WATCH_READY = """
addEventListener('DOMContentLoaded', () => {
  const reveal = document.querySelector('.reveal');
  if (reveal) reveal.addEventListener('pdf-ready', () => { window.__parleyPdfReady = true; });
});
"""
SHOW_EVERY_SLIDE = """() => {
  const reveal = document.querySelector('.reveal');
  const pages = document.querySelectorAll('.pdf-page');
  for (const page of pages) {
    const event = new Event('slidechanged');
    event.currentSlide = page.querySelector(':scope > section');
    reveal.dispatchEvent(event);
  }
  return pages.length;
}"""
ALL_DRAWN = """() => [...document.querySelectorAll('.parley-chart')]
  .every(div => div.querySelector('.main-svg') !== null)"""
RECENTRE = """() => {
  for (const page of document.querySelectorAll('.pdf-page')) {
    const slide = page.querySelector(':scope > section');
    slide.style.top = Math.max((page.clientHeight - slide.scrollHeight) / 2, 0) + 'px';
  }
}"""
# The build stamp on every page instead of on a page of its own after the last slide, and
# no page break after the last slide (reveal 4.6 breaks after every page).
PRINT_CSS = """
.parley-stamp { position: fixed !important; left: 10px; bottom: 8px; }
html.print-pdf .reveal .slides .pdf-page:last-child { page-break-after: auto; break-after: auto; }
"""


class PdfError(Exception):
    """The handout could not be printed, or would not show the deck faithfully."""


def count_pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium wrote (its page objects are plain, uncompressed dictionaries)."""
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@contextmanager
def _browser() -> Iterator[Any]:
    try:
        with chromium.launch() as browser:
            yield browser
    except chromium.ChromiumError as exc:
        raise PdfError(str(exc)) from exc


def _only_files(route: Any) -> None:
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


def _print(browser: Any, deck_html: Path, pdf: Path) -> int:
    from playwright.sync_api import Error

    context = browser.new_context(viewport=SLIDE)
    try:
        context.route("**/*", _only_files)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.add_init_script(WATCH_READY)
        try:
            page.goto(deck_html.resolve().as_uri() + "?print-pdf")
            page.wait_for_function("window.__parleyPdfReady === true")
            slides = page.evaluate(SHOW_EVERY_SLIDE)
            page.wait_for_function(ALL_DRAWN)
            page.evaluate(RECENTRE)
            page.add_style_tag(content=PRINT_CSS)
            data = page.pdf(prefer_css_page_size=True, print_background=True)
        except Error as exc:
            raise PdfError(f"{deck_html}: {exc.message.splitlines()[0]}; {errors}") from exc
    finally:
        context.close()
    if errors:
        raise PdfError(f"{deck_html}: script errors: {'; '.join(errors)}")
    pages = count_pages(data)
    if pages != slides:
        raise PdfError(f"{deck_html}: {pages} PDF pages for {slides} slides")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(data)
    return pages


Printed = Callable[[Path, int], None]  # called with each PDF and its page count


def _print_all(jobs: list[tuple[Path, Path]], on_printed: Printed | None) -> list[int]:
    counts = []
    with _browser() as browser:
        for deck, pdf in jobs:
            counts.append(_print(browser, deck, pdf))
            if on_printed:
                on_printed(pdf, counts[-1])
    return counts


def decks_to_pdf(jobs: Iterable[tuple[Path, Path]], on_printed: Printed | None = None) -> list[int]:
    """Print each (deck, pdf) pair with one browser; the page count of each PDF.
    ``on_printed(pdf, pages)`` hears of each as soon as it is written."""
    # Playwright's sync API refuses to run inside an event loop (Jupyter, another Playwright).
    return outside_loop(_print_all, list(jobs), on_printed)
