"""Live JupyterLab on loopback: open the overview, run every cell, switch the language, and
the figure follows (the kernel re-renders every output in place)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from e2e_support import TIMINGS, Server, assert_no_console_errors, assert_plotly_once

from parley import i18n

pytestmark = pytest.mark.browser

TIMEOUT_MS = 240_000
PROMPTS = (
    "[...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
    ".map(p => p.textContent)"
)
QUEUED = f"() => {PROMPTS}.some(t => t.includes('*'))"
# Notes whether any cell was ever queued ([*]): a fast notebook can run every cell between
# two polls of the page, and its prompts then read [n] again as they did before the run.
WATCH_QUEUED = f"""() => {{
  window.__parleyQueued = false;
  const check = () => {{ if (({QUEUED})()) window.__parleyQueued = true; }};
  new MutationObserver(check).observe(document.body,
    {{subtree: true, childList: true, characterData: true}});
}}"""
DONE = f"() => {PROMPTS}.length > 0 && !{PROMPTS}.some(t => t.includes('*'))"
OPEN_TABS = (
    "() => [...document.querySelectorAll('#jp-main-dock-panel .lm-TabBar-tab')]"
    ".map(t => t.textContent + (t.classList.contains('lm-mod-current') ? ' (current)' : ''))"
)


def wait_kernel_idle(page: Any) -> None:
    """The status bar's kernel status (the toolbar's indicator reads "idle" while the kernel
    is still initialising)."""
    page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\|\s*Idle$")).wait_for(
        timeout=TIMEOUT_MS
    )


def open_and_run_all(lab: Server, page: Any, notebook: str, workspace: str = "") -> float:
    """Open ``notebooks/<notebook>``, Run All Cells, wait until every cell ran and the
    kernel is idle; the seconds from the click to idle.

    ``workspace``: a named Lab workspace to open it in, else the default one (Binder's
    URL). Lab restores a workspace's open tabs, so a notebook opened in the default
    workspace after another would sit beside it, and the other could be the one that runs.
    """
    where = f"workspaces/{workspace}/" if workspace else ""
    page.goto(f"{lab.url}/lab/{where}tree/notebooks/{notebook}?token={lab.token}")
    wait_kernel_idle(page)
    page.evaluate(WATCH_QUEUED)
    started = time.perf_counter()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        page.wait_for_function("() => window.__parleyQueued", timeout=30_000)  # cells: [*]
    except Exception:  # say which documents were open, not only that the wait ran out
        tabs = page.evaluate(OPEN_TABS)
        pytest.fail(f"Run All Cells queued no cell in {notebook}; open tabs: {tabs}")
    page.wait_for_function(DONE, timeout=TIMEOUT_MS, polling=250)
    wait_kernel_idle(page)
    return time.perf_counter() - started


def test_run_all_then_switch_language_updates_the_figure(lab: Server, page: Any) -> None:
    from playwright.sync_api import expect

    # The path Binder's badge opens (urlpath=lab/tree/notebooks/01-overview.ipynb).
    seconds = open_and_run_all(lab, page, "01-overview.ipynb")
    TIMINGS["JupyterLab: Run All Cells of 01-overview"] = f"{seconds:.1f} s"

    prompts = page.evaluate(PROMPTS)
    numbers = [int(m.group(1)) for p in prompts if (m := re.fullmatch(r"\[(\d+)\]:", p.strip()))]
    assert len(numbers) == len(prompts) and numbers == sorted(numbers), prompts
    assert page.locator(".jp-OutputArea-output[data-mime-type*='stderr']").count() == 0

    title = page.locator(".jp-Notebook .js-plotly-plot .gtitle").first
    expect(title).to_have_text(i18n.label("timeline_title", "ja"))
    page.get_by_role("button", name="English", exact=True).click()
    expect(title).to_have_text(i18n.label("timeline_title", "en"), timeout=30_000)
    assert_no_console_errors(page)


# Each plotly chart inside a widget box: its drawn width and its box's width.
WIDGET_CHART_WIDTHS = """() =>
  [...document.querySelectorAll('.jp-Notebook .widget-box .js-plotly-plot')]
  .filter((d) => d.getBoundingClientRect().width > 0)
  .map((d) => [Number(d.querySelector('.main-svg').getAttribute('width')),
               Math.round(d.getBoundingClientRect().width)])"""


def test_widget_charts_fill_their_box(lab: Server, page: Any) -> None:
    """The explorer's chart is drawn before its box is on the page (plotly's 700 px
    default); the chart measures its box again once drawn and once the kernel is idle."""
    open_and_run_all(lab, page, "02-timeline.ipynb", workspace="e2e-widgets")
    # (a chart is drawn once the reader scrolls near it)
    page.locator(".jp-Notebook .parley-chart-widget").first.scroll_into_view_if_needed()
    try:
        page.wait_for_function(
            f"() => {{ const w = ({WIDGET_CHART_WIDTHS})(); "
            "return w.length > 0 && w.every(([drawn, box]) => Math.abs(drawn - box) <= 2); }",
            timeout=30_000,
            polling=250,
        )
    except Exception:  # say what was drawn, not only that the wait ran out
        pytest.fail(f"widget charts [drawn, box] px: {page.evaluate(WIDGET_CHART_WIDTHS)}")
    widths = page.evaluate(WIDGET_CHART_WIDTHS)
    assert widths and all(box > 700 for _, box in widths), widths

    # A language switch replaces the widget chart's traces and layout in place.
    from playwright.sync_api import expect

    chart = page.locator(".jp-Notebook .widget-box .js-plotly-plot").first
    title = chart.locator(".gtitle")
    expect(title).to_have_text(i18n.label("timeline_title", "ja"))
    points = chart.locator(".cartesianlayer .scatterlayer .point")
    before = points.count()
    # The explorer's controls are named by their labels (what a screen reader announces).
    for key in ("explorer_sides", "explorer_query", "explorer_results"):
        expect(page.get_by_label(i18n.label(key, "ja"), exact=True)).to_have_count(1)
    page.get_by_role("button", name="English", exact=True).click()
    expect(title).to_have_text(i18n.label("timeline_title", "en"), timeout=30_000)
    expect(points).to_have_count(before)  # the same events, relabelled
    expect(page.get_by_label(i18n.label("explorer_query", "en"), exact=True)).to_have_count(1)

    # Hover a point, click it: the click travels to the kernel, which opens its card.
    card = page.locator(".jp-Notebook .parley-card")
    expect(card).to_have_count(0)
    point = points.nth(before // 2)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    hover = chart.locator(".hoverlayer .hovertext").first
    expect(hover).to_be_visible(timeout=10_000)
    hovered = (hover.text_content() or "").replace("\u00a0", " ")
    page.mouse.click(x, y)
    expect(card).to_be_visible(timeout=30_000)
    heading = (card.locator("h3, h4, strong, b").first.text_content() or "").strip()
    assert heading and heading[:12] in hovered, (heading, hovered)

    # A search updates the chart in place (fewer points, restyled by the kernel).
    page.get_by_placeholder(i18n.label("explorer_query_hint", "en")).fill("Alaska")
    page.wait_for_function(
        "([g, n]) => { const k = g.querySelectorAll('.cartesianlayer .scatterlayer .point')"
        ".length; return k > 0 && k < n; }",
        arg=[chart.element_handle(), before],
        timeout=60_000,
    )
    assert_plotly_once(page, charts=1)
    assert_no_console_errors(page)


NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def test_first_run_shows_no_news_prompt_and_no_deprecation(lab: Server, page: Any) -> None:
    """A first-time reader (no user settings) gets no "Jupyter news?" pop-up over the first
    chart: the settings overrides shipped with the environment (binder/overrides.json,
    installed by binder/postBuild) turn it off; and `make lab` prints no deprecation."""
    page.goto(f"{lab.url}/lab/tree/notebooks/01-overview.ipynb?token={lab.token}")
    wait_kernel_idle(page)
    reply = page.request.get(f"{lab.url}/lab/api/settings/{NOTIFICATION}?token={lab.token}")
    assert reply.ok, reply.status
    # Lab applies overrides as the schema's defaults (its own default asks: "none").
    defaults = {k: v.get("default") for k, v in reply.json()["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False
    page.wait_for_timeout(3000)  # Lab asks about news shortly after start, when it asks
    assert page.get_by_text(re.compile("Jupyter news", re.IGNORECASE)).count() == 0
    log = lab.log.read_text(encoding="utf-8", errors="replace")
    assert "Deprecat" not in log, log[-3000:]
