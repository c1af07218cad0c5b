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
    draw_all,
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

    # Speaker notes, citation marks and the deck's source list: text too.
    notes = page.evaluate(
        "Reveal.getSlides().map(s => [...s.querySelectorAll('aside.notes')]"
        ".map(a => a.innerText).join(' '))"
    )
    assert sum(PAYLOAD in n for n in notes) >= 10, "every story note shows the payload as text"
    listed = page.evaluate(
        "[...document.querySelectorAll('.parley-appendix li')].map(li => li.innerText)"
    )
    assert listed and all(PAYLOAD in text for text in listed)
    assert page.evaluate("document.querySelectorAll('.parley-cite[data-number]').length") >= 5

    # The first chart's slide (the long hostile hook pushes it to a continued slide; only
    # the shown slide takes the pointer).
    first = page.evaluate(
        "Reveal.getIndices(Reveal.getSlides().find(s => s.querySelector('.parley-chart')))"
    )
    go_to_slide(visit, first["h"], first.get("v") or 0)
    assert "<script>window.__pwned=1</script>" in hover_first_point(visit)

    assert page.evaluate(RAN) is None
    assert page.evaluate(INJECTED) == 0
    assert visit.requests == [] and visit.errors == []


@pytest.mark.parametrize(("lang", "name"), PAGES, ids=[f"{lang}/{name}" for lang, name in PAGES])
def test_hostile_page(hostile_exports: Path, open_offline, lang: str, name: str) -> None:
    visit = open_offline(hostile_exports / lang / name, size=PHONE)
    page = visit.page
    draw_all(page)
    assert PAYLOAD in page.evaluate("document.body.innerText")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    assert page.evaluate(RAN) is None
    assert page.evaluate(INJECTED) == 0
    assert visit.requests == [] and visit.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_explorer_and_builder(hostile_exports: Path, open_offline, lang: str) -> None:
    """The page explorer's list, card, search and embedded JSON, and the page builder's
    verdicts, show markup-like data as text (issue 22)."""
    visit = open_offline(hostile_exports / lang / "02-timeline.html", size=PHONE)
    page = visit.page
    page.wait_for_selector("[data-parley-explorer][data-parley-ready='true']", timeout=30_000)
    data = page.evaluate(
        "JSON.parse(document.querySelector('script.parley-explorer-data').textContent)"
    )
    assert all(PAYLOAD in event["t"] for event in data["events"]), "the JSON holds it as text"
    page.locator("li.parley-ev button.parley-ev-open").first.click()
    card = page.locator(".parley-ex-card")
    assert PAYLOAD in card.inner_text()
    page.fill("input[name='q']", PAYLOAD)  # every event carries it: all still found
    count = page.evaluate("parleyExplorer.shownIds().length")
    assert count == len(data["events"])
    page.evaluate("p => { location.hash = '#q=' + encodeURIComponent(p); }", PAYLOAD)
    page.wait_for_timeout(100)
    assert page.evaluate(RAN) is None
    assert page.evaluate(INJECTED) == 0

    visit2 = open_offline(hostile_exports / lang / "06-scenarios.html", size=PHONE)
    page2 = visit2.page
    page2.wait_for_selector("[data-parley-builder][data-parley-ready='true']", timeout=30_000)
    options = page2.evaluate(
        "[...document.querySelectorAll('select[name=preset] option')].map(o => o.value)"
    )
    for value in options[1:]:
        page2.select_option("select[name='preset']", value)
        assert PAYLOAD in page2.locator(".parley-b-result").inner_text()
    page2.locator("input[type='range']").first.focus()
    page2.keyboard.press("ArrowLeft")
    assert page2.evaluate(RAN) is None
    assert page2.evaluate(INJECTED) == 0
    assert visit.requests == [] and visit.errors == []
    assert visit2.requests == [] and visit2.errors == []


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
