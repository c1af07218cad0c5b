"""The explorer's logic, free of widgets: filters, bilingual search, shareable codes.

A :class:`Filter` is what the reader chose; :func:`filter_events` applies it to the
events table; :meth:`Filter.code` turns it into a short text that reopens the same view.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import unicodedata
import zlib
from dataclasses import asdict, dataclass, field, fields
from urllib.parse import quote, unquote

import pandas as pd

CODE_PREFIX = "p1."  # versioned so a future format can still read old codes


class BadCode(ValueError):
    """A share code that cannot be read."""


# The search normalisation, specified once and implemented twice: here and in the page
# explorer (publish/templates/parley_assets/explorer.js, ``normalise``). tests/cases/
# explorer.yaml runs the same cases against both.
#   1. Unicode NFKC: full-width latin and digits become ASCII (ＮＡＴＯ → NATO), half-width
#      katakana becomes full-width (ﾛｼｱ → ロシア), the ideographic space a plain space.
#   2. Lower-case with the Unicode default mapping (Python ``str.lower``, JS
#      ``toLowerCase``; not ``casefold``, which JS lacks: ß stays ß).
#   3. Katakana folds to hiragana (U+30A1–U+30F6 → U+3041–U+3096), so ロシア finds ろしあ
#      and the reverse; the long-vowel mark ー and the middle dot ・ stay.
# A query is split into words at ASCII whitespace (after step 1, which maps the other
# spaces to U+0020); an event matches when its texts contain every word.
_KATAKANA = re.compile("[\u30a1-\u30f6]")
WORD_BREAK = re.compile("[ \t\n\r\f\v]+")


def normalise(text: str) -> str:
    """Fold width, case and kana so ＮＡＴＯ finds NATO and ﾛｼｱ or ろしあ find ロシア."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return _KATAKANA.sub(lambda m: chr(ord(m.group()) - 0x60), folded)


def query_words(query: str) -> list[str]:
    """The normalised words of a search (empty: the search keeps every event)."""
    return [w for w in WORD_BREAK.split(normalise(query)) if w]


@dataclass(frozen=True)
class Filter:
    sides: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    query: str = ""
    selected: str | None = None  # the event whose details card is open
    verification: tuple[str, ...] = field(default=())

    def code(self) -> str:
        """A short, URL-safe code for this view."""
        data = {k: v for k, v in asdict(self).items() if v not in ((), None, "")}
        for key in ("start", "end"):
            if key in data:
                data[key] = data[key].isoformat()
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        packed = base64.urlsafe_b64encode(zlib.compress(raw.encode("utf-8"), 9))
        return CODE_PREFIX + packed.decode("ascii").rstrip("=")

    @classmethod
    def from_code(cls, code: str) -> Filter:
        code = code.strip()
        if "explore=" in code:  # a whole link was pasted
            code = code.split("explore=", 1)[1].split("&", 1)[0]
        if not code.startswith(CODE_PREFIX):
            raise BadCode("not a parley explorer code (it should start with 'p1.')")
        body = code[len(CODE_PREFIX) :]
        try:
            raw = zlib.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            data = json.loads(raw.decode("utf-8"))
        except (binascii.Error, zlib.error, ValueError, UnicodeDecodeError):
            raise BadCode("the code is damaged or incomplete") from None
        if not isinstance(data, dict):
            raise BadCode("the code is damaged or incomplete")
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, object] = {}
        for key, value in data.items():
            if key not in known:
                raise BadCode(f"the code names an unknown setting {key!r}")
            if key in ("start", "end"):
                try:
                    value = dt.date.fromisoformat(str(value))
                except ValueError:
                    raise BadCode(f"the code has a bad date {value!r}") from None
            elif key in ("query", "selected"):
                value = str(value)
            else:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise BadCode(f"the code has a bad {key!r} setting")
                value = tuple(value)
            kwargs[key] = value
        return cls(**kwargs)  # type: ignore[arg-type]


# A view as a human-readable URL fragment (``02-timeline.html#side=us&q=ceasefire``), read
# and written identically by the page explorer (explorer.js ``toFragment``/``fromFragment``):
# keys in this order, lists joined by commas, values percent-encoded as JS's
# encodeURIComponent does. ``share=<code>`` opens a share code; ``event=<id>`` one event.
FRAGMENT_KEYS: tuple[tuple[str, str], ...] = (
    ("side", "sides"),
    ("kind", "kinds"),
    ("issue", "issues"),
    ("actor", "actors"),
    ("ver", "verification"),
    ("from", "start"),
    ("to", "end"),
    ("q", "query"),
    ("event", "selected"),
)
_URI_SAFE = "-_.!~*'()"  # what encodeURIComponent leaves as it is
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # the only date form a link may carry
PAGE = "02-timeline.html"  # the exported page that holds the explorer


