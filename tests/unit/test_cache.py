"""The warm story cache: hits, misses on any change, and nothing unpickled it did not sign."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from parley.story import cache
from parley.story.load import load_story


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def test_second_load_comes_from_the_cache(mini: Path, cache_dir: Path) -> None:
    before = sorted(p.name for p in mini.iterdir())
    first = load_story(mini, cache=True)
    assert len(_entries(cache_dir)) == 1
    assert cache.load(mini) == first
    again = load_story(mini, cache=True)
    assert again == first
    assert again.events[0].model_fields_set == first.events[0].model_fields_set
    assert sorted(p.name for p in mini.iterdir()) == before, "nothing is written into data/"
    assert (cache_dir.stat().st_mode & 0o777) == 0o700
    assert ((cache_dir / "hmac.key").stat().st_mode & 0o777) == 0o600


def test_any_edit_is_a_miss(mini: Path, cache_dir: Path) -> None:
    load_story(mini, cache=True)
    path = mini / "events.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("電話会談", "電話協議"), "utf-8")
    assert cache.load(mini) is None
    assert "電話協議" in load_story(mini, cache=True).events[0].title.ja


def test_tampered_or_foreign_files_are_never_unpickled(
    mini: Path, cache_dir: Path, tmp_path: Path
) -> None:
    load_story(mini, cache=True)
    (entry,) = _entries(cache_dir)
    canary = tmp_path / "canary"
    planted = pickle.dumps(_Touch(canary))
    blob = entry.read_bytes()
    head = len(cache.FORMAT) + 32
    entry.write_bytes(blob[:head] + planted)  # right header and MAC slot, wrong content
    assert cache.load(mini) is None
    assert not canary.exists()
    entry.write_bytes(b"garbage")
    assert cache.load(mini) is None
    assert load_story(mini, cache=True).events  # a miss, never an error


def test_a_folder_others_can_write_is_not_used(mini: Path, cache_dir: Path) -> None:
    load_story(mini, cache=True)
    os.chmod(cache_dir, 0o777)
    try:
        assert cache.load(mini) is None
        assert cache.store(mini, load_story(mini)) is None
    finally:
        os.chmod(cache_dir, 0o700)
    assert cache.load(mini) is not None


def test_a_bad_key_is_a_miss(mini: Path, cache_dir: Path) -> None:
    load_story(mini, cache=True)
    (cache_dir / "hmac.key").write_bytes(b"short")
    assert cache.load(mini) is None


class _Touch:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.touch, (self.path,))


def test_a_file_edited_while_it_is_read_is_read_again_next_time(
    mini: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The story is stored under the key of the content as it was before reading: an edit
    # that lands during the read must not be answered next time with the old story.
    from parley.story import load as load_module

    events = mini / "events.yaml"
    original = load_module.read_story

    def read_then_edit(data_dir: Path, **kwargs):  # type: ignore[no-untyped-def]
        story = original(data_dir, **kwargs)
        events.write_text(events.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        return story

    monkeypatch.setattr(load_module, "read_story", read_then_edit)
    load_story(mini, cache=True)
    monkeypatch.setattr(load_module, "read_story", original)
    assert cache.load(mini) is None, "the edited content has no cached story"
    assert len(_entries(cache_dir)) == 1
