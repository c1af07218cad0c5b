"""``parley export``: offline slide decks and static pages from the notebooks.

Each notebook runs once per language (``PARLEY_LANG``, ``PARLEY_DATA``, cwd ``notebooks/``);
one warm kernel per language runs every notebook in turn (with ``%reset -f`` between them),
so kernel start-up and the pandas/plotly imports are paid once, and both languages run side
by side. Plotly's JSON outputs become lean chart placeholders (:func:`parley.render.chart_html`),
nbconvert renders them with the templates in ``templates/``, and every script and style sheet
is inlined: the files open from ``file://`` with zero network requests. plotly.js is inlined
once per file, as the vendored basic bundle when every trace is scatter/bar/pie and its
version matches plotly.py's, else as plotly.py's own full bundle.
"""

from __future__ import annotations

import asyncio
import copy
import html
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TextIO

import nbformat
from nbformat import NotebookNode

from parley import i18n, render
from parley.base.loops import outside_loop
from parley.base.palette import FONT_FAMILY
from parley.story.load import load_story
from parley.views.blocks import LANG_NAMES

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
ASSETS = TEMPLATES / "parley_assets"
VENDOR = PACKAGE / "vendor"
DECK_NOTEBOOK = "01-overview.ipynb"
SLIDES = {"ja": "スライド", "en": "Slides"}  # the link from a page to the deck
HANDOUT = {"ja": "配布用 PDF", "en": "PDF handout"}
BASIC_TRACES = frozenset({"scatter", "bar", "pie"})  # what plotly.js-basic-dist draws
WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
KERNEL_TIMEOUT = 600  # seconds per cell


# --- pure pieces -------------------------------------------------------------------------


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


def notebook_title(nb: NotebookNode, lang: str, fallback: str) -> str:
    """The heading of the notebook's bilingual title cell in ``lang`` (ja: the line with
    Japanese script, en: the line without), else its first heading."""
    cjk = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        headings = [
            line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("#")
        ]
        if headings:
            wanted = [h for h in headings if bool(cjk.search(h)) == (lang == "ja")]
            return (wanted or headings)[0]
    return fallback


@dataclass(frozen=True)
class Prepared:
    nb: NotebookNode
    figures: list[Mapping[str, Any]]
    warnings: list[str]


def _export_outputs(cell: NotebookNode, ci: int, into: Prepared) -> list[NotebookNode]:
    """A code cell's outputs for export: plotly JSON → lean chart HTML (the figure noted in
    ``into``), no widget views (they need a kernel), stderr noted as a warning, not shown."""
    outputs = []
    for oi, out in enumerate(cell.outputs):
        if out.output_type == "stream" and out.name == "stderr":
            into.warnings.append(f"cell {ci}: {out.text.strip()[:300]}")
            continue
        data = out.get("data", {})
        if WIDGET_MIMETYPE in data:
            continue
        if render.PLOTLY_MIMETYPE in data:
            figure = data[render.PLOTLY_MIMETYPE]
            into.figures.append(figure)
            out.data = {"text/html": render.chart_html(figure, f"chart-{ci}-{oi}")}
            out.metadata = {}
        outputs.append(out)
    return outputs


def prepare(nb: NotebookNode, *, for_deck: bool) -> Prepared:
    """A copy of an executed notebook ready for nbconvert; pages also drop speaker-notes
    cells. Nothing else changes, so a deck keeps the notebook's slide structure."""
    prepared = Prepared(copy.deepcopy(nb), [], [])
    prepared.nb.metadata.pop("widgets", None)
    cells = []
    for ci, cell in enumerate(prepared.nb.cells):
        slide_type = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if not for_deck and slide_type == "notes":
            continue
        if cell.cell_type == "code":
            cell.outputs = _export_outputs(cell, ci, prepared)
        cells.append(cell)
    prepared.nb.cells = cells
    return prepared


def human_size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 1e6 else f"{n_bytes / 1e3:.0f} kB"


@dataclass(frozen=True)
class Page:
    file: str  # e.g. "02-timeline.html"
    title: str


