"""`parley bench`: the record schema and its pure parts (the full bench is `make bench`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from parley.bench import decks, kernel, load, plan, timelinejs
from parley.bench import records as rec
from parley.tables.explore import Filter

KEYS = {"name", "value", "unit", "reference", "ratio", "target", "pass"}


def test_ratio_absolute_and_info_records() -> None:
    ratio = rec.measured("3", "nb", rec.Sample([2.0, 3.0, 4.0]), "s", reference=2.0, target=1.5)
    assert ratio.value == 3.0 and ratio.ratio == 1.5 and ratio.passed is True
    assert (ratio.low, ratio.high, ratio.runs) == (2.0, 4.0, 3)
    absolute = rec.measured("1", "load", rec.Sample([120.0]), "ms", target=100.0)
    assert absolute.ratio is None and absolute.passed is False
    info = rec.measured("2", "build", rec.Sample([1.0]), "ms")
    assert info.passed is None
    missing = rec.failed("5", "deck", "ms", 1.5, "no chromium")
    assert missing.value is None and missing.passed is False and "no chromium" in missing.note
    assert rec.failed("2", "build", "ms", None, "kernel died").passed is False
    assert rec.Sample([float(i) for i in range(1, 101)]).percentile(95) == 95.05


def test_a_real_measurement_writes_the_record_schema(mini: Path, tmp_path: Path) -> None:
    # One cold and one warm load of the fixture story (in this process; the bench itself
    # starts a fresh process for each).
    records = load.bench_load({"bundled": mini}, {"bundled": 1}, tmp_path, load.load_in_process)
    assert [r.name for r in records] == [
        "load+validate cold, bundled (3 events)",
        "load+validate warm (cache), bundled",
    ]
    path = rec.write_json(records, tmp_path / "out" / "bench.json")
    rows = json.loads(path.read_text(encoding="utf-8"))
    assert [set(row) for row in rows] == [KEYS, KEYS]
    for row in rows:
        assert row["unit"] == "ms" and row["value"] > 0
        assert row["reference"] is None and row["ratio"] is None  # absolute targets
        assert row["target"] == 100.0 and isinstance(row["pass"], bool)
    text = rec.table(records)
    assert "load+validate cold" in text and "≤ 100 ms" in text


def test_table_shows_ratio_and_target() -> None:
    rows = [
        rec.Record("4", "deck size ja", 1_800_000.0, "bytes", 6_000_000.0, 0.6),
        rec.Record("6", "peak", 300.0, "MB"),
        rec.failed("7", "peer", "ms", 1.2, "npm missing"),
    ]
    text = rec.table(rows)
    assert "0.30×" in text and "≤ 0.6×" in text and "PASS" in text
    assert "info" in text and "FAIL" in text and "not measured: npm missing" in text


def test_interactions_are_filter_changes() -> None:
    import datetime as dt

    steps = kernel.interactions(dt.date(2025, 10, 22))
    assert len(steps) == plan.INTERACTIONS == 50
    for step in steps:
        Filter(**{k: tuple(v) if isinstance(v, list) else v for k, v in step.items()})
    assert sum(bool(s.get("query")) for s in steps) == 10


def test_chart_free_deck_keeps_everything_but_the_charts(tmp_path: Path) -> None:
    deck = tmp_path / "deck.html"
    deck.write_text(
        '<section><p>text</p><div class="parley-chart" data-height="520" id="chart-4-1"></div>'
        '<script class="parley-chart-spec" data-chart="chart-4-1" type="application/json">'
        '{"data":[]}</script></section><script>/* a chart is <div class="parley-chart" id=…>'
        ' and <script type="application/json" class="parley-chart-spec" data-chart=…> */'
        "var lib = 1;</script>",
        encoding="utf-8",
    )
    out, removed = decks.chart_free(deck, tmp_path / "free.html")
    assert removed == 1
    assert out.read_text(encoding="utf-8") == (
        '<section><p>text</p></section><script>/* a chart is <div class="parley-chart" id=…>'
        ' and <script type="application/json" class="parley-chart-spec" data-chart=…> */'
        "var lib = 1;</script>"
    )


def test_timelinejs_fonts_point_at_local_files(tmp_path: Path) -> None:
    package = tmp_path / "timelinejs"
    css = package / "dist" / "css" / "fonts" / "font.default.css"
    css.parent.mkdir(parents=True)
    css.write_text(
        "@font-face {\n  font-family: 'PT Sans';\n  font-style: normal;\n  font-weight: 400;\n"
        "  src: url(https://fonts.example/ptsans.ttf) format('truetype');\n}\n"
        ".tl-headline { font-family: 'PT Sans'; }\n",
        encoding="utf-8",
    )
    font = tmp_path / "pt-sans" / "files" / "pt-sans-latin-400-normal.woff2"
    font.parent.mkdir(parents=True)
    font.write_bytes(b"wOF2")
    out, mapped = timelinejs.local_font_css(
        package, {"pt-sans": font.parents[1]}, tmp_path / "p" / "f.css"
    )
    text = out.read_text(encoding="utf-8")
    assert mapped == 1 and "https:" not in text
    assert "url(../pt-sans/files/pt-sans-latin-400-normal.woff2) format('woff2')" in text
    assert ".tl-headline" in text


def test_page_explorer_bench_page_and_updates(tmp_path: Path) -> None:
    """The bench's stand-alone explorer page holds the chart, the list and the scripts, and
    every update it times is a filter the page's fragment format can carry."""
    from parley.bench.explorer import explorer_page, updates
    from parley.tables.explore import Filter, fragment, from_fragment

    root = Path(__file__).resolve().parents[2]
    page, sides = explorer_page(root / "tests" / "fixtures" / "mini", tmp_path / "x.html")
    html = page.read_text(encoding="utf-8")
    assert 'class="parley-chart"' in html and "data-parley-list" in html
    assert "window.parleyExplorer" in html
    steps = updates(sides)
    assert len(steps) >= 10 and {} in steps
    for step in steps:
        kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in step.items()}
        for key in ("start", "end"):  # ISO strings in the page, dates in Python
            if key in kwargs:
                kwargs[key] = dt.date.fromisoformat(kwargs[key])
        flt = Filter(**kwargs)
        assert from_fragment(fragment(flt)) == flt
