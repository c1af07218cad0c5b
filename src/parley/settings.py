"""Where the story is and which language: resolved once, handed to kernels by one function.

Each setting is taken from the first of these that is given:

============  =======================================  ================  ==========================
setting       flag                                     environment       default
============  =======================================  ================  ==========================
data folder   ``--data`` (``parley``), ``DIR``         ``PARLEY_DATA``   the nearest
              (``parley validate``)                                      ``data/story.yaml`` at or
                                                                         above the working folder,
                                                                         else ``./data``
language      the page's ``?lang=`` (app mode only;    ``PARLEY_LANG``   ``ja``
              Voilà hands it to the kernel)
============  =======================================  ================  ==========================

An unknown language falls back to ``ja``. :func:`kernel_env` is the one place that turns
settings into a kernel's environment (``parley export``'s kernels and the bench's).

The other variables parley reads, each where it is used: ``PARLEY_CACHE_DIR`` and
``XDG_CACHE_HOME`` (where the warm story cache lives, :mod:`parley.story.cache`);
``PARLEY_EXPORT`` (set here for export kernels) and ``PLOTLY_RENDERER`` (plotly's own) in
:mod:`parley.publish.render`; ``PARLEY_CHROMIUM`` (:mod:`parley.publish.chromium`);
``VOILA_REQUEST_URL``, ``VOILA_PREHEAT`` and ``QUERY_STRING`` (set by Voilà: app mode, its
preheated pool and the page's ``?lang=``; :mod:`parley.widgets.appmode` reads the rest of
Voilà's variables to learn a preheated kernel's request).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

LANGS = ("ja", "en")
DEFAULT_LANG = "ja"
DATA_ENV = "PARLEY_DATA"
LANG_ENV = "PARLEY_LANG"
EXPORT_ENV = "PARLEY_EXPORT"  # "1" in the kernels that `parley export` starts
NOTEBOOK_RENDERER = "plotly_mimetype"  # plotly's JSON mimetype: what a live notebook shows


@dataclass(frozen=True)
class Settings:
    data: Path  # the data folder
    lang: str  # ja or en

    @classmethod
    def resolve(cls, data: Path | str | None = None, lang: str | None = None) -> Settings:
        """Flag (the arguments), then environment, then default; see the module's table."""
        return cls(data_dir(data), language(lang))


def data_dir(flag: Path | str | None = None, start: Path | None = None) -> Path:
    """The data folder: ``flag``, else ``$PARLEY_DATA``, else the nearest ``data/story.yaml``
    at or above ``start`` (the working folder, which a found folder is relative to), else
    ``./data``."""
    chosen = flag or os.environ.get(DATA_ENV)
    if chosen:
        return Path(chosen)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "story.yaml").is_file():
            found = folder / "data"
            return Path(os.path.relpath(found)) if start is None else found  # "data", "../data"
    return Path("data")


# What Voilà puts in a kernel's environment: the request's URL when the kernel starts for a
# reader, VOILA_PREHEAT when it starts in the preheated pool (no reader, no request yet).
APP_ENV = ("VOILA_REQUEST_URL", "VOILA_PREHEAT")


def in_app() -> bool:
    """Whether this kernel serves a Voilà page, now or (preheated) once a reader comes."""
    return any(name in os.environ for name in APP_ENV)


def preheated() -> bool:
    """A kernel of Voilà's pool: it runs the notebook before its reader's request (and its
    ``?lang=``) arrives; :mod:`parley.widgets.appmode` then learns the request."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


def language(flag: str | None = None) -> str:
    """The reader's language: ``flag``, else in app mode the page's ``?lang=``, else
    ``$PARLEY_LANG``, else ja; anything unknown is ja."""
    value = flag
    if value is None and in_app():
        value = parse_qs(os.environ.get("QUERY_STRING", "")).get("lang", [None])[-1]
    if value is None:
        value = os.environ.get(LANG_ENV, DEFAULT_LANG)
    value = value.strip().lower()
    return value if value in LANGS else DEFAULT_LANG


def kernel_env(
    settings: Settings, *, export: bool = False, cache_dir: Path | None = None
) -> dict[str, str]:
    """The environment for a kernel that runs the notebooks with ``settings``: this process's
    environment plus the data folder and language; ``export`` marks a `parley export` kernel
    (charts become export placeholders), ``cache_dir`` points it at another story cache."""
    env = {
        **os.environ,
        LANG_ENV: settings.lang,
        DATA_ENV: str(Path(settings.data).resolve()),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # debugpy's warning on frozen modules: noise
    }
    if export:
        # publish.render then names its export renderer (plotly's JSON mimetype: the export
        # places the charts); PLOTLY_RENDERER must stay a name plotly knows.
        env[EXPORT_ENV] = "1"
        env["PLOTLY_RENDERER"] = NOTEBOOK_RENDERER
    if cache_dir is not None:
        env["PARLEY_CACHE_DIR"] = str(cache_dir)
    return env
