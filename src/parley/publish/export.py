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

import hashlib
import html as html_lib
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from parley import i18n
from parley.base.markup import escape
from parley.publish import kernels
from parley.publish.assets import page_assets
from parley.publish.data import write_tables
from parley.publish.notebooks import notebook_title, prepare
from parley.publish.pages import (
    DECK_NOTEBOOK,
    SLIDES,
    Context,
    Page,
    Renderer,
    SiteAssets,
    human_size,
    index_html,
    nav_html,
    stamp_html,
)
from parley.publish.pictures import (
    Picture,
    PictureError,
    PictureWorker,
    figure_key,
    svg_data_url,
)
from parley.publish.render import trace_types
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


@dataclass(frozen=True)
class _Pending:
    """A page whose notebook has run, waiting for its charts' pictures."""

    lang: str
    path: Path
    nb: NotebookNode
    seconds: float
    figures: list[Mapping[str, Any]]
    drawing: Future[tuple[dict[str, Picture], dict[str, bytes]]] | None


@dataclass(frozen=True)
class Site:
    """Site mode: pages for hosting at ``base_url`` (shared, content-hashed assets and
    link-preview metadata with absolute URLs)."""

    base_url: str  # ends with "/"


def site_base_url(text: str) -> str:
    """A site's base URL, checked and ending in "/"; ValueError says what is wrong."""
    if not text or text != text.strip() or re.search(r"[\s\"'<>\\`]", text):
        raise ValueError("a URL without spaces, quotes or angle brackets is needed")
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("an absolute http:// or https:// URL is needed")
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise ValueError("a base URL has no query, fragment or user name")
    try:
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError as exc:
        raise ValueError(f"bad port: {exc}") from None
    return text if text.endswith("/") else text + "/"


def _hashed(out_dir: Path, stem: str, suffix: str, text: str) -> str:
    """Write ``text`` once under assets/ with its content hash in the name; its path."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    name = f"assets/{stem}-{digest}{suffix}"
    path = out_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return name


def page_description(nb: NotebookNode, limit: int = 200) -> str:
    """The page's opening text (its chapter's question and answer), as plain text."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            markup = out.get("data", {}).get("text/html", "")
            if "parley-hook" in markup or "parley-lead" in markup:
                text = html_lib.unescape(re.sub(r"<[^>]+>", " ", markup))
                text = re.sub(r"\s+", " ", text).strip()
                return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return ""


def meta_html(site: Site, lang: str, file: str, title: str, description: str, image: str) -> str:
    """Open Graph and Twitter card metadata, every URL absolute."""
    url = f"{site.base_url}{lang}/{file}"
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:locale", "ja_JP" if lang == "ja" else "en_US"),
        ("name", "description", description),
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    if image:
        tags += [
            ("property", "og:image", f"{site.base_url}{lang}/{image}"),
            ("name", "twitter:image", f"{site.base_url}{lang}/{image}"),
        ]
    lines = [f'<meta {kind}="{key}" content="{escape(value)}">' for kind, key, value in tags]
    lines.append(f'<link rel="canonical" href="{escape(url)}">')
    return "\n".join(lines)


