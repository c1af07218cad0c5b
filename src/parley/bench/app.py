"""``parley bench-app`` (`make bench-app`): how many readers app mode holds on this machine.

For each burst size a fresh `make app` server (the repository's default settings:
voila.json's preheated pools and culling) on loopback; once its pools are warm, that many
readers arrive at once, each a plain HTTP client that reads the page until it has streamed
whole (the notebook has run: Voilà's page ends with ``</html>``). Then, once, ten Chromium
pages that wait until the widgets are live (the language switch drawn and the first chart's
title), after one page alone on the same server (the run's measure of the machine's
speed). After each run the readers leave and the bench waits two minutes: the kernels and
the memory should be back at the idle level (a closed page's kernel is shut down, a page
that never connected is culled). Memory is PSS (``/proc/<pid>/smaps_rollup``), so the
libraries every kernel shares are not counted once per kernel.

Bounded: every request, page and wait has a timeout, the server is stopped (and what it
started killed by process id) whatever happens, and nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from parley.bench.records import Record, Sample, log, table, write_json

if TYPE_CHECKING:  # (the DevTools driver needs the dev extra: imported where it runs)
    from parley.bench import cdp

NOTEBOOK = "01-overview.ipynb"
BURSTS = (1, 10, 20, 40)
PAGES = 10  # Chromium pages at once
# Targets (seconds to the page streamed whole / widgets live, at p95), from issue 25.
TARGET_P95 = {10: 3.0, 20: 8.0, 40: 20.0}
TARGET_PAGES_P95 = 15.0
TARGET_KERNEL_PSS_MB = 120.0
AFTER = 120.0  # s after the readers leave: kernels and memory back to idle by then
SETTLE_MB = TARGET_KERNEL_PSS_MB  # "back to idle": within one warm kernel's memory
START_TIMEOUT = 600.0  # s for a fresh server's pools to fill on a busy machine
READER_TIMEOUT = 180.0  # s for one reader's page
# s between memory samples during a run: one sample costs ~0.08 CPU-s (snapshot), and twice
# a second (with each PSS read twice) it took a sixth of the two cores from the readers
# it measured; memory rises and falls with kernels that live for seconds at least.
SAMPLE_EVERY = 2.0
# Each page notes for itself when its widgets are live (epoch ms), so that the bench's
# polling of ten pages in turn adds nothing to what it measures.
PAGE_READY_JS = """
(() => {
  const live = () => !!document.querySelector('.parley-lang-switch button')
      && !!document.querySelector('.js-plotly-plot .gtitle');
  const check = () => {
    if (window.__parleyLiveAt === undefined && live()) {
      window.__parleyLiveAt = performance.timeOrigin + performance.now();
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true});
  // What a page that never goes live reports (WHY_NOT_LIVE): its errors, as they happen.
  const errors = window.__parleyErrors = [];
  const note = (text) => { if (errors.length < 5) errors.push(String(text).slice(0, 300)); };
  window.addEventListener('error', (e) => note(e.message));
  window.addEventListener('unhandledrejection',
    (e) => note(e.reason && e.reason.message || e.reason));
  const consoleError = console.error.bind(console);
  console.error = (...args) => { note(args.join(' ')); consoleError(...args); };
  const consoleWarn = console.warn.bind(console);  // (our chart's failed steps warn)
  console.warn = (...args) => {
    if (String(args[0]).startsWith('parley')) note(args.join(' '));
    consoleWarn(...args);
  };
})();
"""
LIVE_EXPRESSION = "window.__parleyLiveAt === undefined ? null : window.__parleyLiveAt"
# A page not live in time: what it shows (Voilà's loading text, if still there), how far its
# widgets got, and its first errors; a failure then says where it stopped.
WHY_NOT_LIVE = """JSON.stringify({
  loading: ((document.querySelector('#loading') || {}).innerText || '').trim().slice(0, 120),
  switch: !!document.querySelector('.parley-lang-switch button'),
  charts: document.querySelectorAll('.js-plotly-plot').length,
  titled: document.querySelectorAll('.js-plotly-plot .gtitle').length,
  errors: window.__parleyErrors || [],
})"""
LIVE_AT = f"() => {LIVE_EXPRESSION}"  # the same, as a function (Playwright's evaluate)
PAGE_POLL = 0.5  # s between asking the pages not yet live


# --- processes and their memory ----------------------------------------------------------


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return found


def descendants(pid: int) -> list[int]:
    children = _children()
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def pss_mb(pid: int) -> float:
    """The process's proportional set size in MB (0 if it is gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


