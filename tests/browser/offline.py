"""Helpers for the real-browser tests: constants, hostile content, walking a deck."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
LANGS = ("ja", "en")
DECK = "01-overview.slides.html"
SLIDE = (1280, 720)
PHONE = (375, 812)
# Markup-like text is legal content; it must show as text and never run.
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
SHOTS = os.environ.get("PARLEY_SHOTS")  # a folder: save screenshots there too


def story_dir() -> Path:
    """The real story once ``data/`` holds one, else the small fixture."""
    data = ROOT / "data"
    return data if (data / "story.yaml").is_file() else ROOT / "tests" / "fixtures" / "mini"


def page_names() -> list[str]:
    """The static page every notebook becomes (known before anything is built)."""
    return sorted(p.stem + ".html" for p in NOTEBOOKS.glob("*.ipynb"))


# --- hostile content ---

PLAIN_TEXT_KEYS = {"publisher", "title", "speaker", "text", "statement", "summary"}


def poison(value: Any) -> Any:
    """Append PAYLOAD to every free text: each {ja, en} pair and the plain text fields."""
    if isinstance(value, dict):
        if set(value) == {"ja", "en"} and all(isinstance(v, str) for v in value.values()):
            return {k: f"{v} {PAYLOAD}" for k, v in value.items()}
        return {
            k: f"{v} {PAYLOAD}" if k in PLAIN_TEXT_KEYS and isinstance(v, str) else poison(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [poison(v) for v in value]
    return value


def lengthen_first_chapter(story: dict[str, Any], times: int = 6) -> None:
    """Repeat the first chapter's key points so its slide cannot fit: the deck must split it."""
    chapter = story["chapters"][0]
    chapter["key_points"] = chapter["key_points"] * times


@dataclass
class Visit:
    """An open page plus everything it tried that an offline export must not."""

    page: Any
    requests: list[str] = field(default_factory=list)  # non-file requests (all aborted)
    errors: list[str] = field(default_factory=list)  # console errors, page errors, failed loads


# --- walking a deck ----------------------------------------------------------------------

SLIDE_STATE = """() => {
  const s = Reveal.getCurrentSlide();
  const charts = [...s.querySelectorAll('.parley-chart')];
  return {
    indices: Reveal.getIndices(s),
    height: s.scrollHeight,
    width: s.scrollWidth,
    charts: charts.length,
    drawn: charts.filter(c => c.querySelector('.main-svg')).length,
    text: s.innerText,
  };
}"""


# The smallest chart text on the shown slide as it reaches the screen: each SVG text's
# font size × the scale its SVG is drawn at (reveal.js scales the 1280×720 slide to the
# window). Tick labels, legends, annotations, titles, menus and sliders count; plotly's hover
# labels and the range slider (a control drawn in miniature) do not.
SMALLEST_CHART_TEXT = """() => {
  const s = Reveal.getCurrentSlide();
  let least = null;
  for (const svg of s.querySelectorAll('.parley-chart svg.main-svg')) {
    const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
    for (const t of svg.querySelectorAll('text, tspan')) {
      if (!t.textContent.trim() || t.closest('.hoverlayer, .rangeslider-container')) continue;
      const style = getComputedStyle(t);
      if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0')
        continue;
      if (t.getBoundingClientRect().width === 0) continue;
      const px = parseFloat(style.fontSize) * scale;
      if (least === null || px < least.px)
        least = { px: px, text: t.textContent.slice(0, 40), cls: t.getAttribute('class') };
    }
  }
  return least;
}"""


def wait_ready(visit: Visit) -> None:
    visit.page.wait_for_selector(".reveal.ready", timeout=30_000)


def hover_first_point(visit: Visit) -> str:
    """Hover the first marker of the shown slide's first chart; return the hover label text."""
    page = visit.page
    page.evaluate("Reveal.configure({ transition: 'none' })")  # no slide moving under the mouse
    page.wait_for_timeout(100)
    shown = "section.present:not(.stack)"  # the shown slide, not its vertical stack
    box = page.locator(f"{shown} .parley-chart .scatterlayer .point").first.bounding_box()
    assert box is not None, "the chart has markers"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = page.locator(f"{shown} .hoverlayer .hovertext").first
    label.wait_for(timeout=10_000)
    return label.text_content() or ""


def go_to_slide(visit: Visit, h: int, v: int) -> dict[str, Any]:
    """Show slide (h, v) through the URL, wait until it is fitted and drawn, describe it."""
    page = visit.page
    page.evaluate(f"location.hash = '#/{h}/{v}'")
    page.wait_for_function(
        f"""() => {{
          const s = Reveal.getCurrentSlide(), i = Reveal.getIndices(s);
          return i.h === {h} && (i.v || 0) === {v} && s.dataset.parleyFit === 'done';
        }}""",
        timeout=30_000,
    )
    return page.evaluate(SLIDE_STATE)


def walk_deck(visit: Visit, shots: str | None = None) -> list[dict[str, Any]]:
    """Visit every slide in order; return each slide's state."""
    wait_ready(visit)
    order = visit.page.evaluate(
        "Reveal.getSlides().map(s => { const i = Reveal.getIndices(s); return [i.h, i.v || 0]; })"
    )
    states = []
    for n, (h, v) in enumerate(order):
        states.append(go_to_slide(visit, h, v))
        if shots and n < 2:
            visit.page.wait_for_timeout(900)  # let the slide transition end
            lang = visit.page.evaluate("document.documentElement.lang")
            visit.page.screenshot(path=f"{shots}/deck-{lang}-slide{n + 1}.png")
    return states


def plotly_bundles(html: str) -> int:
    """How many plotly.js bundles a file inlines (each starts with its licence banner)."""
    return len(re.findall(r"^\* plotly\.js .*v\d+\.\d+\.\d+$", html, flags=re.MULTILINE))


def draw_all(page: Any) -> int:
    """Have page.js draw every chart now (it draws them as they near the viewport) and wait
    until it has; return how many there are."""
    count = page.evaluate("document.querySelectorAll('.parley-chart').length")
    if count:
        page.evaluate("window.parleyPage.drawAll()")
        page.wait_for_selector(f"body[data-charts-drawn='{count}']", timeout=30_000)
    return int(count)
