"""Which plotly.js draws a set of trace types: the vendored basic bundle, or plotly.py's full one.

Exports inline it (``publish/assets.py``) and the Chart widget sends it to the page once
(``widgets/chart.py``), so both draw with the same plotly.js. The basic bundle is vendored
with the exports' other browser libraries (``publish/vendor/``, see its README); reading that
file is not an import of ``publish``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

BASIC_BUNDLE = (
    Path(__file__).resolve().parents[1]
    / "publish"
    / "vendor"
    / "plotly.js-basic-dist-min"
    / "plotly-basic.min.js"
)
BASIC_TRACES = frozenset({"scatter", "bar", "pie"})  # what plotly.js-basic-dist draws

# V8's explicit compile hint (Chromium 136+; other engines read a comment): compile every
# function of the script at once. A page draws its first chart as soon as plotly.js has
# run, so nearly all of plotly's drawing code is called on load anyway; compiling it
# eagerly skips the pre-parse and the lazy re-parse of each function, so pages and decks
# are ready sooner (the bench's readiness figures show by how much).
COMPILE_HINT = "//# allFunctionsCalledOnLoad\n"


def bundle_version(source: str) -> str | None:
    """The version in a plotly.js bundle's banner ("plotly.js (basic - minified) v4.1.1")."""
    match = re.search(r"plotly\.js[^\n]*? v(\d+\.\d+\.\d+)", source[:400])
    return match.group(1) if match else None


@cache
def _basic() -> str:
    return BASIC_BUNDLE.read_text(encoding="utf-8")


def trace_types(data: list[dict]) -> set[str]:
    """The trace types a figure's traces use (plotly's default type is scatter)."""
    return {str(trace.get("type") or "scatter") for trace in data}


def uses_basic(types: set[str] | frozenset[str]) -> bool:
    """Whether the vendored basic bundle draws ``types`` with plotly.py's plotly.js version."""
    from plotly.offline import get_plotlyjs_version

    return types <= BASIC_TRACES and bundle_version(_basic()) == get_plotlyjs_version()


@cache
def _bundle(basic: bool) -> tuple[str, str]:
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    wanted = get_plotlyjs_version()
    if basic:
        return COMPILE_HINT + _basic(), f"plotly.js basic {wanted}"
    return COMPILE_HINT + get_plotlyjs(), f"plotly.js full {wanted}"


def plotly_bundle(types: set[str] | frozenset[str]) -> tuple[str, str]:
    """(plotly.js source, description): the vendored basic bundle when it can draw every
    trace type and matches plotly.py's plotly.js version, else plotly.py's full bundle."""
    return _bundle(uses_basic(types))


__all__ = [
    "BASIC_BUNDLE",
    "BASIC_TRACES",
    "COMPILE_HINT",
    "bundle_version",
    "plotly_bundle",
    "trace_types",
    "uses_basic",
]
