"""App mode (`make app`: Voilà on loopback): a progress message while the kernel starts and
the cells run, no code on the page, and live widgets that change what is shown."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from e2e_support import (
    PLOTLY_LOADED,
    TIMINGS,
    Server,
    assert_no_console_errors,
    assert_plotly_once,
)

from parley import i18n, nb
from parley.base.palette import FONT_FAMILY
from parley.tables.explore import search_haystack, search_mask

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 240_000
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# What only a page that shows code would contain: the cells' sources and input areas.
CODE_MARKERS = ("from parley import nb", "nb.language_switch()", "nb.figure(")


# Until the loading screen goes: the most endless CSS animations running at once; and
# every status line the loading screen showed.
WATCH_LOADING = """
window.__parleyEndless = 0;
window.__parleyStatuses = [];
window.__parleyProgressSeen = false;
new MutationObserver(() => {
  if (document.getElementById("parley-progress")) window.__parleyProgressSeen = true;
  const status = document.getElementById("loading_text");
  const text = status ? status.textContent : null;
  if (text && window.__parleyStatuses[window.__parleyStatuses.length - 1] !== text) {
    window.__parleyStatuses.push(text);
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
(function look() {
  const endless = document.getAnimations().filter((a) => a.playState === "running"
      && a.effect && a.effect.getComputedTiming().iterations === Infinity).length;
  window.__parleyEndless = Math.max(window.__parleyEndless, endless);
  if (document.readyState === "loading" || document.getElementById("loading")) {
    requestAnimationFrame(look);
  }
})();
"""


def open_app(page: Any, url: str) -> float:
    """Open a notebook in app mode; wait until its cells and widgets are shown. Returns the
    seconds until the rendered cells appeared, having checked the progress message."""
    from playwright.sync_api import expect

    started = time.perf_counter()
    page.add_init_script(WATCH_LOADING)
    # The server answers once a kernel is there: on a busy machine, while its pools fill,
    # that can take longer than Playwright's default 30 s.
    page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
    message = page.locator("#loading_text")
    message.wait_for(timeout=LOAD_TIMEOUT_MS)
    # Voilà's own "Running ..." heading is parsed just before parley's script rewrites it:
    # wait for the rewrite rather than read the heading the instant it exists. By then the
    # kernel may have started and the message moved on to counting cells.
    expect(message).to_contain_text(re.compile("Python|cells run|Drawing"), timeout=10_000)
    text = message.text_content() or ""
    assert CJK.search(text), f"first-load message: {text!r}"
    # Seen by the observer: on a fast page the loading screen (and its progress bar) may
    # already be gone by the time this line runs.
    assert page.evaluate("window.__parleyProgressSeen")
    page.locator("#rendered_cells").wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
    shown = time.perf_counter() - started
    # Nothing on the loading screen turns forever (Voilà's spinner repainted the page 60
    # times a second: without a GPU, ten pages loading at once spent more on it than on
    # anything else).
    assert page.evaluate("window.__parleyEndless") == 0
    # Its last words before the page shows say what the wait is for, in both languages.
    last = page.evaluate("window.__parleyStatuses")[-1]
    assert "グラフと操作部品を表示しています" in last and "Drawing the charts" in last
    # Widgets are live once the first cell's language switch (a widget) is drawn.
    page.locator(".parley-lang-switch button").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    assert page.locator("text=Error displaying widget").count() == 0
    return shown


def assert_no_code(page: Any) -> None:
    html = page.content()
    assert not [marker for marker in CODE_MARKERS if marker in html]
    code = ".jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .jp-InputPrompt, .cm-editor"
    assert page.locator(code).count() == 0  # (markdown cells keep their input area)


def watch_requests(page: Any, server: str) -> list[str]:
    """Every request the page makes outside ``server`` from now on (data: and blob: URLs
    are the page's own)."""
    outside: list[str] = []

    def seen(request: Any) -> None:
        url = request.url
        if not url.startswith((server + "/", "data:", "blob:")):
            outside.append(url)

    page.on("request", seen)
    return outside


KERNEL_ID = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"


def switch_language(page: Any, lang: str) -> None:
    """Click the language switch; the page stays (same document, same kernel) and its URL
    follows with ?lang=."""
    from playwright.sync_api import expect

    kernel = page.evaluate(KERNEL_ID)
    page.evaluate("window.__parleySamePage = true")
    name = {"ja": "日本語", "en": "English"}[lang]
    page.get_by_role("button", name=name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]lang={lang}(&|$)"))
    assert page.evaluate("window.__parleySamePage === true"), "the page was reloaded"
    assert page.evaluate(KERNEL_ID) == kernel
    assert page.evaluate("document.documentElement.lang") == lang


def assert_texts_in(page: Any, lang: str) -> None:
    """The story's texts show in ``lang`` only (each output carries both languages)."""
    from playwright.sync_api import expect

    other = "en" if lang == "ja" else "ja"
    expect(page.locator(f'.parley-l[data-parley-l="{lang}"]').first).to_be_visible()
    assert page.locator(f'.parley-l[data-parley-l="{other}"]:visible').count() == 0


FIRST_FONTS = """() => ['#rendered_cells .jp-RenderedHTMLCommon p', '.parley-lang-switch button']
  .map((css) => getComputedStyle(document.querySelector(css)).fontFamily
    .split(',')[0].trim().replace(/^"|"$/g, ''))"""


def test_overview_first_load_no_code_language_switch(app: Server, page: Any) -> None:
    from playwright.sync_api import expect

    outside = watch_requests(page, app.url)
    started = time.perf_counter()
    shown = open_app(page, f"{app.url}/voila/render/01-overview.ipynb")
    TIMINGS["app: first load of 01-overview (cells shown / widgets live)"] = (
        f"{shown:.1f} s / {time.perf_counter() - started:.1f} s"
    )
    assert_no_code(page)
    title = page.locator(".js-plotly-plot .gtitle").first
    expect(title).to_have_text(i18n.label("timeline_title", "ja"))
    assert_texts_in(page, "ja")
    # Text and controls in the explainer's own font stack, Japanese first (as its charts).
    fonts = page.evaluate(FIRST_FONTS)
    first = FONT_FAMILY.split(",")[0].strip().strip('"')
    assert fonts == [first, first], fonts

    # The language control (a widget) switches every text and chart in place.
    switch_language(page, "en")
    expect(title).to_have_text(i18n.label("timeline_title", "en"), timeout=LOAD_TIMEOUT_MS)
    assert_texts_in(page, "en")
    assert_no_code(page)
    assert_no_console_errors(page)
    assert outside == []
    # `make app`'s terminal: no deprecated option, kernels on local sockets (IPC) rather
    # than a warning per kernel about unencrypted TCP, no "not trusted" per kernel.
    log = app.log.read_text(encoding="utf-8", errors="replace")
    assert "Deprecat" not in log and "without encryption" not in log, log[-3000:]
    assert "is not trusted" not in log and "WARNING" not in log, log[-3000:]


def test_page_language_from_the_url_and_back_in_place(app: Server, page: Any) -> None:
    """?lang=en: English from the first paint (the warm kernel ran in Japanese and switches
    its charts once Voilà hands it the request); back to Japanese in place."""
    from playwright.sync_api import expect

    outside = watch_requests(page, app.url)
    open_app(page, f"{app.url}/voila/render/01-overview.ipynb?lang=en")
    assert_texts_in(page, "en")
    title = page.locator(".js-plotly-plot .gtitle").first
    expect(title).to_have_text(i18n.label("timeline_title", "en"), timeout=60_000)
    english = page.get_by_role("button", name="English", exact=True)
    expect(english).to_have_class(re.compile("mod-active"))

    switch_language(page, "ja")
    expect(title).to_have_text(i18n.label("timeline_title", "ja"), timeout=60_000)
    assert_texts_in(page, "ja")
    assert_no_console_errors(page)
    assert outside == []


# What only a page with plotly's own renderer would fetch: app pages draw with the Chart
# widget, so voila.json keeps JupyterLab's plotly extension (megabytes of script) off them.
UNUSED_ON_APP_PAGES = ("/labextensions/jupyterlab-plotly/",)
CHART_BOXES = """() => [...document.querySelectorAll('.parley-chart-widget')].map((d) =>
  [!!d.querySelector('.main-svg'), Math.round(d.getBoundingClientRect().height)])"""


def test_overview_loads_and_draws_only_what_the_reader_sees(app: Server, page: Any) -> None:
    """The first screen's chart is drawn, plotly.js runs once, plotly's JupyterLab extension
    is not fetched; a chart far below is drawn when the reader scrolls to it, in the
    language switched to meanwhile, and until then its box holds the chart's height."""
    from playwright.sync_api import expect

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_app(page, f"{app.url}/voila/render/01-overview.ipynb")
    title = page.locator(".js-plotly-plot .gtitle").first
    expect(title).to_have_text(i18n.label("timeline_title", "ja"), timeout=60_000)
    assert_plotly_once(page, charts=1)
    assert not [u for u in requested if any(path in u for path in UNUSED_ON_APP_PAGES)]

    boxes = page.evaluate(CHART_BOXES)
    assert len(boxes) >= 6, boxes  # the overview's figures, each a Chart widget
    assert boxes[0][0] and not boxes[-1][0], f"[drawn, height px]: {boxes}"
    assert all(height >= 400 for drawn, height in boxes if not drawn), boxes

    switch_language(page, "en")
    expect(title).to_have_text(i18n.label("timeline_title", "en"), timeout=60_000)
    last = page.locator(".parley-chart-widget").last
    last.scroll_into_view_if_needed()
    expect(last.locator(".gtitle")).to_have_text(i18n.label("voices_title", "en"), timeout=60_000)
    names, scripts, drawn = page.evaluate(PLOTLY_LOADED)
    assert len(names) == 1 and scripts == 1 and 1 < drawn < len(boxes), (names, scripts, drawn)
    # The chart a screen above is drawn too, ahead of the reader scrolling back up to it.
    above = page.locator(".parley-chart-widget").nth(len(boxes) - 2)
    expect(above.locator(".main-svg").first).to_be_attached(timeout=30_000)
    assert_no_console_errors(page)


# A page that gets no turn for 2 s while its widget models arrive, as a page among ten
# loading at once on two cores can: an output waiting for its model (the widget manager
# looks every 100 ms, for 2 s, then gives up without a last look) wakes too late and shows
# "model not found" for good. Made certain here: the kernel's messages are held until an
# output is waiting for its model, and that wait's next look comes 2.1 s later.
NO_TURN_FOR_2_S = """
window.__parleyLate = 0;
let waiting = false;
const held = [];
const setTimer = window.setTimeout;
window.setTimeout = function (fn, ms, ...rest) {
  if (ms === 100 && (new Error().stack || "").includes("get_model")) {
    if (!waiting) {
      waiting = true;
      setTimer(() => held.splice(0).forEach((deliver) => deliver()), 0);
    }
    window.__parleyLate += 1;
    ms = 2100;
  }
  return setTimer.call(this, fn, ms, ...rest);
};
const Socket = window.WebSocket;
function Held(url, protocols) {
  const ws = protocols === undefined ? new Socket(url) : new Socket(url, protocols);
  Object.defineProperty(ws, "onmessage", {
    set(handler) {
      ws.addEventListener("message", (event) => {
        const deliver = () => handler.call(ws, event);
        waiting && !held.length ? deliver() : held.push(deliver);
      });
    },
  });
  return ws;
}
Held.prototype = Socket.prototype;
for (const k of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Held[k] = Socket[k];
window.WebSocket = Held;
"""
REDRAWN = "document.querySelectorAll('.jp-OutputArea-output[data-parley-redrawn]').length"
FAILED_WIDGETS = """[...document.querySelectorAll('.jupyter-widgets')]
  .filter((e) => e.textContent.startsWith('Error displaying widget')).length"""


def test_a_widget_the_manager_gave_up_on_is_drawn_again(app: Server, page: Any) -> None:
    """The page gets no turn as its models arrive: the outputs the widget manager gave up
    on ("model not found", with the model there) are drawn again in place, and the page
    comes alive: the first chart is drawn and the language switch works."""
    from playwright.sync_api import expect

    page.add_init_script(NO_TURN_FOR_2_S)
    open_app(page, f"{app.url}/voila/render/01-overview.ipynb")
    assert page.evaluate("window.__parleyLate") >= 1
    title = page.locator(".js-plotly-plot .gtitle").first
    expect(title).to_have_text(i18n.label("timeline_title", "ja"), timeout=60_000)
    # Outputs did fail (the manager logged each), and each was drawn again.
    assert page.evaluate(REDRAWN) >= 1
    assert page.evaluate(FAILED_WIDGETS) == 0
    switch_language(page, "en")
    expect(title).to_have_text(i18n.label("timeline_title", "en"), timeout=60_000)


def test_explorer_search_redraws_its_chart(app: Server, page: Any) -> None:
    from playwright.sync_api import expect

    open_app(page, f"{app.url}/voila/render/02-timeline.ipynb")
    assert_no_code(page)
    search = page.get_by_placeholder(i18n.label("explorer_query_hint", "ja"))
    explorer = page.locator(".jupyter-widgets", has=search).first
    # (a chart is drawn once the reader scrolls near it)
    explorer.locator(".parley-chart-widget").first.scroll_into_view_if_needed()
    points = explorer.locator(".js-plotly-plot .scatterlayer .point")
    expect(points.first).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    before = points.count()
    # "{total}件中{n}件": how many events the filters keep
    label = re.escape(i18n.label("explorer_count", "ja"))
    shown = label.replace(r"\{total\}", r"(?P<total>\d+)").replace(r"\{n\}", r"(?P<n>\d+)")
    # (Playwright matches in the browser, and JavaScript has no (?P<name>...) groups.)
    count = explorer.get_by_text(re.compile(re.sub(r"\?P<\w+>", "", shown)))
    match = re.search(shown, count.text_content() or "")
    assert match and match["n"] == match["total"], "every event is shown at first"

    search.fill("アラスカ")  # the Alaska summit and what led to it
    expect(count).not_to_have_text(match.group(0), timeout=60_000)
    after = re.search(shown, count.text_content() or "")
    assert after and 0 < int(after["n"]) < int(after["total"])
    page.wait_for_function(
        "([el, n]) => el.querySelectorAll('.js-plotly-plot .scatterlayer .point').length < n",
        arg=[explorer.element_handle(), before],
        timeout=60_000,
    )
    assert points.count() > 0
    assert_no_console_errors(page)


def test_clicking_a_point_opens_its_card(app: Server, page: Any) -> None:
    """A click on an event in the explorer's chart opens that event's card (the chart's
    click travels back to the kernel, which fills the card)."""
    from playwright.sync_api import expect

    open_app(page, f"{app.url}/voila/render/02-timeline.ipynb")
    search = page.get_by_placeholder(i18n.label("explorer_query_hint", "ja"))
    explorer = page.locator(".jupyter-widgets", has=search).first
    explorer.locator(".parley-chart-widget").first.scroll_into_view_if_needed()
    # The main plot's points (the range slider below draws a small copy of each).
    points = explorer.locator(".js-plotly-plot .cartesianlayer .scatterlayer .point")
    expect(points.first).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    # Once the kernel is idle the chart is redrawn at its box's width (points move): wait.
    chart = explorer.locator(".js-plotly-plot").first
    page.wait_for_function(
        "g => Math.abs(g.querySelector('.main-svg').getAttribute('width')"
        " - g.getBoundingClientRect().width) <= 2 && g.getBoundingClientRect().width > 700",
        arg=chart.element_handle(),
        timeout=30_000,
    )
    point = points.nth(points.count() // 2)
    point.scroll_into_view_if_needed()
    card = explorer.locator(".parley-card")
    expect(card).to_have_count(0)
    box = point.bounding_box()
    assert box
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    hover = explorer.locator(".js-plotly-plot .hoverlayer .hovertext").first
    expect(hover).to_be_visible(timeout=10_000)
    hovered = hover.text_content() or ""
    page.mouse.click(x, y)
    expect(card).to_be_visible(timeout=30_000)
    heading = (card.locator("h3, h4, strong, b").first.text_content() or "").strip()
    assert heading and heading[:12] in hovered.replace("\u00a0", " "), (heading, hovered)
    assert_plotly_once(page, charts=2)  # the timeline figure (a Chart here) and the explorer's
    assert_no_console_errors(page)


TAB_LIMIT = 40  # Tab presses allowed to reach a control from the one before it


def tab_to(page: Any, selector: str) -> None:
    """Press Tab until the focused element matches ``selector`` (keyboard only)."""
    for _ in range(TAB_LIMIT):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{selector} not reached within {TAB_LIMIT} Tab presses")


def test_explorer_works_from_the_keyboard(app: Server, page: Any) -> None:
    """Type a search, Tab to the results, arrow to an event: its card opens; no mouse."""
    from playwright.sync_api import expect

    open_app(page, f"{app.url}/voila/render/02-timeline.ipynb")
    search = page.get_by_placeholder(i18n.label("explorer_query_hint", "ja"))
    results = ".widget-select select:not([multiple])"  # the results list (filters: multiple)
    search.focus()
    page.keyboard.type("Witkoff")
    # The kernel filters the list as each key arrives: wait for the list the whole word
    # leaves. (A shorter wait, "fewer than all", once let the arrow choose from the list
    # for "W", whose first event is the inauguration: "sworn".)
    events = nb.tables()["events"]
    expected = int(search_mask(events, "Witkoff", search_haystack(events)).sum())
    assert expected > 0
    page.wait_for_function(
        "([sel, n]) => document.querySelector(sel).options.length === n",
        arg=[results, expected],
        timeout=60_000,
    )
    tab_to(page, results)
    page.keyboard.press("ArrowDown")
    chosen = page.locator(results).evaluate("s => s.options[s.selectedIndex]?.text ?? ''")
    assert "ウィトコフ" in chosen or "Witkoff" in chosen, chosen
    card = page.locator(".parley-card").first
    # "YYYY-MM-DD  title", which the list shows with no-break spaces
    title = chosen.replace("\u00a0", " ").split(None, 1)[1]
    expect(card).to_contain_text(title, timeout=60_000)
    assert_no_console_errors(page)


def test_scenario_builder_works_from_the_keyboard(app: Server, page: Any) -> None:
    """Tab to an issue's slider and move it with the arrow keys: the verdicts change."""
    from playwright.sync_api import expect

    open_app(page, f"{app.url}/voila/render/06-scenarios.ipynb")
    verdict = page.locator("[role=status][aria-live=polite]").first
    expect(verdict).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    before = verdict.inner_text()
    page.locator(".widget-dropdown select").first.focus()  # the scenario picker
    tab_to(page, ".widget-slider [role=slider], .widget-slider .noUi-handle")
    for _ in range(6):  # 0.5 a step: three points towards 10
        page.keyboard.press("ArrowRight")
    expect(verdict).not_to_have_text(before, timeout=60_000)
    assert_no_console_errors(page)
