"""App mode's kernel template: ``python -m parley.appkernel SOCKET`` (started by the app
server's kernel provisioner, :mod:`parley.publish.forkserver`).

It imports once what every app kernel imports (ipykernel's kernel application, IPython,
ipywidgets, pandas, plotly's figures, parley's notebook API and everything below it) and
loads the story into :func:`parley.nb.story`'s cache, then forks a kernel per request.
Nothing here starts a thread (:func:`parley.publish.forkserver.serve` checks).

What a kernel reads from its environment must be read after the fork, with the kernel's
own environment: :mod:`parley.settings` reads Voilà's variables and the data folder when
asked, never at import; what modules read at import is read again in :func:`after_fork`
(the language :mod:`parley.i18n` starts with, ipywidgets' ``JUPYTER_WIDGETS_ECHO``), and
the story, loaded in the template, is dropped by a kernel whose data folder is another.

Likewise what a module does at import only when it finds itself in a kernel: ipywidgets
registers its comm targets then, and the template imports it before any kernel exists.
Without them a page's widget manager cannot ask for every widget's state in one message
(the ``jupyter.widget.control`` comm): the kernel answers "No such comm target", and the
page falls back to asking widget by widget, a round trip each, so its models arrive later.
"""

from __future__ import annotations

import sys
from pathlib import Path

import ipykernel.ipkernel  # the kernel class the kernel application starts
import ipykernel.kernelapp  # noqa: F401
import ipywidgets
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
from ipywidgets.widgets import widget

from parley import i18n, nb, settings
from parley.publish.forkserver import serve

_loaded: list[Path] = []  # the data folder whose story the template loaded


def preload() -> None:
    """The story, parsed and validated once (a story with problems is left for each
    kernel to report, as it would without the template)."""
    folder = settings.data_dir().resolve()
    try:
        nb.story()
        nb.tables()
    except Exception:
        nb.story.cache_clear()
        nb.tables.cache_clear()
        return
    _loaded.append(folder)
    if widget._instances:  # a widget made here would be every kernel's, with no comm
        raise RuntimeError("the kernel template made widgets")


def after_fork() -> None:
    """In each kernel before it starts, its environment set: what modules read from the
    environment at import, read again, and ipywidgets' comm targets registered; the
    template's story kept only if it is this kernel's (its $PARLEY_DATA or working folder
    may differ)."""
    i18n.set_lang(settings.language())
    widget.JUPYTER_WIDGETS_ECHO = widget.envset("JUPYTER_WIDGETS_ECHO", default=True)
    # On ipykernel's comm manager (one per process), which the kernel about to start
    # takes as its own.
    ipywidgets.register_comm_target()
    if not _loaded or settings.data_dir().resolve() != _loaded[0]:
        nb.story.cache_clear()
        nb.tables.cache_clear()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m parley.appkernel SOCKET", file=sys.stderr)
        return 2
    preload()
    return serve(args[0], after_fork)


if __name__ == "__main__":
    sys.exit(main())
