"""Work run outside or after an event loop's current task (kernels run one)."""

from __future__ import annotations

import asyncio
import threading

from parley import loops


def test_outside_loop_runs_in_a_thread_without_a_loop() -> None:
    def where() -> tuple[str, bool]:
        try:
            asyncio.get_running_loop()
            has_loop = True
        except RuntimeError:
            has_loop = False
        return threading.current_thread().name, has_loop

    assert loops.outside_loop(where) == (threading.current_thread().name, False)

    async def inside() -> tuple[str, bool]:
        return loops.outside_loop(where)

    name, has_loop = asyncio.run(inside())
    assert name != threading.current_thread().name and not has_loop


def test_when_idle_runs_at_once_without_a_loop() -> None:
    ran: list[int] = []
    loops.when_idle(lambda: ran.append(1))
    assert ran == [1]


def test_when_idle_waits_for_the_loop_and_drops_failures() -> None:
    ran: list[str] = []

    def boom() -> None:
        ran.append("boom")
        raise RuntimeError("only ahead of need")

    async def cell() -> list[str]:
        loops.when_idle(lambda: ran.append("warm"), delay=0.05)
        loops.when_idle(boom, delay=0.01)
        seen = list(ran)  # nothing runs inside the "cell" that scheduled it
        await asyncio.sleep(0.2)  # the kernel goes idle
        return seen

    assert asyncio.run(cell()) == []
    assert ran == ["boom", "warm"]


def test_widget_shown_then_warmed_in_the_other_language_when_idle(monkeypatch) -> None:
    from parley import i18n, nb

    class Widget:
        lang = "ja"

        def __init__(self) -> None:
            self.widget = object()
            self.warmed: list[str] = []

        def warm(self, lang: str) -> None:
            self.warmed.append(lang)

    shown: list[object] = []
    monkeypatch.setattr(nb, "display", shown.append)
    w = Widget()

    async def cell() -> list[str]:
        nb._display_warm(w)
        seen = list(w.warmed)
        await asyncio.sleep(loops.IDLE_DELAY + 0.3)
        return seen

    assert asyncio.run(cell()) == []
    assert shown == [w.widget]
    assert w.warmed == [lang for lang in i18n.LANGS if lang != "ja"]
