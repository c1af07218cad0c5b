"""Story → tidy pandas DataFrames: one table per entity, both languages side by side.

These tables feed the charts and ``parley data``. List-valued cells (actors, sources…)
are Python lists here; the CSV writer joins them with ``;``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from parley.story.fields import Text
from parley.story.model import Story
from parley.tables.sides import sides

_EMPTY = ""


def _t(text: Text | None, lang: str) -> str:
    return text(lang) if text is not None else _EMPTY


def _bilingual(prefix: str, text: Text | None) -> dict[str, str]:
    return {f"{prefix}_ja": _t(text, "ja"), f"{prefix}_en": _t(text, "en")}


def _lead_side(story: Story) -> Callable[[list[str]], str]:
    groups = {a.id: a.group for a in story.actors}

    def side(actors: list[str]) -> str:
        # By convention the first actor listed led the event (caller, host, author).
        return groups.get(actors[0], "other") if actors else "other"

    return side


def events(story: Story) -> pd.DataFrame:
    side = _lead_side(story)
    rows = [
        {
            "id": e.id,
            "date": pd.Timestamp(e.date),
            "end_date": pd.Timestamp(e.end_date) if e.end_date else pd.NaT,
            "kind": e.kind,
            **_bilingual("title", e.title),
            **_bilingual("summary", e.summary),
            **_bilingual("place", e.place),
            "actors": list(e.actors),
            "issues": list(e.issues),
            "sources": list(e.sources),
            "side": side(e.actors),
            "importance": e.importance,
            "verification": e.verification,
            "accounts": len(e.accounts),
            **_bilingual("framing_note", e.framing_note),
        }
        for e in story.events
    ]
    cols = [
        "id",
        "date",
        "end_date",
        "kind",
        "title_ja",
        "title_en",
        "summary_ja",
        "summary_en",
        "place_ja",
        "place_en",
        "actors",
        "issues",
        "sources",
        "side",
        "importance",
        "verification",
        "accounts",
        "framing_note_ja",
        "framing_note_en",
    ]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def sources(story: Story) -> pd.DataFrame:
    cols = [
        "id",
        "publisher",
        "title",
        "url",
        "published",
        "accessed",
        "kind",
        "language",
        "archive_url",
    ]
    rows = [
        {
            "id": s.id,
            "publisher": s.publisher,
            "title": s.title,
            "url": s.url or _EMPTY,
            "published": s.published.isoformat() if s.published else _EMPTY,
            "accessed": s.accessed.isoformat() if s.accessed else _EMPTY,
            "kind": s.kind,
            "language": s.language,
            "archive_url": s.archive_url or _EMPTY,
        }
        for s in story.sources
    ]
    return pd.DataFrame(rows, columns=cols)


def actors(story: Story) -> pd.DataFrame:
    start = min((e.date for e in story.events), default=story.meta.as_of)
    rows = []
    for a in story.actors:
        role = a.role_on(start) or (a.roles[0] if a.roles else None)
        rows.append(
            {
                "id": a.id,
                "kind": a.kind,
                "group": a.group,
                **_bilingual("name", a.name),
                "role_ja": _t(role.role if role else None, "ja"),
                "role_en": _t(role.role if role else None, "en"),
                "roles": [
                    {
                        "role_ja": r.role.ja,
                        "role_en": r.role.en,
                        "from": r.from_.isoformat() if r.from_ else None,
                        "to": r.to.isoformat() if r.to else None,
                    }
                    for r in a.roles
                ],
            }
        )
    cols = ["id", "kind", "group", "name_ja", "name_en", "role_ja", "role_en", "roles"]
    return pd.DataFrame(rows, columns=cols)


def issues(story: Story) -> pd.DataFrame:
    rows = [
        {
            "id": i.id,
            **_bilingual("title", i.title),
            **_bilingual("question", i.question),
            # The story's title for every stance axis, on each issue's row.
            **_bilingual("axis", story.meta.stance_axis),
            "scale_min": i.scale.min,
            "scale_max": i.scale.max,
            **_bilingual("min_label", i.scale.min_label),
            **_bilingual("max_label", i.scale.max_label),
        }
        for i in story.issues
    ]
    cols = [
        "id",
        "title_ja",
        "title_en",
        "question_ja",
        "question_en",
        "axis_ja",
        "axis_en",
        "scale_min",
        "scale_max",
        "min_label_ja",
        "min_label_en",
        "max_label_ja",
        "max_label_en",
    ]
    return pd.DataFrame(rows, columns=cols)


def positions(story: Story) -> pd.DataFrame:
    groups = {a.id: a.group for a in story.actors}
    rows = [
        {
            "id": p.id,
            "actor": p.actor,
            "side": groups.get(p.actor, "other"),
            "issue": p.issue,
            "as_of": pd.Timestamp(p.as_of),
            "stance": p.stance,
            "acceptable_low": p.acceptable[0] if p.acceptable else None,
            "acceptable_high": p.acceptable[1] if p.acceptable else None,
            "red_line_at": p.red_line.at if p.red_line else None,
            **_bilingual("red_line", p.red_line.text if p.red_line else None),
            **_bilingual("statement", p.statement),
            "sources": list(p.sources),
            "verification": p.verification,
        }
        for p in story.positions
    ]
    cols = [
        "id",
        "actor",
        "side",
        "issue",
        "as_of",
        "stance",
        "acceptable_low",
        "acceptable_high",
        "red_line_at",
        "red_line_ja",
        "red_line_en",
        "statement_ja",
        "statement_en",
        "sources",
        "verification",
    ]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["issue", "actor", "as_of"], kind="stable").reset_index(drop=True)


def votes(story: Story) -> pd.DataFrame:
    rows = [
        {
            "id": v.id,
            "body": v.body,
            "resolution": v.resolution,
            "date": pd.Timestamp(v.date),
            **_bilingual("title", v.title),
            "yes": v.counts.in_favour,
            "no": v.counts.against,
            "abstain": v.counts.abstain,
            "absent": v.counts.absent,
            "sponsors": list(v.sponsors),
            "notable": dict(v.notable),
            # The states story.yaml asks the chart to name, where this vote records them.
            "called_out": [a for a in story.meta.called_out if a in v.notable],
            "sources": list(v.sources),
        }
        for v in story.votes
    ]
    cols = [
        "id",
        "body",
        "resolution",
        "date",
        "title_ja",
        "title_en",
        "yes",
        "no",
        "abstain",
        "absent",
        "sponsors",
        "notable",
        "called_out",
        "sources",
    ]
    return pd.DataFrame(rows, columns=cols)


def offers(story: Story) -> pd.DataFrame:
    rows = [
        {
            "id": o.id,
            "sector": o.sector,
            **_bilingual("sector", story.meta.sectors.get(o.sector)),
            "from": o.from_,
            "to": o.to,
            "date": pd.Timestamp(step.date),
            "status": step.status,
            **_bilingual("title", o.title),
            **_bilingual("note", step.note),
            "sources": list(step.sources),
        }
        for o in story.offers
        for step in o.history
    ]
    cols = [
        "id",
        "sector",
        "sector_ja",
        "sector_en",
        "from",
        "to",
        "date",
        "status",
        "title_ja",
        "title_en",
        "note_ja",
        "note_en",
        "sources",
    ]
    return pd.DataFrame(rows, columns=cols)


def offer_points(story: Story) -> pd.DataFrame:
    """What each version of a proposal says on each issue (one row per point), in date order."""
    rows = [
        {
            "id": o.id,
            "sector": o.sector,
            "date": pd.Timestamp(o.date),
            "supersedes": o.supersedes or _EMPTY,
            **_bilingual("title", o.title),
            "issue": pt.issue,
            **_bilingual("text", pt.text),
            "sources": list(pt.sources),
        }
        for o in sorted(story.offers, key=lambda o: o.date)
        for pt in o.points
    ]
    cols = [
        "id",
        "sector",
        "date",
        "supersedes",
        "title_ja",
        "title_en",
        "issue",
        "text_ja",
        "text_en",
        "sources",
    ]
    return pd.DataFrame(rows, columns=cols)


def voices(story: Story) -> pd.DataFrame:
    rows = [
        {
            "id": v.id,
            "kind": v.kind,
            **_bilingual("speaker", v.speaker),
            "actor": v.actor or _EMPTY,
            "date": pd.Timestamp(v.date) if v.date else pd.NaT,
            **_bilingual("text", v.text),
            "responds_to": list(v.responds_to),
            "sources": list(v.sources),
        }
        for v in story.voices
    ]
    cols = [
        "id",
        "kind",
        "speaker_ja",
        "speaker_en",
        "actor",
        "date",
        "text_ja",
        "text_en",
        "responds_to",
        "sources",
    ]
    return pd.DataFrame(rows, columns=cols)


def scenarios(story: Story) -> pd.DataFrame:
    rows = [
        {
            "id": s.id,
            **_bilingual("title", s.title),
            "issue": issue,
            "stance": stance,
            "sources": list(s.sources),
        }
        for s in story.scenarios
        for issue, stance in s.outcomes.items()
    ]
    return pd.DataFrame(rows, columns=["id", "title_ja", "title_en", "issue", "stance", "sources"])


def glossary(story: Story) -> pd.DataFrame:
    rows = [
        {
            "id": t.id,
            **_bilingual("term", t.term),
            **_bilingual("definition", t.definition),
            "sources": list(t.sources),
        }
        for t in story.glossary
    ]
    return pd.DataFrame(
        rows, columns=["id", "term_ja", "term_en", "definition_ja", "definition_en", "sources"]
    )


def changes(story: Story) -> pd.DataFrame:
    rows = [
        {"id": c.id, "date": pd.Timestamp(c.date), **_bilingual("text", c.text)}
        for c in story.changes
    ]
    return pd.DataFrame(rows, columns=["id", "date", "text_ja", "text_en"])


TABLES: dict[str, Callable[[Story], pd.DataFrame]] = {
    "sides": sides,
    "events": events,
    "sources": sources,
    "actors": actors,
    "issues": issues,
    "positions": positions,
    "votes": votes,
    "offers": offers,
    "offer_points": offer_points,
    "voices": voices,
    "scenarios": scenarios,
    "glossary": glossary,
    "changes": changes,
}


Tables = dict[str, pd.DataFrame]  # table name (as in TABLES) -> its DataFrame


def build_tables(story: Story) -> Tables:
    """Every table of the story: what charts, views and widgets are built from."""
    return {name: build(story) for name, build in TABLES.items()}