@dataclass
class Snapshot:
    kernels: int
    kernel_mb: list[float]  # PSS of each kernel
    total_mb: float  # the server and everything it started

    @property
    def per_kernel_mb(self) -> float:
        return sum(self.kernel_mb) / len(self.kernel_mb) if self.kernel_mb else 0.0


TEMPLATE = "parley.appkernel"  # the command line of app mode's kernel template and its forks


def kernel_pids(server_pid: int) -> list[int]:
    """The server's kernels: launched (``ipykernel_launcher``) or forked from its kernel
    template (children of the template, with its command line; the template is none)."""
    children = _children()
    found, todo = [], [server_pid]
    while todo:
        parent = todo.pop()
        forks = TEMPLATE in _cmdline(parent)
        for child in children.get(parent, []):
            line = _cmdline(child)
            if "ipykernel" in line or (forks and TEMPLATE in line):
                found.append(child)
            todo.append(child)
    return found


def snapshot(server_pid: int) -> Snapshot:
    # Each process's PSS read once: the kernel walks its page tables for it (~3 ms a
    # process, ~0.08 CPU-s for the server and its 30-odd kernels).
    sizes = {pid: pss_mb(pid) for pid in [server_pid, *descendants(server_pid)]}
    kernels = kernel_pids(server_pid)
    kernel_mb = [sizes[p] if p in sizes else pss_mb(p) for p in kernels]
    return Snapshot(len(kernels), kernel_mb, sum(sizes.values()))


