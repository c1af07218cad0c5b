"""Normalise an executed notebook before it is committed: drop per-run timing metadata.

Usage: ``python -m parley.publish.tidy NOTEBOOK...`` (called by ``make notebooks``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

_INLINED_PLOTLY = "window.PlotlyConfig"  # present only when plotly.js itself was inlined


def tidy(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            if _INLINED_PLOTLY in html:
                raise SystemExit(
                    f"{path}: an output inlines plotly.js; commit the JSON "
                    "mimetype only (unset PLOTLY_RENDERER)"
                )
    nb.metadata.pop("widgets", None)  # widget state is rebuilt by the kernel
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    for arg in argv:
        tidy(Path(arg))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
