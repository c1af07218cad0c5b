"""The reader's pages (issue 23): readable before plotly.js runs, charts for readers (no
toolbar, keyboard-reachable controls, text alternatives, languages marked), phones, print,
axe-core, and site mode."""

from __future__ import annotations

import contextlib
import io
import re
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from offline import LANGS, NOTEBOOKS, PAYLOAD, SHOTS, draw_all, page_names, story_dir

pytestmark = pytest.mark.browser

PAGES = [(lang, name) for lang in LANGS for name in page_names()]
IDS = [f"{lang}/{name}" for lang, name in PAGES]
DESKTOP = (1280, 800)
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"  # axe-core 4.10.3, pinned
PICTURE = re.compile(r'<img[^>]*class="parley-chart-picture"[^>]*>')
CHART = re.compile(r'<div class="parley-chart"[^>]*\bid="chart-')


def chart_pages() -> list[tuple[str, str]]:
    return [(lang, name) for lang, name in PAGES if not name.startswith("07-")] or PAGES


def pictures(html: str) -> list[str]:
    """The SVG of every static chart picture in a page."""
    found = []
    for tag in PICTURE.findall(html):
        src = re.search(r'src="data:image/svg\+xml,([^"]*)"', tag)
        assert src, tag[:200]
        found.append(urllib.parse.unquote(src.group(1).replace("&amp;", "&")))
    return found


def assert_clean_svg(svg: str) -> None:
    root = ET.fromstring(svg)
    for el in root.iter():
        name = el.tag.rsplit("}", 1)[-1]
        assert name not in {"script", "foreignObject", "image", "a", "style"}, name
        for key, value in el.attrib.items():
            assert not key.rsplit("}", 1)[-1].lower().startswith("on"), key
            assert "javascript:" not in value.lower()


# --- 1. readable at once ---------------------------------------------------------------


@pytest.mark.parametrize(("lang", "name"), PAGES, ids=IDS)
def test_every_chart_has_a_static_picture_before_any_script(
    exports: Path, browser: Any, lang: str, name: str
) -> None:
    """With JavaScript off (so before plotly.js has run) each chart shows its picture: an
    image that has loaded, as wide as the column, with the chart's title as its alt."""
    html = (exports / lang / name).read_text(encoding="utf-8")
    charts = len(CHART.findall(html))
    svgs = pictures(html)
    assert len(svgs) == charts
    for svg in svgs:
        assert_clean_svg(svg)
        assert "<text" in svg, "the picture carries the chart's text"
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto((exports / lang / name).as_uri())
        shown = page.evaluate(
            """() => [...document.querySelectorAll('img.parley-chart-picture')].map(i => ({
                 w: i.getBoundingClientRect().width, done: i.complete && i.naturalWidth > 0,
                 alt: i.alt }))"""
        )
        assert len(shown) == charts
        assert all(s["done"] and s["w"] > 300 and s["alt"] for s in shown), shown
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_charts_below_the_fold_wait_and_print_shows_every_chart(
    exports: Path, open_offline, lang: str
) -> None:
    visit = open_offline(exports / lang / "03-positions.html", size=DESKTOP)
    page = visit.page
    page.wait_for_selector("body[data-charts-drawn]", timeout=30_000)
    page.wait_for_timeout(500)
    state = page.evaluate(
        """() => [...document.querySelectorAll('.parley-chart')].map(
             d => d.getAttribute('data-drawn') === 'true')"""
    )
    assert state[0] and not all(state), "the first chart drawn, those far below not yet"
    page.emulate_media(media="print")
    visible = page.evaluate(
        """() => [...document.querySelectorAll('.parley-chart')].map((d) => {
             const pic = d.previousElementSibling, live = getComputedStyle(d).display !== 'none'
               && d.querySelector('.main-svg');
             const still = pic && !pic.hidden && getComputedStyle(pic).display !== 'none';
             return Boolean(live) !== Boolean(still);  // exactly one of the two shows
           })"""
    )
    assert visible and all(visible), visible
    assert page.evaluate("getComputedStyle(document.querySelector('.parley-nav')).display") == (
        "none"
    )
    page.mouse.wheel(0, 20_000)  # scrolling down draws the rest
    page.wait_for_selector(f"body[data-charts-drawn='{len(state)}']", timeout=30_000)
    assert visit.errors == []


