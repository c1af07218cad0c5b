"""``parley bench``'s run: every figure in turn, the table, ``bench.json``."""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from parley.bench.decks import bench_exports
from parley.bench.kernel import bench_kernel, bench_notebooks
from parley.bench.load import bench_load
from parley.bench.plan import SIZES, Plan
from parley.bench.records import Record, failed, log, table, why, write_json
from parley.bench.site import bench_site

# TimelineJS: the npm package and the fonts its default font set names, unpacked once into
# build/peer/, and a page of the same events that loads all of it from local files.


# --- the run -----------------------------------------------------------------------------


def _section(name: str, records: list[Record], fn: Callable[[], list[Record]]) -> None:
    started = time.perf_counter()
    log(f"{name} …")
    try:
        records += fn()
    except Exception as exc:  # one broken figure must not hide the others
        traceback.print_exc(file=sys.stderr)
        records.append(failed(re.findall(r"\d", name)[0], name, "", None, why(exc)))
    log(f"{name} done in {time.perf_counter() - started:.0f} s")


def run(data_dir: Path, out_dir: Path, quick: bool = False) -> int:
    """Run every figure, print the table, write ``out_dir/bench.json``; 0 when it ran."""
    from parley.bench import synth
    from parley.publish import export

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

        fig: dict[str, list[Record]] = {k: [] for k in "12345678"}
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
        _section(
            "figure 8: site mode transfer",
            fig["8"],
            lambda: bench_site(data_dir, notebooks_dir, work, ("ja", "en")),
        )

        def page_explorer() -> list[Record]:
            from parley.bench.browser import chromium
            from parley.bench.explorer import bench_explorer

            with chromium() as browser:
                return bench_explorer(browser, stories, work)

        _section("figure 2: page explorer updates (Chromium)", fig["2"], page_explorer)

        # Last, because its rounds are what gives way when the machine is slow.
        def notebooks_run() -> list[Record]:
            def left() -> float:
                return plan.budget - (time.perf_counter() - started)

            f3, f6 = bench_notebooks(notebooks, data_dir, work, plan.notebook_rounds, left)
            fig["6"] += f6
            return f3

        _section("figure 3: notebooks from cold kernels", fig["3"], notebooks_run)
        records = [r for k in "12345678" for r in fig[k]]
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
