"""Generated files are current: JSON Schema, Binder's requirements; notebooks stay thin."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import nbformat
import pytest

from parley.story import schema

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _uv() -> str:
    found = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    if not Path(found).exists():
        pytest.fail("uv not found: run `make test`, which bootstraps it in .tools/")
    return found


def test_json_schema_is_current() -> None:
    committed = {p.name for p in (ROOT / "data" / "schema").glob("*.schema.json")}
    generated = schema.schemas()
    assert committed == set(generated), "run `make schema`"
    for name, sch in generated.items():
        text = (ROOT / "data" / "schema" / name).read_text(encoding="utf-8")
        assert text == schema.render(sch), f"data/schema/{name} is stale: run `make schema`"


def test_lock_matches_pyproject() -> None:
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    proc = subprocess.run(
        [_uv(), "lock", "--check", "--offline"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"uv.lock is stale: run `make lock`\n{proc.stderr}"


def test_binder_requirements_match_lock() -> None:
    proc = subprocess.run(
        [
            _uv(),
            "export",
            "--frozen",
            "--no-dev",
            "--no-hashes",
            "--format",
            "requirements-txt",
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    committed = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    strip = [ln for ln in proc.stdout.splitlines() if not ln.startswith("#")]
    mine = [ln for ln in committed.splitlines() if not ln.startswith("#")]
    assert mine == strip, "binder/requirements.txt drifted from uv.lock: run `make binder`"
    assert "-e ." in mine, "Binder must install the package itself (pip runs from the root)"
    pins = [ln for ln in mine if ln and not ln.startswith((" ", "-e"))]
    assert pins and all("==" in ln for ln in pins)


def test_binder_runtime_matches_python_floor() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    floor = project["project"]["requires-python"].removeprefix(">=")
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == f"python-{floor}"


def test_every_dependency_named_by_the_mission_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = {
        d.split(">")[0].split("=")[0].split("<")[0].strip().lower()
        for d in project["project"]["dependencies"]
        + project["project"]["optional-dependencies"]["dev"]
    }
    assert {"jupyterlab", "ipywidgets", "plotly", "pandas", "nbval", "pydantic"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_thin_and_well_formed(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "start with # Title"
    for cell in nb.cells:
        assert "slideshow" in cell.metadata, f"{path.name}: every cell needs slideshow metadata"
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        defs = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
        ]
        assert not defs, f"{path.name}: logic belongs in src/parley, not in notebooks"
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            assert "window.PlotlyConfig" not in html, "plotly.js must not be inlined"
    assert path.stat().st_size < 2_000_000


def test_notebooks_named_in_reading_order() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert names and names[0] == "01-overview.ipynb"
    assert all(n[:2].isdigit() and n[2] == "-" for n in names)


def test_readme_launch_links_open_the_overview() -> None:
    """The Binder badge opens 01-overview in JupyterLab, a second link in app mode, both on
    the repository pyproject.toml names; the README says Binder is slow to start."""
    import re
    import tomllib

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Source"]
    repo = source.removeprefix("https://github.com/")
    launch = f"https://mybinder.org/v2/gh/{repo}/HEAD?urlpath="
    badge = re.search(r"\[!\[Binder\]\([^)]+\)\]\(([^)]+)\)", readme)
    assert badge and badge[1] == launch + "lab/tree/notebooks/01-overview.ipynb"
    assert f"]({launch}voila/render/notebooks/01-overview.ipynb)" in readme
    assert (ROOT / "notebooks" / "01-overview.ipynb").is_file()
    assert "minute or two" in readme and "make export" in readme
