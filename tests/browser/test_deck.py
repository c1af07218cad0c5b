"""The slide decks, opened from file:// in chromium with the network cut off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from offline import (
    DECK,
    LANGS,
    ROOT,
    SHOTS,
    SLIDE,
    SMALLEST_CHART_TEXT,
    go_to_slide,
    hover_first_point,
    plotly_bundles,
    story_dir,
    wait_ready,
    walk_deck,
)

pytestmark = pytest.mark.browser
SPEC = 'class="parley-chart-spec"'


@pytest.mark.parametrize("lang", LANGS)
def test_every_slide_offline_drawn_and_fitting(exports: Path, open_offline, lang: str) -> None:
    visit = open_offline(exports / lang / DECK, size=SLIDE)
    states = walk_deck(visit, shots=SHOTS)

    assert len(states) >= 5, "the overview deck has its title, chapters and takeaways"
    assert states[1]["charts"] >= 1, "the first content slide shows a chart"
    assert sum(s["charts"] for s in states) >= 5
    for n, state in enumerate(states):
        where = f"slide {n} {state['indices']}: {state['text'][:60]!r}"
        assert state["drawn"] == state["charts"], f"a chart did not draw on {where}"
        assert state["height"] <= SLIDE[1], f"{where} is {state['height']} px tall"
        assert state["width"] <= SLIDE[0], f"{where} is {state['width']} px wide"
    assert visit.requests == [], "an offline deck must not try the network"
    assert visit.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_deep_link_stamp_and_notes(exports: Path, open_offline, lang: str) -> None:
    from parley.publish.export import build_id
    from parley.story.load import load_story
    from parley.views.blocks import LANG_NAMES

    # A stable link: #/3 opens the notebook's fourth slide directly.
    visit = open_offline(exports / lang / DECK, size=SLIDE, fragment="#/3")
    wait_ready(visit)
    page = visit.page
    assert page.evaluate("Reveal.getIndices().h") == 3
    assert page.evaluate("location.hash") == "#/3"

    stamp = page.locator(".parley-stamp")
    assert stamp.is_visible()
    text = stamp.inner_text()
    as_of = load_story(story_dir()).meta.as_of.isoformat()
    assert as_of in text and LANG_NAMES[lang] in text
    assert build_id(ROOT).split(" ")[0] in text
    assert page.evaluate("document.documentElement.lang") == lang

    notes = page.evaluate("[...document.querySelectorAll('aside.notes')].map(a => a.innerText)")
    assert len(notes) >= 1 and all(n.strip() for n in notes), "every notes cell has text"
    assert page.evaluate("document.querySelectorAll('aside.notes aside.notes').length") == 0
    assert visit.requests == [] and visit.errors == []


def test_speaker_view_opens_offline(exports: Path, open_offline) -> None:
    visit = open_offline(exports / "ja" / DECK, size=SLIDE)
    wait_ready(visit)
    go_to_slide(visit, 1, 0)
    with visit.page.expect_popup() as popup:
        visit.page.keyboard.press("s")
    speaker = popup.value
    speaker.wait_for_selector(".speaker-controls-notes", timeout=15_000)
    expected = visit.page.evaluate("Reveal.getSlideNotes()")
    assert expected.strip(), "the first content slide has speaker notes"
    speaker.wait_for_function(
        "() => document.querySelector('.speaker-controls-notes').innerText.length > 20"
    )
    assert visit.requests == []


def test_charts_are_live(exports: Path, open_offline) -> None:
    """Hover and a slider with animation frames, without a kernel; the timeline's range
    slider stays on the pages (a projected slide gives its room to the chart)."""
    visit = open_offline(exports / "en" / DECK, size=SLIDE)
    wait_ready(visit)
    page = visit.page
    go_to_slide(visit, 1, 0)
    chart = page.locator("section.present .parley-chart").first
    assert chart.locator(".rangeslider-container").count() == 0
    assert hover_first_point(visit).strip()

    # Somewhere in the deck, a chart steps through time with plotly frames and a slider.
    frames = 0
    for h in range(page.evaluate("Reveal.getHorizontalSlides().length")):
        go_to_slide(visit, h, 0)
        frames = page.evaluate(
            """() => Math.max(0, ...[...document.querySelectorAll('section.present .parley-chart')]
                 .map(d => d.querySelector('.slider-container') && d._transitionData
                           ? d._transitionData._frames.length : 0))"""
        )
        if frames:
            break
    assert frames > 1, "a chart with animation frames and a slider"
    assert visit.requests == [] and visit.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_deck_is_lean(exports: Path, lang: str) -> None:
    """One plotly.js (the basic bundle), no CDN URL, and far below a naive export's size."""
    from plotly.offline import get_plotlyjs

    html = (exports / lang / DECK).read_text(encoding="utf-8")
    assert plotly_bundles(html) == 1
    assert "plotly.js (basic - minified)" in html
    # Everything inline: no script, style sheet or module is loaded from anywhere.
    assert not re.search(r"<script[^>]*\bsrc=|<link[^>]*stylesheet|\bimport\s*\(?['\"]http", html)
    # A naive export (nbconvert slides + plotly's notebook renderer) holds at least the full
    # plotly.js, JupyterLab's 240 kB style sheet and the same figure JSON.
    specs = html.count(SPEC)
    assert specs >= 5
    figure_json = sum(len(part.split("</script>", 1)[0]) for part in html.split(SPEC)[1:])
    naive_floor = len(get_plotlyjs()) + 240_000 + figure_json
    assert len(html.encode()) <= 0.6 * naive_floor


