from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from parley.cli import main


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parley.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_validate_ok(mini: Path, capsys) -> None:
    assert main(["validate", str(mini)]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "3 events" in out and "1 votes" in out and "6 actors" in out


def test_validate_bad_exits_1_without_traceback(mini: Path) -> None:
    events = mini / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8").replace("2025-02-12", "2025-02-31"), encoding="utf-8"
    )
    proc = _run("validate", str(mini))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert lines[0] == "events.yaml:2: call-one: date: '2025-02-31' is not a real calendar date"
    assert lines[-1] == f"{mini}: 1 error(s), 0 warning(s), 0 waived"


def test_validate_malformed_yaml_no_traceback(mini: Path) -> None:
    (mini / "actors.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    proc = _run("validate", "--data", str(mini))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("actors.yaml:")


def test_usage_errors_exit_2(mini: Path) -> None:
    assert _run("frobnicate").returncode == 2
    assert _run("data", "--format", "xml").returncode == 2
    proc = _run("validate", str(mini), "--data", str(mini / "x"))
    assert proc.returncode == 2 and "once" in proc.stderr


def test_data_csv(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    assert main(["data", "--data", str(mini), "--out", str(out)]) == 0
    raw = (out / "events.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets open the Japanese correctly
    rows = list(csv.DictReader((out / "events.csv").open(encoding="utf-8-sig")))
    for col in (
        "id",
        "date",
        "end_date",
        "kind",
        "title_ja",
        "title_en",
        "summary_ja",
        "summary_en",
        "actors",
        "issues",
        "sources",
        "verification",
    ):
        assert col in rows[0]
    assert rows[1]["actors"] == "us;russia;ukraine"
    assert rows[0]["title_ja"] == "電話会談 <b>太字</b>"
    votes = list(csv.DictReader((out / "votes.csv").open(encoding="utf-8-sig")))
    assert {k: votes[0][k] for k in ("yes", "no", "abstain", "absent")} == {
        "yes": "93",
        "no": "18",
        "abstain": "65",
        "absent": "",
    }
    actors = {r["id"]: r for r in csv.DictReader((out / "actors.csv").open(encoding="utf-8-sig"))}
    assert actors["waltz"]["role_en"] == "National Security Adviser"
    assert json.loads(actors["waltz"]["roles"])[1]["from"] == "2025-05-01"
    for name in ("sources", "positions"):
        assert (out / f"{name}.csv").exists()
    header = (out / "positions.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    for col in (
        "id",
        "actor",
        "issue",
        "as_of",
        "stance",
        "acceptable_low",
        "acceptable_high",
        "sources",
    ):
        assert col in header


def test_data_json(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "json"
    assert main(["data", "--data", str(mini), "--format", "json", "--out", str(out)]) == 0
    events = json.loads((out / "events.json").read_text(encoding="utf-8"))
    assert events[1]["actors"] == ["us", "russia", "ukraine"]
    assert events[0]["end_date"] is None and events[2]["end_date"] == "2025-03-25"
    sources = json.loads((out / "sources.json").read_text(encoding="utf-8"))
    assert {"id", "publisher", "title", "url", "published", "accessed", "kind", "language"} <= set(
        sources[0]
    )


def test_data_refuses_bad_content(mini: Path, tmp_path: Path) -> None:
    (mini / "events.yaml").write_text("- id: x\n", encoding="utf-8")
    assert main(["data", "--data", str(mini), "--out", str(tmp_path / "o")]) == 1
    assert not (tmp_path / "o").exists()
