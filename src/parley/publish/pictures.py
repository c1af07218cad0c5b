"""Static pictures of the charts, made at export: what a reader sees before plotly.js runs.

One headless Chromium (:func:`parley.publish.chromium.launch`) loads the export's own
plotly.js and ``charts.js`` once, then asks ``Plotly.toImage`` for every figure of every
page: an SVG of the chart as the page first draws it (the same layout ``charts.js`` makes)
and, for site mode, a PNG of a page's key chart for link previews. A page embeds each SVG
in the chart's placeholder as an ``<img>`` (a picture in an image element never runs script
or loads anything), after :func:`sanitise_svg` has kept only drawing elements anyway.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from parley.publish.assets import ASSETS, BASIC_TRACES, plotly_bundle, script_safe_js
from parley.publish.render import trace_types

PICTURE_WIDTH = 928  # px: the page's text column (960 px less its padding)
CARD_SIZE = (1200, 630)  # px: what Open Graph and Twitter cards show

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# What plotly draws with; anything else (script, foreignObject, image, a, animation, style
# sheets that could fetch) is dropped with its content.
DRAWING = frozenset(
    {
        "svg", "g", "defs", "clipPath", "path", "rect", "circle", "ellipse", "line",
        "polyline", "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop",
        "pattern", "mask", "title", "desc", "symbol", "marker",
    }
)  # fmt: skip
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#[^)]*\)", re.IGNORECASE)


class PictureError(Exception):
    """Chromium would not draw the pictures (the pages keep their live charts only)."""


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _safe_value(value: str) -> bool:
    """No script URL, no reference outside the picture (only ``url(#id)``)."""
    lowered = re.sub(r"[\s\x00-\x1f]", "", value).lower()
    if "javascript:" in lowered or "data:" in lowered or "expression(" in lowered:
        return False
    return "url(" not in _LOCAL_URL.sub("", value).lower()


def _clean(element: ET.Element) -> None:
    for child in list(element):
        ns, name = _local(child.tag)
        if ns != SVG_NS or name not in DRAWING:
            element.remove(child)
            continue
        _clean(child)
    for key in list(element.attrib):
        ns, name = _local(key)
        value = element.attrib[key]
        href = name == "href" and ns in ("", XLINK_NS)
        if (
            name.lower().startswith("on")
            or (href and not value.startswith("#"))
            or ns not in ("", XLINK_NS, "http://www.w3.org/XML/1998/namespace")
            or not _safe_value(value)
        ):
            del element.attrib[key]


def sanitise_svg(svg: str) -> str:
    """The SVG with only drawing elements and attributes: no script, foreignObject, event
    handler, external reference or style sheet. Raises ValueError if it is no SVG."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    if "<!DOCTYPE" in svg or "<!ENTITY" in svg:
        raise ValueError("an SVG picture may not declare a DOCTYPE or entities")
    root = ET.fromstring(svg)
    if _local(root.tag) != (SVG_NS, "svg"):
        raise ValueError("not an SVG document")
    _clean(root)
    return ET.tostring(root, encoding="unicode")


def svg_data_url(svg: str) -> str:
    """A ``data:`` URL of the (sanitised) SVG, percent-encoded (smaller than base64)."""
    return "data:image/svg+xml," + urllib.parse.quote(svg, safe=" /:=;,'()-._~!*+@?")


def figure_key(figure: Mapping[str, Any]) -> str:
    """Identifies a figure's JSON (the same figure on two pages is drawn once)."""
    text = json.dumps(figure, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Picture:
    svg: str  # sanitised
    width: int
    height: int


# Draws one figure the way charts.js draws it on a wide page, then hands back the image.
_DRAW = """async ([fig, width, format, size]) => {
  const prepared = window.parleyCharts.forPicture(fig, width);
  const opts = {format, width: size ? size[0] : width,
                height: size ? size[1] : prepared.layout.height};
  const url = await Plotly.toImage(prepared, opts);
  return [url, opts.width, opts.height];
}"""


def _decode(url: str) -> str:
    head, _, body = url.partition(",")
    if head.endswith(";base64"):
        return base64.b64decode(body).decode("utf-8")
    return urllib.parse.unquote(body)


def draw_pictures(
    figures: Iterable[Mapping[str, Any]], cards: Iterable[Mapping[str, Any]] = ()
) -> tuple[dict[str, Picture], dict[str, bytes]]:
    """SVG pictures of ``figures`` and PNG cards of ``cards``, keyed by :func:`figure_key`,
    in one browser. Raises PictureError when Chromium cannot start or draw."""
    worker = PictureWorker()
    try:
        return worker.submit(figures, cards).result()
    finally:
        worker.close()


def _page_html(types: set[str]) -> tuple[str, bool]:
    plotly_js, _ = plotly_bundle(types)
    charts_js = (ASSETS / "charts.js").read_text(encoding="utf-8")
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        f"<script>{script_safe_js(plotly_js)}</script>"
        f"<script>{script_safe_js(charts_js)}</script></body></html>"
    )
    return html, types <= BASIC_TRACES


class PictureWorker:
    """One headless Chromium in a thread of its own, started at once: an export hands it
    each notebook's figures as the notebook finishes, so the pictures are drawn while the
    other notebooks still run. (Playwright's sync API belongs to the thread that started
    it, and refuses a thread with a running asyncio loop, as the export's kernels have.)"""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parley-pictures")
        self._stack = contextlib.ExitStack()
        self._page: Any = None
        self._basic = True
        self._error: PictureError | None = None
        self._pool.submit(self._open)  # the queue runs in order: open, then each draw

    def _open(self) -> None:
        from parley.publish.chromium import ChromiumError, launch

        try:
            browser = self._stack.enter_context(launch())
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # nothing leaves the machine
            html, self._basic = _page_html(set(BASIC_TRACES))
            page.set_content(html, wait_until="load")
            self._page = page
        except ChromiumError as exc:
            self._error = PictureError(str(exc))
        except Exception as exc:  # Playwright's own errors
            self._error = PictureError(f"Chromium would not start for the pictures: {exc}")

    def submit(
        self, figures: Iterable[Mapping[str, Any]], cards: Iterable[Mapping[str, Any]] = ()
    ) -> Future[tuple[dict[str, Picture], dict[str, bytes]]]:
        """Pictures of ``figures`` and PNG cards of ``cards`` (see :func:`draw_pictures`)."""
        return self._pool.submit(self._draw, list(figures), list(cards))

    def _draw(
        self, figures: list[Mapping[str, Any]], cards: list[Mapping[str, Any]]
    ) -> tuple[dict[str, Picture], dict[str, bytes]]:
        if self._error is not None:
            raise self._error
        todo = {figure_key(f): f for f in figures}
        card_todo = {figure_key(f): f for f in cards}
        pictures: dict[str, Picture] = {}
        pngs: dict[str, bytes] = {}
        try:
            types = trace_types([*todo.values(), *card_todo.values()])
            if self._basic and not types <= BASIC_TRACES:  # plotly.py's full bundle, once
                html, self._basic = _page_html(types)
                self._page.set_content(html, wait_until="load")
            for key, fig in todo.items():
                url, w, h = self._page.evaluate(_DRAW, [dict(fig), PICTURE_WIDTH, "svg", None])
                pictures[key] = Picture(sanitise_svg(_decode(url)), int(w), int(h))
            for key, fig in card_todo.items():
                url, _, _ = self._page.evaluate(_DRAW, [dict(fig), CARD_SIZE[0], "png", CARD_SIZE])
                pngs[key] = base64.b64decode(url.partition(",")[2])
        except Exception as exc:  # Playwright's errors: a figure that would not draw
            raise PictureError(f"Chromium could not draw the chart pictures: {exc}") from exc
        return pictures, pngs

    def close(self) -> None:
        """Close the browser (in its own thread) and the thread."""
        try:
            self._pool.submit(self._stack.close).result()
        finally:
            self._pool.shutdown()