# --- a presenter's deck (issue 24) --------------------------------------------------------

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _walk(visit, on_slide) -> list:
    """Show every slide in order (no transition) and collect on_slide(n, h, v)."""
    wait_ready(visit)
    page = visit.page
    page.evaluate("Reveal.configure({ transition: 'none' })")
    order = page.evaluate(
        "Reveal.getSlides().map(s => { const i = Reveal.getIndices(s); return [i.h, i.v || 0]; })"
    )
    found = []
    for n, (h, v) in enumerate(order):
        go_to_slide(visit, h, v)
        found.append(on_slide(n, h, v))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_chart_text_is_legible_from_the_back_of_the_room(
    exports: Path, open_offline, lang: str
) -> None:
    """At 1280×720 no chart text (ticks, legends, annotations, titles; hover labels and the
    range slider aside) reaches the screen smaller than 18 px; chart titles are larger."""
    visit = open_offline(exports / lang / DECK, size=SLIDE)
    page = visit.page

    def measure(n: int, h: int, v: int):
        least = page.evaluate(SMALLEST_CHART_TEXT)
        titles = page.evaluate(
            """() => [...Reveal.getCurrentSlide().querySelectorAll('.parley-chart .gtitle')]
                 .map(t => parseFloat(getComputedStyle(t).fontSize)
                      * t.closest('svg').getBoundingClientRect().width
                      / t.closest('svg').width.baseVal.value)"""
        )
        return n, least, titles

    measured = [m for m in _walk(visit, measure) if m[1] is not None]
    assert len(measured) >= 5, "the deck's chart slides were measured"
    for n, least, titles in measured:
        assert least["px"] >= 18, f"slide {n + 1}: {least['text']!r} is {least['px']:.1f} px"
        assert titles and min(titles) > least["px"], f"slide {n + 1}: the title is not larger"
    assert visit.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_content_slide_has_speaker_notes(exports: Path, open_offline, lang: str) -> None:
    visit = open_offline(exports / lang / DECK, size=SLIDE)
    page = visit.page

    def notes(n: int, h: int, v: int):
        appendix = page.evaluate(
            "Reveal.getCurrentSlide().closest('.slides > section').querySelector('#sources')"
            " !== null"
        )
        text = page.evaluate(
            "(() => { const d = document.createElement('div');"
            " d.innerHTML = Reveal.getSlideNotes() || ''; return d.innerText; })()"
        )
        return n, appendix, text.strip()

    slides = _walk(visit, notes)
    content = [(n, text) for n, appendix, text in slides if not appendix]
    assert len(content) >= 10 and len(content) < len(slides), "content slides, then sources"
    for n, text in content:
        assert len(text) > 40, f"slide {n + 1} has no speaker notes"
        # In the deck's language: Japanese notes for the Japanese deck, English for English.
        assert bool(CJK.search(text)) == (lang == "ja"), f"slide {n + 1}: {text[:60]!r}"
    assert visit.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_sources_are_numbered_and_listed_at_the_end(exports: Path, open_offline, lang: str) -> None:
    """Each chart slide's caption cites its numbers; the appendix lists exactly the cited
    sources, item n for [n], each publisher · title · date · link; its slides fit."""
    from parley.story.load import load_story

    story = load_story(story_dir())
    by_id = {s.id: s for s in story.sources}
    visit = open_offline(exports / lang / DECK, size=SLIDE)
    wait_ready(visit)
    page = visit.page
    cites = page.evaluate(
        """() => [...document.querySelectorAll('.reveal .slides .parley-cite')]
             .map(a => [a.dataset.source, Number(a.dataset.number), a.textContent])"""
    )
    assert cites, "the slides cite sources"
    numbers = {sid: number for sid, number, _ in cites}
    assert all(text == f"[{numbers[sid]}]" for sid, _, text in cites)
    assert sorted(set(numbers.values())) == list(range(1, len(numbers) + 1))
    captions = page.evaluate(
        """() => [...document.querySelectorAll('.reveal .slides .parley-figure-desc')]
             .map(p => p.querySelectorAll('.parley-cite').length)"""
    )
    assert len(captions) >= 5 and all(captions), "every chart caption cites its sources"
    items = page.evaluate(
        """() => [...document.querySelectorAll('.parley-appendix li')]
             .map(li => [li.dataset.source, li.innerText, li.querySelector('a')?.href])"""
    )
    assert [sid for sid, _, _ in items] == sorted(numbers, key=numbers.get)
    for sid, text, href in items:
        src = by_id[sid]
        assert src.publisher in text and src.title in text, sid
        assert src.published is None or src.published.isoformat() in text
        assert href == src.url and src.url in text
    # The list opens at #/sources and is paginated: every one of its slides fits.
    visit.page.evaluate("location.hash = '#/sources'")
    page.wait_for_function("Reveal.getCurrentSlide().id === 'sources'")
    h = page.evaluate("Reveal.getIndices().h")
    pages = page.evaluate(f"Reveal.getSlides().filter(s => Reveal.getIndices(s).h === {h}).length")
    shown = 0
    for v in range(pages):
        state = go_to_slide(visit, h, v)
        assert state["height"] <= SLIDE[1], f"source slide {v + 1} is {state['height']} px tall"
        shown += page.evaluate("Reveal.getCurrentSlide().querySelectorAll('li').length")
    assert shown == len(items)
    assert visit.requests == [] and visit.errors == []


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


