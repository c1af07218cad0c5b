"""``parley export``: offline slide decks and static pages from the notebooks.

The story is read and validated once, here, into the warm cache (:mod:`parley.story.cache`);
then one kernel per language (:mod:`parley.publish.kernels`) runs every notebook, and each
kernel gets the story from that cache instead of reading it again. As each notebook finishes,
its page (and for the overview, its deck) is rendered (:mod:`parley.publish.pages`), with
plotly's JSON outputs turned into lean chart placeholders (:mod:`parley.publish.notebooks`)
and every script and style sheet inlined (:mod:`parley.publish.assets`): the files open from
``file://`` with zero network requests. Last, the decks are printed to PDF handouts
(:mod:`parley.publish.pdf`) and ``index.html`` links everything.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from parley.publish import kernels
from parley.publish.notebooks import notebook_title, prepare
from parley.publish.pages import (
    DECK_NOTEBOOK,
    SLIDES,
    Context,
    Page,
    Renderer,
    human_size,
    index_html,
    nav_html,
    stamp_html,
)
from parley.settings import Settings
from parley.story.load import load_story
from parley.story.model import Story

ROOT = Path(__file__).resolve().parents[3]  # the project: src/parley/publish/export.py


def build_id(root: Path) -> str:
    """The short commit hash, marked when the working tree differs from it; "uncommitted"
    outside git or before the first commit."""
    try:
        git = ["git", "-C", str(root)]
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=20
        )
        if head.returncode != 0:
            return "uncommitted"
        status = subprocess.run(
            [*git, "status", "--porcelain"], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.SubprocessError):
        return "uncommitted"
    short = head.stdout.strip()
    return f"{short} + uncommitted changes" if status.stdout.strip() else short


def find_notebooks_dir() -> Path:
    """``notebooks/`` of the project we run in (cwd or above), else next to the package."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "notebooks" / DECK_NOTEBOOK).is_file():
            return folder / "notebooks"
    return ROOT / "notebooks"


class Build:
    """Renders and writes the artefacts as notebooks finish; prints one line per artefact."""

    def __init__(self, out_dir: Path, contexts: dict[str, Context], total: int) -> None:
        self.out_dir = out_dir
        self.contexts = contexts
        self.total = total
        self.done = 0
        self.renderer = Renderer()

    def write(self, path: Path, text: str, seconds: float, note: str = "") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.report(path, seconds, note)

    def report(self, path: Path, seconds: float, note: str = "") -> None:
        """One progress line for an artefact written to ``path``."""
        self.done += 1
        size = human_size(path.stat().st_size)
        print(f"[{self.done}/{self.total}] {path} ({size}, {seconds:.1f} s){note}", flush=True)

    def on_executed(self, lang: str, path: Path, nb: NotebookNode, seconds: float) -> None:
        ctx = self.contexts[lang]
        title = notebook_title(nb, lang, path.stem)
        jobs = [False] + ([True] if path.name == DECK_NOTEBOOK else [])
        for deck in jobs:
            started = time.perf_counter()
            prepared = prepare(nb, for_deck=deck)
            for warning in prepared.warnings:
                print(f"  warning: {path.name} ({lang}): {warning}", file=sys.stderr)
            file = f"{path.stem}.slides.html" if deck else f"{path.stem}.html"
            extra = [] if deck or not ctx.deck else [(ctx.deck.file, f"{SLIDES[lang]} ▶")]
            body, described = self.renderer.render(
                prepared,
                deck=deck,
                title=title,
                lang=lang,
                stamp=stamp_html(ctx, file, extra=extra),
                nav="" if deck else nav_html(ctx, file),
            )
            elapsed = seconds + time.perf_counter() - started
            self.write(self.out_dir / lang / file, body, elapsed, f" [{described}]")


def make_contexts(
    notebooks: list[Path], langs: list[str], build: str, as_of: str
) -> dict[str, Context]:
    """Per language: the titles of every page and of the deck, for links and stamps."""
    sources = {p.name: nbformat.read(p, as_version=4) for p in notebooks}
    contexts = {}
    for lang in langs:
        pages = tuple(
            Page(f"{p.stem}.html", notebook_title(sources[p.name], lang, p.stem)) for p in notebooks
        )
        deck = None
        if DECK_NOTEBOOK in sources:
            title = notebook_title(sources[DECK_NOTEBOOK], lang, "slides")
            deck = Page(f"{Path(DECK_NOTEBOOK).stem}.slides.html", title)
        contexts[lang] = Context(lang, tuple(langs), build, as_of, pages, deck)
    return contexts


def print_handouts(build_out: Build, langs: list[str]) -> str | None:
    """The PDF handout of each language's deck, printed by headless Chromium next to it
    (one browser for all); None, or what went wrong."""
    from parley.publish.pdf import PdfError, decks_to_pdf

    stem = Path(DECK_NOTEBOOK).stem
    decks = [build_out.out_dir / lang / f"{stem}.slides.html" for lang in langs]
    started = time.perf_counter()

    def printed(pdf: Path, pages: int) -> None:  # a progress line as each one is done
        nonlocal started
        build_out.report(pdf, time.perf_counter() - started, f" [{pages} pages]")
        started = time.perf_counter()

    try:
        decks_to_pdf([(deck, deck.with_name(f"{stem}.pdf")) for deck in decks], printed)
    except PdfError as exc:
        return f"PDF handout: {exc}"
    return None


def run(
    data_dir: Path,
    langs: list[str],
    out_dir: Path,
    *,
    notebooks_dir: Path | None = None,
    handouts: bool = True,
    story: Story | None = None,
) -> int:
    """Export every notebook to a static page, and the overview to a deck and its PDF
    handout, per language. ``story``: the story already loaded from ``data_dir`` (with
    ``cache=True``, as the CLI does); otherwise it is loaded here, once, into the cache."""
    notebooks_dir = notebooks_dir or find_notebooks_dir()
    notebooks = sorted(p for p in notebooks_dir.glob("*.ipynb") if p.is_file())
    if not notebooks:
        print(f"parley export: no notebooks in {notebooks_dir}", file=sys.stderr)
        return 1
    has_deck = any(p.name == DECK_NOTEBOOK for p in notebooks)
    # The one read: validated here and stored in the warm cache, which every kernel reads.
    story = story or load_story(data_dir, cache=True)
    as_of = story.meta.as_of.isoformat()
    contexts = make_contexts(notebooks, langs, build_id(notebooks_dir.parent), as_of)
    handouts = handouts and has_deck
    total = len(langs) * (len(notebooks) + int(has_deck) + int(handouts)) + 1
    build_out = Build(out_dir, contexts, total)
    started = time.perf_counter()
    settings = Settings.resolve(data_dir)
    failures: list[str] = []
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        runs = [replace(settings, lang=lang) for lang in langs]
        failures += kernels.execute(runs, notebooks, log, build_out.on_executed)
    if not failures and handouts:
        problem = print_handouts(build_out, langs)
        failures += [problem] if problem else []
    for failure in failures:
        print(f"parley export: {failure}", file=sys.stderr)
    if failures:
        return 1
    index_started = time.perf_counter()
    index = index_html(list(contexts.values()), handouts=handouts)
    build_out.write(out_dir / "index.html", index, time.perf_counter() - index_started)
    print(f"exported {build_out.done} files to {out_dir} in {time.perf_counter() - started:.1f} s")
    return 0
