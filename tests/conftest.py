from __future__ import annotations

import shutil
from pathlib import Path

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
    from parley.load import load_story

    return load_story(MINI)
