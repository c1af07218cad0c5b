"""Seeded synthetic stories for benchmarks: the bundled story with N generated events.

Every file but ``events.yaml`` is copied from the bundled data folder (``voices.yaml`` has its
``responds_to`` re-pointed at generated events), so the result passes ``parley validate``
against the same schema. Each generated event is a variant of one bundled event, taken in a
seeded round-robin over all of them: same kind, actors, issues, sources, importance and
optional fields, every text shuffled to the *same length*. So the average event has the
bundled story's average size (bytes, text lengths, list lengths), which is what loading and
chart costs scale with. Dates are spread evenly over the bundled story's date range.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path
from typing import Any

from parley.story import yamlsafe

DEFAULT_SEED = 2025


def _vary(text: str, rng: random.Random) -> str:
    """A different text of exactly the same length: its words (en) or characters (ja)
    rotated by a random offset. (A full shuffle costs ten times as much and reads no
    better.)"""
    if " " in text:
        words = text.split(" ")
        k = rng.randrange(len(words))
        return " ".join(words[k:] + words[:k])
    if len(text) < 2:
        return text
    k = rng.randrange(1, len(text))
    return text[k:] + text[:k]


def _vary_texts(value: Any, rng: random.Random) -> Any:
    """A copy of ``value`` with every ``{ja, en}`` text varied (new dicts and lists)."""
    if isinstance(value, dict):
        if set(value) == {"ja", "en"} and all(isinstance(v, str) for v in value.values()):
            return {lang: _vary(text, rng) for lang, text in value.items()}
        return {k: _vary_texts(v, rng) for k, v in value.items()}
    if isinstance(value, list):
        return [_vary_texts(v, rng) for v in value]
    return value


def _read(path: Path) -> Any:
    return yamlsafe.load(path.read_bytes().decode("utf-8")).data


# --- a small YAML writer ----------------------------------------------------------------
# PyYAML's emitter is far too slow for 10,000 events; this one writes the layout editors use
# in data/ (block mappings, texts as quoted ja/en pairs, flow lists of ids) quickly.
_PLAIN = re.compile(r"^(?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*|\d{4}-\d{2}-\d{2})$")
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
# Characters JSON leaves raw that YAML must see escaped (C1 controls, line/paragraph
# separators, byte-order mark).
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def _scalar(value: Any) -> str:
    if type(value) is str:  # the common case first
        if _PLAIN.match(value) and value not in _YAML11_WORDS:
            return value  # slugs and dates, unquoted as in data/
        # A JSON string is a valid YAML double-quoted scalar.
        return _UNSAFE.sub(_escape, json.dumps(value, ensure_ascii=False))
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if not yamlsafe._FLOAT.match(repr(value)):  # e.g. 1e+20, inf: would read back as text
            raise ValueError(f"cannot write {value!r} so that it reads back as a number")
        return repr(value)
    return _scalar(str(value))


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _is_flat(items: list[Any]) -> bool:
    return all(not isinstance(v, dict | list) for v in items)


def _mapping(value: dict[str, Any], indent: str, out: list[str], first: str) -> None:
    """Write ``value``'s entries; the first line starts with ``first`` (e.g. "- ")."""
    lead = first
    for key, item in value.items():
        if isinstance(item, dict) and item:
            out.append(f"{lead}{key}:\n")
            _mapping(item, indent + "  ", out, indent + "  ")
        elif isinstance(item, list) and item and not _is_flat(item):
            out.append(f"{lead}{key}:\n")
            _sequence(item, indent + "  ", out)
        elif isinstance(item, list):
            out.append(f"{lead}{key}: [{', '.join(_scalar(v) for v in item)}]\n")
        elif isinstance(item, dict):
            out.append(f"{lead}{key}: {{}}\n")
        else:
            out.append(f"{lead}{key}: {_scalar(item)}\n")
        lead = indent


def _sequence(items: list[Any], indent: str, out: list[str]) -> None:
    for item in items:
        if isinstance(item, dict) and item:
            _mapping(item, indent + "  ", out, indent + "- ")
        else:
            out.append(f"{indent}- {_scalar(item)}\n")


def dumps(entries: list[dict[str, Any]]) -> str:
    """A list of entries as YAML, in the layout of the files in data/."""
    out: list[str] = []
    _sequence(entries, "", out)
    return "".join(out) if out else "[]\n"


def _dump(value: list[dict[str, Any]], path: Path) -> None:
    path.write_text(dumps(value), encoding="utf-8")


def generate_events(
    templates: list[dict[str, Any]], n: int, start: dt.date, end: dt.date, seed: int
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """``n`` events varied from ``templates``; also template id -> first generated id."""
    rng = random.Random(seed)
    span = max((end - start).days, 0)
    order: list[int] = []
    while len(order) < n:  # round-robin over a fresh shuffle: every template used evenly
        batch = list(range(len(templates)))
        rng.shuffle(batch)
        order += batch
    drafts = []
    for t in order[:n]:
        event = _vary_texts(templates[t], rng)
        day = start + dt.timedelta(days=rng.randint(0, span))
        event["date"] = day.isoformat()
        if "end_date" in event:
            length = _days(templates[t]["end_date"]) - _days(templates[t]["date"])
            event["end_date"] = (day + dt.timedelta(days=max(length, 0))).isoformat()
        drafts.append((day, t, event))
    drafts.sort(key=lambda d: (d[0], d[1]))  # in date order, as an editor would keep them
    first: dict[str, str] = {}
    events = []
    for i, (_, t, event) in enumerate(drafts):
        event_id = f"synthetic-{i + 1:05d}"
        first.setdefault(str(templates[t]["id"]), event_id)
        # id first, as in the bundled file (dicts keep insertion order when dumped)
        events.append({"id": event_id, **{k: v for k, v in event.items() if k != "id"}})
    return events, first


def _days(value: object) -> int:
    return dt.date.fromisoformat(str(value)).toordinal()


def write_story(
    n_events: int, out_dir: Path, source_dir: Path = Path("data"), seed: int = DEFAULT_SEED
) -> Path:
    """Write a data folder with ``n_events`` synthetic events into ``out_dir``; return it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(source_dir.glob("*.y*ml")):
        if path.name not in ("events.yaml", "voices.yaml"):
            shutil.copyfile(path, out_dir / path.name)
    templates = _read(source_dir / "events.yaml")
    if not templates:
        raise ValueError(f"{source_dir / 'events.yaml'} has no events to vary")
    as_of = dt.date.fromisoformat(str(_read(source_dir / "story.yaml")["as_of"]))
    start = min(dt.date.fromisoformat(str(e["date"])) for e in templates)
    events, first = generate_events(templates, n_events, start, as_of, seed)
    _dump(events, out_dir / "events.yaml")
    voices_file = source_dir / "voices.yaml"
    if voices_file.is_file():
        voices = _read(voices_file) or []
        for voice in voices:
            if "responds_to" in voice:
                voice["responds_to"] = [first[e] for e in voice["responds_to"] if e in first]
        _dump(voices, out_dir / "voices.yaml")
    return out_dir