CONTENT_BOXES = """() => {
  const s = Reveal.getCurrentSlide();
  const boxes = [];
  for (const el of s.querySelectorAll('p, li, h1, h2, h3, h4, td, th, svg.main-svg text')) {
    if (el.closest('aside.notes') || !el.textContent.trim() || !el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.height) boxes.push({x: r.x, y: r.y, width: r.width, height: r.height,
                                         text: el.textContent.slice(0, 30)});
  }
  return boxes;
}"""
CONTROLS = """() => [...document.querySelectorAll('.reveal .controls button')]
  .filter(b => getComputedStyle(b).visibility === 'visible' && b.offsetWidth)
  .map(b => { const r = b.getBoundingClientRect();
              return {x: r.x, y: r.y, width: r.width, height: r.height}; })"""


@pytest.mark.parametrize("lang", LANGS)
def test_controls_never_cover_content(exports: Path, open_offline, lang: str) -> None:
    visit = open_offline(exports / lang / DECK, size=SLIDE)
    page = visit.page

    def covered(n: int, h: int, v: int):
        controls = page.evaluate(CONTROLS)
        boxes = page.evaluate(CONTENT_BOXES)
        return n, controls, [b["text"] for b in boxes for c in controls if _overlap(b, c)]

    walked = _walk(visit, covered)
    assert any(controls for _, controls, _ in walked), "the deck shows its arrows"
    for n, _, hits in walked:
        assert not hits, f"slide {n + 1}: the controls cover {hits}"


