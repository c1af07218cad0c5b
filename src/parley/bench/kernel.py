"""Running code in a fresh kernel; figures 2 and 6 (builders, explorer updates, peak memory)
measured inside one, and figure 3 (every notebook from a cold kernel, against a floor)."""

from __future__ import annotations

import asyncio
import json
import math
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parley import settings
from parley.bench.plan import INTERACTIONS, KERNEL_TIMEOUT, SIZES
from parley.bench.records import Record, Sample, failed, log, measured, why
from parley.settings import Settings


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
    """A bench kernel's environment (:func:`parley.settings.kernel_env`) on its own cache."""
    return settings.kernel_env(Settings(data_dir.resolve(), lang), cache_dir=cache_dir)


def interactions(
    as_of: Any, n: int = INTERACTIONS, sides: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """A reader's session: sides, kinds, a search typed and cleared, a date window; cycled.

    Two steps in ten run a text search; every step changes one control.
    """
    import datetime as dt

    end = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    steps: list[dict[str, Any]] = [
        {"sides": list(sides[:1])},
        {"sides": list(sides[:2])},
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

    from parley.publish import render
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
    steps = interactions(story.meta.as_of, n, tuple(s.id for s in story.meta.sides))
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
        fig = timeline(
            filter_events(tables["events"], flt), tables["sources"], "ja", sides=tables["sides"]
        )
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
            "import json\nfrom parley.bench.kernel import kernel_probe\n"
            f"print(json.dumps(kernel_probe({str(data_dir.resolve())!r}, {repeats[label]}, "
            f"{n}, {str(out)!r})))"
        )
        try:
            ran = run_kernel([code], work, kernel_env(data_dir, cache_dir))
            result = json.loads(ran.outputs[0].strip().splitlines()[-1])
        except Exception as exc:  # a kernel that failed: say so, go on with the rest
            reason = why(exc)
            fig2.append(failed("2", f"widget update median, {label}", "ms", None, reason))
            fig6.append(failed("6", f"kernel peak memory, {label}", "MB", None, reason))
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
            log(f"  stopping after {done} round(s): the time budget has no room for another")
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
            log(f"  {path.name}: {ran.seconds:.2f} s (floor {floor.seconds:.2f} s)")
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
