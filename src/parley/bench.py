"""``parley bench``: speed and size against their references, with pass/fail lines.

Prints a table and writes ``<out>/bench.json``: a list of records ``{name, value, unit,
reference, ratio, target, pass}``. ``value`` (and ``reference``) are medians of repeated runs;
the table adds min, max and the number of runs. ``target`` is a ratio when ``reference`` is
set (``pass`` = ratio ≤ target), else an absolute bound in ``unit``; ``target`` and ``pass``
are null for figures recorded without a target. A figure that could not be measured is a
record with a null value and ``pass`` false, and the table says why.

Figures (issue 9); 1, 2 and 6 run on the bundled story and on seeded synthetic stories of
100, 1,000 and 10,000 events (:mod:`parley.synth`), the rest on the bundled story:

1. load + validate, in a fresh process each time: cold (empty cache) and warm (the cache
   :mod:`parley.story.cache` keeps), and growth per event from 1,000 to 10,000 events;
2. chart builders, and the explorer's update latency in a kernel (filter change → figure
   data updated, 50 interactions), plus the timeline drawn and zoomed in Chromium;
3. each notebook executed from a cold kernel, against a floor kernel that only imports
   pandas, plotly and ipywidgets and loads the story; and their total;
4. each offline deck's bytes against nbconvert's own slides of the same notebook with
   plotly's HTML renderer (reveal.js pointed at the vendored copy, nothing else changed);
5. deck readiness in Chromium (``.reveal.ready`` and the first chart slide drawn) against the
   same deck with its charts removed;
6. the kernel's peak memory;
7. the exported timeline page against a Knight Lab TimelineJS 3 page of the same events,
   both from disk, alternating, network cut.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SIZES: tuple[int, ...] = (100, 1_000, 10_000)
INTERACTIONS = 50
TIMELINEJS = "@knight-lab/timelinejs@3.9.11"  # pinned: the peer must not move under us
PAGE_TIMEOUT_MS = 60_000
KERNEL_TIMEOUT = 900  # seconds per cell (the 10,000-event probe is the longest)


# --- records -----------------------------------------------------------------------------


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


# --- output ------------------------------------------------------------------------------


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


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- figure 1: load + validate in fresh processes ----------------------------------------

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


# --- running code in a fresh kernel ------------------------------------------------------


@dataclass
class KernelRun:
    seconds: float  # kernel start → last cell done
    outputs: list[str]  # stdout of each cell
    peak_mb: float


_PEAK = (
    "import resource as _r, json as _j\n"
    "print(_j.dumps({'peak_kb': _r.getrusage(_r.RUSAGE_SELF).ru_maxrss}))"
)


def run_kernel(cells: list[str], cwd: Path, env: dict[str, str]) -> KernelRun:
    """Run ``cells`` in a new ipykernel; time from start-up to the last cell's reply."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    return _run_notebook(nb, cwd, env)


def _run_notebook(nb: Any, cwd: Path, env: dict[str, str]) -> KernelRun:
    import nbformat
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=KERNEL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        store_widget_state=False,
    )

    async def go() -> KernelRun:
        started = time.perf_counter()
        # The kernel's own stderr (start-up warnings) goes to a log, shown if it fails.
        with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
            try:
                async with client.async_setup_kernel(env=env, stderr=log, stdout=log):
                    cells = list(nb.cells)
                    for index, cell in enumerate(cells):
                        await client.async_execute_cell(cell, index)
                    seconds = time.perf_counter() - started
                    probe = nbformat.v4.new_code_cell(_PEAK)
                    nb.cells.append(probe)
                    await client.async_execute_cell(probe, len(cells))
                    nb.cells.pop()
            except Exception as exc:
                log.seek(0)
                raise RuntimeError(f"{exc}\nkernel log: {log.read()[-600:]}") from exc
        outputs = [_stdout(cell) for cell in cells]
        peak = json.loads(_stdout(probe).strip().splitlines()[-1])["peak_kb"] / 1024
        return KernelRun(seconds, outputs, peak)

    return asyncio.run(go())


def _stdout(cell: Any) -> str:
    return "".join(
        o.get("text", "")
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )


