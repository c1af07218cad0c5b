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

import pandas as pd

CODE_PREFIX = "p1."  # versioned so a future format can still read old codes


class BadCode(ValueError):
    """A share code that cannot be read."""


def normalise(text: str) -> str:
    """Fold width and case so ＮＡＴＯ finds NATO and カタカナ width variants match."""
    return unicodedata.normalize("NFKC", text).casefold()


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
    words = [w for w in re.split(r"\s+", normalise(query)) if w]
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
