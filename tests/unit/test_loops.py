"""Work run outside or after an event loop's current task (kernels run one)."""

from __future__ import annotations

import asyncio
import threading

from kernel_support import in_a_fresh_thread, in_a_kernel_cell

from parley.base import loops


def _where() -> tuple[str, bool]:
    try:
        asyncio.get_running_loop()
        has_loop = True
    except RuntimeError:
        has_loop = False
    return threading.current_thread().name, has_loop


def test_outside_loop_runs_here_without_a_loop_else_in_a_thread() -> None:
    def call() -> tuple[tuple[str, bool], str]:
        return loops.outside_loop(_where), threading.current_thread().name

    (ran_in, has_loop), caller = in_a_fresh_thread(call)
    assert ran_in == caller and not has_loop

    (ran_in, has_loop), caller = in_a_kernel_cell(call, idle=0)
    assert ran_in != caller and not has_loop


def test_when_idle_runs_at_once_without_a_loop() -> None:
    ran: list[int] = []
    in_a_fresh_thread(lambda: loops.when_idle(lambda: ran.append(1)))
    assert ran == [1]


def test_when_idle_waits_for_the_loop_and_drops_failures() -> None:
    ran: list[str] = []

    def boom() -> None:
        ran.append("boom")
        raise RuntimeError("only ahead of need")

    def cell() -> list[str]:
        loops.when_idle(lambda: ran.append("warm"), delay=0.05)
        loops.when_idle(boom, delay=0.01)
        return list(ran)  # nothing runs inside the cell that scheduled it

    assert in_a_kernel_cell(cell, idle=0.2) == []
    assert ran == ["boom", "warm"]


def test_widget_shown_then_fitted_and_warmed_when_idle(monkeypatch) -> None:
    from parley import i18n, nb

    fitted: list[object] = []

    class Figure:
        def fit_width(self) -> None:
            fitted.append(self)

    class Widget:
        lang = "ja"

        def __init__(self) -> None:
            self.widget = object()
            self.chart = Figure()
            self.warmed: list[str] = []

        def warm(self, lang: str) -> None:
            self.warmed.append(lang)

    shown: list[object] = []
    monkeypatch.setattr(nb, "display", shown.append)
    w = Widget()

    def cell() -> tuple[list[str], list[object]]:
        nb._display_widget(w)
        return list(w.warmed), list(fitted)

    assert in_a_kernel_cell(cell) == ([], [])  # nothing of it inside the cell
    assert shown == [w.widget]
    assert fitted == [w.chart]
    assert w.warmed == [lang for lang in i18n.LANGS if lang != "ja"]
