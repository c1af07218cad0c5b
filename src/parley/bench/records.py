"""Records: one measured figure each, the table printed and bench.json."""

from __future__ import annotations

import json
import math
import re
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Sample:
    """Repeated measurements of one quantity."""

    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def percentile(self, q: float) -> float:
        """Linear-interpolated percentile (``q`` in 0–100), as numpy's default."""
        ordered = sorted(self.values)
        pos = (len(ordered) - 1) * q / 100
        lo, hi = math.floor(pos), math.ceil(pos)
        return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass
class Record:
    figure: str  # "1" … "7": which figure of the issue this row belongs to
    name: str
    value: float | None
    unit: str
    reference: float | None = None
    target: float | None = None
    low: float | None = None  # min and max of the runs behind `value` (table only)
    high: float | None = None
    runs: int = 1
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.reference:
            return None
        return self.value / self.reference

    @property
    def passed(self) -> bool | None:
        if self.value is None:
            return False  # not measured: a failure, whatever the target
        if self.target is None:
            return None
        measured = self.ratio if self.reference is not None else self.value
        return measured is not None and measured <= self.target

    def to_json(self) -> dict[str, Any]:
        ratio = self.ratio
        return {
            "name": self.name,
            "value": _round(self.value),
            "unit": self.unit,
            "reference": _round(self.reference),
            "ratio": None if ratio is None else round(ratio, 3),
            "target": self.target,
            "pass": self.passed,
        }


def _round(x: float | None) -> float | None:
    return None if x is None else float(f"{x:.4g}") if abs(x) < 1e4 else round(x, 1)


def measured(
    figure: str,
    name: str,
    sample: Sample,
    unit: str,
    *,
    reference: Sample | float | None = None,
    target: float | None = None,
    note: str = "",
) -> Record:
    ref = reference.median if isinstance(reference, Sample) else reference
    return Record(
        figure,
        name,
        sample.median,
        unit,
        ref,
        target,
        sample.low,
        sample.high,
        len(sample.values),
        note,
    )


def failed(figure: str, name: str, unit: str, target: float | None, why: str) -> Record:
    return Record(figure, name, None, unit, None, target, note=f"not measured: {why}")


def _fmt(x: float | None, unit: str) -> str:
    if x is None:
        return "—"
    if unit == "bytes":
        return f"{x / 1e6:.2f} MB" if x >= 1e5 else f"{x / 1e3:.1f} kB"
    if unit == "ms":
        return f"{x:.0f} ms" if x >= 100 else f"{x:.1f} ms"
    if unit == "s":
        return f"{x:.2f} s"
    if unit == "MB":
        return f"{x:.0f} MB"
    if unit == "ms/event":
        return f"{x * 1000:.1f} µs/ev"
    return f"{x:g} {unit}"


def table(records: Sequence[Record]) -> str:
    head = ("fig", "measurement", "median", "min", "max", "n", "reference", "ratio", "target", "")
    rows = [head]
    for r in records:
        ratio = r.ratio
        if r.target is None:
            target = "—"
        elif r.reference is not None:
            target = f"≤ {r.target:g}×"
        else:
            target = "≤ " + _fmt(r.target, r.unit)
        verdict = {True: "PASS", False: "FAIL", None: "info"}[r.passed]
        rows.append(
            (
                r.figure,
                r.name,
                _fmt(r.value, r.unit),
                _fmt(r.low, r.unit) if r.runs > 1 else "",
                _fmt(r.high, r.unit) if r.runs > 1 else "",
                str(r.runs) if r.value is not None else "",
                _fmt(r.reference, r.unit) if r.reference is not None else "—",
                f"{ratio:.2f}×" if ratio is not None else "—",
                target,
                verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for k, row in enumerate(rows):
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in pairs]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = [f"  [{r.figure}] {r.name}: {r.note}" for r in records if r.note]
    return "\n".join(lines + (["", "notes:", *notes] if notes else []))


def write_json(records: Sequence[Record], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def why(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return re.sub(r"\s+", " ", text)[:300]