def fragment(flt: Filter) -> str:
    """The view as ``key=value&…`` (without '#'); empty for the unfiltered view."""
    parts = []
    for key, name in FRAGMENT_KEYS:
        value = getattr(flt, name)
        if value in ((), None, ""):
            continue
        if isinstance(value, tuple):
            text = ",".join(value)
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = str(value)
        parts.append(f"{key}={quote(text, safe=_URI_SAFE + ',')}")
    return "&".join(parts)


def page_link(flt: Filter) -> str:
    """The exported page's link to this view, relative to a page of the same language."""
    frag = fragment(flt)
    return PAGE + (f"#{frag}" if frag else "")


def from_fragment(text: str) -> Filter:
    """The view a fragment names (a leading '#' is fine); unknown keys and bad dates are
    left out, as the page does, so a hand-edited link still opens what it can."""
    if text.startswith("#"):
        text = text[1:]
    names = dict(FRAGMENT_KEYS)
    kwargs: dict[str, object] = {}
    for part in text.split("&"):
        key, sep, raw = part.partition("=")
        if not sep or key not in names:
            continue
        value = unquote(raw)
        name = names[key]
        if name in ("start", "end"):
            if not _ISO_DAY.fullmatch(value):
                continue
            try:
                kwargs[name] = dt.date.fromisoformat(value)
            except ValueError:
                continue
        elif name in ("query", "selected"):
            if value:
                kwargs[name] = value
        else:
            kwargs[name] = tuple(v for v in value.split(",") if v)
    return Filter(**kwargs)  # type: ignore[arg-type]


# The texts a search looks in, both languages, plus the id (so a pasted id finds its event).
SEARCH_COLUMNS: tuple[str, ...] = (
    "title_ja",
    "title_en",
    "summary_ja",
    "summary_en",
    "place_ja",
    "place_en",
    "framing_note_ja",
    "framing_note_en",
    "id",
)


def search_haystack(events: pd.DataFrame) -> pd.Series:
    """Each event's searchable texts joined and normalised, aligned with ``events``.

    Joining and NFKC-folding nine columns grows with the story, so a widget builds this
    once per events table and passes it to :func:`search_mask` on every keystroke.
    """
    cols = [events[c].astype(str).tolist() for c in SEARCH_COLUMNS if c in events.columns]
    # Plain lists, not DataFrame.agg(axis=1): same strings, without a Series per row.
    joined = [normalise(" ".join(texts)) for texts in zip(*cols, strict=True)]
    return pd.Series(joined, index=events.index)


def search_mask(events: pd.DataFrame, query: str, haystack: pd.Series | None = None) -> pd.Series:
    """Events whose title, summary, place or framing note contains every word, in ja or en.

    ``haystack`` is :func:`search_haystack` of ``events``, when the caller keeps one.
    """
    words = query_words(query)
    if not words:
        return pd.Series(True, index=events.index)
    if haystack is None:
        haystack = search_haystack(events)
    mask = pd.Series(True, index=events.index)
    for word in words:
        mask &= haystack.str.contains(word, regex=False)
    return mask


def filter_events(
    events: pd.DataFrame, flt: Filter, haystack: pd.Series | None = None
) -> pd.DataFrame:
    """The events the filter keeps, in date order (``haystack``: see :func:`search_mask`)."""
    return events[filter_mask(events, flt, haystack)]


def filter_mask(events: pd.DataFrame, flt: Filter, haystack: pd.Series | None = None) -> pd.Series:
    """True for each event the filter keeps, aligned with ``events``."""
    mask = pd.Series(True, index=events.index)
    if flt.sides:
        mask &= events["side"].isin(flt.sides)
    if flt.kinds:
        mask &= events["kind"].isin(flt.kinds)
    if flt.verification:
        mask &= events["verification"].isin(flt.verification)
    if flt.actors:
        wanted = set(flt.actors)
        mask &= events["actors"].map(lambda a: bool(wanted.intersection(a)))
    if flt.issues:
        wanted_issues = set(flt.issues)
        mask &= events["issues"].map(lambda i: bool(wanted_issues.intersection(i)))
    if flt.start is not None:
        # An event that ends on or after the start still overlaps the window.
        last = events["end_date"].fillna(events["date"])
        mask &= last >= pd.Timestamp(flt.start)
    if flt.end is not None:
        mask &= events["date"] <= pd.Timestamp(flt.end)
    if flt.query:
        mask &= search_mask(events, flt.query, haystack)
    return mask
