"""Headless Chromium for the bench: timed page loads, alternating A/B runs, and the timeline
drawn and zoomed at every story size (the Chromium part of figure 2)."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley.bench.plan import PAGE_TIMEOUT_MS, SIZES
from parley.bench.records import Record, Sample, measured

# Set window.__parleyDoneAt (ms since navigation start) when the page is ready: a deck when
# reveal.js is ready and the first slide holding charts has drawn them all; a page when its
# first chart is drawn; a page that reports itself (TimelineJS) sets it on its own.
_READY_JS = """
(() => {
  const leaves = () => Array.from(document.querySelectorAll('.reveal .slides section'))
      .filter((s) => !s.querySelector('section'));
  const check = () => {
    if (window.__parleyDoneAt !== undefined) return;
    const deck = document.querySelector('.reveal');
    if (deck) {
      if (!deck.classList.contains('ready')) return;
      const first = leaves().find((s) => s.querySelector('.parley-chart'));
      if (first && Array.from(first.querySelectorAll('.parley-chart'))
          .some((c) => c.getAttribute('data-drawn') !== 'true')) return;
      window.__parleyCharts = first ? first.querySelectorAll('.parley-chart').length : 0;
    } else {
      const chart = document.querySelector('.parley-chart');
      if (!chart || chart.getAttribute('data-drawn') !== 'true') return;
      window.__parleyCharts = 1;
    }
    window.__parleyDoneAt = performance.now();
  };
  new MutationObserver(check).observe(document, {
    subtree: true, attributes: true, attributeFilter: ['class', 'data-drawn'],
  });
})();
"""


# "Readable": the page's text and its first chart's static picture painted (Element Timing
# on the picture, which the export marks elementtiming="parley-picture", and the first
# contentful paint), before or without plotly.js. An event list (#22's [data-parley-list])
# sits before the chart in the HTML, so it is painted by then too; it is counted when present.
READABLE_JS = """
(() => {
  let fcp, picture;
  const done = () => {
    if (window.__parleyDoneAt !== undefined || fcp === undefined || picture === undefined) return;
    window.__parleyList = Boolean(document.querySelector('[data-parley-list]'));
    window.__parleyDoneAt = Math.max(fcp, picture);
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') fcp = e.startTime;
    done();
  }).observe({type: 'paint', buffered: true});
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.identifier === 'parley-picture' && picture === undefined) {
        picture = e.renderTime || e.loadTime;
      }
    }
    done();
  }).observe({type: 'element', buffered: true});
})();
"""


@dataclass
class Browser:
    """One headless Chromium; every load in a new context with the network cut."""

    browser: Any
    blocked: dict[str, int] = field(default_factory=dict)

    def load(self, path: Path, key: str, ready_js: bool = True, ready: str = _READY_JS) -> float:
        """ms from navigation until the page is ready: ``ready`` (an init script) sets
        ``window.__parleyDoneAt`` (default: the first chart drawn)."""
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        count = self.blocked.setdefault(key, 0)

        def route(r: Any) -> None:
            nonlocal count
            if r.request.url.startswith(("file:", "data:", "blob:")):
                r.continue_()
            else:
                count += 1
                r.abort()

        try:
            context.route("**/*", route)
            if ready_js:
                context.add_init_script(ready)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.resolve().as_uri(), wait_until="commit", timeout=PAGE_TIMEOUT_MS)
            try:
                page.wait_for_function(
                    "window.__parleyDoneAt !== undefined", timeout=PAGE_TIMEOUT_MS, polling=50
                )
            except Exception:
                why = f"{path.name} never got ready; page errors: {errors[:3]}"
                raise RuntimeError(why) from None
            return float(page.evaluate("window.__parleyDoneAt"))
        finally:
            self.blocked[key] = count
            context.close()

    def evaluate(self, html_path: Path, script: str) -> Any:
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            context.route(
                "**/*",
                lambda r: (
                    r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort()
                ),
            )
            page = context.new_page()
            page.goto(html_path.resolve().as_uri(), wait_until="load", timeout=PAGE_TIMEOUT_MS)
            return page.evaluate(script)
        finally:
            context.close()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    from parley.publish import chromium as parley_chromium

    with parley_chromium.launch() as browser:
        yield Browser(browser)


def alternate(
    browser: Browser,
    pages: dict[str, Path],
    loads: int,
    warmup: bool = True,
    ready: dict[str, str] | None = None,
) -> dict[str, Sample]:
    """Load each page ``loads`` times, alternating (A B A B …), after one unmeasured load
    each (the first Chromium load pays for the renderer's start-up). ``ready``: a page's
    own readiness script (see :meth:`Browser.load`)."""
    ready = ready or {}
    if warmup:
        for key, path in pages.items():
            browser.load(path, f"warmup-{key}", ready=ready.get(key, _READY_JS))
    out: dict[str, list[float]] = {key: [] for key in pages}
    for i in range(loads):
        order = list(pages.items())
        if i % 2:
            order.reverse()  # neither page always goes first
        for key, path in order:
            out[key].append(browser.load(path, key, ready=ready.get(key, _READY_JS)))
    return {key: Sample(v) for key, v in out.items()}


# Timeline responsiveness at scale: the figure drawn with the vendored basic plotly.js, then
# zoomed (a relayout of the x range) five times; both timed in the page.
_SCALE_JS = """
async () => {
  const fig = JSON.parse(document.getElementById('fig').textContent);
  const div = document.getElementById('chart');
  const t0 = performance.now();
  await Plotly.newPlot(div, fig.data, fig.layout, {responsive: true});
  const draw = performance.now() - t0;
  const [lo, hi] = div.layout.xaxis.range.map((d) => new Date(d).getTime());
  const zooms = [];
  for (let i = 0; i < 5; i++) {
    const a = lo + (hi - lo) * (0.1 * i), b = a + (hi - lo) * 0.3;
    const t = performance.now();
    const range = [new Date(a).toISOString(), new Date(b).toISOString()];
    await Plotly.relayout(div, {'xaxis.range': range});
    zooms.push(performance.now() - t);
  }
  const points = div.querySelectorAll('.point').length;
  return {draw, zooms, points};
}
"""


def scale_page(figure_json: Path, out: Path) -> Path:
    from parley.publish.assets import VENDOR
    from parley.publish.render import script_safe_json

    basic = (VENDOR / "plotly.js-basic-dist-min" / "plotly-basic.min.js").read_text(
        encoding="utf-8"
    )
    basic = re.sub(r"<(?=/script|!--)", r"\\x3C", basic, flags=re.IGNORECASE)
    spec = script_safe_json(json.loads(figure_json.read_text(encoding="utf-8")))
    out.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f'<script>{basic}</script></head><body><div id="chart" style="height:520px"></div>'
        f'<script type="application/json" id="fig">{spec}</script></body></html>',
        encoding="utf-8",
    )
    return out


def bench_scale(browser: Browser, figures_json: dict[str, Path], work: Path) -> list[Record]:
    """The timeline figure of each story size drawn and zoomed in headless Chromium (no GPU),
    against the bundled story's: past scale.MAX_MARKERS a side is aggregated, so the cost
    should stay near the bundled story's whatever the size."""
    records: list[Record] = []
    base: dict[str, Sample] = {}
    pages = {
        label: scale_page(path, work / f"scale-{label}.html")
        for label, path in figures_json.items()
    }
    results: dict[str, list[dict[str, Any]]] = {label: [] for label in pages}
    # Five loads (25 zooms a size): single zooms spread 40–230 ms on the 2-core machine, and
    # medians of 15 moved the 10,000/bundled ratio between 0.8 and 2.0 from run to run.
    for _ in range(5):  # interleaved, so a busy spell on the machine hits every size alike
        for label, page in pages.items():
            results[label].append(browser.evaluate(page, _SCALE_JS))
    for label, path in figures_json.items():
        runs = results[label]
        draw = Sample([r["draw"] for r in runs])
        zoom = Sample([z for r in runs for z in r["zooms"]])
        big = label == str(SIZES[-1])
        if label == "bundled":
            base = {"draw": draw, "zoom": zoom}
        size = f"{runs[0]['points']} SVG points, {path.stat().st_size / 1e6:.1f} MB figure"
        for what, sample, note in (
            ("drawn", draw, f"Plotly.newPlot; {size}"),
            ("zoomed", zoom, "Plotly.relayout of the x range, 5 per load"),
        ):
            key = "draw" if what == "drawn" else "zoom"
            records.append(
                measured(
                    "2",
                    f"timeline {what} in Chromium, {label}",
                    sample,
                    "ms",
                    reference=base.get(key) if label != "bundled" else None,
                    target=2.0 if big and base else None,
                    note=note if label in ("bundled", str(SIZES[-1])) else "",
                )
            )
    return records