class Build:
    """Renders and writes the artefacts as notebooks finish; prints one line per artefact.
    Decks are written at once. Each page's charts go to the picture worker (a browser in a
    thread of its own) as its notebook finishes; the pages are written when every notebook
    has run (:meth:`finish_pages`)."""

    def __init__(
        self,
        out_dir: Path,
        contexts: dict[str, Context],
        total: int,
        site: Site | None = None,
        pictures: PictureWorker | None = None,
    ) -> None:
        self.out_dir = out_dir
        self.contexts = contexts
        self.total = total
        self.done = 0
        self.renderer = Renderer()
        self.site = site
        self.pictures = pictures
        self.pending: list[_Pending] = []

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
        shown: list[Mapping[str, Any]] = []  # each chart's page layout (not its variants)

        def collect(figure: Mapping[str, Any], _: str) -> tuple[str, str]:
            shown.append(figure)
            return "", ""

        prepare(nb, for_deck=False, decorate=collect)
        drawing = None
        if self.pictures is not None:
            drawing = self.pictures.submit(shown, shown[:1] if self.site else [])
        self.pending.append(_Pending(lang, path, nb, seconds, shown, drawing))
        if path.name != DECK_NOTEBOOK:
            return
        ctx = self.contexts[lang]
        started = time.perf_counter()
        prepared = prepare(nb, for_deck=True)
        title = notebook_title(nb, lang, path.stem)
        file = f"{path.stem}.slides.html"
        body, described = self.renderer.render(
            prepared, deck=True, title=title, lang=lang, stamp=stamp_html(ctx, file)
        )
        elapsed = seconds + time.perf_counter() - started
        self.write(self.out_dir / lang / file, body, elapsed, f" [{described}]")

    def _site_assets(self, figures: list[Mapping[str, Any]]) -> SiteAssets:
        styles, scripts, _ = page_assets(trace_types(figures))
        css = _hashed(self.out_dir, "parley", ".css", "\n".join(styles))
        plotly_js = _hashed(self.out_dir, "plotly", ".js", scripts[0]) if scripts else None
        ours = _hashed(self.out_dir, "parley", ".js", "\n".join(scripts[1:]))
        return SiteAssets(f"../{css}", [f"../{plotly_js}", f"../{ours}"] if plotly_js else [])

    def finish_pages(self) -> None:
        """Every page, with its charts' static pictures (and in site mode its preview card)."""
        started = time.perf_counter()
        drawn: dict[str, Picture] = {}
        pngs: dict[str, bytes] = {}
        problem = ""
        for job in self.pending:
            if job.drawing is None:
                continue
            try:
                got, cards = job.drawing.result()
                drawn.update(got)
                pngs.update(cards)
            except PictureError as exc:
                problem = problem or str(exc)
        if problem:
            print(f"  warning: some chart pictures are missing: {problem}", file=sys.stderr)
        if self.pictures is not None:
            took = time.perf_counter() - started
            print(f"  {len(drawn)} chart pictures ready {took:.1f} s after the last notebook")
        everything = [f for job in self.pending for f in job.figures]
        site_assets = self._site_assets(everything) if self.site else None
        for job in self.pending:
            self._write_page(
                job.lang, job.path, job.nb, drawn, pngs, job.figures, site_assets, job.seconds
            )
        self.pending = []

    def _write_page(
        self,
        lang: str,
        path: Path,
        nb: NotebookNode,
        drawn: dict[str, Picture],
        pngs: dict[str, bytes],
        figures: list[Mapping[str, Any]],
        site_assets: SiteAssets | None,
        before: float,
    ) -> None:
        started = time.perf_counter() - before
        ctx = self.contexts[lang]
        title = notebook_title(nb, lang, path.stem)
        alt_prefix = i18n.label("chart_picture", lang)
        data_label = i18n.label("get_data", lang)

        def decorate(figure: Mapping[str, Any], chart_id: str) -> tuple[str, str]:
            picture = ""
            found = drawn.get(figure_key(figure))
            if found:
                chart_title = _plain_title(figure)
                alt = f"{alt_prefix}: {chart_title}" if chart_title else alt_prefix
                picture = (
                    f'<img class="parley-chart-picture" src="{escape(svg_data_url(found.svg))}" '
                    f'width="{found.width}" height="{found.height}" alt="{escape(alt)}" '
                    f'elementtiming="parley-picture">'
                )
            table = (figure.get("layout", {}).get("meta") or {}).get("parley_table")
            links = ""
            if isinstance(table, str) and re.fullmatch(r"[a-z_]+", table):
                links = f'<a href="../data/{table}.csv" download>{escape(data_label)}</a>'
            tools = f'<p class="parley-chart-tools" data-chart="{chart_id}">{links}</p>'
            return picture, tools

        prepared = prepare(nb, for_deck=False, decorate=decorate)
        for warning in prepared.warnings:
            print(f"  warning: {path.name} ({lang}): {warning}", file=sys.stderr)
        file = f"{path.stem}.html"
        extra = [(ctx.deck.file, f"{SLIDES[lang]} ▶")] if ctx.deck else []
        head = ""
        if self.site:
            image = ""
            png = pngs.get(figure_key(figures[0])) if figures else None
            if png:
                image = f"{path.stem}.png"
                (self.out_dir / lang).mkdir(parents=True, exist_ok=True)
                (self.out_dir / lang / image).write_bytes(png)
            head = meta_html(self.site, lang, file, title, page_description(nb), image)
        body, described = self.renderer.render(
            prepared,
            deck=False,
            title=title,
            lang=lang,
            stamp=stamp_html(ctx, file, extra=extra),
            nav=nav_html(ctx, file),
            site=site_assets,
            head=head,
        )
        self.write(
            self.out_dir / lang / file, body, time.perf_counter() - started, f" [{described}]"
        )


def _plain_title(figure: Mapping[str, Any]) -> str:
    title = figure.get("layout", {}).get("title")
    text = title.get("text", "") if isinstance(title, Mapping) else (title or "")
    plain = html_lib.unescape(re.sub(r"<br\s*/?>", " ", str(text)))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", plain)).strip()


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
    site: Site | None = None,
    pictures: bool = True,
) -> int:
    """Export every notebook to a static page, and the overview to a deck and its PDF
    handout, per language. ``story``: the story already loaded from ``data_dir`` (with
    ``cache=True``, as the CLI does); otherwise it is loaded here, once, into the cache.
    ``site``: site mode (shared assets, link previews); ``pictures``: draw each chart's
    static picture (one headless Chromium)."""
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
    started = time.perf_counter()
    worker = PictureWorker() if pictures else None  # starts its browser while kernels start
    try:
        build_out = Build(out_dir, contexts, total, site, worker)
        settings = Settings.resolve(data_dir)
        failures: list[str] = []
        with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
            runs = [replace(settings, lang=lang) for lang in langs]
            failures += kernels.execute(runs, notebooks, log, build_out.on_executed)
        if not failures:
            build_out.finish_pages()
            write_tables(story, out_dir / "data", "csv")  # each chart's "get the data" link
    finally:
        if worker is not None:
            worker.close()
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
