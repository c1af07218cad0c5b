"""Editorial checks over the reader-facing text of a whole story.

Errors: a known variant spelling of a name (the canonical form is the actor's ``name`` or the
glossary ``term``; variants are listed in the data), a word of the project's own vocabulary in
reader text, a typed as-of date in story-level text (the as-of is rendered from
``story.as_of``), a pair waiver that names no text field. Warnings: a source URL on a host that
looks like a mirror, CDN or feed redirector; a Japanese/English pair whose numbers, dates or
named people differ (:mod:`parley.story.pairs`), unless the entry waives that field in
``pair_checked`` with a reason (reported as ``waived``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from parley.story import pairs
from parley.story.fields import Text
from parley.story.model import ENTITY_FILES, Story
from parley.story.parsed import Parsed
from parley.story.problems import Problem

Path_ = tuple[str | int, ...]

# Words of the project's own vocabulary that must never reach a reader.
INTERNAL_WORDS = re.compile(r"\bseed\b|seed記事|シード記事", re.IGNORECASE)
_INTERNAL_SCREEN = ("seed", "シード記事")  # every INTERNAL_WORDS match contains one of these

_MONTH_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
# A typed "as of <date>": the story's as-of is shown from story.as_of instead.
TYPED_AS_OF = re.compile(
    r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|末|初め|初旬|上旬|中旬|下旬|半ば)?の?時点"
    r"|\d{4}年(?:末|初め|半ば)?の?時点"
    r"|\bas of (?:the )?(?:(?:end|early|mid|late|start|beginning)[- ](?:of )?)?"
    rf"(?:\d{{1,2}} )?(?:{_MONTH_EN}|\d{{4}})",
    re.IGNORECASE,
)
# Hosts that look like a mirror, a staging or CDN host, or a feed redirector.
MIRROR_HOST = re.compile(
    r"(?:^|[.-])(?:stage|staging|cdn|azrcdn|img\d*-azrcdn)[.-]|-prod\.|azrcdn|service-rc\."
    r"|^feedpress\.me$|^feedproxy\.|^feeds\.|^rss\."
)


_LEAVES = (str, int, float, bool, dt.date)


def texts(obj: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Text]]:
    """Every :class:`Text` inside a model, with its path (field names and list indexes)."""
    if isinstance(obj, Text):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if value is None or isinstance(value, _LEAVES) or not value:
                continue
            # Lists of ids and maps of numbers hold no text: not walked item by item.
            if isinstance(value, list | tuple) and isinstance(value[0], _LEAVES):
                continue
            if isinstance(value, dict) and isinstance(next(iter(value.values())), _LEAVES):
                continue
            key = "from" if name == "from_" else name
            yield from texts(value, (*path, key))
    elif isinstance(obj, list | tuple):
        for i, item in enumerate(obj):
            yield from texts(item, (*path, i))
    elif isinstance(obj, dict):
        for k, item in obj.items():
            yield from texts(item, (*path, k))


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


class _Where:
    """Where a text lives: its file, entry, line, and the entry's pair waivers."""

    def __init__(
        self,
        file: str,
        entry: str,
        line: Callable[[Path_], int | None],
        waivers: dict[str, str],
        story_level: bool,
    ) -> None:
        self.file, self.entry, self.line = file, entry, line
        self.waivers, self.story_level = waivers, story_level


def _all_texts(
    story: Story, files: dict[str, Parsed], story_file: Parsed
) -> Iterator[tuple[_Where, Path_, Text]]:
    for attr_file, (attr, _model) in ENTITY_FILES.items():
        if attr == "sources":
            continue  # titles as published and notes about them, not the explainer's prose
        parsed = files[attr]
        for entry in getattr(story, attr):

            def line(p: Path_, _id: str = entry.id, _parsed: Parsed = parsed) -> int | None:
                return _parsed.line(_id, *p)

            where = _Where(attr_file, entry.id, line, dict(entry.pair_checked), False)
            for path, text in texts(entry):
                yield where, path, text
    loc = story_file.located
    meta = story.meta
    for k, ch in enumerate(meta.chapters):

        def ch_line(p: Path_, _k: int = k) -> int | None:
            return loc.line_of(("chapters", _k, *p)) if loc else None

        where = _Where("story.yaml", ch.id, ch_line, dict(ch.pair_checked), True)
        for path, text in texts(ch):
            yield where, path, text

    def meta_line(p: Path_) -> int | None:
        return loc.line_of(p) if loc else None

    where = _Where("story.yaml", "story", meta_line, dict(meta.pair_checked), True)
    for name in ("title", "subtitle", "methods", "takeaways"):
        for path, text in texts(getattr(meta, name), (name,)):
            yield where, path, text


def _variant_table(story: Story) -> list[tuple[str, str]]:
    """(variant, what to write instead) for every listed variant."""
    out = []
    for a in story.actors:
        for v in a.variants:
            out.append((v, f"actor {a.id!r}: {a.name.ja} / {a.name.en}"))
    for t in story.glossary:
        for v in t.variants:
            out.append((v, f"glossary term {t.id!r}: {t.term.ja} / {t.term.en}"))
    return out


