"""The HTML around each exported notebook: build stamp, navigation, index, nbconvert.

Pages and decks are rendered by nbconvert with the templates in ``templates/`` and the
inlined assets of :mod:`parley.publish.assets`; everything from the story is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parley import i18n
from parley.base.markup import escape
from parley.publish import render
from parley.publish.assets import (
    TEMPLATES,
    deck_assets,
    page_assets,
    script_safe_js,
    style_safe_css,
)
from parley.publish.notebooks import Prepared
from parley.publish.render import script_safe_json
from parley.views.blocks import LANG_NAMES

DECK_NOTEBOOK = "01-overview.ipynb"
SLIDES = {"ja": "スライド", "en": "Slides"}  # the link from a page to the deck
HANDOUT = {"ja": "配布用 PDF", "en": "PDF handout"}


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


def stamp_html(ctx: Context, file: str, *, extra: Iterable[tuple[str, str]] = ()) -> str:
    """The visible build stamp: commit, the story's as-of date, the language, and links to
    the same file in the other languages (plus ``extra`` (href, text) links)."""
    english = "" if ctx.lang == "en" else ' lang="en"'  # "parley · build …" is English
    parts = [
        f"<span{english}>parley</span>",
        f"<span{english}>build {escape(ctx.build)}</span>",
        f"{escape(i18n.label('as_of', ctx.lang))} {escape(ctx.as_of)}",
        escape(LANG_NAMES[ctx.lang]),
    ]
    parts += [
        f'<a href="../{other}/{escape(file)}" hreflang="{other}" lang="{other}">'
        f"{escape(LANG_NAMES[other])}</a>"
        for other in ctx.langs
        if other != ctx.lang
    ]
    parts += [f'<a href="{escape(href)}">{escape(text)}</a>' for href, text in extra]
    return f'<div class="parley-stamp" role="contentinfo">{" · ".join(parts)}</div>'


def nav_html(ctx: Context, current: str) -> str:
    links = [
        f'<a href="{escape(p.file)}"' + (' aria-current="page"' if p.file == current else "") + ">"
        f"{escape(p.title)}</a>"
        for p in ctx.pages
    ]
    return f'<nav class="parley-nav">{"".join(links)}</nav>'


@dataclass(frozen=True)
class SiteAssets:
    """Site mode: the shared files every page links to (paths relative to a page)."""

    stylesheet: str
    scripts: list[str]


def chart_labels(lang: str) -> dict[str, str]:
    """What charts.js writes on a page's chart controls, in the page's language."""
    keys = {"download_png": "download_png", "step": "chart_step", "show": "chart_show"}
    labels = {name: i18n.label(key, lang) for name, key in keys.items()}
    labels["play"] = i18n.label("chart_play", lang)
    labels["range_from"] = i18n.label("range_from", lang)
    labels["range_to"] = i18n.label("range_to", lang)
    return labels


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
_HEADING = re.compile(r"<(h[1-6])>([^<]*)</\1>")


def run_language(text: str, default: str) -> str:
    """The language of a run of text: ja when it holds Japanese script, en when it holds
    latin letters only, else ``default`` (digits, symbols)."""
    if _CJK.search(text):
        return "ja"
    return "en" if re.search(r"[A-Za-z]", text) else default


def mark_languages(body: str, lang: str) -> str:
    """Headings in the other language (a notebook's bilingual title) get their ``lang``."""

    def mark(match: re.Match[str]) -> str:
        tag, text = match.group(1), match.group(2)
        other = run_language(text, lang)
        if other == lang or not text.strip():
            return match.group(0)
        return f'<{tag} lang="{other}">{text}</{tag}>'

    return _HEADING.sub(mark, body)


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
        self,
        prepared: Prepared,
        *,
        deck: bool,
        title: str,
        lang: str,
        stamp: str,
        nav: str = "",
        site: SiteAssets | None = None,
        head: str = "",
    ) -> tuple[str, str]:
        """The page or deck's HTML and which plotly.js it carries. ``site``: the shared files
        a site-mode page links to instead of inlining them; ``head``: extra ``<head>`` markup
        (link-preview metadata)."""
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
                "labels_json": script_safe_json(chart_labels(lang)),
                "stylesheets": [],
                "script_files": [],
                "head_html": head,
            }
        }
        if site is not None and not deck:
            resources["parley"]["styles"] = []
            resources["parley"]["stylesheets"] = [site.stylesheet]
            resources["parley"]["scripts"] = []
            resources["parley"]["script_files"] = site.scripts if types else []
        exporter = self.deck if deck else self.page
        body, _ = exporter.from_notebook_node(prepared.nb, resources=resources)
        if not deck:
            body = mark_languages(body, lang)
        return body, described


def index_html(contexts: list[Context], *, handouts: bool = False) -> str:
    """build/index.html: every deck (and its handout) and page, by language."""
    first = contexts[0]
    sections = []
    for ctx in contexts:
        items = []
        if ctx.deck:
            deck = f"{ctx.deck.title} ({SLIDES[ctx.lang]})"
            link = f'<a href="{ctx.lang}/{escape(ctx.deck.file)}">{escape(deck)}</a>'
            if handouts:
                pdf = f"{Path(DECK_NOTEBOOK).stem}.pdf"
                link += f' · <a href="{ctx.lang}/{escape(pdf)}">{escape(HANDOUT[ctx.lang])}</a>'
            items.append(f"<li>{link}</li>")
        items += [
            f'<li><a href="{ctx.lang}/{escape(p.file)}">{escape(p.title)}</a></li>'
            for p in ctx.pages
        ]
        sections.append(
            f'<section lang="{ctx.lang}"><h2>{escape(LANG_NAMES[ctx.lang])}</h2>'
            f"<ul>{''.join(items)}</ul></section>"
        )
    styles = "".join(f"<style>{style_safe_css(s)}</style>" for s in page_assets(set())[0])
    return (
        f'<!DOCTYPE html>\n<html lang="{first.lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>parley</title>{styles}</head>'
        f'<body class="parley-page"><main class="parley-main"><h1>parley</h1>'
        f"{''.join(sections)}</main>"
        f'<div class="parley-stamp" role="contentinfo">parley · build {escape(first.build)} · '
        f"as of {escape(first.as_of)}</div></body></html>\n"
    )
