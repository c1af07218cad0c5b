"""What an export inlines: the templates' own scripts and styles, reveal.js and plotly.js.

Every file is read once per process; each script and style sheet is made safe to inline, so
a page or deck carries everything it needs and opens from ``file://`` with no network.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from parley.base.palette import FONT_FAMILY
from parley.base.plotlyjs import BASIC_TRACES, COMPILE_HINT, bundle_version, plotly_bundle

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
ASSETS = TEMPLATES / "parley_assets"
VENDOR = HERE / "vendor"


def script_safe_js(source: str) -> str:
    """Library code made safe to inline in ``<script>``: it must not close the element or
    open an HTML comment. ``\\x3C`` means ``<`` inside JS strings, regexes and templates,
    the only places minified code holds these sequences."""
    return re.sub(r"<(?=/script|!--)", r"\\x3C", source, flags=re.IGNORECASE)


def style_safe_css(source: str) -> str:
    """A style sheet ready to inline: no ``@import`` (reveal's theme imports web fonts
    from files we do not ship; the story's CJK font stack replaces them)."""
    source = re.sub(r"@import\s+url\([^)]*\)\s*;", "", source)
    if re.search(r"</style", source, flags=re.IGNORECASE):
        raise ValueError("a style sheet may not contain '</style'")
    return source


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _font_css() -> str:
    return f":root {{ --parley-font: {FONT_FAMILY}; }}"


def deck_assets(types: set[str]) -> tuple[list[str], list[str], str]:
    reveal = VENDOR / "reveal.js"
    styles = [
        _read(reveal / "dist" / "reveal.css"),
        _read(reveal / "dist" / "theme" / "white.css"),
        _font_css(),
        _read(ASSETS / "deck.css"),
    ]
    plotly_js, described = plotly_bundle(types) if types else ("", "no charts")
    scripts = [
        _read(reveal / "dist" / "reveal.js"),
        _read(reveal / "plugin" / "notes" / "notes.js"),
        plotly_js,
        _read(ASSETS / "charts.js"),
        _read(ASSETS / "deck.js"),
    ]
    return styles, scripts, described


# The page explorer and scenario builder (issue 22): each does nothing on a page without
# its section, and needs no chart to work (it follows one when the page draws it).
PAGE_TOOLS = ("explorer.js", "builder.js")


def page_assets(types: set[str]) -> tuple[list[str], list[str], str]:
    styles = [_font_css(), _read(ASSETS / "page.css"), _read(ASSETS / "explorer.css")]
    tools = [_read(ASSETS / name) for name in PAGE_TOOLS]
    if not types:  # a page without charts needs no plotly.js
        return styles, tools, "no charts"
    plotly_js, described = plotly_bundle(types)
    scripts = [plotly_js, _read(ASSETS / "charts.js"), _read(ASSETS / "page.js")]
    return styles, scripts + tools, described


# The choice of plotly.js is shared with the Chart widget (parley.base.plotlyjs).
__all__ = [
    "BASIC_TRACES",
    "COMPILE_HINT",
    "bundle_version",
    "deck_assets",
    "page_assets",
    "plotly_bundle",
    "script_safe_js",
    "style_safe_css",
]
