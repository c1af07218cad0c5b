"""The page explorer at scale (issue 22): a filter or search updates the list and the chart.

A page like the exported timeline page (the timeline chart, the explorer, the same inlined
scripts) is built for each story size straight from the builders (running the notebooks
for 10,000 events would take minutes and measure nothing more), opened in headless
Chromium from disk, and driven through ``window.parleyExplorer.apply``: each update is
timed from the call until the list is laid out again (the chart restyles synchronously in
it). Target at 10,000 events: median ≤ 50 ms, p95 ≤ 100 ms.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from parley.bench.browser import Browser
from parley.bench.plan import SIZES
from parley.bench.records import Record, Sample, measured

MEDIAN_MS = 50.0
P95_MS = 100.0
LOADS = 3  # page loads per size; each runs every update below once


# What a reader does: searches (Japanese, English, kana variants), then filters (by the
# story's first sides, whatever they are), then clears.
def updates(sides: list[str]) -> list[dict[str, Any]]:
    one, two = sides[:1], sides[:2]
    return [
        {"query": "ロシア"},
        {"query": "ろしあ 停戦"},
        {"query": "Putin"},
        {"query": "putin witkoff"},
        {"query": "ＮＡＴＯ"},
        {"query": ""},
        {"sides": one},
        {"sides": one, "kinds": ["call"]},
        {"sides": two, "kinds": ["call", "meeting"]},
        {"verification": ["disputed"]},
        {"issues": ["ceasefire"]},
        {"issues": ["ceasefire"], "query": "talks"},
        {"start": "2025-03-01", "end": "2025-06-30"},
        {"start": "2025-03-01", "end": "2025-06-30", "query": "moscow"},
        {},
    ]


_RUN_JS = """
async (updates) => {
  await window.parleyExplorer.ready;
  const chart = document.querySelector('.parley-chart');
  for (let i = 0; i < 600 && chart.getAttribute('data-drawn') !== 'true'; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300));  // the page settled, as when a reader types
  const list = document.querySelector('[data-parley-list]');
  const times = [];
  for (const f of updates) {
    const t = performance.now();
    window.parleyExplorer.apply(f);
    void list.offsetHeight;  // the list laid out again
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 0));
  }
  return {times, events: window.parleyExplorer.explorer.events.length,
          drawn: chart.getAttribute('data-drawn') === 'true'};
}
"""


def explorer_page(data_dir: Path, out: Path, lang: str = "en") -> tuple[Path, list[str]]:
    """A stand-alone timeline page with the explorer, as the export makes it; the story's
    side ids."""
    from parley.base.markup import escape
    from parley.charts.plot import to_plain
    from parley.charts.timeline import timeline
    from parley.publish import render
    from parley.publish.assets import page_assets, script_safe_js, style_safe_css
    from parley.story.load import load_story
    from parley.tables.frames import build_tables
    from parley.views.explorer import explorer_html

    story = load_story(data_dir)
    tables = build_tables(story)
    fig = timeline(tables["events"], tables["sources"], lang, sides=tables["sides"], hover="brief")
    styles, scripts, _ = page_assets(render.trace_types([fig]))
    head = "".join(f"<style>{style_safe_css(s)}</style>" for s in styles)
    body = render.chart_html(to_plain(fig), "chart-0-0") + explorer_html(story, tables, lang)
    tail = "".join(f"<script>{script_safe_js(s)}</script>" for s in scripts if s)
    out.write_text(
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>explorer bench</title>{head}</head>'
        f'<body class="parley-page"><main class="parley-main">{body}</main>{tail}</body></html>',
        encoding="utf-8",
    )
    return out, tables["sides"]["id"].tolist()


def bench_explorer(browser: Browser, stories: dict[str, Path], work: Path) -> list[Record]:
    """Filter and search updates in the page, per story size (the target at 10,000)."""
    records: list[Record] = []
    for label, data_dir in stories.items():
        page, sides = explorer_page(data_dir, work / f"explorer-{label}.html")
        steps = updates(sides)
        times: list[float] = []
        for _ in range(LOADS):
            result = browser.evaluate(page, f"() => ({_RUN_JS})({json.dumps(steps)})")
            if not result["drawn"]:
                raise RuntimeError(f"the timeline chart never drew ({label})")
            times += result["times"]
        sample = Sample(times)
        big = label == str(SIZES[-1])
        note = f"{result['events']} events, {len(steps)} updates × {LOADS} loads"
        records.append(
            measured(
                "2",
                f"page explorer update (median), {label}",
                sample,
                "ms",
                target=MEDIAN_MS if big else None,
                note=note,
            )
        )
        p95 = Sample([sample.percentile(95)])
        records.append(
            measured(
                "2",
                f"page explorer update (p95), {label}",
                p95,
                "ms",
                target=P95_MS if big else None,
            )
        )
    return records