def _contrast(fg: str, bg: str) -> float:
    def lum(rgb: str) -> float:
        r, g, b = (int(x) / 255 for x in re.findall(r"\d+", rgb)[:3])
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("lang", LANGS)
def test_focus_number_contrast_and_chapter_links(exports: Path, open_offline, lang: str) -> None:
    from parley.story.load import load_story

    story = load_story(story_dir())
    positions = next(ch for ch in story.meta.chapters if ch.id == "positions")
    visit = open_offline(exports / lang / DECK, size=SLIDE, fragment="#/positions")
    wait_ready(visit)
    page = visit.page
    # A chapter's id opens its slide; the address then names the slide by number.
    assert positions.title(lang) in page.evaluate("Reveal.getCurrentSlide().innerText")
    h = page.evaluate("Reveal.getIndices().h")
    assert h > 0 and page.evaluate("location.hash") == f"#/{h}"
    page.evaluate("location.hash = '#/overview'")
    page.wait_for_function("Reveal.getIndices().h === 1")
    assert page.evaluate("location.hash") == "#/1"

    # Tab walks the shown slide's links and controls, never into a slide out of view.
    go_to_slide(visit, h + 1, 0)  # a chart slide, the next slide's links right after it
    outside = []
    for _ in range(25):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => { const a = document.activeElement;
                 const s = a && a.closest('.slides section');
                 return s && !s.contains(Reveal.getCurrentSlide())
                   && s !== Reveal.getCurrentSlide() ? a.outerHTML.slice(0, 80) : null; }"""
        )
        if where:
            outside.append(where)
    assert outside == [], f"focus reached a hidden slide: {outside[:3]}"

    number = page.locator(".reveal .slide-number")
    assert number.is_visible()
    colour, background = number.evaluate(
        "n => [getComputedStyle(n.querySelector('a') || n).color,"
        " getComputedStyle(n).backgroundColor]"
    )
    assert "rgba" not in background or background.endswith(", 1)"), background
    assert _contrast(colour, background) >= 4.5
    assert visit.requests == [] and visit.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_print_pdf_draws_every_chart_on_a_page_per_slide(
    exports: Path, open_offline, lang: str
) -> None:
    """reveal.js's own print mode, as a presenter's browser prints: every chart drawn with
    its marks, one page per slide, no page holding only the build stamp."""
    visit = open_offline(exports / lang / DECK, size=SLIDE)
    wait_ready(visit)
    slides = visit.page.evaluate("Reveal.getTotalSlides()")
    printing = open_offline(exports / lang / DECK, size=SLIDE, fragment="?print-pdf")
    page = printing.page
    page.wait_for_function(
        "document.documentElement.hasAttribute('data-parley-printed')", timeout=60_000
    )
    pages = page.evaluate(
        """() => [...document.querySelectorAll('.pdf-page')].map(p => ({
             slides: p.querySelectorAll(':scope > section').length,
             charts: p.querySelectorAll('.parley-chart').length,
             marks: [...p.querySelectorAll('.parley-chart')].map(c =>
               c.querySelectorAll('.scatterlayer .point, .scatterlayer .js-line, .barlayer .point')
                .length),
           }))"""
    )
    assert len(pages) == slides, "one page per slide"
    assert all(p["slides"] == 1 for p in pages), "no page without its slide"
    charts = [m for p in pages for m in p["marks"]]
    assert len(charts) >= 5 and all(charts), f"charts without marks: {charts}"
    assert page.evaluate("Reveal.getConfig().pdfSeparateFragments") is False
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.parley-stamp')).position")
        == "fixed"
    ), "the stamp prints on every page, not on one of its own"
    assert printing.requests == [] and printing.errors == []


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"  # axe-core 4.10.3, pinned


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_violation_on_any_slide(exports: Path, open_offline, lang: str) -> None:
    """axe-core (pinned, vendored) on every slide as shown, charts drawn: no violation
    (the slide number's contrast was the one it found before)."""
    visit = open_offline(exports / lang / DECK, size=SLIDE)
    visit.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))

    def check(n: int, h: int, v: int):
        found = visit.page.evaluate(
            """async () => {
                 const r = await axe.run(document, {resultTypes: ['violations']});
                 return r.violations.map(v => [v.id, v.impact, v.nodes.length,
                   v.nodes.slice(0, 2).map(n => n.target.join(' '))]);
               }"""
        )
        return n, found

    slides = _walk(visit, check)
    assert len(slides) > 10
    assert [(n + 1, found) for n, found in slides if found] == []
    assert visit.errors == []
