"""The figure registry: each figure id a chapter may name → how to build it from the story.

Builders are pure: (story tables, as_of, lang, variant) → a plotly figure (its JSON, as a
dict) or an HTML string. The variant says where the chart is shown ("page", "phone",
"slides", see :data:`parley.charts.plot.Variant`); HTML figures and charts with one layout
for all ignore it. The widget ids ("explorer", "scenario-builder") map to their kernel-free
charts, which is what static exports and slides show in a widget's place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from parley.charts import positions, zone
from parley.charts.common import legible
from parley.charts.economy import economy
from parley.charts.plot import VARIANTS, Plot, Variant, to_plain
from parley.charts.scenarios import scenarios
from parley.charts.timeline import timeline
from parley.charts.voices import voices
from parley.charts.votes import un_votes
from parley.story.fields import FIGURES
from parley.story.model import Story
from parley.tables.frames import Tables
from parley.views import reference as tables_view

Builder = Callable[[Tables, pd.Timestamp, str, Variant], Plot | str]


@dataclass(frozen=True)
class FigureSpec:
    builder: Builder
    description: str | None  # i18n label key of the text shown beside the chart
    cites: str | None  # the Story list whose sources the figure shows
    # The builder for exports (pages and decks), when it differs: there the page's own
    # elements (the event list and its cards) carry what the live chart's hovers must.
    exported: Builder | None = None

    def build(
        self,
        t: Tables,
        as_of: pd.Timestamp,
        lang: str,
        variant: Variant = "page",
        *,
        exported: bool = False,
    ) -> Plot | str:
        """The figure in ``lang`` laid out for ``variant`` (``exported``: for a page or
        deck); a variant other than the page's has no text smaller than its own size
        (:func:`parley.charts.common.legible`)."""
        if variant not in VARIANTS:
            raise ValueError(f"unknown chart variant {variant!r}; known: {', '.join(VARIANTS)}")
        builder = (self.exported or self.builder) if exported else self.builder
        made = builder(t, as_of, lang, variant)
        if isinstance(made, str) or variant == "page":
            return made
        return legible(made, variant)

    def variants(self, t: Tables, as_of: pd.Timestamp, lang: str) -> dict[Variant, Plot | str]:
        """Every variant of the figure that differs from the page's, the page's first, as
        exports show them."""
        page = self.build(t, as_of, lang, exported=True)
        out: dict[Variant, Plot | str] = {"page": page}
        for variant in VARIANTS[1:]:
            made = self.build(t, as_of, lang, variant, exported=True)
            if isinstance(made, str) or isinstance(page, str):
                differs = made != page
            else:  # plots hold numpy arrays: compared as the JSON they become
                differs = to_plain(made) != to_plain(page)
            if differs:
                out[variant] = made
        return out


def _timeline(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> Plot:
    return timeline(t["events"], t["sources"], lang, sides=t["sides"], variant=variant)


def _timeline_exported(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> Plot:
    return timeline(
        t["events"], t["sources"], lang, sides=t["sides"], variant=variant, hover="brief"
    )


def _position_map(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> Plot:
    start = t["events"]["date"].min() if len(t["events"]) else None
    return positions.position_map(
        t["positions"],
        t["issues"],
        t["actors"],
        t["sources"],
        as_of,
        lang,
        start,
        sides=t["sides"],
        variant=variant,
    )


def _trajectories(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> Plot:
    return positions.trajectories(
        t["positions"],
        t["issues"],
        t["actors"],
        t["sources"],
        as_of,
        lang,
        sides=t["sides"],
        variant=variant,
    )


def _zone(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> Plot:
    return zone.zone_of_agreement(
        t["positions"], t["issues"], as_of, lang, sides=t["sides"], variant=variant
    )


def _votes(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> Plot:
    return un_votes(t["votes"], t["sources"], lang, actors=t["actors"], variant=variant)


def _economy(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> Plot:
    return economy(t["offers"], t["actors"], t["sources"], lang, sides=t["sides"], variant=variant)


def _voices(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> Plot:
    return voices(t["voices"], t["events"], t["sources"], lang, variant=variant)


def _scenarios(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> Plot:
    return scenarios(
        t["scenarios"], t["positions"], t["issues"], as_of, lang, sides=t["sides"], variant=variant
    )


def _whos_who(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> str:
    return tables_view.whos_who(t["actors"], lang, sides=t["sides"])


def _glossary(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> str:
    return tables_view.glossary(t["glossary"], lang)


def _plan_versions(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> str:
    return tables_view.plan_versions(t["offer_points"], t["issues"], t["sources"], lang)


def _changes(t: Tables, as_of: pd.Timestamp, lang: str, variant: Variant) -> str:
    return tables_view.changes(t["changes"], f"{as_of:%Y-%m-%d}", lang)


REGISTRY: dict[str, FigureSpec] = {
    "timeline": FigureSpec(_timeline, "timeline_desc", "events", _timeline_exported),
    "explorer": FigureSpec(_timeline, "timeline_desc", "events", _timeline_exported),
    "position-map": FigureSpec(_position_map, "position_map_desc", "positions"),
    "trajectories": FigureSpec(_trajectories, "trajectories_desc", "positions"),
    "zone-of-agreement": FigureSpec(_zone, "zone_desc", "positions"),
    "un-votes": FigureSpec(_votes, "votes_desc", "votes"),
    "economy": FigureSpec(_economy, "economy_desc", "offers"),
    "plan-versions": FigureSpec(_plan_versions, None, "offers"),
    "voices": FigureSpec(_voices, "voices_desc", "voices"),
    "scenario-builder": FigureSpec(_scenarios, "scenarios_desc", "scenarios"),
    "whos-who": FigureSpec(_whos_who, None, "actors"),
    "glossary": FigureSpec(_glossary, None, "glossary"),
    "changes": FigureSpec(_changes, None, None),
}
assert set(REGISTRY) == set(FIGURES), "every figure id in the model has a builder"


def cited_sources(story: Story, figure_ids: list[str]) -> list[str]:
    """Source ids behind the entries the given figures show, in first-cited order."""
    out: list[str] = []
    for fig in figure_ids:
        kind = REGISTRY[fig].cites
        if kind is None:
            continue
        for entry in getattr(story, kind):
            out.extend(entry.sources)
    return list(dict.fromkeys(out))
