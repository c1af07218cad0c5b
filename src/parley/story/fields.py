"""The content model's building blocks: text pairs, slugs, dates, URLs, sides, figure ids.

Every model forbids unknown fields (a typo is an error), every human text is a
:class:`Text` with both ``ja`` and ``en``, ids are lowercase slugs and dates are real
calendar dates written ``YYYY-MM-DD``. The entities built from these are in
:mod:`parley.story.model`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_date(value: object) -> object:
    # YAML is read without implicit timestamps, so dates arrive as text; refuse numbers and
    # other spellings that pydantic would otherwise coerce (e.g. an int read as a Unix time).
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None


_SPACE_RE = re.compile(r"\s")  # the characters str.isspace() accepts, found in one C pass


_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING_RE = re.compile(r"(?:^|&)(?:utm_[^=&]*|fbclid|gclid)(?:=|&|$)", re.IGNORECASE)


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or _SPACE_RE.search(value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{value!r} has an invalid port") from None
    if port is not None and port == _DEFAULT_PORTS[parts.scheme]:
        raise ValueError(f"{value!r} names the default port :{port}; drop it")
    hostname = parts.hostname or ""
    if hostname.endswith("."):
        raise ValueError(f"{value!r} has a trailing dot after the host name; drop it")
    if _TRACKING_RE.search(parts.query):
        raise ValueError(f"{value!r} carries tracking parameters (utm_*, fbclid, gclid); drop them")
    return value


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_RE.pattern, max_length=120),
    Field(
        description="Lowercase slug: letters, digits and single hyphens, e.g. `trump-putin-call`."
    ),
]
Date = Annotated[dt.date, BeforeValidator(_parse_date), Field(description="Date, YYYY-MM-DD.")]
Url = Annotated[str, AfterValidator(_check_url), Field(description="An http(s) URL.")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False)]
Count = Annotated[StrictInt, Field(ge=0, description="A whole number of states, 0 or more.")]
SourceIds = Annotated[
    list[Slug],
    Field(min_length=1, description="Ids of entries in sources.yaml; at least one."),
]

# The sides of a negotiation are the story's own (story.yaml `sides`); an actor's group is
# one of them or one of these generic groups, shown after the sides in every chart.
GENERIC_GROUPS: tuple[str, ...] = ("international", "other")
Group = Annotated[
    str,
    StringConstraints(pattern=SLUG_RE.pattern, max_length=120),
    Field(
        description="The side an actor belongs to: the id of one of the `sides` in "
        "story.yaml, or `international` or `other`."
    ),
]
Colour = Annotated[
    str,
    StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"),
    Field(description="A colour written #RRGGBB."),
]
Verification = Literal["verified", "unverified", "disputed"]
VoteChoice = Literal["in_favour", "against", "abstain", "absent"]
OfferStatus = Literal["floated", "discussed", "agreed", "signed", "expired", "rejected"]

# Chart and widget ids a chapter may name in `figures`; the notebooks and exports render them.
FIGURES: tuple[str, ...] = (
    "timeline",
    "position-map",
    "trajectories",
    "zone-of-agreement",
    "un-votes",
    "economy",
    "plan-versions",
    "voices",
    "whos-who",
    "glossary",
    "changes",
    "explorer",
    "scenario-builder",
)


class Strict(BaseModel):
    """Base for every content model: unknown fields are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both languages. Markup-like characters are legal content; it is shown escaped."""

    ja: NonEmpty = Field(description="Japanese text.")
    en: NonEmpty = Field(description="English text.")

    def __call__(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


PairWaivers = Annotated[
    dict[str, NonEmpty],
    Field(
        description="Text fields (e.g. `summary`, `accounts.0.text`) whose ja/en pair was read "
        "and legitimately differs in the numbers, dates or people the pair check compares: "
        "field → the reason. Reported by `parley validate`."
    ),
]


class Entry(Strict):
    id: Slug
    pair_checked: PairWaivers = Field(default_factory=dict)
