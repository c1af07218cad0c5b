"""The bundled story: valid, sourced, complete in both languages, and at the quality bar."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from parley.story.load import load_story
from parley.story.model import Story

DATA = Path(__file__).resolve().parents[2] / "data"
SEED_SOURCES = {
    "seed",
    "asahi-globe-15630313",
    "reuters-jp-2025-02-09-3njg2ouxgjobvjo3fz7li7gnee",
    "yahoo-jp-fdce41646030db8069c1e7fabc3c063599bfe811",
}


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(DATA)


def test_counts_at_the_quality_bar(story: Story) -> None:
    assert len(story.events) >= 40
    cited = {s for e in story.events for s in e.sources}
    assert len(cited) >= 25
    assert len(story.issues) >= 6 and len(story.scenarios) >= 3


def test_seed_articles_are_sources(story: Story) -> None:
    assert SEED_SOURCES <= {s.id for s in story.sources}


def test_every_issue_has_a_position_from_each_side(story: Story) -> None:
    groups = {a.id: a.group for a in story.actors}
    covered = {(p.issue, groups[p.actor]) for p in story.positions}
    missing = [
        (i.id, side)
        for i in story.issues
        for side in (s.id for s in story.meta.sides)
        if (i.id, side) not in covered
    ]
    assert not missing


def test_reserved_seed_events_exist(story: Story) -> None:
    ids = {e.id for e in story.events}
    for needed in (
        "trump-putin-call-feb",
        "riyadh-us-russia-talks",
        "un-anniversary-votes",
        "putin-offers-rare-earths",
        "trump-putin-call-march",
        "dmitriev-washington-visit",
        "trump-threatens-sanctions-tariffs",
        "trump-rare-earths-for-aid",
        "alaska-summit",
        "minerals-agreement-signed",
    ):
        assert needed in ids


def test_unverified_and_framing_marks_present(story: Story) -> None:
    kinds = Counter(e.verification for e in story.events)
    assert kinds["unverified"] + kinds["disputed"] >= 1
    assert sum(1 for e in story.events if e.framing_note) >= 3


def test_offers_cover_the_seed(story: Story) -> None:
    sectors = {o.sector for o in story.offers}
    assert {"rare-earths", "aluminium", "arctic", "aviation", "minerals-fund"} <= sectors


def test_voices_labelled_and_linked(story: Story) -> None:
    kinds = Counter(v.kind for v in story.voices)
    assert kinds["analysis"] >= 1 and kinds["official_statement"] >= 1
    # The original article's printed comments are their own kind, tied to what they answer.
    assert kinds["article_comment"] >= 1 and kinds["public_reaction"] == 0
    assert all(v.responds_to for v in story.voices if v.kind == "article_comment")
    # Every voice names who spoke; no comment is passed off as what people say online.
    for v in story.voices:
        if v.kind == "article_comment":
            assert "元記事" in v.speaker.ja and "original article" in v.speaker.en


def test_un_votes_each_resolution_separately(story: Story) -> None:
    resolutions = {v.resolution for v in story.votes}
    assert len(resolutions) == len(story.votes) >= 3
    for v in story.votes:
        assert "us" in v.notable and "russia" in v.notable


def test_chapters_cover_the_notebooks(story: Story) -> None:
    ids = {c.id for c in story.meta.chapters}
    assert {"overview", "timeline", "positions", "economy", "un-votes", "scenarios"} <= ids
    assert story.meta.chapters[0].figures[0] == "timeline"
    assert all(c.notes is not None and c.key_points for c in story.meta.chapters)
