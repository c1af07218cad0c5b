from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
DATA = ROOT / "data"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture story."""
    dest = tmp_path / "data"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture(scope="session")
def mini_story():
    from parley.story.load import load_story

    return load_story(MINI)


@pytest.fixture
def tables(mini_story):
    from parley.tables import frames

    return frames.build_tables(mini_story)


@pytest.fixture
def japanese() -> Iterator[None]:
    """The language switch starts (and is left) in Japanese, the notebooks' default."""
    from parley import i18n

    i18n.set_lang("ja")
    yield
    i18n.set_lang("ja")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian chromium for every browser test of the session: Playwright's sync
    API allows a single driver per thread, so tests/browser and tests/e2e share this one."""
    from parley.publish import chromium as parley_chromium

    if parley_chromium.chromium_path() is None:
        pytest.fail("chromium is missing: run `make system-deps`")
    with parley_chromium.launch() as browser:
        yield browser
