"""The page explorer and scenario builder in Chromium, from file:// with the network cut.

The case table (tests/cases/explorer.yaml) runs here against the pages' scripts, as
tests/unit/test_cases.py runs it against Python: both must give what the table says. A few
cases are also driven through the real controls (typing, ticking, keys, clicks).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from offline import LANGS, PHONE, ROOT, Visit

from parley.tables.explore import Filter

pytestmark = pytest.mark.browser

CASES = yaml.safe_load((ROOT / "tests" / "cases" / "explorer.yaml").read_text(encoding="utf-8"))
TIMELINE = "02-timeline.html"
SCENARIOS = "06-scenarios.html"
DESKTOP = (1280, 800)
MAIN_POINTS = """[...document.querySelector('.parley-chart').querySelectorAll('.point')]
  .filter(p => !p.closest('.rangeslider-container'))"""
LIST_IDS = """[...document.querySelectorAll('[data-parley-list] li.parley-ev')]
  .map(li => li.id.replace(/^event-/, ''))"""

# In chart `d`: the marker farthest from any other (where markers overlap, plotly picks by
# distance): its centre on screen and its event id.
FARTHEST_MARKER = """
  d.scrollIntoView({block: 'center'});
  const pts = [];
  [...d.querySelectorAll('.scatterlayer .trace')]
    .filter(tr => !tr.closest('.rangeslider-container'))
    .forEach((tr, t) => tr.querySelectorAll('.point')
    .forEach((pt, p) => { const r = pt.getBoundingClientRect();
      pts.push({x: r.x + r.width / 2, y: r.y + r.height / 2,
                id: d.data[t].customdata[p][0]}); }));
  let best = null, far = -1;
  for (const a of pts) {
    const near = Math.min(...pts.filter(b => b !== a)
      .map(b => Math.hypot(a.x - b.x, a.y - b.y)));
    if (near > far) { far = near; best = a; }
  }
  return best;"""


def js_filter(spec: dict[str, Any]) -> dict[str, Any]:
    """A case's filter with every field the script's filter has."""
    out: dict[str, Any] = {
        "sides": [],
        "kinds": [],
        "issues": [],
        "actors": [],
        "verification": [],
        "start": "",
        "end": "",
        "query": "",
        "selected": "",
    }
    out.update(spec)
    return out


def open_explorer(open_offline, exports: Path, lang: str, fragment: str = "", size=DESKTOP):
    visit: Visit = open_offline(exports / lang / TIMELINE, size=size, fragment=fragment)
    page = visit.page
    page.wait_for_selector("[data-parley-explorer][data-parley-ready='true']", timeout=30_000)
    page.evaluate("window.parleyExplorer.ready")
    return visit


def wait_chart(page) -> None:
    page.wait_for_selector(".parley-chart[data-drawn='true']", timeout=30_000)


@pytest.mark.parametrize("lang", LANGS)
def test_the_case_table_in_the_page(exports: Path, open_offline, lang: str) -> None:
    visit = open_explorer(open_offline, exports, lang)
    page = visit.page
    for case in CASES["normalise"]:
        assert page.evaluate("t => parleyExplorer.normalise(t)", case["text"]) == case["expected"]
    for case in CASES["search"]:
        for query in case["queries"]:
            got = page.evaluate("f => parleyExplorer.matchIds(f)", {"query": query})
            assert got == case["ids"], (case["name"], query)
    for case in CASES["filters"]:
        got = page.evaluate("f => parleyExplorer.matchIds(f)", case["filter"])
        assert got == case["ids"], case["name"]
    for case in CASES["fragments"]:
        flt = js_filter(case["filter"])
        assert page.evaluate("f => parleyExplorer.toFragment(f)", flt) == case["fragment"]
        for text in [case["fragment"], *case.get("read", [])]:
            assert page.evaluate("t => parleyExplorer.fromFragment(t)", text) == flt, text
    assert visit.requests == [] and visit.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_settlement_cases_in_the_page(exports: Path, open_offline, lang: str) -> None:
    visit = open_offline(exports / lang / SCENARIOS, size=DESKTOP)
    page = visit.page
    page.wait_for_selector("[data-parley-builder][data-parley-ready='true']", timeout=30_000)
    for case in CASES["settlements"]:
        verdicts = page.evaluate("s => parleyBuilder.judge(s)", case["settlement"])
        assert {v["side"]: [c[0] for c in v["crossings"]] for v in verdicts} == case["crossings"]
        distance = {v["side"]: [list(d) for d in v["distance"]] for v in verdicts}
        assert distance == {
            side: [[i, d] for i, d in ds.items()] for side, ds in case["distance"].items()
        }, case["name"]
        sid, rms = page.evaluate("s => parleyBuilder.closest(s)", case["settlement"])
        assert sid == case["closest"]
        assert rms == pytest.approx(case["rms"], abs=1e-12)
    assert visit.requests == [] and visit.errors == []


def test_builder_controls_update_verdicts_and_chart(exports: Path, open_offline) -> None:
    """The real sliders and preset: verdicts, closest scenario and the settlement markers."""
    visit = open_offline(exports / "en" / SCENARIOS, size=DESKTOP)
    page = visit.page
    page.wait_for_selector("[data-parley-builder][data-parley-ready='true']", timeout=30_000)
    wait_chart(page)
    case = CASES["settlements"][2]  # a scenario's own outcomes
    page.select_option("select[name='preset']", case["closest"])
    closest = page.locator(".parley-b-closest")
    assert closest.get_attribute("data-scenario") == case["closest"]
    assert "0.0" in closest.inner_text()
    crossed = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.parley-b-verdicts tbody tr')]
          .map(tr => [tr.dataset.side, (tr.children[1].textContent.match(/✗/g) || []).length]))"""
    )
    assert crossed == {side: len(issues) for side, issues in case["crossings"].items()}
    # A slider moved by keyboard leaves the preset and moves that issue's diamond.
    slider = page.locator("input[type='range']").first
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("select[name='preset']").input_value() == ""
    issue = slider.get_attribute("name")
    value = float(slider.input_value())
    assert value == case["settlement"][issue] + 0.5
    # The zone chart is drawn only as it nears the viewport (page.js); once drawn it shows
    # the builder's current settlement, moved before the chart existed.
    page.evaluate(
        """() => [...document.querySelectorAll('.parley-chart')]
            .find(c => c.compareDocumentPosition(document.querySelector('[data-parley-builder]'))
                   & Node.DOCUMENT_POSITION_PRECEDING).parentElement.scrollIntoView()"""
    )
    page.wait_for_function(
        """() => [...document.querySelectorAll('.parley-chart')]
            .find(c => c.compareDocumentPosition(document.querySelector('[data-parley-builder]'))
                   & Node.DOCUMENT_POSITION_PRECEDING).getAttribute('data-drawn') === 'true'""",
        timeout=30_000,
    )
    markers = page.evaluate(
        """() => { const d = [...document.querySelectorAll('.parley-chart')]
            .find(c => c.compareDocumentPosition(document.querySelector('[data-parley-builder]'))
                   & Node.DOCUMENT_POSITION_PRECEDING);
          const t = d.data[d.data.length - 1]; return [t.x, t.y]; }"""
    )
    assert markers[0][0] == value and markers[1][0] == 0
    assert visit.requests == [] and visit.errors == []


