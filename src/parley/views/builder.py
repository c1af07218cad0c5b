"""The page scenario builder: the widget's sliders, verdicts and closest scenario for static
exports, computed in the browser by ``parley_assets/builder.js``.

The judging is :mod:`parley.tables.settlement`, done here once for the first settlement
(so the page reads before any script runs) and by the script on every move, against the
same limits embedded as JSON (tests/cases/explorer.yaml runs both on the same cases).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from parley import i18n
from parley.base.markup import escape as e
from parley.base.markup import script_safe_json
from parley.story.model import Story
from parley.tables import sides as side_table
from parley.tables.frames import Tables
from parley.tables.settlement import Limits, Verdict, closest_scenario, judge, stated_limits

STEP = 0.5  # the widget's slider step
SCRIPT_LABELS = (
    "builder_no_red_line",
    "builder_no_ranges",
    "builder_outside",
    "builder_inside",
    "builder_closest",
    "builder_rms",
)


def first_settlement(story: Story) -> dict[str, float]:
    """Each issue at the middle of its scale, as the widget starts."""
    return {i.id: (i.scale.min + i.scale.max) / 2 for i in story.issues}


def limits(story: Story, tables: Tables) -> Limits:
    return stated_limits(
        tables["positions"], pd.Timestamp(story.meta.as_of), side_table.side_ids(tables["sides"])
    )


def script_data(story: Story, tables: Tables, lang: str) -> dict[str, Any]:
    lim = limits(story, tables)
    styles = side_table.styles(tables["sides"])
    scen = tables["scenarios"]
    scenarios = []
    for sid, rows in scen.groupby("id", sort=False):
        scenarios.append(
            {
                "id": str(sid),
                "title": str(rows[f"title_{lang}"].iloc[0]),
                "outcomes": [
                    [str(i), float(s)] for i, s in zip(rows["issue"], rows["stance"], strict=True)
                ],
            }
        )
    return {
        "lang": lang,
        "issues": [
            {"id": i.id, "title": i.title(lang), "min": i.scale.min, "max": i.scale.max}
            for i in story.issues
        ],
        # the zone chart's rows: the issues table's order (its settlement trace's y)
        "rows": tables["issues"]["id"].tolist(),
        "sides": [
            {
                "id": side,
                "name": styles[side].name(lang),
                "dot": side_table.dot_style(styles[side]),
                "ranges": [[i, float(lo), float(hi)] for i, lo, hi in lim.ranges[side]],
                "lines": [
                    [i, float(at), float(stance), ja if lang == "ja" else en]
                    for i, at, stance, ja, en in lim.lines[side]
                ],
            }
            for side in lim.ranges
        ],
        "scenarios": scenarios,
        "labels": {key: i18n.label(key, lang) for key in SCRIPT_LABELS},
    }


def verdict_html(
    story: Story,
    tables: Tables,
    settlement: dict[str, float],
    lang: str,
    result: list[Verdict] | None = None,
) -> str:
    """The verdict table the page and the widget show (the page's script rebuilds the same
    rows); ``result``: the verdicts when the caller has judged already (the widget)."""
    styles = side_table.styles(tables["sides"])
    issues = {i.id: i.title(lang) for i in story.issues}
    rows = []
    if result is None:
        result = judge(limits(story, tables), settlement)
    for v in result:
        style = styles[v.side]
        if v.crossings:
            crossed = "<br>".join(
                f"✗ {e(issues[c.issue])}: {e(c.text_ja if lang == 'ja' else c.text_en)}"
                for c in v.crossings
            )
        else:
            crossed = f"✓ {e(i18n.label('builder_no_red_line', lang))}"
        outside = [f"{e(issues[i])} (+{d:g})" for i, d in v.distance.items() if d > 0]
        if not v.distance:
            distance = e(i18n.label("builder_no_ranges", lang))
        elif outside:
            distance = e(i18n.label("builder_outside", lang)) + ": " + ", ".join(outside)
        else:
            distance = "✓ " + e(i18n.label("builder_inside", lang))
        rows.append(
            f'<tr data-side="{e(v.side)}"><td><span style="{e(side_table.dot_style(style))}">'
            f"●</span> {e(style.name(lang))}</td><td>{crossed}</td><td>{distance}</td></tr>"
        )
    sid, rms = closest_scenario(tables["scenarios"], settlement)
    titles = dict(zip(tables["scenarios"]["id"], tables["scenarios"][f"title_{lang}"], strict=True))
    closest = (
        f'<p class="parley-b-closest" data-scenario="{e(sid)}">'
        f"<b>{e(i18n.label('builder_closest', lang))}:</b> "
        f"{e(titles.get(sid, '—'))} ({e(i18n.label('builder_rms', lang))} {rms:.1f})</p>"
        if sid
        else '<p class="parley-b-closest"></p>'
    )
    head = "".join(
        f"<th>{e(i18n.label(k, lang))}</th>"
        for k in ("side", "builder_red_lines", "builder_ranges")
    )
    return (
        f'<table class="parley-table parley-b-verdicts"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{closest}"
    )


def builder_html(story: Story, tables: Tables, lang: str) -> str:
    """The page builder in ``lang``: preset, a slider per issue, verdicts, script data."""
    settlement = first_settlement(story)
    scen = tables["scenarios"].drop_duplicates("id")
    presets = f'<option value="">{e(i18n.label("builder_custom", lang))}</option>' + "".join(
        f'<option value="{e(sid)}">{e(title)}</option>'
        for sid, title in zip(scen["id"], scen[f"title_{lang}"], strict=True)
    )
    sliders = "".join(
        f'<div class="parley-b-issue"><label for="parley-b-{e(i.id)}">{e(i.title(lang))}</label>'
        f'<input type="range" id="parley-b-{e(i.id)}" name="{e(i.id)}" min="{i.scale.min}" '
        f'max="{i.scale.max}" step="{STEP}" value="{settlement[i.id]:g}">'
        f'<output for="parley-b-{e(i.id)}">{settlement[i.id]:.1f}</output></div>'
        for i in story.issues
    )
    data = script_safe_json(script_data(story, tables, lang))
    return (
        f'<section class="parley-builder" data-parley-builder '
        f'aria-label="{e(i18n.label("builder_title", lang))}">'
        f'<h2 class="parley-b-heading">{e(i18n.label("builder_title", lang))}</h2>'
        f'<p class="parley-b-intro">{e(i18n.label("builder_intro", lang))}</p>'
        f'<form class="parley-b-form" hidden><label class="parley-b-preset">'
        f'{e(i18n.label("builder_preset", lang))} <select name="preset">{presets}</select></label>'
        f"{sliders}</form>"
        f'<div class="parley-b-result" role="status" aria-live="polite">'
        f"{verdict_html(story, tables, settlement, lang)}</div>"
        f'<script type="application/json" class="parley-builder-data">{data}</script>'
        "</section>"
    )