def check(
    story: Story, files: dict[str, Parsed], story_file: Parsed, *, warnings: bool = True
) -> list[Problem]:
    """Every editorial problem; with ``warnings=False`` only those that are errors."""
    out: list[Problem] = []
    variants = _variant_table(story)
    variant_re = (
        re.compile("|".join(re.escape(v) for v, _ in sorted(variants, key=lambda x: -len(x[0]))))
        if variants
        else None
    )
    canonical = dict(variants)
    people = [
        pairs.person_forms(a.id, a.name.ja, a.name.en) for a in story.actors if a.kind == "person"
    ]

    # A variant must not be (part of) the canonical form it stands for.
    for kind, entries in (("actors", story.actors), ("glossary", story.glossary)):
        for entry in entries:
            name = entry.name if kind == "actors" else entry.term  # type: ignore[attr-defined]
            for i, v in enumerate(entry.variants):  # type: ignore[attr-defined]
                if v in name.ja or v in name.en:
                    out.append(
                        Problem(
                            files[kind].name,
                            files[kind].line(entry.id, "variants", i),
                            entry.id,
                            f"variants[{i}]",
                            f"{v!r} is part of the canonical form itself",
                        )
                    )

    items = list(_all_texts(story, files, story_file))
    # One pass over all the text first: a story without a variant or an internal word (the
    # usual case) then skips the per-text searches, which dominate a reader's load.
    blob = "\x00".join(f"{t.ja}\x00{t.en}" for _, _, t in items)
    lowered = blob.lower()  # a plain substring screen: the regex over all text is slower
    check_internal = any(word in lowered for word in _INTERNAL_SCREEN)
    check_variants = variant_re is not None and variant_re.search(blob) is not None
    pair_seen: dict[int, tuple[_Where, set[str]]] = {}  # one _Where per entry
    for where, path, text in items:
        field = _dotted(path)
        for lang in ("ja", "en"):
            if not (check_internal or check_variants or where.story_level):
                break
            s = text.ja if lang == "ja" else text.en
            found: list[str] = []
            if check_variants and where.file not in ("actors.yaml", "glossary.yaml"):
                found += [
                    f"{m.group(0)!r} is a variant spelling; use the canonical form "
                    f"({canonical[m.group(0)]})"
                    for m in variant_re.finditer(s)  # type: ignore[union-attr]
                ]
            m = INTERNAL_WORDS.search(s) if check_internal else None
            if m:
                found.append(
                    f"{m.group(0)!r} is the project's own word, not the reader's "
                    "(say 元記事 / the original article)"
                )
            m = TYPED_AS_OF.search(s) if where.story_level else None
            if m:
                found.append(
                    f"typed as-of date {m.group(0)!r}: the as-of is shown from "
                    "story.yaml's as_of; remove it from the text"
                )
            out.extend(
                Problem(where.file, where.line(path), where.entry, f"{field}.{lang}", message)
                for message in found
            )
        pair_seen.setdefault(id(where), (where, set()))[1].add(field)
        if not warnings:
            continue
        diffs = pairs.compare(text.ja, text.en, people)
        if diffs:
            reason = where.waivers.get(field)
            if reason is None:
                out.append(
                    Problem(
                        where.file,
                        where.line(path),
                        where.entry,
                        field,
                        "ja and en carry different facts (" + "; ".join(diffs) + "); "
                        "fix the pair, or waive it with a reason in pair_checked",
                        "warning",
                    )
                )
            else:
                out.append(
                    Problem(where.file, where.line(path), where.entry, field, reason, "waived")
                )
        elif field in where.waivers:
            out.append(
                Problem(
                    where.file,
                    where.line(("pair_checked", field)),
                    where.entry,
                    f"pair_checked.{field}",
                    "waiver no longer needed: the pair now carries the same facts",
                    "warning",
                )
            )
    # A waiver must name a text field of its entry.
    for where, seen in pair_seen.values():
        for field in where.waivers:
            if field not in seen:
                out.append(
                    Problem(
                        where.file,
                        where.line(("pair_checked", field)),
                        where.entry,
                        f"pair_checked.{field}",
                        "names no text field of this entry (e.g. summary, accounts.0.text)",
                    )
                )

    for src in story.sources:
        host = (urlsplit(src.url).hostname or "") if src.url and warnings else ""
        if host and MIRROR_HOST.search(host):
            out.append(
                Problem(
                    files["sources"].name,
                    files["sources"].line(src.id, "url"),
                    src.id,
                    "url",
                    f"host {host!r} kept: no copy at the publisher's own address (see note)"
                    if src.url_kept
                    else f"host {host!r} looks like a mirror, CDN or feed redirector; "
                    "cite the publisher's own address of the article (or set url_kept and "
                    "say why in note)",
                    "waived" if src.url_kept else "warning",
                )
            )
        m = INTERNAL_WORDS.search(src.publisher)
        if m:
            out.append(
                Problem(
                    files["sources"].name,
                    files["sources"].line(src.id, "publisher"),
                    src.id,
                    "publisher",
                    f"{m.group(0)!r} is the project's own word, not the reader's",
                )
            )
        if src.note is not None:
            for lang in ("ja", "en"):
                m = INTERNAL_WORDS.search(src.note(lang))
                if m:
                    out.append(
                        Problem(
                            files["sources"].name,
                            files["sources"].line(src.id, "note"),
                            src.id,
                            f"note.{lang}",
                            f"{m.group(0)!r} is the project's own word, not the reader's",
                        )
                    )
    return out