# --- 2. charts for readers ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_no_toolbar_and_every_control_reached_by_keyboard(
    exports: Path, open_offline, lang: str
) -> None:
    visit = open_offline(exports / lang / "03-positions.html", size=DESKTOP)
    page = visit.page
    draw_all(page)
    assert page.evaluate("document.querySelectorAll('.modebar, .modebar-btn').length") == 0
    # No mouse-only control is left in the SVG: legends are keys, not toggles.
    legends = page.evaluate(
        """() => [...document.querySelectorAll('.parley-chart')].filter(d => d._fullLayout)
             .map(d => [d._fullLayout.legend.itemclick, d._fullLayout.legend.itemdoubleclick])"""
    )
    assert legends and all(pair == [False, False] for pair in legends), legends
    focused = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate(
                """() => { const a = document.activeElement;
                   return a ? a.tagName + (a.type ? ':' + a.type : '') : ''; }"""
            )
        )
    assert "INPUT:range" in focused, "the month slider takes focus"
    assert "SELECT:select-one" in focused, "the issue menu takes focus"
    # The slider moves the chart by keyboard: one step back shows an earlier month.
    slider = page.locator(".parley-slider input[type=range]").first
    before = page.locator(".parley-slider output").first.text_content()
    slider.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(300)
    assert page.locator(".parley-slider output").first.text_content() != before
    play = page.locator(".parley-menu button").first
    assert play.get_attribute("aria-label")
    assert visit.errors == []


@pytest.mark.parametrize(
    ("lang", "name"), chart_pages(), ids=[f"{a}/{b}" for a, b in chart_pages()]
)
def test_each_chart_has_a_text_alternative_in_the_pages_language(
    exports: Path, open_offline, lang: str, name: str
) -> None:
    """Before each chart: a sentence on what its data shows (numbers from the story), in the
    page's language, and the chart's own data link."""
    visit = open_offline(exports / lang / name, size=DESKTOP)
    page = visit.page
    found = page.evaluate(
        """() => [...document.querySelectorAll('.parley-chart')].map((d) => {
             const area = d.closest('.jp-Cell');
             const desc = area && area.querySelector('.parley-figure-desc');
             const data = area && area.querySelector('.parley-chart-tools a[href$=".csv"]');
             return {desc: desc ? desc.innerText : '',
                     data: data ? data.getAttribute('href') : ''};
           })"""
    )
    for chart in found:
        assert re.search(r"\d", chart["desc"]), chart
        japanese = bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", chart["desc"]))
        assert japanese == (lang == "ja"), chart
        assert chart["data"].startswith("../data/"), chart
        assert (exports / lang / chart["data"]).resolve().is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_other_language_runs_carry_their_lang(exports: Path, open_offline, lang: str) -> None:
    visit = open_offline(exports / lang / "03-positions.html", size=DESKTOP)
    headings = visit.page.evaluate(
        """() => [...document.querySelectorAll('h1, h2')].map(h => [h.innerText,
             h.closest('[lang]').getAttribute('lang')])"""
    )
    for text, marked in headings:
        japanese = bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text))
        assert marked == ("ja" if japanese else "en"), (text, marked)


# --- 3. phones ----------------------------------------------------------------------------

TAPS = """() => [...document.querySelectorAll(
    '.parley-controls button, .parley-controls select, .parley-controls input,'
    + ' .parley-chart-tools a, .parley-chart-tools button, .parley-nav a, .parley-stamp a')]
  .filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect(); return [e.outerHTML.slice(0, 60), r.height]; })
  .filter(([, h]) => h < 44)"""


