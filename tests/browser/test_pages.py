"""The static pages, opened from file:// on a phone-sized screen with the network cut off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from offline import LANGS, PHONE, SHOTS, draw_all, page_names, plotly_bundles

pytestmark = pytest.mark.browser

PAGES = [(lang, name) for lang in LANGS for name in page_names()]
DRAWN = "[...document.querySelectorAll('.parley-chart')].filter(d => d.querySelector('.main-svg'))"
CODE = "document.querySelectorAll('.jp-CodeCell .jp-InputArea, .jp-InputPrompt, .cm-editor').length"
HREFS = "[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"


def wait_for_charts(page) -> int:
    """Have page.js draw every chart (not only those near the viewport); how many."""
    return draw_all(page)


@pytest.mark.parametrize(("lang", "name"), PAGES, ids=[f"{lang}/{name}" for lang, name in PAGES])
def test_page_offline_drawn_and_phone_wide(
    exports: Path, open_offline, lang: str, name: str
) -> None:
    path = exports / lang / name
    visit = open_offline(path, size=PHONE)
    page = visit.page
    charts = wait_for_charts(page)
    drawn = page.evaluate(DRAWN + ".length")
    assert drawn == charts
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0], "horizontal scroll"
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator(".parley-stamp").is_visible()
    assert page.evaluate(CODE) == 0, "code cells show no input"
    assert "from parley import" not in page.evaluate("document.body.innerText")
    html = path.read_text(encoding="utf-8")
    assert plotly_bundles(html) == (1 if charts else 0)
    if SHOTS and name.startswith("02-"):
        page.screenshot(
            path=f"{SHOTS}/page-{lang}-{name.removesuffix('.html')}-375px.png", full_page=True
        )
    assert visit.requests == [], "an offline page must not try the network"
    assert visit.errors == []


# The timeline on a wide screen: its margins, measured by charts.js, against what it drew.
TIMELINE_FIT = """() => {
  const d = document.querySelector('.parley-chart'), svg = d.querySelector('.main-svg');
  const box = svg.getBoundingClientRect();
  const inside = (el) => { const r = el.getBoundingClientRect();
    return (r.width === 0 && r.height === 0)  // a tick plotly hides
        || r.left >= box.left - 1 && r.right <= box.right + 1
        && r.top >= box.top - 1 && r.bottom <= box.bottom + 1; };
  const legend = [...d.querySelectorAll('.legend .traces')].map((t) => t.getBoundingClientRect());
  const plot = d.querySelector('.cartesianlayer .bg, .bglayer .bg').getBoundingClientRect();
  return {
    autoexpand: d._fullLayout.margin.autoexpand,
    labels: [...d.querySelectorAll('.ytick text, .xtick text')].every(inside),
    slider: d.querySelector('.rangeslider-container')
      ? inside(d.querySelector('.rangeslider-container')) : null,
    dates: document.querySelectorAll('.parley-range input[type=date]').length,
    legendRows: new Set(legend.map((r) => Math.round(r.top))).size,
    legendAbove: legend.every((r) => r.bottom <= plot.top + 1),
  };
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_margins_measured_on_wide_screens_plotlys_on_phones(
    exports: Path, open_offline, lang: str
) -> None:
    """charts.js sizes the timeline's margins itself (sparing plotly a second draw): every
    label, the range slider and a one-row legend still fit. Phones keep plotly's margins."""
    for size, measured in (((1280, 800), True), (PHONE, False)):
        visit = open_offline(exports / lang / "02-timeline.html", size=size)
        wait_for_charts(visit.page)
        fit = visit.page.evaluate(TIMELINE_FIT)
        assert fit["autoexpand"] is (not measured), (size, fit)
        # Phones hide the range slider (its grip is a few px wide); on every screen two
        # date fields set the range from the keyboard.
        assert fit["labels"] and fit["slider"] is (True if measured else None), (size, fit)
        assert fit["dates"] == 2, fit
        if measured:
            assert fit["legendRows"] == 1 and fit["legendAbove"], fit
        assert visit.errors == []


def test_one_progress_line_per_artefact(exports: Path) -> None:
    lines = exports.with_suffix(".log").read_text(encoding="utf-8").splitlines()
    artefacts = sorted(exports.rglob("*.html"))
    progress = [line for line in lines if line.startswith("[")]
    assert len(progress) == len(artefacts)
    for n, line in enumerate(progress, start=1):
        assert re.fullmatch(
            rf"\[{n}/{len(artefacts)}\] \S+\.html \(\d+(\.\d)? [kM]B, \d+\.\d s\).*", line
        )
    assert {line.split(" ")[1] for line in progress} == {str(p) for p in artefacts}


def test_index_links_every_artefact(exports: Path, open_offline) -> None:
    visit = open_offline(exports / "index.html", size=PHONE)
    hrefs = visit.page.evaluate(
        "[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"
    )
    for lang in LANGS:
        for name in page_names():
            assert f"{lang}/{name}" in hrefs
        assert f"{lang}/01-overview.slides.html" in hrefs
    assert all((exports / href).is_file() for href in hrefs)
    assert visit.requests == [] and visit.errors == []