def test_controls_filter_the_list_and_write_the_link(exports: Path, open_offline) -> None:
    visit = open_explorer(open_offline, exports, "en")
    page = visit.page
    wait_chart(page)
    search = CASES["search"][1]
    page.fill("input[name='q']", search["queries"][0])
    assert page.evaluate(LIST_IDS) == search["ids"]
    page.fill("input[name='q']", "")
    case = CASES["filters"][0]  # United States, calls
    page.check("input[name='side'][value='us']")
    page.check("input[name='kind'][value='call']")
    assert page.evaluate(LIST_IDS) == case["ids"]
    assert page.evaluate("location.hash") == "#side=us&kind=call"
    count = page.locator(".parley-ex-count").inner_text()
    assert count.startswith(f"{len(case['ids'])} of ")
    # The chart dims what the filter leaves out: one bright marker per kept event.
    bright = page.evaluate(MAIN_POINTS + ".filter(p => !p.classList.contains('parley-dim')).length")
    assert bright == len(case["ids"])
    assert page.evaluate(MAIN_POINTS + ".length") > len(case["ids"])
    page.click("button.parley-ex-clear")
    page.wait_for_function(
        "document.querySelectorAll('[data-parley-list] li.parley-ev').length > 12"
    )
    assert page.evaluate("location.hash") == ""
    assert visit.requests == [] and visit.errors == []


