"""The explorer and builder case table (tests/cases/explorer.yaml) against Python.

The same table runs against the exported pages' scripts in Chromium
(tests/browser/test_explorer.py): one behaviour, two implementations, one table.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from parley.story.load import load_story
from parley.tables import frames
from parley.tables.explore import (
    Filter,
    filter_events,
    fragment,
    from_fragment,
    normalise,
    page_link,
)
from parley.tables.settlement import closest_scenario, judge
from parley.views.builder import limits

ROOT = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load((ROOT / "tests" / "cases" / "explorer.yaml").read_text(encoding="utf-8"))


def to_filter(spec: dict[str, Any]) -> Filter:
    """A case's filter (lists, ISO dates) as a :class:`Filter`."""
    kwargs: dict[str, Any] = {}
    for key, value in spec.items():
        if key in ("start", "end"):
            kwargs[key] = dt.date.fromisoformat(value)
        elif isinstance(value, list):
            kwargs[key] = tuple(value)
        else:
            kwargs[key] = value
    return Filter(**kwargs)


@pytest.fixture(scope="module")
def story_tables() -> tuple[Any, frames.Tables]:
    story = load_story(ROOT / "data")
    return story, frames.build_tables(story)


def test_the_table_has_every_kind_of_case() -> None:
    assert {"normalise", "search", "filters", "fragments", "settlements"} <= set(CASES)
    on_a_line = [c for c in CASES["settlements"] if "exactly on" in c["name"]]
    assert on_a_line, "settlements exactly on a red line"


@pytest.mark.parametrize("case", CASES["normalise"], ids=lambda c: c["text"])
def test_normalise(case: dict[str, str]) -> None:
    assert normalise(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", CASES["search"], ids=lambda c: c["name"])
def test_search(story_tables, case: dict[str, Any]) -> None:
    events = story_tables[1]["events"]
    for query in case["queries"]:
        got = filter_events(events, Filter(query=query))["id"].tolist()
        assert got == case["ids"], query


@pytest.mark.parametrize("case", CASES["filters"], ids=lambda c: c["name"])
def test_filters(story_tables, case: dict[str, Any]) -> None:
    events = story_tables[1]["events"]
    assert filter_events(events, to_filter(case["filter"]))["id"].tolist() == case["ids"]


@pytest.mark.parametrize("case", CASES["fragments"], ids=lambda c: c["fragment"] or "(empty)")
def test_fragments(case: dict[str, Any]) -> None:
    flt = to_filter(case["filter"])
    assert fragment(flt) == case["fragment"]
    assert from_fragment(case["fragment"]) == flt
    for variant in case.get("read", []):
        assert from_fragment(variant) == flt, variant
    link = "02-timeline.html" + (f"#{case['fragment']}" if case["fragment"] else "")
    assert page_link(flt) == link


@pytest.mark.parametrize("case", CASES["settlements"], ids=lambda c: c["name"])
def test_settlements(story_tables, case: dict[str, Any]) -> None:
    story, tables = story_tables
    settlement = {k: float(v) for k, v in case["settlement"].items()}
    verdicts = judge(limits(story, tables), settlement)
    assert {v.side: [c.issue for c in v.crossings] for v in verdicts} == case["crossings"]
    assert {v.side: v.distance for v in verdicts} == case["distance"]
    # dict order too: the page lists them in this order
    assert [list(v.distance) for v in verdicts] == [list(d) for d in case["distance"].values()]
    sid, rms = closest_scenario(tables["scenarios"], settlement)
    assert sid == case["closest"]
    assert rms == pytest.approx(case["rms"], abs=1e-12)


def test_search_matches_the_cached_haystack_on_every_case(story_tables) -> None:
    """The normalisation is the same whether the haystack is cached or not."""
    events: pd.DataFrame = story_tables[1]["events"]
    for case in CASES["search"]:
        for query in case["queries"]:
            assert filter_events(events, Filter(query=query)).equals(
                filter_events(events, Filter(query=query), None)
            )