@dataclass(frozen=True)
class Context:
    """What every artefact of one language shows besides the notebook itself."""

    lang: str
    langs: tuple[str, ...]
    build: str
    as_of: str
    pages: tuple[Page, ...]
    deck: Page | None


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def stamp_html(ctx: Context, file: str, *, extra: Iterable[tuple[str, str]] = ()) -> str:
    """The visible build stamp: commit, the story's as-of date, the language, and links to
    the same file in the other languages (plus ``extra`` (href, text) links)."""
    parts = [
        "parley",
        f"build {_e(ctx.build)}",
        f"{_e(i18n.label('as_of', ctx.lang))} {_e(ctx.as_of)}",
        _e(LANG_NAMES[ctx.lang]),
    ]
    parts += [
        f'<a href="../{other}/{_e(file)}" hreflang="{other}" lang="{other}">'
        f"{_e(LANG_NAMES[other])}</a>"
        for other in ctx.langs
        if other != ctx.lang
    ]
    parts += [f'<a href="{_e(href)}">{_e(text)}</a>' for href, text in extra]
    return f'<div class="parley-stamp" role="contentinfo">{" · ".join(parts)}</div>'


def nav_html(ctx: Context, current: str) -> str:
    links = [
        f'<a href="{_e(p.file)}"' + (' aria-current="page"' if p.file == current else "") + ">"
        f"{_e(p.title)}</a>"
        for p in ctx.pages
    ]
    return f'<nav class="parley-nav">{"".join(links)}</nav>'


# --- assets ------------------------------------------------------------------------------


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _font_css() -> str:
    return f":root {{ --parley-font: {FONT_FAMILY}; }}"


# V8's explicit compile hint (Chromium 136+; other engines read a comment): compile every
# function of the script at once. An export draws its first chart as soon as plotly.js has
# run, so nearly all of plotly's drawing code is called on load anyway; compiling it
# eagerly skips the pre-parse and the lazy re-parse of each function (timeline page and
# decks ~0.1 s sooner in headless Chromium on this 2-core machine, chart-free deck too).
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


# --- rendering ---------------------------------------------------------------------------


class Renderer:
    """nbconvert exporters for both templates, built once per run (template loading is slow)."""

    def __init__(self) -> None:
        from nbconvert import HTMLExporter, SlidesExporter

        options: dict[str, Any] = {
            "extra_template_basedirs": [str(TEMPLATES)],
            "exclude_input": True,
            "exclude_input_prompt": True,
            "exclude_output_prompt": True,
            "exclude_anchor_links": True,
        }
        self.page = HTMLExporter(template_name="parley_page", **options)
        self.deck = SlidesExporter(template_name="parley_deck", **options)

    def render(
        self, prepared: Prepared, *, deck: bool, title: str, lang: str, stamp: str, nav: str = ""
    ) -> tuple[str, str]:
        types = render.trace_types(prepared.figures)
        styles, scripts, described = deck_assets(types) if deck else page_assets(types)
        resources = {
            "parley": {
                "lang": lang,
                "title": title,
                "styles": [style_safe_css(s) for s in styles],
                "scripts": [script_safe_js(s) for s in scripts if s],
                "stamp_html": stamp,
                "nav_html": nav,
            }
        }
        exporter = self.deck if deck else self.page
        body, _ = exporter.from_notebook_node(prepared.nb, resources=resources)
        return body, described


def index_html(contexts: list[Context], *, handouts: bool = False) -> str:
    """build/index.html: every deck (and its handout) and page, by language."""
    first = contexts[0]
    sections = []
    for ctx in contexts:
        items = []
        if ctx.deck:
            deck = f"{ctx.deck.title} ({SLIDES[ctx.lang]})"
            link = f'<a href="{ctx.lang}/{_e(ctx.deck.file)}">{_e(deck)}</a>'
            if handouts:
                pdf = f"{Path(DECK_NOTEBOOK).stem}.pdf"
                link += f' · <a href="{ctx.lang}/{_e(pdf)}">{_e(HANDOUT[ctx.lang])}</a>'
            items.append(f"<li>{link}</li>")
        items += [
            f'<li><a href="{ctx.lang}/{_e(p.file)}">{_e(p.title)}</a></li>' for p in ctx.pages
        ]
        sections.append(
            f'<section lang="{ctx.lang}"><h2>{_e(LANG_NAMES[ctx.lang])}</h2>'
            f"<ul>{''.join(items)}</ul></section>"
        )
    styles = "".join(f"<style>{style_safe_css(s)}</style>" for s in page_assets(set())[0])
    return (
        f'<!DOCTYPE html>\n<html lang="{first.lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>parley</title>{styles}</head>'
        f'<body class="parley-page"><main class="parley-main"><h1>parley</h1>'
        f"{''.join(sections)}</main>"
        f'<div class="parley-stamp" role="contentinfo">parley · build {_e(first.build)} · '
        f"as of {_e(first.as_of)}</div></body></html>\n"
    )


