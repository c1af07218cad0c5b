"""Settings resolved once (flag, then environment, then default), and one read per export."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parley import cli, settings
from parley.publish import kernels
from parley.settings import Settings, kernel_env
from parley.story import load

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def test_data_folder_flag_then_environment_then_nearest(tmp_path, monkeypatch) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "story.yaml").write_text("{}\n", encoding="utf-8")
    deep = tmp_path / "notebooks" / "deeper"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    monkeypatch.delenv("PARLEY_DATA", raising=False)
    assert settings.data_dir().resolve() == tmp_path / "data"  # the nearest, walking up
    assert settings.data_dir() == Path("../../data")  # and short to print
    monkeypatch.setenv("PARLEY_DATA", "/elsewhere")
    assert settings.data_dir() == Path("/elsewhere")
    assert settings.data_dir("given") == Path("given")
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.delenv("PARLEY_DATA")
    assert settings.data_dir(start=Path("/")) == Path("data"), "none found: ./data"


def test_language_flag_then_page_then_environment(monkeypatch) -> None:
    monkeypatch.delenv("VOILA_REQUEST_URL", raising=False)
    monkeypatch.setenv("PARLEY_LANG", "en")
    assert settings.language() == "en"
    assert settings.language("ja") == "ja"
    assert settings.language("xx") == "ja", "unknown: the default"
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://127.0.0.1:8866/voila/render/01.ipynb")
    monkeypatch.setenv("QUERY_STRING", "lang=ja")
    assert settings.language() == "ja", "in app mode the page's ?lang= comes first"


def test_one_kernel_environment(tmp_path) -> None:
    env = kernel_env(Settings(DATA, "en"), export=True, cache_dir=tmp_path)
    assert env["PARLEY_LANG"] == "en" and env["PARLEY_DATA"] == str(DATA)
    assert env["PARLEY_EXPORT"] == "1" and env["PLOTLY_RENDERER"] == "plotly_mimetype"
    assert env["PARLEY_CACHE_DIR"] == str(tmp_path)
    plain = kernel_env(Settings(DATA, "ja"))
    assert "PARLEY_EXPORT" not in plain or plain["PARLEY_EXPORT"] != "1"


# A language kernel's first act: nb.story(); this counts the reads it makes.
KERNEL_READS = """
from parley.story import load
reads = []
real = load.read_story
load.read_story = lambda *a, **k: reads.append(1) or real(*a, **k)
from parley import nb
nb.story()
print(len(reads))
"""


@pytest.mark.slow
def test_export_reads_the_story_once(tmp_path, monkeypatch) -> None:
    """One `parley export`: one read and validation in the exporting process, none in the
    language kernels, which get the story from the warm cache (a cache hit is not a read)."""
    monkeypatch.setenv("PARLEY_CACHE_DIR", str(tmp_path / "cache"))
    reads: list[Path] = []
    real = load.read_story
    monkeypatch.setattr(load, "read_story", lambda d, **k: reads.append(Path(d)) or real(d, **k))
    in_kernels: dict[str, int] = {}

    def execute(runs, notebooks, log, on_done) -> list[str]:  # kernels, without nbclient
        for run in runs:
            out = subprocess.run(
                [sys.executable, "-c", KERNEL_READS],
                env=kernel_env(run, export=True),
                capture_output=True,
                text=True,
                check=True,
            )
            in_kernels[run.lang] = int(out.stdout.split()[-1])
        return []

    monkeypatch.setattr(kernels, "execute", execute)
    args = ["export", "--data", str(DATA), "--out", str(tmp_path / "build"), "--no-pdf"]
    assert cli.main(args) == 0
    assert len(reads) == 1, "read and validated once in the exporting process"
    assert in_kernels == {"ja": 0, "en": 0}, "each language kernel hits the warm cache"
    assert cli.main(args) == 0
    assert len(reads) == 1, "a second export finds the story in the cache: no read at all"
