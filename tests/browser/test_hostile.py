"""Markup-like text in the data is legal content: it shows as text and never runs.

The hostile story appends ``PAYLOAD`` (a script tag and an image with an onerror handler) to
every free text and repeats the first chapter's key points until their slide cannot fit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from offline import (
    DECK,
    LANGS,
    PAYLOAD,
    PHONE,
    SLIDE,
    go_to_slide,
    hover_first_point,
    page_names,
    walk_deck,
)

pytestmark = pytest.mark.browser

RAN = "window.__pwned === undefined ? null : window.__pwned"
# Inside the content (slides, the page's main): no payload image, no script but chart JSON.
INJECTED = """document.querySelectorAll(
  ':is(.slides, main) :is(img[src="x"], script:not([type="application/json"]))').length"""
PAGES = [(lang, name) for lang in LANGS for name in page_names()]


def test_no_file_holds_the_payload_as_markup(hostile_exports: Path) -> None:
    files = sorted(hostile_exports.rglob("*.html"))
    assert len(files) == len(LANGS) * (len(page_names()) + 1) + 1
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        assert "<script>window.__pwned" not in text, path
        assert "<img src=x" not in text, path


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_deck(hostile_exports: Path, open_offline, lang: str) -> None:
    visit = open_offline(hostile_exports / lang / DECK, size=SLIDE)
    states = walk_deck(visit)
    page = visit.page

    assert any(PAYLOAD in state["text"] for state in states), "the payload shows as text"
    for state in states:
        assert state["height"] <= SLIDE[1] and state["width"] <= SLIDE[0], state["indices"]
        assert state["drawn"] == state["charts"], state["indices"]
    # The over-long key points went on to "continued" slides below their own.
    assert page.evaluate("document.querySelectorAll('section.parley-continued').length") >= 1
    assert any(state["indices"].get("v") for state in states)

    go_to_slide(visit, 1, 0)
    assert "<script>window.__pwned=1</script>" in hover_first_point(visit)

    assert page.evaluate(RAN) is None
    assert page.evaluate(INJECTED) == 0
    assert visit.requests == [] and visit.errors == []


@pytest.mark.parametrize(("lang", "name"), PAGES, ids=[f"{lang}/{name}" for lang, name in PAGES])
def test_hostile_page(hostile_exports: Path, open_offline, lang: str, name: str) -> None:
    visit = open_offline(hostile_exports / lang / name, size=PHONE)
    page = visit.page
    count = page.evaluate("document.querySelectorAll('.parley-chart').length")
    if count:
        page.wait_for_selector(f"body[data-charts-drawn='{count}']", timeout=30_000)
    assert PAYLOAD in page.evaluate("document.body.innerText")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    assert page.evaluate(RAN) is None
    assert page.evaluate(INJECTED) == 0
    assert visit.requests == [] and visit.errors == []


def test_hostile_app_mode_html(hostile_data: Path, browser) -> None:
    """What app mode renders beyond the exports: every event's card (its citations and
    other accounts) and text blocks carrying both languages, shown in Chromium: the
    payload is text, nothing runs."""
    from parley.story.load import load_story
    from parley.tables import frames
    from parley.views import blocks
    from parley.widgets.appmode import bilingual
    from parley.widgets.cards import event_card

    story = load_story(hostile_data)
    tables = frames.build_tables(story)
    parts = [event_card(story, tables, ev.id, lang) for ev in story.events for lang in LANGS]
    parts.append(bilingual({lang: blocks.header(story, lang) for lang in LANGS}, "ja"))
    html = "".join(parts)
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert html.count("window.__pwned") >= len(story.events) * len(LANGS)  # shown, as text
    context = browser.new_context()
    page = context.new_page()
    page.set_content(f"<!doctype html><html><body>{html}</body></html>")
    assert page.evaluate(RAN) is None
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"], script').length") == 0
    context.close()
