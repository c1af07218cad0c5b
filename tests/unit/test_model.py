from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from parley.story.fields import Text
from parley.story.model import Actor, Counts, Event, Position, Source

EVENT = {
    "id": "call",
    "date": "2025-02-12",
    "kind": "call",
    "title": {"ja": "電話", "en": "Call"},
    "summary": {"ja": "要約", "en": "Summary"},
    "sources": ["s"],
}


def test_text_needs_both_languages() -> None:
    with pytest.raises(ValidationError, match="en"):
        Text.model_validate({"ja": "日本語"})
    assert Text(ja="はい", en="yes")("en") == "yes"


def test_markup_is_legal_text() -> None:
    assert Text(ja="<b>太字</b>", en="<script>x</script>").en == "<script>x</script>"


def test_event_ok_and_defaults() -> None:
    e = Event.model_validate(EVENT)
    assert e.date == dt.date(2025, 2, 12)
    assert e.verification == "verified" and e.importance == 2


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"colour": "red"}, "extra_forbidden"),
        ({"id": "Bad_Id"}, "string_pattern_mismatch"),
        ({"date": "2025-02-30"}, "not a real calendar date"),
        ({"date": 20250212}, "YYYY-MM-DD"),
        ({"date": "12/02/2025"}, "YYYY-MM-DD"),
        ({"sources": []}, "too_short"),
        ({"kind": "party"}, "literal_error"),
        ({"importance": 4}, "less_than_equal"),
        ({"verification": "maybe"}, "literal_error"),
    ],
)
def test_event_rejects(change: dict, needle: str) -> None:
    with pytest.raises(ValidationError) as info:
        Event.model_validate({**EVENT, **change})
    assert needle in str(info.value.errors()) or needle in str(info.value)


def test_source_needs_url_and_date_unless_seed() -> None:
    base = {"id": "s", "publisher": "P", "title": "T", "language": "en", "kind": "wire"}
    with pytest.raises(ValidationError, match="url: required"):
        Source.model_validate(base)
    with pytest.raises(ValidationError, match="not an http"):
        Source.model_validate({**base, "url": "javascript:alert(1)", "published": "2025-01-01"})
    assert Source.model_validate({**base, "kind": "seed"}).url is None
    for spaced in ("https://a.example/x y", "https://a.example/x\u00a0y", "https://a.example/\t"):
        with pytest.raises(ValidationError, match="not an http"):
            Source.model_validate({**base, "url": spaced, "published": "2025-01-01"})
    ok = Source.model_validate({**base, "url": "https://a.example/x", "published": "2025-01-01"})
    assert ok.url == "https://a.example/x"


def test_counts_are_non_negative_integers() -> None:
    with pytest.raises(ValidationError):
        Counts.model_validate({"in_favour": -1, "against": 0, "abstain": 0})
    with pytest.raises(ValidationError):
        Counts.model_validate({"in_favour": "93", "against": 0, "abstain": 0})
    with pytest.raises(ValidationError):
        Counts.model_validate({"in_favour": 9.5, "against": 0, "abstain": 0})
    assert Counts.model_validate({"in_favour": 93, "against": 18, "abstain": 65}).absent is None


def test_acceptable_range_ordered() -> None:
    pos = {
        "id": "p",
        "actor": "a",
        "issue": "i",
        "as_of": "2025-01-01",
        "stance": 3,
        "statement": {"ja": "x", "en": "x"},
        "sources": ["s"],
    }
    with pytest.raises(ValidationError, match="low must not exceed high"):
        Position.model_validate({**pos, "acceptable": [5, 2]})


def test_role_on_a_day() -> None:
    waltz = Actor.model_validate(
        {
            "id": "waltz",
            "kind": "person",
            "group": "us",
            "name": {"ja": "ウォルツ", "en": "Waltz"},
            "roles": [
                {"role": {"ja": "補佐官", "en": "NSA"}, "from": "2025-01-20", "to": "2025-05-01"},
                {"role": {"ja": "国連大使", "en": "UN ambassador"}, "from": "2025-09-19"},
            ],
        }
    )
    assert waltz.role_on(dt.date(2025, 3, 1)).role.en == "NSA"
    assert waltz.role_on(dt.date(2025, 7, 1)) is None
    assert waltz.role_on(dt.date(2025, 10, 1)).role.en == "UN ambassador"
