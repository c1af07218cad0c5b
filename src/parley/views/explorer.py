"""The page explorer: the timeline's events as an escaped HTML list, filters, and the data
the page script needs, for static exports (no kernel).

Everything a reader needs is in the list, rendered here, so it reads before any script runs
(and without one); ``parley_assets/explorer.js`` adds the filters, the search, the event
card, links and the chart in step. The script's data is embedded once, as JSON escaped for
a script context. Filtering and search are specified in :mod:`parley.tables.explore` and
implemented identically in the script (tests/cases/explorer.yaml runs both).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from parley import i18n
from parley.base.markup import escape as e
from parley.base.markup import script_safe_json
from parley.charts.scale import thin
from parley.charts.timeline import LANES
from parley.story.model import Event, Story
from parley.tables import sides as side_table
from parley.tables.explore import PAGE, SEARCH_COLUMNS
from parley.tables.frames import Tables
from parley.views.blocks import citation, short_citation

VERIFICATION = ("verified", "unverified", "disputed")
MARKS = {"verified": "✓", "unverified": "⚠", "disputed": "⚠"}
# Labels the script shows (the rest of the interface is rendered here).
SCRIPT_LABELS = ("explorer_count", "explorer_more", "explorer_empty", "explorer_bad_code")


def event_href(event_id: str) -> str:
    """The link from any page of the same language to one event's entry."""
    return f"{PAGE}#event={event_id}"


def event_link(event_id: str, text: str) -> str:
    """``text`` (already escaped) linked to the event's entry in the explorer."""
    return f'<a class="parley-event-ref" href="{e(event_href(event_id))}">{text}</a>'


def responded_events(story: Story, lang: str) -> str:
    """The events the story's voices respond to, each linked to its entry in the explorer
    (shown under the voices chart in exports: a chart's marks cannot hold links)."""
    by_id = {ev.id: ev for ev in story.events}
    cited = {i for v in story.voices for i in v.responds_to if i in by_id}
    ids = sorted(cited, key=lambda i: (by_id[i].date, i))
    items = "".join(
        f"<li>{by_id[i].date.isoformat()} "
        f"{event_link(i, e(by_id[i].title(lang)))}"
        f" <small>({sum(i in v.responds_to for v in story.voices)})</small></li>"
        for i in ids
    )
    if not items:
        return ""
    return (
        f'<details class="parley-responded"><summary>'
        f"<b>{e(i18n.label('voices_events', lang))}</b></summary><ul>{items}</ul></details>"
    )


def _source_line(src: Any, lang: str) -> str:
    """An event's source in full (publisher · title · date, and the source's note): the
    explorer's page lists its sources here rather than again at the foot of the page."""
    cited = citation(src)
    if src.language != lang:  # a source in another language: screen readers switch voice
        cited = f'<span lang="{e(src.language)}">{cited}</span>'
    note = f" <small>{e(src.note(lang))}</small>" if src.note else ""
    return f"<li>{cited}{note}</li>"


def listed_sources(story: Story) -> frozenset[str]:
    """The sources the explorer's list cites in full (see :func:`_source_line`)."""
    known = {s.id for s in story.sources}
    return frozenset(i for ev in story.events for i in ev.sources if i in known)


def _row(ev: Event, k: int, story_sources: dict[str, Any], side_name: str, lang: str) -> str:
    when = f'<time datetime="{ev.date.isoformat()}">{ev.date.isoformat()}</time>'
    if ev.end_date:
        when += f' – <time datetime="{ev.end_date.isoformat()}">{ev.end_date.isoformat()}</time>'
    meta = [when]
    if ev.place:
        # (the script reads the page language's search text from the row: explorer.js)
        meta.append(f'<span class="parley-ev-place">{e(ev.place(lang))}</span>')
    meta += [e(i18n.label(f"kind_event_{ev.kind}", lang)), e(side_name)]
    mark = (
        f'<span class="parley-ev-mark parley-ev-{ev.verification}">'
        f"{MARKS[ev.verification]} {e(i18n.label(ev.verification, lang))}</span>"
    )
    parts = [
        f'<h3 class="parley-ev-title"><button type="button" class="parley-ev-open" '
        f'tabindex="-1" aria-expanded="false">{e(ev.title(lang))}</button></h3>',
        f'<p class="parley-ev-meta">{" · ".join(meta)} · {mark}</p>',
        f'<p class="parley-ev-summary">{e(ev.summary(lang))}</p>',
    ]
    if ev.accounts:
        items = "".join(
            f"<li>↔ {e(acc.text(lang))} <small>("
            + "; ".join(short_citation(story_sources[s]) for s in acc.sources if s in story_sources)
            + ")</small></li>"
            for acc in ev.accounts
        )
        parts.append(
            f'<div class="parley-ev-accounts"><b>{e(i18n.label("accounts", lang))}</b>'
            f"<ul>{items}</ul></div>"
        )
    if ev.framing_note:
        parts.append(
            f'<p class="parley-ev-framing">✎ <b>{e(i18n.label("framing_note", lang))}:</b> '
            f'<span class="parley-ev-note">{e(ev.framing_note(lang))}</span></p>'
        )
    cited = "".join(_source_line(story_sources[s], lang) for s in ev.sources if s in story_sources)
    parts.append(
        f'<div class="parley-ev-sources"><b>{e(i18n.label("sources", lang))}</b>'
        f"<ul>{cited}</ul></div>"
    )
    parts.append(
        f'<p class="parley-ev-permalink"><a href="#event={e(ev.id)}">'
        f"{e(i18n.label('explorer_event_link', lang))}</a></p>"
    )
    return (
        f'<li class="parley-ev" id="event-{e(ev.id)}" data-i="{k}">'
        f"<article>{''.join(parts)}</article></li>"
    )


