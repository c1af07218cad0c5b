"""Figure 1: load + validate in fresh processes, cold and warm cache, and growth per event."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from parley.bench.plan import SIZES
from parley.bench.records import Record, Sample, measured

_LOAD_CHILD = (
    "import json, sys, time\n"
    "from parley.story.load import load_story\n"
    "t = time.perf_counter()\n"
    "story = load_story(sys.argv[1], cache=True)\n"
    "print(json.dumps({'seconds': time.perf_counter() - t, 'events': len(story.events)}))\n"
)


def load_once(data_dir: Path, cache_dir: Path) -> float:
    """Seconds for ``load_story(cache=True)`` in a fresh Python process (after its imports:
    the interpreter and pydantic start-up are the same for every size and not the story's)."""
    env = {**os.environ, "PARLEY_CACHE_DIR": str(cache_dir)}
    done = subprocess.run(
        [sys.executable, "-c", _LOAD_CHILD, str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-800:])
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def load_in_process(data_dir: Path, cache_dir: Path) -> float:
    """The same measurement in this process (tests: no interpreter start-up to wait for)."""
    from parley.story.load import load_story

    saved = os.environ.get("PARLEY_CACHE_DIR")
    os.environ["PARLEY_CACHE_DIR"] = str(cache_dir)
    try:
        t = time.perf_counter()
        load_story(data_dir, cache=True)
        return time.perf_counter() - t
    finally:
        if saved is None:
            del os.environ["PARLEY_CACHE_DIR"]
        else:
            os.environ["PARLEY_CACHE_DIR"] = saved


def bench_load(
    stories: dict[str, Path],
    repeats: dict[str, int],
    work: Path,
    once: Callable[[Path, Path], float] = load_once,
) -> list[Record]:
    records: list[Record] = []
    per_event: dict[str, float] = {}
    for label, data_dir in stories.items():
        n = repeats[label]
        cold, warm = [], []
        for i in range(n):
            cache_dir = work / "cache" / f"{label}-{i}"
            shutil.rmtree(cache_dir, ignore_errors=True)
            cold.append(once(data_dir, cache_dir))  # empty cache: reads, checks, stores
            warm.append(once(data_dir, cache_dir))  # a new process finds the cache
        events = _event_count(data_dir)
        cold_s, warm_s = Sample([x * 1e3 for x in cold]), Sample([x * 1e3 for x in warm])
        per_event[label] = cold_s.median / events
        bundled = label == "bundled"
        cold_target = 100.0 if bundled else 5000.0 if events >= 10_000 else None
        warm_target = 100.0 if bundled else 500.0 if events >= 10_000 else None
        records.append(
            measured(
                "1",
                f"load+validate cold, {label} ({events} events)",
                cold_s,
                "ms",
                target=cold_target,
                note="" if not bundled else "fresh process, empty cache; timed after imports",
            )
        )
        records.append(
            measured(
                "1",
                f"load+validate warm (cache), {label}",
                warm_s,
                "ms",
                target=warm_target,
            )
        )
    big, mid = f"{SIZES[-1]}", f"{SIZES[1]}"
    if big in per_event and mid in per_event:
        records.append(
            Record(
                "1",
                f"cold time per event, {big} vs {mid} events",
                per_event[big],
                "ms/event",
                per_event[mid],
                1.5,
            )
        )
    return records


def _event_count(data_dir: Path) -> int:
    # Counted from the file, not loaded: "- id:" at the start of a line starts an event.
    text = (data_dir / "events.yaml").read_text(encoding="utf-8")
    return len(re.findall(r"^- id:", text, flags=re.MULTILINE))