@pytest.mark.parametrize(("lang", "name"), PAGES, ids=IDS)
def test_phone_no_horizontal_scroll_and_tap_targets(
    exports: Path, open_offline, lang: str, name: str
) -> None:
    visit = open_offline(exports / lang / name, size=(390, 844))
    page = visit.page
    draw_all(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(TAPS) == []
    # The phone layout of a chart, where the page carries one, is the one drawn.
    variants = page.evaluate(
        "[...document.querySelectorAll('.parley-chart')].map(d => d.getAttribute('data-variant'))"
    )
    html = (exports / lang / name).read_text(encoding="utf-8")
    assert variants.count("phone") == len(re.findall(r'<script[^>]*data-variant="phone"', html))
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/reader-{lang}-{name[:-5]}-390px.png", full_page=True)
    assert visit.errors == []


# Every text of every drawn chart (title, tick labels, notes, legend) inside the chart's
# box, and the title above the plot: what falls outside is cut off, not wrapped.
CHART_TEXT_FITS = """() => [...document.querySelectorAll('.parley-chart')].map((d) => {
  const box = d.querySelector('.main-svg').getBoundingClientRect(), bad = [];
  const check = (selector, what) => d.querySelectorAll(selector).forEach((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;  // a tick plotly hides
    if (r.left < box.left - 1 || r.right > box.right + 1
        || r.top < box.top - 1 || r.bottom > box.bottom + 1)
      bad.push([what, el.textContent.slice(0, 40)]);
  });
  check('.gtitle', 'title'); check('.ytick text', 'y tick'); check('.xtick text', 'x tick');
  check('.annotation-text', 'note'); check('.legendtext', 'legend');
  const title = d.querySelector('.gtitle'), plot = d.querySelector('.bglayer .bg');
  if (title && plot && title.getBoundingClientRect().bottom > plot.getBoundingClientRect().top + 1)
    bad.push(['title over the plot', title.textContent.slice(0, 40)]);
  return [d.id, d.getAttribute('data-variant'), bad];
}).filter(([, , bad]) => bad.length)"""


@pytest.mark.parametrize("width", [390, 360, 320])
@pytest.mark.parametrize(
    ("lang", "name"), chart_pages(), ids=[f"{a}/{b}" for a, b in chart_pages()]
)
def test_phone_charts_keep_their_text_inside(
    exports: Path, open_offline, lang: str, name: str, width: int
) -> None:
    """On phones the UN votes' names were cut off at the left, the stance scale's note ran
    500 px past the right edge, and a two-line title sat above the chart's top (hidden)."""
    visit = open_offline(exports / lang / name, size=(width, 800))
    if draw_all(visit.page):
        assert visit.page.evaluate(CHART_TEXT_FITS) == []
    assert visit.errors == []


# --- axe-core ----------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "name"), PAGES, ids=IDS)
def test_axe_finds_no_violation(exports: Path, open_offline, lang: str, name: str) -> None:
    visit = open_offline(exports / lang / name, size=DESKTOP)
    page = visit.page
    draw_all(page)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
             const r = await axe.run(document, {resultTypes: ['violations']});
             return r.violations.map(v => [v.id, v.impact, v.nodes.length,
               v.nodes.slice(0, 2).map(n => n.target.join(' '))]);
           }"""
    )
    assert result == [], result


# --- 4. site mode -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from parley.publish.export import Site, run

    out = tmp_path_factory.mktemp("site")
    with contextlib.redirect_stdout(io.StringIO()):
        code = run(
            data_dir=story_dir(),
            langs=list(LANGS),
            out_dir=out,
            notebooks_dir=NOTEBOOKS,
            handouts=False,
            site=Site("https://example.org/parley/"),
        )
    assert code == 0
    return out


def test_site_mode_shares_hashed_assets_and_describes_each_page(
    site_exports: Path, open_offline
) -> None:
    assets = sorted(p.name for p in (site_exports / "assets").iterdir())
    assert len([a for a in assets if a.startswith("plotly-")]) == 1
    assert len([a for a in assets if a.endswith(".css")]) == 1
    for lang, name in PAGES:
        html = (site_exports / lang / name).read_text(encoding="utf-8")
        assert "<style>" not in html and "* plotly.js" not in html, name
        for asset in re.findall(r'(?:href|src)="\.\./assets/([^"]+)"', html):
            assert asset in assets
            digest = re.search(r"-([0-9a-f]{12})\.", asset)
            assert digest, asset
        found = re.findall(r'<meta content="([^"]*)" (?:property|name)="([^"]+)"', html)
        meta = {key: value for value, key in found}
        url = f"https://example.org/parley/{lang}/{name}"
        assert meta["og:url"] == url and meta["og:title"] and meta["og:description"]
        assert meta["twitter:card"].startswith("summary")
        if "og:image" in meta:
            png = meta["og:image"].removeprefix(f"https://example.org/parley/{lang}/")
            assert (site_exports / lang / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Drawn from disk too (relative links), with no network.
    visit = open_offline(site_exports / "en" / "02-timeline.html", size=DESKTOP)
    assert draw_all(visit.page) >= 1
    assert visit.requests == [] and visit.errors == []


# --- hostile data -------------------------------------------------------------------------


def test_hostile_text_reaches_pictures_and_alt_only_as_text(hostile_exports: Path) -> None:
    seen = False
    for lang, name in PAGES:
        html = (hostile_exports / lang / name).read_text(encoding="utf-8")
        for tag in PICTURE.findall(html):
            assert "<script" not in tag.lower(), tag[:200]  # the alt text is escaped
        for svg in pictures(html):
            assert_clean_svg(svg)
            texts = "".join(ET.fromstring(svg).itertext())
            seen = seen or "<script>window.__pwned=1</script>" in texts
    assert seen, "the payload reached a picture, as text"
    assert PAYLOAD  # the same payload as every other hostile test


HOVER_BOX = """() => { const h = document.querySelector('.hoverlayer .hovertext');
  if (!h) return null; const r = h.getBoundingClientRect(); return [r.left, r.right]; }"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["02-timeline.html", "03-positions.html"])
def test_phone_tooltips_stay_on_the_screen(
    exports: Path, open_offline, lang: str, name: str
) -> None:
    visit = open_offline(exports / lang / name, size=(390, 844))
    page = visit.page
    draw_all(page)
    points = page.locator(".parley-chart .scatterlayer .point")
    count = points.count()
    shown = 0
    for i in range(0, count, max(1, count // 12)):
        point = points.nth(i)
        point.scroll_into_view_if_needed()
        box = point.bounding_box()
        if not box:
            continue
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(50)
        label = page.evaluate(HOVER_BOX)
        if label:
            shown += 1
            assert label[0] >= 0 and label[1] <= 390, (i, label)
    assert shown >= 3
