"""``parley data``: one table per entity, as CSV (UTF-8 with BOM) or JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from parley.story.model import Story
from parley.tables import frames


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return json.dumps(value, ensure_ascii=False)
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def write_tables(story: Story, out_dir: Path, fmt: str) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in frames.TABLES.items():
        df = build(story)
        path = out_dir / f"{name}.{fmt}"
        if fmt == "csv":
            # A BOM lets spreadsheet programs detect UTF-8, so Japanese opens correctly.
            df.map(_csv_cell).to_csv(path, index=False, encoding="utf-8-sig")
        else:
            path.write_text(
                json.dumps(records(df), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        written.append(path)
    return written
