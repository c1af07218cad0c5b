"""`parley bench-app`'s parts that need no server: memory by PSS, a process's descendants,
the records (targets beside the figures), and its command line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from parley import cli
from parley.bench import app
from parley.bench.records import table


def test_pss_and_descendants_of_a_real_process_tree() -> None:
    code = "import time; print('ready', flush=True); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"  # it runs
        assert child.pid in app.descendants(os.getpid())
        assert 1 < app.pss_mb(child.pid) < 200
    finally:
        child.kill()
        child.wait()
        child.stdout.close()  # type: ignore[union-attr]
    assert app.pss_mb(child.pid) == 0.0, "a process that is gone holds nothing"


def _run(times: list[float], failures: int, after_kernels: int, after_mb: float) -> app.Run:
    idle = app.Snapshot(kernels=8, kernel_mb=[90.0] * 8, total_mb=900.0)
    after = app.Snapshot(kernels=after_kernels, kernel_mb=[], total_mb=after_mb)
    return app.Run(times, failures, idle, 2500.0, after)


def test_records_put_each_target_beside_its_figure() -> None:
    good = app._records("10 HTTP readers at once", _run([1.0] * 9 + [2.0], 0, 8, 950.0), 3.0)
    verdicts = {r.name.split(": ")[1]: r.passed for r in good}
    assert verdicts == {
        "p50": None,
        "p95": True,
        "failures": True,
        "peak memory (PSS)": None,
        "kernels left 2 min after": True,
        "memory left 2 min after": True,
    }
    p95 = next(r for r in good if r.name.endswith("p95"))
    assert abs(p95.value - 1.55) < 1e-9 and p95.runs == 10  # interpolated between 1.0 and 2.0

    bad = app._records("40 HTTP readers at once", _run([30.0] * 38, 2, 11, 1400.0), 20.0)
    assert [r.passed for r in bad if r.target is not None] == [False, False, False, False]
    text = table(bad)
    assert "FAIL" in text and "≤ 20.00 s" in text and "2 min after: 11 kernels" in text


def test_the_lone_page_first_says_how_fast_the_machine_was() -> None:
    run = _run([9.0] * 9 + [12.0], 0, 8, 950.0)
    run.alone = 1.5
    lone = app._alone_record("10 Chromium pages at once", run)
    assert lone.value == 1.5 and lone.target is None and lone.passed is None  # information
    assert "p95 7.1 × this" in lone.note  # (10.65 s, interpolated, over 1.5 s)
    run.alone = None  # the page alone never went live: a failure, not a missing row
    assert app._alone_record("10 Chromium pages at once", run).passed is False


def test_bench_app_refuses_bad_bursts(capsys) -> None:
    assert cli.main(["bench-app", "--bursts", "ten"]) == 2
    assert cli.main(["bench-app", "--bursts", "1000"]) == 2
    err = capsys.readouterr().err
    assert "--bursts" in err and "1-200 readers" in err


def test_forked_kernels_count_as_kernels_and_their_template_does_not() -> None:
    # A stand-in template: a process whose command line names parley.appkernel and which
    # forks a child (the child has the same command line, as a forked kernel has).
    code = (
        "import os, sys, time\n"
        "pid = os.fork()\n"
        "os.write(1, b'forked\\n' if pid else b'child\\n')  # one write: lines never mix\n"
        "time.sleep(30)\n"
    )
    template = subprocess.Popen(
        [sys.executable, "-c", code, app.TEMPLATE], stdout=subprocess.PIPE, text=True
    )
    try:
        assert template.stdout is not None
        assert sorted(template.stdout.readline() for _ in range(2)) == ["child\n", "forked\n"]
        kernels = app.kernel_pids(os.getpid())
        forks = app.descendants(template.pid)
        assert len(forks) == 1 and kernels == forks  # the fork, not the template
    finally:
        for pid in app.descendants(template.pid):
            os.kill(pid, 9)
        template.kill()
        template.wait()
        template.stdout.close()  # type: ignore[union-attr]


def test_devtools_address_is_read_from_what_chromium_prints() -> None:
    from parley.bench import cdp

    lines = [
        "[1207/092000.1:WARNING:sandbox] something else\n",
        "\n",
        "DevTools listening on ws://127.0.0.1:40123/devtools/browser/0a-1b\n",
        "DevTools listening on ws://127.0.0.1:9/devtools/browser/later\n",
    ]
    assert cdp.devtools_url(iter(lines)) == "ws://127.0.0.1:40123/devtools/browser/0a-1b"
    assert cdp.devtools_url(iter(lines[:2])) is None  # Chromium exited before listening


def test_a_page_never_live_is_a_failure_that_says_where_it_stopped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Tab:
        def __init__(self, live_at: float | None) -> None:
            self.live_at = live_at

        def evaluate(self, expression: str) -> object:
            if expression == app.WHY_NOT_LIVE:
                return '{"loading": "Running 01-overview.ipynb", "errors": ["boom"]}'
            return self.live_at

    monkeypatch.setattr(app, "READER_TIMEOUT", 0.3)
    monkeypatch.setattr(app, "PAGE_POLL", 0.05)
    done = app._live_times([Tab(2500.0), Tab(None)], began_ms=1000.0)  # type: ignore[list-item]
    assert done == {0: 1.5}
    logged = capsys.readouterr().err
    assert "page 2 not live after 0 s" in logged and '"errors": ["boom"]' in logged
    assert "page 1 " not in logged
