"""A second, deliberately different story (tests/fixtures/harbour: three sides with other ids
and colours, other issues, no UN votes and no offers) told end to end: validated, tabled,
every notebook executed in a live kernel, and exported to pages and a deck."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from parley import settings

ROOT = Path(__file__).resolve().parents[2]
HARBOUR = ROOT / "tests" / "fixtures" / "harbour"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _parley(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parley.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_it_validates_strictly() -> None:
    proc = _parley("validate", "--strict", str(HARBOUR))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 votes" in proc.stdout and "0 offers" in proc.stdout


def test_its_tables_carry_its_own_sides(tmp_path: Path) -> None:
    proc = _parley("data", "--data", str(HARBOUR), "--format", "json", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    sides = json.loads((tmp_path / "sides.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in sides] == ["port-authority", "fishers", "shipping-lines"]
    assert json.loads((tmp_path / "votes.json").read_text(encoding="utf-8")) == []
    actors = json.loads((tmp_path / "actors.json").read_text(encoding="utf-8"))
    assert {a["group"] for a in actors} == {*(s["id"] for s in sides), "international"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_notebook_runs_on_it(path: Path, tmp_path: Path) -> None:
    """In a live kernel, widgets included; an absent chapter's section shows nothing."""
    nb = nbformat.read(path, as_version=4)
    env = settings.kernel_env(settings.Settings(HARBOUR, "en"), cache_dir=tmp_path)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=env)  # passed on to the kernel it starts
    shown = json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"])
    assert "Traceback" not in shown and '"output_type": "error"' not in shown
    if path.stem in ("04-economy", "05-un-votes", "08-peace-plan"):  # chapters it lacks
        assert "application/vnd.plotly" not in shown and "parley-hook" not in shown
    if path.stem == "03-positions":
        assert "Fishers' union" in shown and "Shipping lines" in shown


def test_it_exports(tmp_path: Path) -> None:
    out = tmp_path / "build"
    proc = _parley("export", "--data", str(HARBOUR), "--out", str(out), "--no-pdf")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    deck = (out / "en" / "01-overview.slides.html").read_text(encoding="utf-8")
    assert "The harbour fishing accord" in deck and "Port authority" in deck
    votes = (out / "en" / "05-un-votes.html").read_text(encoding="utf-8")
    assert "Traceback" not in votes
