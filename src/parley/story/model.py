"""The content model: one pydantic model per entity type in ``data/``, and the whole story.

Built from :mod:`parley.story.fields` (text pairs, slugs, dates, URLs). Cross-references
between files are checked in :mod:`parley.story.validate`, not here, because they need the
whole story.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, model_validator

from parley.story.fields import (
    Colour,
    Count,
    Date,
    Entry,
    Group,
    NonEmpty,
    OfferStatus,
    PairWaivers,
    Slug,
    SourceIds,
    Strict,
    Text,
    Url,
    Verification,
    VoteChoice,
)

# --- sources.yaml -----------------------------------------------------------------------


class Source(Entry):
    """A publication cited by other entries (owid/etl-style origin metadata)."""

    publisher: NonEmpty = Field(description="Who published it, e.g. `Reuters`.")
    title: NonEmpty = Field(description="The title as published, in its own language.")
    url: Url | None = Field(None, description="Where it is; only a `seed` source may omit it.")
    published: Date | None = Field(None, description="Publication date as the source states it.")
    accessed: Date | None = None
    archive_url: Url | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = Field(
        description="ISO 639-1 code of the source's language, e.g. `en`, `ja`."
    )
    kind: Literal["primary", "wire", "news", "analysis", "aggregator", "seed"] = Field(
        description="primary (official readouts, UN records) > wire > news > analysis > aggregator."
    )
    note: Text | None = None
    url_kept: bool = Field(
        False,
        description="The URL is on a mirror-looking host because no copy at the publisher's "
        "own address was found; `note` must say so (the warning is then reported as waived).",
    )

    @model_validator(mode="after")
    def _seed_only_may_lack_url(self) -> Source:
        if self.url_kept and self.note is None:
            raise ValueError("note: say why the URL is kept (required with url_kept)")
        if self.kind != "seed":
            if self.url is None:
                raise ValueError("url: required for every source except kind `seed`")
            if self.published is None:
                raise ValueError("published: required for every source except kind `seed`")
        return self


# --- actors.yaml ------------------------------------------------------------------------


class Role(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    role: Text
    from_: Date | None = Field(None, alias="from", description="First day in the role.")
    to: Date | None = Field(None, description="Last day in the role; omitted while ongoing.")


class Actor(Entry):
    kind: Literal["state", "person", "organisation"]
    name: Text
    group: Group
    roles: list[Role] = Field(default_factory=list)
    sources: list[Slug] = Field(default_factory=list)
    variants: list[NonEmpty] = Field(
        default_factory=list,
        description="Known other spellings of the name (e.g. ウィットコフ); an error wherever "
        "they appear in reader-facing text. `name` is the canonical form.",
    )

    def role_on(self, day: dt.date) -> Role | None:
        """The role held on ``day`` (the latest one started by then), if any."""
        held = [
            r
            for r in self.roles
            if (r.from_ is None or r.from_ <= day) and (r.to is None or day <= r.to)
        ]
        return held[-1] if held else None


# --- issues.yaml ------------------------------------------------------------------------


class Scale(Strict):
    min: float
    max: float
    min_label: Text
    max_label: Text

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.max > self.min:
            raise ValueError("max: must be greater than min")
        return self

    def __contains__(self, value: float) -> bool:
        return self.min <= value <= self.max


class Issue(Entry):
    title: Text
    question: Text
    scale: Scale


# --- events.yaml ------------------------------------------------------------------------


class Account(Strict):
    """One of several differing accounts of the same event, with its own sources."""

    text: Text
    sources: SourceIds


class Event(Entry):
    date: Date = Field(description="When it happened (local date where it happened).")
    end_date: Date | None = None
    kind: Literal[
        "call",
        "meeting",
        "talks",
        "vote",
        "statement",
        "visit",
        "agreement",
        "sanction",
        "military",
        "aid",
        "ceasefire",
        "other",
    ]
    place: Text | None = None
    title: Text
    summary: Text
    actors: list[Slug] = Field(default_factory=list)
    issues: list[Slug] = Field(default_factory=list)
    sources: SourceIds
    importance: Annotated[StrictInt, Field(ge=1, le=3)] = 2
    verification: Verification = "verified"
    accounts: list[Account] = Field(default_factory=list)
    framing_note: Text | None = None


# --- positions.yaml ---------------------------------------------------------------------


class RedLine(Strict):
    text: Text
    at: float


class Position(Entry):
    actor: Slug
    issue: Slug
    as_of: Date
    stance: float
    acceptable: tuple[float, float] | None = None
    red_line: RedLine | None = None
    statement: Text
    sources: SourceIds
    verification: Verification = "verified"

    @model_validator(mode="after")
    def _range_ordered(self) -> Position:
        if self.acceptable is not None and self.acceptable[0] > self.acceptable[1]:
            raise ValueError("acceptable: low must not exceed high")
        return self


# --- votes.yaml -------------------------------------------------------------------------


class Counts(Strict):
    in_favour: Count
    against: Count
    abstain: Count
    absent: Count | None = None


class Vote(Entry):
    body: Literal["unga", "unsc"]
    resolution: NonEmpty
    date: Date
    title: Text
    summary: Text | None = None
    sponsors: list[Slug] = Field(default_factory=list)
    counts: Counts
    notable: dict[Slug, VoteChoice] = Field(default_factory=dict)
    sources: SourceIds


# --- offers.yaml ------------------------------------------------------------------------


class OfferStep(Strict):
    date: Date
    status: OfferStatus
    note: Text | None = None
    sources: SourceIds


class OfferPoint(Strict):
    """What one version of a proposal says on one issue, with its own sources."""

    issue: Slug
    text: Text
    sources: SourceIds


class Offer(Entry):
    sector: Slug
    from_: Slug = Field(alias="from")
    to: Slug
    title: Text
    summary: Text
    supersedes: Slug | None = Field(
        None, description="The offer id of the earlier version this one replaced."
    )
    points: list[OfferPoint] = Field(
        default_factory=list, description="What this version says on each issue, sourced."
    )
    history: Annotated[list[OfferStep], Field(min_length=1)]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def date(self) -> dt.date:
        return self.history[0].date

    @property
    def status(self) -> OfferStatus:
        return self.history[-1].status

    @property
    def sources(self) -> list[str]:
        steps = [s for step in self.history for s in step.sources]
        return list(dict.fromkeys(steps + [s for pt in self.points for s in pt.sources]))


# --- voices.yaml ------------------------------------------------------------------------


class Voice(Entry):
    # article_comment: the reader and net comments printed in the original article, which
    # cannot be sourced beyond it; shown as such, never as what people say online.
    kind: Literal["analysis", "public_reaction", "official_statement", "article_comment"]
    speaker: Text
    actor: Slug | None = None
    date: Date | None = None
    text: Text
    responds_to: list[Slug] = Field(default_factory=list)
    sources: SourceIds


# --- scenarios.yaml ---------------------------------------------------------------------


class ScenarioBasis(Strict):
    """Why a scenario's outcome on one issue sits where it does, with its own sources."""

    issue: Slug
    text: Text
    sources: SourceIds