# --- the build ---------------------------------------------------------------------------


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
    return PACKAGE.parents[1] / "notebooks"


def kernel_env(lang: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PARLEY_LANG": lang,
        "PARLEY_DATA": str(data_dir.resolve()),
        # render.renderer() then names its export renderer (plotly's JSON mimetype: the
        # export places the charts); PLOTLY_RENDERER must stay a name plotly knows.
        render.EXPORT_ENV: "1",
        "PLOTLY_RENDERER": render.DEFAULT_RENDERER,
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


class ExportFailed(Exception):
    pass


def _reset_notebook() -> NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%reset -f")])


def _client(nb: NotebookNode, km: Any, kc: Any, cwd: Path) -> Any:
    """An nbclient runner on an already running kernel (it leaves the kernel running)."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        km=km,
        timeout=KERNEL_TIMEOUT,
        store_widget_state=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.kc = kc  # not a constructor option: set, it stops nbclient starting a new client
    return client


Executed = Callable[[str, Path, NotebookNode, float], None]  # lang, notebook, result, seconds


async def _execute_language(
    lang: str, notebooks: list[Path], env: dict[str, str], log: TextIO, on_done: Executed
) -> None:
    """Run every notebook in one kernel started for ``lang``; ``on_done`` renders each."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.exceptions import CellExecutionError

    cwd = notebooks[0].parent
    km = AsyncKernelManager(kernel_name="python3")
    await km.start_kernel(env=env, cwd=str(cwd), stderr=log, stdout=log)
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=120)
        for n, path in enumerate(notebooks):
            if n:  # a clean namespace per notebook; imported modules stay warm
                await _client(_reset_notebook(), km, kc, cwd).async_execute()
            nb = nbformat.read(path, as_version=4)
            started = time.perf_counter()
            client = _client(nb, km, kc, cwd)
            try:
                await client.async_execute()
            except CellExecutionError as exc:
                raise ExportFailed(f"{path.name} ({lang}): {exc}") from None
            on_done(lang, path, nb, time.perf_counter() - started)
    finally:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)


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
    from parley.pdf import PdfError, decks_to_pdf

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
) -> int:
    """Export every notebook to a static page, and the overview to a deck and its PDF
    handout, per language."""
    notebooks_dir = notebooks_dir or find_notebooks_dir()
    notebooks = sorted(p for p in notebooks_dir.glob("*.ipynb") if p.is_file())
    if not notebooks:
        print(f"parley export: no notebooks in {notebooks_dir}", file=sys.stderr)
        return 1
    has_deck = any(p.name == DECK_NOTEBOOK for p in notebooks)
    as_of = load_story(data_dir).meta.as_of.isoformat()
    contexts = make_contexts(notebooks, langs, build_id(notebooks_dir.parent), as_of)
    handouts = handouts and has_deck
    total = len(langs) * (len(notebooks) + int(has_deck) + int(handouts)) + 1
    build_out = Build(out_dir, contexts, total)
    started = time.perf_counter()
    failures: list[str] = []
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        try:
            work = _execute_all(langs, notebooks, data_dir, log, build_out.on_executed)
            outside_loop(asyncio.run, work)
        except* ExportFailed as group:
            failures += [str(exc) for exc in group.exceptions]
        except* (RuntimeError, TimeoutError) as group:  # a kernel that died or never started
            log.seek(0)
            tail = log.read()[-2000:]
            failures += [f"kernel problem: {exc!r}\n{tail}" for exc in group.exceptions]
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


async def _execute_all(
    langs: list[str], notebooks: list[Path], data_dir: Path, log: TextIO, on_done: Executed
) -> None:
    async with asyncio.TaskGroup() as group:
        for lang in langs:
            env = kernel_env(lang, data_dir)
            group.create_task(_execute_language(lang, notebooks, env, log, on_done))