def chart_points(events: pd.DataFrame, sides: pd.DataFrame) -> list[list[int]]:
    """Each event's (trace, point) in the timeline figure (``charts.timeline.timeline`` of the
    same events): one trace per side that has events, in the sides' order, each thinned by
    :func:`~parley.charts.scale.thin` (one marker then stands for many events)."""
    where: dict[str, list[int]] = {}
    trace = 0
    for side in side_table.styles(sides):
        part = events[events["side"] == side]
        if part.empty:
            continue
        rows = thin(
            part.assign(lane=part["kind"].map(LANES).fillna("other"), lane_label="", hover="")[
                ["id", "date", "side", "lane", "lane_label", "importance", "hover"]
            ]
        )
        if "members" in rows.columns:
            for point, members in enumerate(rows["members"]):
                for event_id in members:
                    where[event_id] = [trace, point]
        else:
            for point, event_id in enumerate(rows["id"]):
                where[event_id] = [trace, point]
        trace += 1
    return [where.get(i, [-1, -1]) for i in events["id"]]


# The page's own language's searchable texts are in each row of the list already (title,
# summary, place, framing note: explorer.js reads them from there); the script data carries
# the other language's and the id, so no text travels twice in a page.
ROW_TEXTS = ("title", "summary", "place", "framing_note")


def search_columns(lang: str) -> list[str]:
    """The :data:`~parley.tables.explore.SEARCH_COLUMNS` a page in ``lang`` ships in its
    script data (the rest are read from the rendered rows)."""
    own = {f"{field}_{lang}" for field in ROW_TEXTS}
    return [c for c in SEARCH_COLUMNS if c not in own]


def script_data(story: Story, tables: Tables, lang: str) -> dict[str, Any]:
    """What explorer.js needs: per event its filter fields, the part of its search text
    the list does not show (the other language's texts and the id, joined as
    :func:`parley.tables.explore.search_haystack` joins them, not yet normalised: the
    script adds the row's own texts and normalises as Python does) and its place in the
    chart; the labels."""
    ev = tables["events"]
    texts = [ev[c].astype(str).tolist() for c in search_columns(lang) if c in ev.columns]
    points = chart_points(ev, tables["sides"])
    end = ev["end_date"]
    rows = [
        {
            "id": event_id,
            "d": f"{date:%Y-%m-%d}",
            "e": "" if pd.isna(last) else f"{last:%Y-%m-%d}",
            "s": side,
            "k": kind,
            "v": verification,
            "i": list(issues),
            "a": list(actors),
            "t": " ".join(parts),
            "m": point,
        }
        for event_id, date, last, side, kind, verification, issues, actors, parts, point in zip(
            ev["id"],
            ev["date"],
            end,
            ev["side"],
            ev["kind"],
            ev["verification"],
            ev["issues"],
            ev["actors"],
            zip(*texts, strict=True),
            points,
            strict=True,
        )
    ]
    return {
        "lang": lang,
        "events": rows,
        "labels": {key: i18n.label(key, lang) for key in SCRIPT_LABELS},
    }


def _checks(name: str, options: list[tuple[str, str]]) -> str:
    return "".join(
        f'<label class="parley-ex-check"><input type="checkbox" name="{name}" '
        f'value="{e(value)}"> {e(text)}</label>'
        for value, text in options
    )