class Scenario(Entry):
    title: Text
    description: Text
    outcomes: dict[Slug, float]
    sources: SourceIds
    basis: list[ScenarioBasis] = Field(
        default_factory=list,
        description="Per issue: what the scenario's outcome rests on (e.g. a plan's point), "
        "sourced point by point.",
    )


# --- glossary.yaml, changes.yaml --------------------------------------------------------


class Term(Entry):
    term: Text
    definition: Text
    sources: list[Slug] = Field(default_factory=list)
    variants: list[NonEmpty] = Field(
        default_factory=list,
        description="Known other spellings of the term; an error in reader-facing text.",
    )


class Change(Entry):
    date: Date
    text: Text


# --- story.yaml -------------------------------------------------------------------------


class SpeakerNote(Strict):
    """What a presenter says over a slide: what it shows, the point to make, the one
    number worth saying; ``sources`` back that number (the deck cites them by number)."""

    text: Text
    sources: SourceIds


class Chapter(Entry):
    title: Text
    question: Text
    answer: Text
    key_points: list[Text] = Field(default_factory=list)
    figures: list[Slug] = Field(default_factory=list)
    notes: Text | None = None
    figure_notes: dict[Slug, SpeakerNote] = Field(
        default_factory=dict,
        description="Speaker notes for the chapter's figures, keyed by figure id (one of "
        "`figures`): shown in the deck's speaker view and under the slide in the handout.",
    )
    key_points_notes: SpeakerNote | None = Field(
        None, description="Speaker notes for the slide of the chapter's key points."
    )