def kernel_env(data_dir: Path, cache_dir: Path, lang: str = "ja") -> dict[str, str]:
    return {
        **os.environ,
        "PARLEY_LANG": lang,
        "PARLEY_DATA": str(data_dir.resolve()),
        "PARLEY_CACHE_DIR": str(cache_dir),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


# --- figure 2 and 6: builders, explorer updates, kernel memory (runs inside the kernel) ---


def interactions(as_of: Any, n: int = INTERACTIONS) -> list[dict[str, Any]]:
    """A reader's session: sides, kinds, a search typed and cleared, a date window; cycled.

    Two steps in ten run a text search; every step changes one control.
    """
    import datetime as dt

    end = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    steps: list[dict[str, Any]] = [
        {"sides": ["us"]},
        {"sides": ["us", "russia"]},
        {"kinds": ["call", "meeting", "talks"]},
        {"query": "トランプ"},
        {"query": ""},
        {"start": end - dt.timedelta(days=120), "end": end - dt.timedelta(days=30)},
        {"start": None, "end": None},
        {"kinds": []},
        {"query": "ceasefire"},
        {"sides": [], "query": ""},
    ]
    return [steps[i % len(steps)] for i in range(n)]


def kernel_probe(data_dir: str, repeats: int, n: int, figure_out: str = "") -> dict[str, Any]:
    """Measure inside the kernel: each chart builder, then ``n`` explorer interactions.

    The explorer is :class:`parley.widgets.explorer.Explorer` when it exists (its chart
    widget: each update is serialised to the front end's comm); otherwise the pure
    path (filter, then a new timeline figure), and ``path`` says which was measured.
    """
    import pandas as pd

    from parley import render
    from parley.story.load import load_story
    from parley.tables import frames
    from parley.views import figures

    story = load_story(data_dir, cache=True)
    tables = frames.build_tables(story)
    as_of = pd.Timestamp(story.meta.as_of)
    builders: dict[str, list[float]] = {}
    timed: dict[int, str] = {}
    for fid, spec in figures.REGISTRY.items():
        if id(spec.build) in timed:  # e.g. "explorer" shows the timeline's static figure
            continue
        timed[id(spec.build)] = fid
        runs = []
        shown: dict[str, Any] = {}
        for _ in range(repeats):
            t = time.perf_counter()
            fig = spec.build(tables, as_of, "ja")
            if not isinstance(fig, str):
                shown = render.plotly_bundle(fig)  # what a notebook sends: built and encoded
            runs.append(time.perf_counter() - t)
        builders[fid] = runs
        if fid == "timeline" and figure_out:
            Path(figure_out).write_text(json.dumps(shown[render.PLOTLY_MIMETYPE]), encoding="utf-8")
    path, updates, points = _explorer_updates(story, tables, n)
    import resource

    return {
        "builders": builders,
        "path": path,
        "updates": updates,
        "points": points,
        "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def _explorer_updates(story: Any, tables: Any, n: int) -> tuple[str, list[float], list[int]]:
    steps = interactions(story.meta.as_of, n)
    updates: list[float] = []
    points: list[int] = []
    try:
        from parley.widgets.explorer import Explorer
    except ImportError:
        Explorer = None
    if Explorer is not None:
        explorer = Explorer(story, tables, "ja")
        for step in steps:
            t = time.perf_counter()
            explorer.set_filters(**step)  # synchronous: the chart's data is updated and sent
            updates.append(time.perf_counter() - t)
            points.append(sum(len(tr["x"]) for tr in explorer.chart.data))
        return "Explorer.set_filters → Chart widget", updates, points
    from parley.charts.timeline import timeline
    from parley.tables.explore import Filter, filter_events

    flt = Filter()
    for step in steps:
        t = time.perf_counter()
        flt = Filter(**{**flt.__dict__, **{k: _tuple(v) for k, v in step.items()}})
        fig = timeline(filter_events(tables["events"], flt), tables["sources"], "ja")
        updates.append(time.perf_counter() - t)
        points.append(sum(len(tr.x) for tr in fig.data))
    return "pure filter_events + timeline() (no Explorer yet)", updates, points


def _tuple(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def bench_kernel(
    stories: dict[str, Path], repeats: dict[str, int], work: Path, n: int
) -> tuple[list[Record], list[Record], dict[str, Path]]:
    """Figures 2 and 6, one fresh kernel per story; also the timeline figure per story."""
    fig2: list[Record] = []
    fig6: list[Record] = []
    figures_out: dict[str, Path] = {}
    for label, data_dir in stories.items():
        out = work / f"timeline-{label}.json"
        cache_dir = work / "cache" / f"kernel-{label}"
        code = (
            "import json\nfrom parley.bench import kernel_probe\n"
            f"print(json.dumps(kernel_probe({str(data_dir.resolve())!r}, {repeats[label]}, "
            f"{n}, {str(out)!r})))"
        )
        try:
            ran = run_kernel([code], work, kernel_env(data_dir, cache_dir))
            result = json.loads(ran.outputs[0].strip().splitlines()[-1])
        except Exception as exc:  # a kernel that failed: say so, go on with the rest
            why = _why(exc)
            fig2.append(failed("2", f"widget update median, {label}", "ms", None, why))
            fig6.append(failed("6", f"kernel peak memory, {label}", "MB", None, why))
            continue
        figures_out[label] = out
        bundled = label == "bundled"
        big = label == str(SIZES[-1])
        builders = {k: Sample([x * 1e3 for x in v]) for k, v in result["builders"].items()}
        # Every builder on the bundled story; at other sizes the timeline (the one that
        # grows with the events) and the sum of all.
        for fid, sample in builders.items():
            if bundled or fid == "timeline":
                note = "builder + its JSON, as a notebook shows it" if fid == "timeline" else ""
                fig2.append(measured("2", f"build {fid}, {label}", sample, "ms", note=note))
        fig2.append(
            Record(
                "2",
                f"build all {len(builders)} figures, {label}",
                sum(b.median for b in builders.values()),
                "ms",
                note="sum of the builders' medians" if bundled else "",
            )
        )
        ups = Sample([x * 1e3 for x in result["updates"]])
        note = f"{result['path']}; {len(ups.values)} interactions"
        note += f", {min(result['points'])}–{max(result['points'])} markers shown"
        fig2.append(
            measured(
                "2",
                f"widget update median, {label}",
                ups,
                "ms",
                target=50.0 if bundled else 250.0 if big else None,
                note=note,
            )
        )
        p95 = ups.percentile(95)
        fig2.append(
            Record(
                "2",
                f"widget update p95, {label}",
                p95,
                "ms",
                target=150.0 if bundled else None,
                low=ups.low,
                high=ups.high,
                runs=len(ups.values),
            )
        )
        fig6.append(
            Record(
                "6",
                f"kernel peak memory, {label}",
                result["peak_kb"] / 1024,
                "MB",
                note="ru_maxrss after every builder and the 50 updates" if bundled else "",
            )
        )
    return fig2, fig6, figures_out


# --- figure 3: notebooks from cold kernels -------------------------------------------------

_FLOOR = (
    "import os\n"
    "import ipywidgets\n"
    "import pandas\n"
    "import plotly.graph_objects\n"
    "from parley.story.load import load_story\n"
    "story = load_story(os.environ['PARLEY_DATA'])"
)


def bench_notebooks(
    notebooks: list[Path],
    data_dir: Path,
    work: Path,
    repeats: int,
    seconds_left: Callable[[], float] = lambda: math.inf,
) -> tuple[list[Record], list[Record]]:
    """Rounds of (floor, every notebook), so slow drift on a shared machine hits all alike.
    A round is only started when ``seconds_left()`` has room for it (the bench's budget)."""
    import nbformat

    cwd = notebooks[0].parent
    env = kernel_env(data_dir, work / "cache" / "notebooks")
    times: dict[str, list[float]] = {"floor": []}
    peaks: dict[str, list[float]] = {"floor": []}
    round_s = 0.0
    for done in range(repeats):
        if done and seconds_left() < round_s * 1.1:
            _log(f"  stopping after {done} round(s): the time budget has no room for another")
            break
        started = time.perf_counter()
        floor = run_kernel([_FLOOR], cwd, env)
        times["floor"].append(floor.seconds)
        peaks["floor"].append(floor.peak_mb)
        for path in notebooks:
            nb = nbformat.read(path, as_version=4)
            ran = _run_notebook(nb, cwd, env)
            times.setdefault(path.name, []).append(ran.seconds)
            peaks.setdefault(path.name, []).append(ran.peak_mb)
            _log(f"  {path.name}: {ran.seconds:.2f} s (floor {floor.seconds:.2f} s)")
        round_s = time.perf_counter() - started
    floor_s = Sample(times["floor"])
    fig3 = [measured("3", "floor kernel (imports + load)", floor_s, "s")]
    total = Sample([sum(run) for run in zip(*(times[p.name] for p in notebooks), strict=True)])
    for path in notebooks:
        fig3.append(
            measured(
                "3",
                f"notebook {path.name}",
                Sample(times[path.name]),
                "s",
                reference=floor_s,
                target=1.5,
            )
        )
    fig3.append(
        measured(
            "3",
            f"notebooks total ({len(notebooks)})",
            total,
            "s",
            reference=floor_s.median * len(notebooks),
            target=1.5,
            note="reference: the floor times the number of notebooks",
        )
    )
    worst = max(notebooks, key=lambda p: statistics.median(peaks[p.name]))
    fig6 = [
        measured("6", "kernel peak memory, floor", Sample(peaks["floor"]), "MB"),
        measured(
            "6",
            f"kernel peak memory, notebooks (largest: {worst.name})",
            Sample(peaks[worst.name]),
            "MB",
            reference=Sample(peaks["floor"]),
        ),
    ]
    return fig3, fig6


# --- figures 4, 5, 7: exports in Chromium ------------------------------------------------


@dataclass
class NaiveDeck:
    """A running ``jupyter nbconvert`` of the naive reference deck."""

    process: subprocess.Popen[bytes]
    out: Path
    log: Any

    def result(self, timeout: float = KERNEL_TIMEOUT) -> Path:
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"nbconvert took over {timeout:.0f} s") from None
        self.log.seek(0)
        tail = self.log.read().decode("utf-8", "replace").strip()[-800:]
        self.log.close()
        if code != 0 or not self.out.is_file():
            raise RuntimeError(f"nbconvert failed ({code}): {tail}")
        return self.out


def start_naive_deck(notebook: Path, lang: str, data_dir: Path, out_dir: Path) -> NaiveDeck:
    """nbconvert's own slides with plotly's HTML renderer (plotly.js inlined by plotly), made
    openable from disk only by pointing reveal.js at the vendored copy; nothing else.
    Started in the background: only its size is measured, so it may share the CPU."""
    vendor = Path(__file__).resolve().parent / "vendor" / "reveal.js"
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PLOTLY_RENDERER": "notebook",
        "PARLEY_LANG": lang,
        "PARLEY_DATA": str(data_dir.resolve()),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    jupyter = Path(sys.executable).with_name("jupyter")
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [
            str(jupyter) if jupyter.exists() else "jupyter",
            "nbconvert",
            "--to",
            "slides",
            "--execute",
            f"--ExecutePreprocessor.timeout={KERNEL_TIMEOUT}",
            f"--SlidesExporter.reveal_url_prefix={vendor.as_uri()}",
            "--output-dir",
            str(out_dir),
            "--output",
            f"{notebook.stem}.{lang}",
            str(notebook),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    return NaiveDeck(process, out_dir / f"{notebook.stem}.{lang}.slides.html", log)


# nbconvert's HTML sanitiser may reorder attributes, so each is looked for anywhere in the
# tag; a quoted data-chart id is required, so that the description of this markup in
# charts.js's own comment (inlined in the same file) is left alone.
_CHART = re.compile(
    r'<div(?=[^>]*\bclass="parley-chart")(?=[^>]*\bid="[^"]+")[^>]*>\s*</div>'
    r'|<script(?=[^>]*\bclass="parley-chart-spec")(?=[^>]*\bdata-chart="[^"]+")[^>]*>.*?</script>',
    flags=re.DOTALL,
)


def chart_free(deck: Path, out: Path) -> tuple[Path, int]:
    """The same deck (same inlined libraries, slides, styles) with its charts removed."""
    text, removed = _CHART.subn("", deck.read_text(encoding="utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out, removed // 2


# Set window.__parleyDoneAt (ms since navigation start) when the page is ready: a deck when
# reveal.js is ready and the first slide holding charts has drawn them all; a page when its
# first chart is drawn; a page that reports itself (TimelineJS) sets it on its own.
_READY_JS = """
(() => {
  const leaves = () => Array.from(document.querySelectorAll('.reveal .slides section'))
      .filter((s) => !s.querySelector('section'));
  const check = () => {
    if (window.__parleyDoneAt !== undefined) return;
    const deck = document.querySelector('.reveal');
    if (deck) {
      if (!deck.classList.contains('ready')) return;
      const first = leaves().find((s) => s.querySelector('.parley-chart'));
      if (first && Array.from(first.querySelectorAll('.parley-chart'))
          .some((c) => c.getAttribute('data-drawn') !== 'true')) return;
      window.__parleyCharts = first ? first.querySelectorAll('.parley-chart').length : 0;
    } else {
      const chart = document.querySelector('.parley-chart');
      if (!chart || chart.getAttribute('data-drawn') !== 'true') return;
      window.__parleyCharts = 1;
    }
    window.__parleyDoneAt = performance.now();
  };
  new MutationObserver(check).observe(document, {
    subtree: true, attributes: true, attributeFilter: ['class', 'data-drawn'],
  });
})();
"""


@dataclass
class Browser:
    """One headless Chromium; every load in a new context with the network cut."""

    browser: Any
    blocked: dict[str, int] = field(default_factory=dict)

    def load(self, path: Path, key: str, ready_js: bool = True) -> float:
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        count = self.blocked.setdefault(key, 0)

        def route(r: Any) -> None:
            nonlocal count
            if r.request.url.startswith(("file:", "data:", "blob:")):
                r.continue_()
            else:
                count += 1
                r.abort()

        try:
            context.route("**/*", route)
            if ready_js:
                context.add_init_script(_READY_JS)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.resolve().as_uri(), wait_until="commit", timeout=PAGE_TIMEOUT_MS)
            try:
                page.wait_for_function(
                    "window.__parleyDoneAt !== undefined", timeout=PAGE_TIMEOUT_MS, polling=50
                )
            except Exception:
                why = f"{path.name} never got ready; page errors: {errors[:3]}"
                raise RuntimeError(why) from None
            return float(page.evaluate("window.__parleyDoneAt"))
        finally:
            self.blocked[key] = count
            context.close()

    def evaluate(self, html_path: Path, script: str) -> Any:
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            context.route(
                "**/*",
                lambda r: (
                    r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort()
                ),
            )
            page = context.new_page()
            page.goto(html_path.resolve().as_uri(), wait_until="load", timeout=PAGE_TIMEOUT_MS)
            return page.evaluate(script)
        finally:
            context.close()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    from parley.pdf import CHROMIUM_ARGS, chromium_path  # the handouts' offline-safe flags

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            yield Browser(browser)
        finally:
            browser.close()


def alternate(
    browser: Browser, pages: dict[str, Path], loads: int, warmup: bool = True
) -> dict[str, Sample]:
    """Load each page ``loads`` times, alternating (A B A B …), after one unmeasured load
    each (the first Chromium load pays for the renderer's start-up)."""
    if warmup:
        for key, path in pages.items():
            browser.load(path, f"warmup-{key}")
    out: dict[str, list[float]] = {key: [] for key in pages}
    for i in range(loads):
        order = list(pages.items())
        if i % 2:
            order.reverse()  # neither page always goes first
        for key, path in order:
            out[key].append(browser.load(path, key))
    return {key: Sample(v) for key, v in out.items()}


# TimelineJS: the npm package and the fonts its default font set names, unpacked once into
# build/peer/, and a page of the same events that loads all of it from local files.

TIMELINEJS_FONTS = (  # TimelineJS's font.default.css takes these from Google Fonts' CDN
    "@fontsource/pt-sans@5.3.0",
    "@fontsource/pt-sans-narrow@5.3.0",
    "@fontsource/pt-serif@5.3.0",
)


def npm_package(spec: str, peer_dir: Path) -> Path:
    """``spec`` (name@version) unpacked under ``peer_dir``: ``npm pack`` fetches the
    published tarball only (no install scripts run); reused on later runs."""
    name, version = spec.rsplit("@", 1)
    target = peer_dir / f"{name.rsplit('/', 1)[-1]}-{version}"
    if (target / "package.json").is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (needed once to fetch the TimelineJS peer)")
    peer_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "pack", "--silent", "--pack-destination", str(peer_dir), spec],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"npm pack {spec} failed: {done.stderr.strip()[-400:]}")
    tarball = peer_dir / done.stdout.strip().splitlines()[-1]
    unpack = Path(tempfile.mkdtemp(dir=peer_dir, prefix=".unpack-"))
    try:
        with tarfile.open(tarball) as tar:
            tar.extractall(unpack, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        (unpack / "package").rename(target)
    finally:
        shutil.rmtree(unpack, ignore_errors=True)
        tarball.unlink(missing_ok=True)
    return target


_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def local_font_css(timelinejs: Path, fonts: dict[str, Path], out: Path) -> tuple[Path, int]:
    """TimelineJS's default font CSS with every web-font URL pointing at a local woff2 file
    of the same family, weight and style; returns the file and how many faces it maps."""
    css = (timelinejs / "dist" / "css" / "fonts" / "font.default.css").read_text(encoding="utf-8")
    mapped = 0

    def local(match: re.Match[str]) -> str:
        nonlocal mapped
        face = match.group()
        family = re.search(r"font-family:\s*'([^']+)'", face)
        weight = re.search(r"font-weight:\s*(\d+)", face)
        style = re.search(r"font-style:\s*(\w+)", face)
        if not (family and weight and style):
            return face
        slug = family.group(1).lower().replace(" ", "-")
        file = fonts[slug] / "files" / f"{slug}-latin-{weight.group(1)}-{style.group(1)}.woff2"
        if slug not in fonts or not file.is_file():
            return face
        mapped += 1
        url = os.path.relpath(file, out.parent)
        return re.sub(r"src:[^;]*;", f"src: url({url}) format('woff2');", face)

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(_FACE.sub(local, css), encoding="utf-8")
    return out, mapped


def timelinejs_peer(peer_dir: Path) -> tuple[Path, dict[str, Path]]:
    package = npm_package(TIMELINEJS, peer_dir)
    fonts = {}
    for spec in TIMELINEJS_FONTS:
        path = npm_package(spec, peer_dir)
        fonts[spec.rsplit("@", 1)[0].rsplit("/", 1)[-1]] = path
    return package, fonts


def timelinejs_page(
    story: Any, package: Path, fonts: dict[str, Path], out: Path, lang: str = "ja"
) -> Path:
    """A TimelineJS 3 page of the story's events, everything loaded from local files."""

    def date(d: Any) -> dict[str, int]:
        return {"year": d.year, "month": d.month, "day": d.day}

    events = []
    for e in story.events:
        item: dict[str, Any] = {
            "unique_id": e.id,
            "start_date": date(e.date),
            "text": {
                "headline": html.escape(e.title(lang)),
                "text": f"<p>{html.escape(e.summary(lang))}</p>",
            },
            "group": e.kind,
        }
        if e.end_date:
            item["end_date"] = date(e.end_date)
        events.append(item)
    font_css, _ = local_font_css(package, fonts, out.parent / "font.default.local.css")
    rel = os.path.relpath(package, out.parent)
    data = json.dumps({"events": events}, ensure_ascii=False).replace("</", "<\\/")
    # language "en": its strings are built in; any other is fetched, which file:// forbids.
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>TimelineJS 3 — same events</title>
<link rel="stylesheet" href="{rel}/dist/css/timeline.css">
<script src="{rel}/dist/js/timeline.js"></script>
<style>html, body {{ margin: 0; height: 100%; }} #timeline {{ height: 600px; }}</style>
</head><body>
<div id="timeline"></div>
<script>
var data = {data};
var options = {{
  script_path: new URL({json.dumps(rel + "/dist/js/")}, location.href).href,
  font: new URL({json.dumps(font_css.name)}, location.href).href,
  language: "en",
  hash_bookmark: false
}};
window.timeline = new TL.Timeline("timeline", data, options);
window.timeline.on("loaded", function () {{ window.__parleyDoneAt = performance.now(); }});
</script>
</body></html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


# Timeline responsiveness at scale: the figure drawn with the vendored basic plotly.js, then
# zoomed (a relayout of the x range) five times; both timed in the page.
_SCALE_JS = """
async () => {
  const fig = JSON.parse(document.getElementById('fig').textContent);
  const div = document.getElementById('chart');
  const t0 = performance.now();
  await Plotly.newPlot(div, fig.data, fig.layout, {responsive: true});
  const draw = performance.now() - t0;
  const [lo, hi] = div.layout.xaxis.range.map((d) => new Date(d).getTime());
  const zooms = [];
  for (let i = 0; i < 5; i++) {
    const a = lo + (hi - lo) * (0.1 * i), b = a + (hi - lo) * 0.3;
    const t = performance.now();
    const range = [new Date(a).toISOString(), new Date(b).toISOString()];
    await Plotly.relayout(div, {'xaxis.range': range});
    zooms.push(performance.now() - t);
  }
  const points = div.querySelectorAll('.point').length;
  return {draw, zooms, points};
}
"""


def scale_page(figure_json: Path, out: Path) -> Path:
    from parley.render import script_safe_json

    basic = (
        Path(__file__).resolve().parent
        / "vendor"
        / "plotly.js-basic-dist-min"
        / "plotly-basic.min.js"
    ).read_text(encoding="utf-8")
    basic = re.sub(r"<(?=/script|!--)", r"\\x3C", basic, flags=re.IGNORECASE)
    spec = script_safe_json(json.loads(figure_json.read_text(encoding="utf-8")))
    out.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f'<script>{basic}</script></head><body><div id="chart" style="height:520px"></div>'
        f'<script type="application/json" id="fig">{spec}</script></body></html>',
        encoding="utf-8",
    )
    return out


def bench_scale(browser: Browser, figures_json: dict[str, Path], work: Path) -> list[Record]:
    """The timeline figure of each story size drawn and zoomed in headless Chromium (no GPU),
    against the bundled story's: past scale.MAX_MARKERS a side is aggregated, so the cost
    should stay near the bundled story's whatever the size."""
    records: list[Record] = []
    base: dict[str, Sample] = {}
    pages = {
        label: scale_page(path, work / f"scale-{label}.html")
        for label, path in figures_json.items()
    }
    results: dict[str, list[dict[str, Any]]] = {label: [] for label in pages}
    # Five loads (25 zooms a size): single zooms spread 40–230 ms on the 2-core machine, and
    # medians of 15 moved the 10,000/bundled ratio between 0.8 and 2.0 from run to run.
    for _ in range(5):  # interleaved, so a busy spell on the machine hits every size alike
        for label, page in pages.items():
            results[label].append(browser.evaluate(page, _SCALE_JS))
    for label, path in figures_json.items():
        runs = results[label]
        draw = Sample([r["draw"] for r in runs])
        zoom = Sample([z for r in runs for z in r["zooms"]])
        big = label == str(SIZES[-1])
        if label == "bundled":
            base = {"draw": draw, "zoom": zoom}
        size = f"{runs[0]['points']} SVG points, {path.stat().st_size / 1e6:.1f} MB figure"
        for what, sample, note in (
            ("drawn", draw, f"Plotly.newPlot; {size}"),
            ("zoomed", zoom, "Plotly.relayout of the x range, 5 per load"),
        ):
            key = "draw" if what == "drawn" else "zoom"
            records.append(
                measured(
                    "2",
                    f"timeline {what} in Chromium, {label}",
                    sample,
                    "ms",
                    reference=base.get(key) if label != "bundled" else None,
                    target=2.0 if big and base else None,
                    note=note if label in ("bundled", str(SIZES[-1])) else "",
                )
            )
    return records


def bench_exports(
    data_dir: Path,
    notebooks_dir: Path,
    work: Path,
    out_dir: Path,
    loads: int,
    deck_loads: int,
    langs: Sequence[str],
    figures_json: dict[str, Path],
) -> tuple[list[Record], list[Record], list[Record], list[Record]]:
    """Figures 4, 5, 7 (and the Chromium part of 2); one Chromium for all of them."""
    from parley import export
    from parley.story.load import load_story

    fig2: list[Record] = []
    fig4: list[Record] = []
    fig5: list[Record] = []
    fig7: list[Record] = []
    exported = work / "export"
    deck_notebook = notebooks_dir / "01-overview.ipynb"
    _log("naive decks: nbconvert --to slides --execute, PLOTLY_RENDERER=notebook (background)")
    naive = {
        lang: start_naive_deck(deck_notebook, lang, data_dir, work / "naive") for lang in langs
    }
    _log("exporting decks and pages (parley.export.run)")
    try:
        with contextlib.redirect_stdout(sys.stderr):  # its progress lines: not the table's
            code = export.run(
                data_dir, list(langs), exported, notebooks_dir=notebooks_dir, handouts=False
            )
    except BaseException:
        for job in naive.values():
            job.process.kill()
            job.process.wait()
        raise
    decks = {lang: exported / lang / "01-overview.slides.html" for lang in langs}
    if code != 0:
        for job in naive.values():
            job.process.kill()
            job.process.wait()
        why = f"parley export failed (exit {code})"
        fig4 = [failed("4", f"deck size {lang}", "bytes", 0.6, why) for lang in langs]
        fig5 = [failed("5", f"deck readiness {lang}", "ms", 1.5, why) for lang in langs]
        fig7 = [failed("7", "timeline page vs TimelineJS", "ms", 1.2, why)]
        return fig2, fig4, fig5, fig7

    for lang in langs:
        name = f"deck size {lang}/01-overview.slides.html"
        try:
            reference = naive[lang].result()
            fig4.append(
                Record(
                    "4",
                    name,
                    float(decks[lang].stat().st_size),
                    "bytes",
                    float(reference.stat().st_size),
                    0.6,
                    note="reference: nbconvert slides + plotly's notebook renderer, "
                    "reveal.js from the vendored copy (its linked files not counted)"
                    if lang == langs[0]
                    else "",
                )
            )
        except Exception as exc:
            fig4.append(failed("4", name, "bytes", 0.6, _why(exc)))

    story = load_story(data_dir)
    try:
        package, fonts = timelinejs_peer(out_dir / "peer")
        peer_page = timelinejs_page(story, package, fonts, work / "peer" / "timelinejs.html")
    except Exception as exc:
        package = None
        fig7.append(failed("7", "timeline page vs TimelineJS page", "ms", 1.2, _why(exc)))

    with chromium() as browser:
        for lang in langs:
            free, removed = chart_free(decks[lang], work / "chart-free" / f"{lang}.slides.html")
            name = f"deck readiness {lang}"
            try:
                _log(f"deck readiness ({lang}): {deck_loads} loads each, alternating")
                got = alternate(browser, {"deck": decks[lang], "free": free}, deck_loads)
                fig5.append(
                    measured(
                        "5",
                        name,
                        got["deck"],
                        "ms",
                        reference=got["free"],
                        target=1.5,
                        note=f"time to .reveal.ready + first chart slide drawn; reference: "
                        f"the same deck with its {removed} charts removed",
                    )
                )
            except Exception as exc:
                fig5.append(failed("5", name, "ms", 1.5, _why(exc)))
        if package is not None:
            page = exported / "ja" / "02-timeline.html"
            try:
                _log(f"timeline page vs TimelineJS: {loads} loads each, alternating")
                got = alternate(browser, {"parley": page, "timelinejs": peer_page}, loads)
                fig7.append(
                    measured(
                        "7",
                        "timeline page (ja/02-timeline.html) vs TimelineJS",
                        got["parley"],
                        "ms",
                        reference=got["timelinejs"],
                        target=1.2,
                        note=f"time to chart drawn vs TimelineJS 'loaded'; {TIMELINEJS} "
                        f"from npm, {len(story.events)} events, both from disk",
                    )
                )
                for key, label in (("parley", "timeline page"), ("timelinejs", "TimelineJS")):
                    fig7.append(
                        Record(
                            "7",
                            f"network requests attempted, {label}",
                            float(browser.blocked.get(key, 0)),
                            "requests",
                            target=0.0 if key == "parley" else None,
                            runs=loads,
                            note="every non-file request aborted and counted"
                            if key == "parley"
                            else "",
                        )
                    )
            except Exception as exc:
                fig7.append(failed("7", "timeline page vs TimelineJS", "ms", 1.2, _why(exc)))
        try:
            _log("timeline responsiveness in Chromium per story size")
            fig2 += bench_scale(browser, figures_json, work)
        except Exception as exc:
            fig2.append(failed("2", "timeline in Chromium", "ms", None, _why(exc)))
    return fig2, fig4, fig5, fig7


def _why(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return re.sub(r"\s+", " ", text)[:300]


# --- the run -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    sizes: tuple[int, ...]
    load_repeats: int
    load_repeats_big: int
    builder_repeats: int
    interactions: int
    notebook_rounds: int
    deck_loads: int
    peer_loads: int
    budget: float  # seconds for the whole run: the notebook rounds stop early to keep it

    @classmethod
    def make(cls, quick: bool) -> Plan:
        if quick:  # a smoke run: every figure once, the 10,000-event story left out
            return cls(SIZES[:2], 1, 1, 1, 10, 1, 1, 2, 300.0)
        # Medians over more runs where the shared 2-core machine makes single loads noisy
        # (a page's loads spread over ±30 %): with 15 loads a deck's readiness ratio moved
        # between 1.19 and 1.50 from one language or run to the next, so decks get 25. The
        # whole run stays near 6.5 minutes (budget: 9).
        return cls(SIZES, 9, 3, 3, INTERACTIONS, 5, 25, 15, 540.0)


def _section(name: str, records: list[Record], fn: Callable[[], list[Record]]) -> None:
    started = time.perf_counter()
    _log(f"{name} …")
    try:
        records += fn()
    except Exception as exc:  # one broken figure must not hide the others
        traceback.print_exc(file=sys.stderr)
        records.append(failed(re.findall(r"\d", name)[0], name, "", None, _why(exc)))
    _log(f"{name} done in {time.perf_counter() - started:.0f} s")


def run(data_dir: Path, out_dir: Path, quick: bool = False) -> int:
    """Run every figure, print the table, write ``out_dir/bench.json``; 0 when it ran."""
    from parley import export, synth

    started = time.perf_counter()
    plan = Plan.make(quick)
    data_dir = Path(data_dir)
    out_dir = Path(out_dir)
    work = Path(tempfile.mkdtemp(prefix="parley-bench-"))
    try:
        stories: dict[str, Path] = {"bundled": data_dir}
        for n in plan.sizes:
            stories[str(n)] = synth.write_story(n, work / f"synth-{n}", data_dir)
        load_repeats = {
            k: plan.load_repeats_big if k == str(SIZES[-1]) else plan.load_repeats for k in stories
        }
        builder_repeats = {k: 1 if k == str(SIZES[-1]) else plan.builder_repeats for k in stories}
        notebooks_dir = export.find_notebooks_dir()
        notebooks = sorted(notebooks_dir.glob("*.ipynb"))

        fig: dict[str, list[Record]] = {k: [] for k in "1234567"}
        figures_json: dict[str, Path] = {}

        _section(
            "figure 1: load + validate", fig["1"], lambda: bench_load(stories, load_repeats, work)
        )

        def kernels() -> list[Record]:
            f2, f6, out = bench_kernel(stories, builder_repeats, work, plan.interactions)
            figures_json.update(out)
            fig["6"] += f6
            return f2

        _section("figure 2: builders and widget updates (kernel)", fig["2"], kernels)

        def exports() -> list[Record]:
            f2, f4, f5, f7 = bench_exports(
                data_dir,
                notebooks_dir,
                work,
                out_dir,
                plan.peer_loads,
                plan.deck_loads,
                ("ja", "en"),
                figures_json,
            )
            fig["2"] += f2
            fig["5"] += f5
            fig["7"] += f7
            return f4

        _section("figure 4, 5, 7: exports in Chromium", fig["4"], exports)

        # Last, because its rounds are what gives way when the machine is slow.
        def notebooks_run() -> list[Record]:
            def left() -> float:
                return plan.budget - (time.perf_counter() - started)

            f3, f6 = bench_notebooks(notebooks, data_dir, work, plan.notebook_rounds, left)
            fig["6"] += f6
            return f3

        _section("figure 3: notebooks from cold kernels", fig["3"], notebooks_run)
        records = [r for k in "1234567" for r in fig[k]]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    path = write_json(records, out_dir / "bench.json")
    elapsed = time.perf_counter() - started
    print(table(records))
    passed = sum(r.passed is True for r in records)
    failed_n = sum(r.passed is False for r in records)
    print(f"\n{passed} passed, {failed_n} failed, {sum(r.passed is None for r in records)} info")
    print(
        f"wrote {path} ({len(records)} records) in {elapsed:.0f} s" + (" [quick]" if quick else "")
    )
    return 0