def _select(name: str, key: str, options: list[tuple[str, str]], lang: str) -> str:
    opts = f'<option value="">{e(i18n.label("explorer_all", lang))}</option>' + "".join(
        f'<option value="{e(value)}">{e(text)}</option>' for value, text in options
    )
    return (
        f'<label class="parley-ex-field">{e(i18n.label(key, lang))}'
        f'<select name="{name}">{opts}</select></label>'
    )


def filters_html(story: Story, tables: Tables, lang: str) -> str:
    ev = tables["events"]
    styles = side_table.styles(tables["sides"])
    present_sides = set(ev["side"])
    present_kinds = set(ev["kind"])
    kinds = [k for k in LANES if k in present_kinds]
    sides = [(s, styles[s].name(lang)) for s in styles if s in present_sides]
    used_actors = {a for actors in ev["actors"] for a in actors}
    actors = sorted(
        ((a.id, a.name(lang)) for a in story.actors if a.id in used_actors), key=lambda x: x[1]
    )
    issues = [(i.id, i.title(lang)) for i in story.issues]
    first = f"{ev['date'].min():%Y-%m-%d}" if len(ev) else ""
    last = f"{ev['end_date'].fillna(ev['date']).max():%Y-%m-%d}" if len(ev) else ""

    def group(name: str, key: str, options: list[tuple[str, str]]) -> str:
        return (
            f'<fieldset class="parley-ex-group"><legend>{e(i18n.label(key, lang))}</legend>'
            f"{_checks(name, options)}</fieldset>"
        )

    dates = "".join(
        f'<label class="parley-ex-field">{e(i18n.label(key, lang))}'
        f'<input type="date" name="{name}" min="{first}" max="{last}"></label>'
        for name, key in (("from", "explorer_from"), ("to", "explorer_to"))
    )
    return (
        f'<form class="parley-ex-filters" role="search" hidden '
        f'aria-label="{e(i18n.label("explorer_filters", lang))}">'
        f'<label class="parley-ex-field parley-ex-q">{e(i18n.label("explorer_query", lang))}'
        f'<input type="search" name="q" autocomplete="off" '
        f'placeholder="{e(i18n.label("explorer_query_hint", lang))}"></label>'
        + group("side", "explorer_sides", sides)
        + group("kind", "explorer_kinds", [(k, i18n.label(f"kind_event_{k}", lang)) for k in kinds])
        + group("ver", "explorer_verification", [(v, i18n.label(v, lang)) for v in VERIFICATION])
        + _select("issue", "explorer_issue", issues, lang)
        + _select("actor", "explorer_actor", actors, lang)
        + dates
        + f'<button type="reset" class="parley-ex-clear">'
        f"{e(i18n.label('explorer_clear', lang))}</button>"
        "</form>"
    )


def explorer_html(story: Story, tables: Tables, lang: str) -> str:
    """The whole page explorer in ``lang``: filters, count, list, card, script data."""
    ev = tables["events"]
    by_id = {x.id: x for x in story.events}
    sources = {s.id: s for s in story.sources}
    styles = side_table.styles(tables["sides"])
    rows = "".join(
        _row(by_id[event_id], k, sources, styles[side].name(lang) if side in styles else "", lang)
        for k, (event_id, side) in enumerate(zip(ev["id"], ev["side"], strict=True))
    )
    count = i18n.label("explorer_count", lang).format(n=len(ev), total=len(ev))
    data = script_safe_json(script_data(story, tables, lang))
    return (
        f'<section class="parley-explorer" data-parley-explorer '
        f'aria-label="{e(i18n.label("explorer_title", lang))}">'
        f'<h2 class="parley-ex-heading">{e(i18n.label("explorer_title", lang))}</h2>'
        f'<p class="parley-ex-keys" hidden>{e(i18n.label("explorer_keys", lang))}</p>'
        + filters_html(story, tables, lang)
        + f'<p class="parley-ex-count" role="status" aria-live="polite">{e(count)}</p>'
        f'<p class="parley-ex-share" hidden>{e(i18n.label("explorer_link", lang))}: '
        f'<a class="parley-ex-here" href="#"></a></p>'
        f'<div class="parley-ex-body">'
        f'<ol class="parley-ex-list" data-parley-list '
        f'aria-label="{e(i18n.label("explorer_list", lang))}">{rows}</ol>'
        f'<button type="button" class="parley-ex-more" hidden></button>'
        f'<section class="parley-ex-card" role="region" tabindex="-1" hidden '
        f'aria-label="{e(i18n.label("explorer_card", lang))}">'
        f'<button type="button" class="parley-ex-close">'
        f"{e(i18n.label('explorer_close', lang))}</button>"
        f'<div class="parley-ex-card-body"></div></section></div>'
        f'<script type="application/json" class="parley-explorer-data">{data}</script>'
        "</section>"
    )
