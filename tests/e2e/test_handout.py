"""The PDF handout `parley export` prints of each deck: one page per slide, the deck's titles
and every chart's title in the text layer (so the charts were drawn), Japanese set in a CJK
font of the story's font stack."""

from __future__ import annotations

import html
import json
import re
import subprocess
import time
import unicodedata
from pathlib import Path
from typing import Any

import nbformat
import pytest
from e2e_support import BIN, NOTEBOOKS, ROOT, TIMINGS

from parley.base.palette import FONT_FAMILY
from parley.publish.notebooks import notebook_title
from parley.publish.pages import DECK_NOTEBOOK, human_size
from parley.publish.pdf import NOTES_HEIGHT
from parley.story.load import load_story

pytestmark = pytest.mark.browser

LANGS = ("ja", "en")
STEM = Path(DECK_NOTEBOOK).stem
# A chart's figure JSON (charts.js quotes this markup in a comment, with data-chart=…).
SPEC = re.compile(r'<script[^<>]*\bdata-chart="[^"]+"[^<>]*>(.*?)</script>', re.DOTALL)
INTRO = re.compile(r"""nb\.intro\(\s*["']([\w-]+)["']\s*\)""")


# A text layer maps each glyph back to one of the characters that share it: dashes and
# middle dots come back as their look-alikes.
# CJK radical-supplement forms (no NFKC mapping) come back for the ideographs they draw.
RADICALS = dict(zip("⻑⻄⻘⻝⻤⻩⻭⻲⺠⺟⻨⻯⻆", "長西青食鬼黄歯亀民母麦竜角", strict=True))
LOOK_ALIKES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-") | dict.fromkeys("·‧・･", "・") | RADICALS)


def squeeze(text: str) -> str:
    """Text as a PDF's text layer gives it back: NFKC (CJK radicals become ideographs), one
    dash and one middle dot, no whitespace (lines wrap anywhere)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(LOOK_ALIKES))


def deck_titles(lang: str) -> list[str]:
    """The notebook's title, the story's title and the title of every chapter the deck opens."""
    nb = nbformat.read(NOTEBOOKS / DECK_NOTEBOOK, as_version=4)
    story = load_story(ROOT / "data")
    chapters = {ch.id: ch for ch in story.meta.chapters}
    opened = [m for c in nb.cells if c.cell_type == "code" for m in INTRO.findall(c.source)]
    assert opened, "the deck opens chapters with nb.intro(...)"
    return [
        notebook_title(nb, lang, STEM),
        story.meta.title(lang),
        *(chapters[cid].title(lang) for cid in opened),
    ]


def chart_titles(deck: Path) -> list[str]:
    titles = []
    for spec in SPEC.findall(deck.read_text(encoding="utf-8")):
        title = json.loads(spec).get("layout", {}).get("title", {})
        text = title.get("text", "") if isinstance(title, dict) else str(title)
        if text:
            titles.append(html.unescape(re.sub(r"<[^>]+>", " ", text)))
    return titles


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    started = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "parley"), "export", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    TIMINGS["parley export (pages, decks and PDF handouts, both languages)"] = (
        f"{time.perf_counter() - started:.1f} s"
    )
    return out


def open_deck(chromium: Any, deck: Path) -> Any:
    """The deck as presented (not printed), from file:// with every other request aborted."""
    context = chromium.new_context(viewport={"width": 1280, "height": 720})
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
    )
    page = context.new_page()
    page.goto(deck.as_uri())
    page.wait_for_selector(".reveal.ready", timeout=60_000)
    return page


def dominant_font(page: Any, selector: str) -> str:
    """The platform font that drew most glyphs of the first element matching ``selector``."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return max(fonts, key=lambda f: f["glyphCount"])["familyName"]


@pytest.mark.parametrize("lang", LANGS)
def test_handout_has_a_page_per_slide_titles_and_charts(
    exported: Path, chromium: Any, lang: str
) -> None:
    from pypdf import PdfReader

    pdf = exported / lang / f"{STEM}.pdf"
    deck = exported / lang / f"{STEM}.slides.html"
    assert pdf.is_file(), "parley export writes the handout next to the deck"
    reader = PdfReader(pdf)
    page = open_deck(chromium, deck)
    try:
        slides = page.evaluate("Reveal.getTotalSlides()")
        heading = ".reveal .slides section h3"
        font = dominant_font(page, heading)
        sample = page.locator(heading).first.text_content() or ""
        # Each slide's speaker notes (citation numbers aside) and the deck's source list.
        notes = page.evaluate(
            """() => Reveal.getSlides().map(s => [...s.querySelectorAll('aside.notes > p')]
                 .filter(p => !p.querySelector('.parley-cite')).map(p => p.textContent))"""
        )
        listed = page.evaluate(
            "[...document.querySelectorAll('.parley-appendix li')].map(li => li.innerText)"
        )
    finally:
        page.context.close()

    assert len(reader.pages) == slides, "one page per slide"
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    }
    assert len(sizes) == 1, sizes
    ((width, height),) = sizes
    slide_height = height - NOTES_HEIGHT * 0.75  # px to pt: the notes strip under the slide
    assert abs(width / slide_height - 16 / 9) < 0.01, "landscape, the deck's 1280×720"
    texts = [squeeze(p.extract_text()) for p in reader.pages]
    assert all(texts), "no blank page"
    text = "".join(texts)
    # The speaker notes print under their slide, on the slide's own page.
    noted = [(n, paragraph) for n, paras in enumerate(notes) for paragraph in paras]
    assert len({n for n, _ in noted}) >= 10
    for n, paragraph in noted:
        assert squeeze(paragraph) in texts[n], f"page {n + 1} lacks its notes {paragraph[:40]!r}"
    # The sources print in full: publisher, title, date and link of every entry.
    assert listed, "the deck lists its sources"
    for entry in listed:  # (a text layer gives links back after the page's other text)
        for part in entry.split(" · "):
            assert squeeze(part) in text, (
                f"the {lang} handout lacks {part[:60]!r} of {entry[:40]!r}"
            )
    for title in deck_titles(lang):
        assert squeeze(title) in text, f"{lang} handout lacks the title {title!r}"
    charts = chart_titles(deck)
    assert len(charts) >= 5
    for title in charts:
        assert squeeze(title) in text, f"chart {title!r} not drawn in the {lang} handout"
    if lang == "ja":
        assert re.search(r"[\u3040-\u30ff\u3400-\u9fff]", sample)
        stack = [name.strip().strip('"') for name in FONT_FAMILY.split(",")]
        assert font in stack, f"Japanese headings drawn with {font!r}, not the story's fonts"
    TIMINGS[f"handout {lang}/{pdf.name}"] = (
        f"{len(reader.pages)} pages, {human_size(pdf.stat().st_size)}"
    )