def test_keyboard_moves_opens_and_closes(exports: Path, open_offline) -> None:
    visit = open_explorer(open_offline, exports, "ja")
    page = visit.page
    # Tab reaches every control of the explorer, then the list (one stop: its current row).
    controls = page.evaluate(
        """() => [...document.querySelectorAll('.parley-explorer :is(input, select, button, a)')]
          .filter(el => el.tabIndex >= 0 && !el.disabled && el.offsetParent !== null).length"""
    )
    page.focus("input[name='q']")
    reached = set()
    for _ in range(controls * 4):
        reached.add(page.evaluate("document.activeElement.outerHTML.slice(0, 120)"))
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('li.parley-ev')"):
            break
    assert page.evaluate("document.activeElement.matches('button.parley-ev-open')")
    ids = page.evaluate(LIST_IDS)
    assert page.evaluate("document.activeElement.closest('li').id") == f"event-{ids[0]}"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus is visible"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.closest('li').id") == f"event-{ids[1]}"
    page.keyboard.press("Enter")
    root = page.locator("[data-parley-explorer]")
    assert root.get_attribute("data-card") == ids[1]
    assert page.locator(".parley-ex-card").is_visible()
    assert page.evaluate("location.hash") == f"#event={ids[1]}"
    page.keyboard.press("Escape")
    assert not page.locator(".parley-ex-card").is_visible()
    assert page.evaluate("document.activeElement.closest('li').id") == f"event-{ids[1]}"
    assert visit.requests == [] and visit.errors == []


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_deep_link_opens_the_event(exports: Path, open_offline, size) -> None:
    visit = open_explorer(open_offline, exports, "en", "#event=alaska-summit", size=size)
    page = visit.page
    assert page.locator("[data-parley-explorer]").get_attribute("data-card") == "alaska-summit"
    card = page.locator(".parley-ex-card")
    assert card.is_visible()
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size[0] + 1
    assert card.locator(".parley-ev-sources a").count() >= 1, "sources are links"
    assert page.locator("#event-alaska-summit").get_attribute("aria-current") == "true"
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    assert visit.requests == [] and visit.errors == []


def test_filters_in_the_fragment_and_share_codes_open_the_same_view(
    exports: Path, open_offline
) -> None:
    flt = Filter(sides=("us",), kinds=("call",), query="Putin", selected="trump-putin-call-march")
    views = []
    for fragment in (
        "#side=us&kind=call&q=Putin&event=trump-putin-call-march",
        f"#share={flt.code()}",
    ):
        visit = open_explorer(open_offline, exports, "en", fragment)
        page = visit.page
        page.wait_for_function("document.querySelector('[data-parley-explorer]').dataset.card")
        views.append(
            {
                "ids": page.evaluate(LIST_IDS),
                "card": page.locator("[data-parley-explorer]").get_attribute("data-card"),
                "q": page.input_value("input[name='q']"),
                "us": page.is_checked("input[name='side'][value='us']"),
                "hash": page.evaluate("location.hash"),
            }
        )
        assert visit.requests == [] and visit.errors == []
    assert views[0] == views[1]
    assert views[0]["card"] == "trump-putin-call-march" and views[0]["us"]
    assert views[1]["hash"] == "#side=us&kind=call&q=Putin&event=trump-putin-call-march"


