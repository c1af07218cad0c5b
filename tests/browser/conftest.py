"""Real-browser checks of `parley export`: Debian chromium driven by Playwright.

The exports are built once per session (``parley.publish.export.run``) into a tmp folder: one from
the story in ``data/`` and one from a copy whose every text carries HTML/script payloads.
Every page is opened from ``file://`` with every non-file request aborted *and counted*.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from offline import (
    LANGS,
    NOTEBOOKS,
    SLIDE,
    Visit,
    lengthen_first_chapter,
    poison,
    story_dir,
)


def _export(data: Path, out: Path) -> Path:
    """Export both languages into ``out``; its progress lines go to ``out``.log beside it."""
    from parley.publish.export import run

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        # (the PDF handouts are printed and checked by tests/e2e/test_handout.py)
        code = run(
            data_dir=data, langs=list(LANGS), out_dir=out, notebooks_dir=NOTEBOOKS, handouts=False
        )
    out.with_suffix(".log").write_text(printed.getvalue(), encoding="utf-8")
    assert code == 0
    return out


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _export(story_dir(), tmp_path_factory.mktemp("exports"))


class _NoAliases(yaml.SafeDumper):
    """Repeated objects written out in full: the story's reader refuses anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@pytest.fixture(scope="session")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from parley.story import yamlsafe
    from parley.story.load import read_story
    from parley.story.problems import errors

    dest = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(story_dir(), dest, ignore=shutil.ignore_patterns("schema"))
    for path in sorted(dest.glob("*.yaml")):
        data = poison(yamlsafe.load(path.read_text(encoding="utf-8")).data)
        if path.name == "story.yaml":
            lengthen_first_chapter(data)
        path.write_text(
            yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=10_000),
            encoding="utf-8",
        )
    story, problems = read_story(dest)
    # Errors only: the bundled story's own ja/en pair warnings are content review, not markup.
    found = errors(problems)
    assert not found, "markup-like text must be legal content:\n" + "\n".join(map(str, found[:10]))
    assert story is not None
    return dest


@pytest.fixture(scope="session")
def hostile_exports(hostile_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _export(hostile_data, tmp_path_factory.mktemp("hostile-exports"))


# --- the browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(chromium: Any) -> Any:
    """The session's chromium (tests/conftest.py)."""
    return chromium


Opener = Callable[..., Visit]


@pytest.fixture
def open_offline(browser: Any) -> Iterator[Opener]:
    """open_offline(path, size=(w, h), fragment="#/3") -> Visit: the page loaded with the
    network cut off and watched."""
    contexts: list[Any] = []

    def open_(path: Path, size: tuple[int, int] = SLIDE, fragment: str = "") -> Visit:
        context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page)

        def route(r: Any) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                visit.requests.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on(
            "console",
            lambda m: visit.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: visit.errors.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: visit.errors.append(f"failed: {r.url}"))
        page.goto(path.as_uri() + fragment)
        return visit

    yield open_
    for context in contexts:
        context.close()
