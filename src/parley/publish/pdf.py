"""PDF handouts of the slide decks: one slide per page, printed by headless Chromium.

The deck opens from ``file://`` with every other request aborted, in reveal.js's print mode
with speaker notes (``?print-pdf&showNotes=true``: each slide on its own page, 1280×720 plus
reveal's margin, landscape). The deck's own script fits and draws every slide in print mode
(as a presenter's browser does); here each page then grows by a strip that holds the slide's
speaker notes under it. Playwright drives the browser (``playwright`` is imported only when
printing).
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
NOTES_HEIGHT = 300  # px added under each slide's page for its speaker notes
# The deck's own script draws every slide in reveal.js's print mode and then marks the
# document (data-parley-printed = the number of pages).
PRINTED = "() => document.documentElement.hasAttribute('data-parley-printed')"
SLIDES = "() => Number(document.documentElement.getAttribute('data-parley-printed'))"
ALL_DRAWN = """() => [...document.querySelectorAll('.parley-chart')]
  .every(div => div.querySelector('.main-svg') !== null)"""
# A handout page is the slide with its speaker notes under it: each page grows by
# NOTES_HEIGHT, and the notes reveal.js placed over the slide's foot move into that strip.
NOTES_UNDER_SLIDES = """(extra) => {
  let width = 0, height = 0;
  for (const page of document.querySelectorAll('.pdf-page')) {
    height = page.clientHeight + extra;
    width = page.clientWidth;
    page.style.height = height + 'px';
    const notes = page.querySelector('.speaker-notes-pdf');
    if (notes) {
      notes.style.top = (height - extra + 4) + 'px';
      notes.style.bottom = 'auto';
      notes.style.maxHeight = (extra - 12) + 'px';
      notes.classList.add('parley-handout-notes');
    }
  }
  const style = document.createElement('style');
  // The stamp and the slide number stay at the foot of the slide, above the notes.
  style.textContent = '@page { size: ' + width + 'px ' + height + 'px; margin: 0; }' +
    '.parley-stamp, .reveal .pdf-page .slide-number-pdf { bottom: ' + (extra + 8) +
    'px !important; }' +
    '.parley-handout-notes { font-size: 17px; line-height: 1.4; overflow: hidden; ' +
    'border-top: 1px solid #999; padding-top: 6px; background: #fff; color: #222; }' +
    '.parley-handout-notes p { margin: 0 0 4px 0; }';
  document.head.appendChild(style);
}"""


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
        try:
            page.goto(deck_html.resolve().as_uri() + "?print-pdf&showNotes=true")
            page.wait_for_function(PRINTED)
            slides = page.evaluate(SLIDES)
            page.wait_for_function(ALL_DRAWN)
            page.evaluate(NOTES_UNDER_SLIDES, NOTES_HEIGHT)
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
