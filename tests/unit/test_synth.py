"""The seeded synthetic stories behind `parley bench`, and the timeline's scale switch."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from parley.bench import synth
from parley.charts import scale
from parley.story import yamlsafe
from parley.story.load import read_story
from parley.tables import frames

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def hundred(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth.write_story(100, tmp_path_factory.mktemp("synth") / "data", DATA)


def test_synthetic_story_is_valid_against_the_same_schema(hundred: Path) -> None:
    story, problems = read_story(hundred)
    # Synthetic texts are shuffled, so ja/en pair warnings are expected; errors are not.
    assert [p for p in problems if p.severity == "error"] == [] and story is not None
    assert len(story.events) == 100
    assert [e.date for e in story.events] == sorted(e.date for e in story.events)
    assert not list(hundred.glob("schema")), "only data files are written"


def test_seeded_and_deterministic(hundred: Path, tmp_path: Path) -> None:
    again = synth.write_story(100, tmp_path / "same", DATA)
    other = synth.write_story(100, tmp_path / "other", DATA, seed=7)
    text = (hundred / "events.yaml").read_bytes()
    assert (again / "events.yaml").read_bytes() == text
    assert (other / "events.yaml").read_bytes() != text


def test_events_have_the_bundled_average_size(hundred: Path) -> None:
    bundled = yamlsafe.load((DATA / "events.yaml").read_text(encoding="utf-8")).data
    made = yamlsafe.load((hundred / "events.yaml").read_text(encoding="utf-8")).data

    def mean(events: list[dict], field: str, lang: str) -> float:
        return statistics.mean(len(e[field][lang]) for e in events)

    for field in ("title", "summary"):
        for lang in ("ja", "en"):
            assert mean(made, field, lang) == pytest.approx(mean(bundled, field, lang), rel=0.15)
    per_event = (hundred / "events.yaml").stat().st_size / 100
    assert per_event == pytest.approx(
        (DATA / "events.yaml").stat().st_size / len(bundled), rel=0.15
    )


def test_other_files_are_copied_and_voices_point_at_generated_events(hundred: Path) -> None:
    assert (hundred / "sources.yaml").read_bytes() == (DATA / "sources.yaml").read_bytes()
    story, _ = read_story(hundred)
    assert story is not None
    ids = {e.id for e in story.events}
    assert all(set(v.responds_to) <= ids for v in story.voices)


def test_writer_round_trips_awkward_text() -> None:
    entries = [
        {
            "id": "a",
            "date": "2025-01-02",
            "n": 3,
            "f": 1.5,
            "ok": True,
            "none": None,
            "t": {"ja": '引用 "x" #y: z', "en": "no"},
            "ids": ["x", "yes", "12", "2025-01-02"],
            "empty": [],
            "nested": [{"text": {"ja": "a", "en": "b\u2028c\x85\ufeff"}, "sources": ["s"]}],
        }
    ]
    assert yamlsafe.load(synth.dumps(entries)).data == entries


def test_thin_aggregates_past_the_threshold_only(hundred: Path) -> None:
    from parley.charts.timeline import prepare

    story, _ = read_story(hundred)
    assert story is not None
    prepared = prepare(frames.events(story), frames.sources(story), "en")
    assert scale.thin(prepared, max_markers=len(prepared)) is prepared
    thinned = scale.thin(prepared, max_markers=10)
    assert len(thinned) < len(prepared)
    assert thinned["count"].sum() == len(prepared)
    assert set(thinned["marker_symbol"]) == {scale.AGGREGATE_SYMBOL}
    assert set(thinned["id"]) <= set(prepared["id"])
    assert {"date", "lane_label", "id", "hover", "marker_size"} <= set(thinned.columns)
    first = thinned.iloc[0]
    assert first["hover"].startswith(f"<b>{first['count']}</b> · ")
    assert thinned["marker_size"].between(10, 40).all()