# --- the server -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class AppServer:
    url: str
    pid: int
    log: Path

    def pools_filled(self) -> int:
        return self.log.read_text(errors="replace").count("Kernel pool of ")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    spawned = descendants(proc.pid)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    for pid in spawned:  # kernels run in sessions of their own
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@contextmanager
def app_server(root: Path, work: Path, pools: int) -> Iterator[AppServer]:
    """`make app` on a free loopback port, once its ``pools`` kernel pools are full."""
    port = _free_port()
    log_path = work / f"app-{port}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    for name in ("CONFIG", "DATA", "RUNTIME"):
        env[f"JUPYTER_{name}_DIR"] = str(work / f"jupyter-{name.lower()}-{port}")
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            ["make", "-s", "-C", str(root), "app", f"APP_PORT={port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    server = AppServer(f"http://127.0.0.1:{port}", proc.pid, log_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while server.pools_filled() < pools:
            if proc.poll() is not None:
                raise RuntimeError(f"app server exited: {log_path.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"pools not full within {START_TIMEOUT:.0f} s")
            time.sleep(1)  # poll the server's log for "Kernel pool of … is filled"
        # "Filled" means started: the pool's kernels are still running their notebooks.
        wait_quiet(server, deadline)
        yield server
    finally:
        _stop(proc)


QUIET_CPU = 0.05  # of one core: the server and its kernels together, when idle
QUIET_FOR = 3  # consecutive quiet samples


def wait_quiet(server: AppServer, deadline: float, every: float = 2.0) -> None:
    """Until the server and every kernel it started sit idle (every warm kernel has run
    its notebook), measured by their own CPU time, whatever else the machine runs."""
    quiet = 0
    while quiet < QUIET_FOR:
        if time.monotonic() > deadline:
            raise TimeoutError("the server and its kernels never went idle")
        pids = [server.pid, *descendants(server.pid)]
        before = cpu_seconds(pids)
        time.sleep(every)  # one CPU sample
        quiet = quiet + 1 if (cpu_seconds(pids) - before) / every < QUIET_CPU else 0


# --- readers ----------------------------------------------------------------------------


def http_reader(url: str, start: threading.Event) -> float | None:
    """Seconds until the page has streamed whole; None if it failed."""
    start.wait()
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=READER_TIMEOUT) as response:
            body = response.read()
            ok = response.status == 200
    except (OSError, ValueError):
        return None
    if not ok or not body.rstrip().endswith(b"</html>"):
        return None
    return time.perf_counter() - began


@dataclass
class Run:
    times: list[float]
    failures: int
    idle: Snapshot
    peak_mb: float
    after: Snapshot
    alone: float | None = None  # Chromium: one page alone first, seconds to widgets live


@contextmanager
def peak_memory(server: AppServer, start_mb: float) -> Iterator[list[float]]:
    """While in the block, the server's total PSS sampled every ``SAMPLE_EVERY`` s from
    another thread; the list's one item is the peak so far (final once the block ends)."""
    stop, peak = threading.Event(), [start_mb]

    def watch() -> None:
        while not stop.wait(SAMPLE_EVERY):
            peak[0] = max(peak[0], snapshot(server.pid).total_mb)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield peak
    finally:
        stop.set()
        watcher.join()


def _after(server: AppServer) -> Snapshot:
    """The server two minutes after the readers left."""
    time.sleep(AFTER)
    return snapshot(server.pid)


def burst(server: AppServer, readers: int) -> Run:
    idle = snapshot(server.pid)
    url = f"{server.url}/voila/render/{NOTEBOOK}"
    start = threading.Event()
    with peak_memory(server, idle.total_mb) as peak, ThreadPoolExecutor(readers) as pool:
        futures = [pool.submit(http_reader, url, start) for _ in range(readers)]
        time.sleep(0.2)  # every reader waits at the gate
        start.set()
        results = [f.result() for f in futures]
    times = [r for r in results if r is not None]
    return Run(times, readers - len(times), idle, peak[0], _after(server))


def _live_times(tabs: list[cdp.Page], began_ms: float) -> dict[int, float]:
    """Seconds from ``began_ms`` (epoch ms) until each of ``tabs`` noted its widgets live;
    a tab that breaks or is not live within READER_TIMEOUT is left out (a failure); one not
    live is logged with what it shows (:data:`WHY_NOT_LIVE`)."""
    from parley.bench import cdp

    done: dict[int, float] = {}
    waiting = set(range(len(tabs)))
    began = time.perf_counter()
    # Each page notes when it is live; asking the pages not yet live twice a second
    # costs the machine next to nothing and the figure nothing (the page's own time).
    while waiting and time.perf_counter() - began < READER_TIMEOUT:
        time.sleep(PAGE_POLL)
        for n in sorted(waiting):
            try:
                live_at = tabs[n].evaluate(LIVE_EXPRESSION)
            except cdp.CdpError:  # the page broke: a failure
                waiting.discard(n)
                continue
            if live_at is not None:
                done[n] = (float(live_at) - began_ms) / 1000
                waiting.discard(n)
    for n in sorted(waiting):
        try:
            why = tabs[n].evaluate(WHY_NOT_LIVE)
        except cdp.CdpError as exc:
            why = str(exc)
        log(f"page {n + 1} not live after {READER_TIMEOUT:.0f} s: {why}")
    return done


def chromium_pages(server: AppServer, pages: int) -> Run:
    """``pages`` Chromium pages opened at once, each in a fresh browser context (a new
    reader: nothing cached); each done when its widgets are live. Driven over the DevTools
    protocol directly (:mod:`parley.bench.cdp`), not Playwright, whose driver would take
    part of the two cores the pages and the server share.

    First one page alone, in the same browser on the same idle server: the run's own
    measure of how fast this machine is at the time (a virtual machine's speed moves from
    hour to hour, and the pages at once move with it)."""
    from parley.bench import cdp

    url = f"{server.url}/voila/render/{NOTEBOOK}"
    with cdp.launch() as browser:
        lone = browser.new_page(1280, 900, init_script=PAGE_READY_JS)
        began_ms = time.time() * 1000
        lone.navigate(url)
        alone = _live_times([lone], began_ms).get(0)
        lone.close()
        # (its kernel shut down and the pool topped up again before the pages arrive)
        wait_quiet(server, time.monotonic() + START_TIMEOUT)
        idle = snapshot(server.pid)
        tabs = [browser.new_page(1280, 900, init_script=PAGE_READY_JS) for _ in range(pages)]
        with peak_memory(server, idle.total_mb) as peak:
            began_ms = time.time() * 1000
            for tab in tabs:
                tab.navigate(url)
            done = _live_times(tabs, began_ms)
        for tab in tabs:
            tab.close()  # as a tab closes: the page frees its kernel
        time.sleep(2)  # the shutdown beacons reach the server
    return Run(list(done.values()), pages - len(done), idle, peak[0], _after(server), alone)


# --- records ----------------------------------------------------------------------------


def _records(label: str, run: Run, target_p95: float | None) -> list[Record]:
    sample = Sample(run.times) if run.times else None
    p50 = sample.percentile(50) if sample else None
    p95 = sample.percentile(95) if sample else None
    extra_kernels = float(run.after.kernels - run.idle.kernels)
    extra_mb = run.after.total_mb - run.idle.total_mb
    note = (
        f"idle: {run.idle.kernels} warm kernels, {run.idle.total_mb:.0f} MB PSS in all; "
        f"2 min after: {run.after.kernels} kernels, {run.after.total_mb:.0f} MB"
    )
    runs = len(run.times) + run.failures
    return [
        Record("app", f"{label}: p50", p50, "s", runs=runs),
        Record("app", f"{label}: p95", p95, "s", target=target_p95, runs=runs),
        Record("app", f"{label}: failures", float(run.failures), "readers", target=0),
        Record("app", f"{label}: peak memory (PSS)", run.peak_mb, "MB", note=note),
        Record("app", f"{label}: kernels left 2 min after", extra_kernels, "kernels", target=0),
        Record("app", f"{label}: memory left 2 min after", extra_mb, "MB", target=SETTLE_MB),
    ]


def _alone_record(label: str, run: Run) -> Record:
    """The Chromium run's one page alone first: how fast the machine is in this run."""
    p95 = Sample(run.times).percentile(95) if run.times else None
    ratio = f"; the pages at once: p95 {p95 / run.alone:.1f} × this" if p95 and run.alone else ""
    note = f"the same browser and server, idle: this run's machine speed{ratio}"
    return Record("app", f"{label}: one page alone first", run.alone, "s", note=note)


def run(root: Path, out_dir: Path, bursts: tuple[int, ...] = BURSTS, pages: int = PAGES) -> int:
    """Every burst on a fresh server, then the Chromium pages; the table and
    ``out_dir/bench-app.json``. Returns 0 when it ran (the table says PASS/FAIL)."""
    started = time.perf_counter()
    pools = len(list((root / "notebooks").glob("*.ipynb")))
    records: list[Record] = []
    work = Path(tempfile.mkdtemp(prefix="parley-bench-app-"))
    idle_kernel: list[float] = []
    cpus = os.cpu_count() or 1
    for readers in (*bursts, 0) if pages else bursts:
        label = f"{readers} HTTP readers at once" if readers else f"{pages} Chromium pages at once"
        log(f"{label}: starting a fresh server (pools warm first) …")
        try:
            with app_server(root, work, pools) as server:
                idle_kernel += snapshot(server.pid).kernel_mb
                log(f"{label}: go")
                result = burst(server, readers) if readers else chromium_pages(server, pages)
        except (OSError, RuntimeError, TimeoutError) as exc:
            log(f"{label}: not measured: {exc}")
            records.append(Record("app", f"{label}: p95", None, "s", note=f"not measured: {exc}"))
            continue
        target = TARGET_P95.get(readers) if readers else TARGET_PAGES_P95
        if not readers:
            records.append(_alone_record(label, result))
        records += _records(label, result, target)
        log(f"{label}: done")
    per_kernel = sum(idle_kernel) / len(idle_kernel) if idle_kernel else None
    records.append(
        Record(
            "app",
            "idle memory per warm kernel (PSS)",
            per_kernel,
            "MB",
            target=TARGET_KERNEL_PSS_MB,
            runs=len(idle_kernel),
            note=f"{cpus} CPUs; pool sizes from voila.json",
        )
    )
    path = write_json(records, out_dir / "bench-app.json")
    print(table(records))
    passed = sum(r.passed is True for r in records)
    failed = sum(r.passed is False for r in records)
    print(f"\n{passed} passed, {failed} failed, {sum(r.passed is None for r in records)} info")
    print(f"wrote {path} ({len(records)} records) in {time.perf_counter() - started:.0f} s")
    return 0
