"""The layer contracts in pyproject.toml (import-linter) hold, and fail on a forbidden import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` over the package under ``root``/src, with ``root``'s contracts."""
    env = {**os.environ, "PYTHONPATH": str(root / "src")}  # before the installed package
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "src" / "parley",
        tmp_path / "src" / "parley",
        ignore=shutil.ignore_patterns("__pycache__", "vendor", "templates"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _add_import(module: Path, line: str) -> None:
    text = module.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\nfrom __future__ import annotations\n")
    module.write_text(head + sep + line + "\n" + rest, encoding="utf-8")


def test_the_package_keeps_its_contracts(copy: Path) -> None:
    result = lint_imports(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        (
            "charts/timeline.py",
            "from parley.widgets import chart  # noqa: F401",
            "Charts never import widgets or loading BROKEN",
        ),
        (
            "story/model.py",
            "from parley.story import load  # noqa: F401",
            "The schema (the content model) knows no files or pictures BROKEN",
        ),
        (
            "tables/stances.py",
            "from parley.charts import positions  # noqa: F401",
            "Layers: each layer imports only the layers below it (top first) BROKEN",
        ),
        (
            "story/validate.py",
            "from parley.story import load  # noqa: F401",
            "No import cycle between the modules or folders of any package BROKEN",
        ),
        (
            "publish/render.py",
            "from parley.bench import records  # noqa: F401",
            "bench/ is imported by nothing but the CLI BROKEN",
        ),
    ],
)
def test_a_forbidden_import_fails_the_lint(copy: Path, module: str, line: str, contract) -> None:
    _add_import(copy / "src" / "parley" / module, line)
    result = lint_imports(copy)
    assert result.returncode != 0
    assert contract in result.stdout, result.stdout
