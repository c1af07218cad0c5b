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
    """Hover, the timeline's range slider, a slider with animation frames: all without a kernel."""
    visit = open_offline(exports / "en" / DECK, size=SLIDE)
    wait_ready(visit)
    page = visit.page
    go_to_slide(visit, 1, 0)
    chart = page.locator("section.present .parley-chart").first
    assert chart.locator(".rangeslider-container").count() == 1
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
