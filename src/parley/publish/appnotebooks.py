"""The notebooks app mode serves: the committed ones less their saved outputs.

Voilà runs the notebook for every reader, so the outputs saved with it (for nbval and for
readers of the file; 0.7 MB on the overview) are never shown, yet Voilà read, validated
and signature-checked them again for every kernel its pool started: an eighth of the app
server's CPU per reader beyond the pool (issue 25). ``make app`` serves these copies;
``notebooks/`` is never written.

Each copy is also signed as trusted (Jupyter's notebook signature, in the user's Jupyter
data folder as `jupyter trust` and every save in JupyterLab do): it holds no output to
trust, but the server checks every notebook it reads and, unsigned, logged "Notebook … is
not trusted" as a warning for each kernel its pools started, a line per reader in the
terminal of a teacher running ``make app``.

Usage: ``python -m parley.publish.appnotebooks SOURCE OUT`` (called by ``make app``).
"""

from __future__ import annotations

import copy
import os
import sqlite3
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.sign import NotebookNotary


def without_outputs(nb: NotebookNode) -> NotebookNode:
    """A copy of ``nb`` as it stands before it runs: no outputs, counts or widget state."""
    clean = copy.deepcopy(nb)
    for cell in clean.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    clean.metadata.pop("widgets", None)
    return clean


def write_app_notebooks(source: Path, out: Path) -> list[Path]:
    """Each ``source/*.ipynb`` to ``out`` without outputs (written whole, then renamed,
    so a running server never reads half a file); notebooks no longer in ``source`` go."""
    if out.resolve() == source.resolve():
        raise ValueError(f"{out}: would overwrite the notebooks themselves; choose another folder")
    notebooks = sorted(source.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no notebooks in {source}")
    out.mkdir(parents=True, exist_ok=True)
    notary = NotebookNotary()  # (the user's Jupyter data folder: $JUPYTER_DATA_DIR)
    written = []
    for path in notebooks:
        try:
            nb = nbformat.read(path, as_version=4)
        except (ValueError, nbformat.ValidationError) as exc:  # NotJSONError is a ValueError
            raise ValueError(f"{path}: not a readable notebook ({exc})") from None
        target = out / path.name
        partial = out / f".{path.name}.partial"
        nbformat.write(without_outputs(nb), partial)
        os.replace(partial, target)
        _sign(notary, target)
        written.append(target)
    for stale in out.glob("*.ipynb"):
        if not (source / stale.name).exists():
            stale.unlink()
    return written


def _sign(notary: NotebookNotary, path: Path) -> None:
    """Sign the notebook as the server will read it. Without a writable signature store
    the copy stays unsigned: the server then only warns, as before."""
    try:
        notary.sign(nbformat.read(path, as_version=4))
    except (OSError, sqlite3.Error):
        pass


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m parley.publish.appnotebooks SOURCE OUT", file=sys.stderr)
        return 2
    source, out = Path(argv[0]), Path(argv[1])
    try:
        write_app_notebooks(source, out)
    except FileNotFoundError as exc:
        print(f"app notebooks: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"app notebooks: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"app notebooks: {exc.strerror or exc}: {exc.filename or out}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