class Side(Strict):
    """One side of the negotiation: its id (an actor's `group`), names and colour."""

    id: Slug
    name: Text
    colour: Colour = Field(
        description="Marker colour: at least 3:1 contrast on the chart background "
        "(WCAG 1.4.11) unless `outline` gives it; every pair of sides at least ΔE00 10 apart "
        "under simulated protanopia, deuteranopia and tritanopia (`parley validate` checks)."
    )
    outline: Colour | None = Field(
        None,
        description="A darker edge drawn round the side's markers, for a `colour` lighter "
        "than 3:1 on the chart background; then the outline must reach 3:1.",
    )


class StoryMeta(Strict):
    title: Text
    subtitle: Text | None = None
    as_of: Date = Field(description="The date the content is current to.")
    languages: list[Literal["ja", "en"]] = Field(default_factory=lambda: ["ja", "en"])
    methods: Text
    takeaways: list[Text] = Field(
        default_factory=list,
        description="The original article's own closing points; shown attributed to it.",
    )
    sides: Annotated[list[Side], Field(min_length=2)] = Field(
        description="The sides of the negotiation, in the order charts and legends show them."
    )
    stance_axis: Text | None = Field(
        None,
        description="The title of every stance axis (what 0 and the top of the scales "
        "mean for this story); a plain 'Stance' when omitted.",
    )
    sectors: dict[Slug, Text] = Field(
        default_factory=dict,
        description="The name of each offer `sector` id used in offers.yaml; an id without "
        "one is shown as written.",
    )
    called_out: list[Slug] = Field(
        default_factory=list,
        description="Actor ids whose vote the UN-votes chart names beside each resolution "
        "(when votes.yaml records it under `notable`).",
    )
    chapters: Annotated[list[Chapter], Field(min_length=1)]
    title_notes: SpeakerNote | None = Field(
        None, description="Speaker notes for the deck's title slide."
    )
    takeaways_notes: SpeakerNote | None = Field(
        None, description="Speaker notes for the slide of the takeaways."
    )
    pair_checked: PairWaivers = Field(default_factory=dict)


class Story(Strict):
    """The whole validated story: the meta from story.yaml and every entity list."""

    meta: StoryMeta
    sources: list[Source] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    votes: list[Vote] = Field(default_factory=list)
    offers: list[Offer] = Field(default_factory=list)
    voices: list[Voice] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)
    glossary: list[Term] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)

    def index(self, kind: str) -> dict[str, BaseModel]:
        return {e.id: e for e in getattr(self, kind)}


# One file per entity type: file name -> (Story field, entry model). story.yaml is separate.
ENTITY_FILES: dict[str, tuple[str, type[Entry]]] = {
    "sources.yaml": ("sources", Source),
    "actors.yaml": ("actors", Actor),
    "issues.yaml": ("issues", Issue),
    "events.yaml": ("events", Event),
    "positions.yaml": ("positions", Position),
    "votes.yaml": ("votes", Vote),
    "offers.yaml": ("offers", Offer),
    "voices.yaml": ("voices", Voice),
    "scenarios.yaml": ("scenarios", Scenario),
    "glossary.yaml": ("glossary", Term),
    "changes.yaml": ("changes", Change),
}
REQUIRED_FILES: tuple[str, ...] = ("story.yaml", "sources.yaml", "actors.yaml", "events.yaml")
