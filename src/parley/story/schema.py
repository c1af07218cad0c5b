"""JSON Schema for each data file, generated from the models (committed in data/schema/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from parley.story.model import ENTITY_FILES, StoryMeta


def schemas() -> dict[str, dict[str, Any]]:
    """File name of each schema -> schema. story.yaml is a mapping; the rest are lists."""
    out: dict[str, dict[str, Any]] = {
        "story.schema.json": StoryMeta.model_json_schema(by_alias=True),
    }
    for name, (_, model) in ENTITY_FILES.items():
        schema = TypeAdapter(list[model]).json_schema(by_alias=True)  # type: ignore[valid-type]
        out[name.replace(".yaml", ".schema.json")] = schema
    for name, schema in out.items():
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema.setdefault("title", name.removesuffix(".schema.json"))
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = out_dir / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written