def test_chart_and_list_in_step(exports: Path, open_offline) -> None:
    visit = open_explorer(open_offline, exports, "en")
    page = visit.page
    wait_chart(page)
    # List → chart: the selected event's marker is outlined.
    page.click("#event-alaska-summit button.parley-ev-open")
    outlined = page.evaluate(
        """() => { const d = document.querySelector('.parley-chart');
          const ex = parleyExplorer.explorer, m = ex.events[ex.byId['alaska-summit']].m;
          const traces = [...d.querySelectorAll('.scatterlayer .trace')]
            .filter(tr => !tr.closest('.rangeslider-container'));
          const hits = [...d.querySelectorAll('.point.parley-hit')]
            .filter(p => !p.closest('.rangeslider-container'));
          return [hits.length, traces[m[0]].querySelectorAll('.point')[m[1]] === hits[0]]; }"""
    )
    assert outlined == [1, True]
    page.keyboard.press("Escape")
    # Chart → list: a real click on a marker selects its event in the list and opens its card.
    # (the marker farthest from any other: where markers overlap, plotly picks by distance)
    target = page.evaluate(
        "() => { const d = document.querySelector('.parley-chart');" + FARTHEST_MARKER + "}"
    )
    page.mouse.move(target["x"], target["y"])
    page.mouse.click(target["x"], target["y"])
    card = page.locator("[data-parley-explorer]")
    page.wait_for_function("document.querySelector('[data-parley-explorer]').dataset.card")
    chosen = card.get_attribute("data-card")
    assert chosen == target["id"]
    assert page.locator(f"#event-{chosen}").get_attribute("aria-current") == "true"
    assert visit.requests == [] and visit.errors == []


def test_list_is_there_before_any_script(exports: Path) -> None:
    """The export itself holds every event's entry as HTML (no script needed to read it)."""
    html = (exports / "en" / TIMELINE).read_text(encoding="utf-8")
    import re

    rows = re.findall(r'<li [^>]*\bid="event-([^"]+)"', html)
    assert len(rows) == len(set(rows)) > 100
    assert len(re.findall(r"<ol [^>]*\bdata-parley-list\b", html)) == 1
    assert html.count('class="parley-explorer-data"') == 1, "the data is embedded once"


@pytest.mark.parametrize("lang", LANGS)
def test_other_pages_link_events_to_their_entries(exports: Path, lang: str) -> None:
    """Each event the voices respond to links to its entry in the same language's explorer."""
    import re

    timeline = (exports / lang / TIMELINE).read_text(encoding="utf-8")
    entries = set(re.findall(r'<li [^>]*\bid="event-([^"]+)"', timeline))
    linked: set[str] = set()
    for path in sorted((exports / lang).glob("*.html")):
        html = path.read_text(encoding="utf-8")
        linked |= set(re.findall(r'href="02-timeline\.html#event=([^"]+)"', html))
    assert linked, "some page links an event"
    assert linked <= entries


def test_a_damaged_share_code_says_so(exports: Path, open_offline) -> None:
    visit = open_explorer(open_offline, exports, "en", "#share=p1.@@@")
    page = visit.page
    page.wait_for_function(
        "document.querySelector('.parley-ex-count').textContent.startsWith('Cannot read')"
    )
    assert len(page.evaluate(LIST_IDS)) > 12, "the list still shows every event"
    assert visit.requests == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_timeline_marker_elsewhere_opens_its_event_in_the_explorer(
    exports: Path, open_offline, lang: str
) -> None:
    """On a page without the explorer the timeline's hover names the event and says a click
    opens its details; the click lands on the explorer's page with the event's card open."""
    from offline import draw_all

    visit: Visit = open_offline(exports / lang / "08-peace-plan.html", size=DESKTOP)
    page = visit.page
    draw_all(page)
    target = page.evaluate(
        """() => { const d = [...document.querySelectorAll('.parley-chart')]
            .find(c => c._fullLayout && c._fullLayout.meta && c._fullLayout.meta.parley_events);"""
        + FARTHEST_MARKER
        + "}"
    )
    page.mouse.move(target["x"], target["y"])
    label = page.locator(".hoverlayer .hovertext").first
    label.wait_for(timeout=10_000)
    hint = {"ja": "クリックで詳細", "en": "Click for details"}[lang]
    assert hint in (label.text_content() or "")
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(f"**/{TIMELINE}#event={target['id']}", timeout=30_000)
    page.wait_for_function(
        "(id) => (document.querySelector('[data-parley-explorer]') || {}).dataset"
        " && document.querySelector('[data-parley-explorer]').dataset.card === id",
        arg=target["id"],
        timeout=30_000,
    )
    assert visit.requests == [] and visit.errors == []
