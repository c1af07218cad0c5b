"""What an export inlines: the templates' own scripts and styles, reveal.js and plotly.js.

Every file is read once per process; each script and style sheet is made safe to inline, so
a page or deck carries everything it needs and opens from ``file://`` with no network.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from parley.base.palette import FONT_FAMILY

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
ASSETS = TEMPLATES / "parley_assets"
VENDOR = HERE / "vendor"
BASIC_TRACES = frozenset({"scatter", "bar", "pie"})  # what plotly.js-basic-dist draws


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


# V8's explicit compile hint (Chromium 136+; other engines read a comment): compile every
# function of the script at once. An export draws its first chart as soon as plotly.js has
# run, so nearly all of plotly's drawing code is called on load anyway; compiling it
# eagerly skips the pre-parse and the lazy re-parse of each function, so pages and decks
# are ready sooner (the bench's readiness figures show by how much).
COMPILE_HINT = "//# allFunctionsCalledOnLoad\n"


def bundle_version(source: str) -> str | None:
    """The version in a plotly.js bundle's banner ("plotly.js (basic - minified) v4.1.1")."""
    match = re.search(r"plotly\.js[^\n]*? v(\d+\.\d+\.\d+)", source[:400])
    return match.group(1) if match else None


def plotly_bundle(types: set[str]) -> tuple[str, str]:
    """(plotly.js source, description): the vendored basic bundle when it can draw every
    trace type and matches plotly.py's plotly.js version, else plotly.py's full bundle."""
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    basic = _read(VENDOR / "plotly.js-basic-dist-min" / "plotly-basic.min.js")
    wanted = get_plotlyjs_version()
    if types <= BASIC_TRACES and bundle_version(basic) == wanted:
        return COMPILE_HINT + basic, f"plotly.js basic {wanted}"
    return COMPILE_HINT + get_plotlyjs(), f"plotly.js full {wanted}"


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


def page_assets(types: set[str]) -> tuple[list[str], list[str], str]:
    styles = [_font_css(), _read(ASSETS / "page.css")]
    if not types:  # a page without charts needs no script at all
        return styles, [], "no charts"
    plotly_js, described = plotly_bundle(types)
    return styles, [plotly_js, _read(ASSETS / "charts.js"), _read(ASSETS / "page.js")], described
