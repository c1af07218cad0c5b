"""Figures 4, 5 and 7: the exported decks and pages against their references, in Chromium.

Deck bytes against nbconvert's own slides of the same notebook, deck readiness against the
same deck without charts, the timeline page against TimelineJS."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parley import settings
from parley.bench.browser import READABLE_JS, alternate, bench_scale, chromium
from parley.bench.plan import KERNEL_TIMEOUT
from parley.bench.records import Record, failed, log, measured
from parley.bench.timelinejs import TIMELINEJS, timelinejs_page, timelinejs_peer
from parley.settings import Settings


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
    from parley.publish.assets import VENDOR

    vendor = VENDOR / "reveal.js"
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **settings.kernel_env(Settings(data_dir.resolve(), lang)),
        "PLOTLY_RENDERER": "notebook",
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
    from parley.publish import export
    from parley.story.load import load_story

    fig2: list[Record] = []
    fig4: list[Record] = []
    fig5: list[Record] = []
    fig7: list[Record] = []
    exported = work / "export"
    deck_notebook = notebooks_dir / "01-overview.ipynb"
    log("naive decks: nbconvert --to slides --execute, PLOTLY_RENDERER=notebook (background)")
    naive = {
        lang: start_naive_deck(deck_notebook, lang, data_dir, work / "naive") for lang in langs
    }
    log("exporting decks and pages (parley.publish.export.run)")
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
            fig4.append(failed("4", name, "bytes", 0.6, why(exc)))

    story = load_story(data_dir)
    try:
        package, fonts = timelinejs_peer(out_dir / "peer")
        peer_page = timelinejs_page(story, package, fonts, work / "peer" / "timelinejs.html")
    except Exception as exc:
        package = None
        fig7.append(failed("7", "timeline page vs TimelineJS page", "ms", 1.2, why(exc)))

    with chromium() as browser:
        for lang in langs:
            free, removed = chart_free(decks[lang], work / "chart-free" / f"{lang}.slides.html")
            name = f"deck readiness {lang}"
            try:
                log(f"deck readiness ({lang}): {deck_loads} loads each, alternating")
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
                fig5.append(failed("5", name, "ms", 1.5, why(exc)))
        if package is not None:
            page = exported / "ja" / "02-timeline.html"
            try:
                log(f"timeline page vs TimelineJS: {loads} loads each, alternating")
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
                log(f"timeline page readable vs TimelineJS: {loads} loads each, alternating")
                seen = alternate(
                    browser,
                    {"parley": page, "timelinejs": peer_page},
                    loads,
                    ready={"parley": READABLE_JS},
                )
                fig7.append(
                    measured(
                        "7",
                        "timeline page readable (text + chart picture painted) vs TimelineJS",
                        seen["parley"],
                        "ms",
                        reference=seen["timelinejs"],
                        target=0.5,
                        note="first contentful paint and the first chart's static picture "
                        "painted (Element Timing), the event list counted when the page has "
                        "one; vs TimelineJS 'loaded'",
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
                fig7.append(failed("7", "timeline page vs TimelineJS", "ms", 1.2, why(exc)))
        try:
            log("timeline responsiveness in Chromium per story size")
            fig2 += bench_scale(browser, figures_json, work)
        except Exception as exc:
            fig2.append(failed("2", "timeline in Chromium", "ms", None, why(exc)))
    return fig2, fig4, fig5, fig7
