"""Checks that need the whole story: cross-references, dates in order, values on scales."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from parley.base import colour
from parley.base.palette import PAPER, PLOT_BACKGROUND
from parley.story.fields import FIGURES, GENERIC_GROUPS
from parley.story.model import SpeakerNote, Story
from parley.story.parsed import Parsed
from parley.story.problems import Problem

_SINGULAR = {"sources": "source", "actors": "actor", "issues": "issue", "events": "event"}


def _path(field: str) -> tuple[str | int, ...]:
    """``"accounts.0.sources"`` -> ``("accounts", 0, "sources")``, a path into the YAML."""
    return tuple(int(p) if p.isdigit() else p for p in field.split("."))


def cross_check(story: Story, files: dict[str, Parsed], story_file: Parsed) -> list[Problem]:
    out: list[Problem] = []
    ids = {kind: {e.id for e in getattr(story, kind)} | files[kind].invalid_ids for kind in files}

    def refs(kind: str, entry_id: str, field: str, targets: Iterable[str], into: str) -> None:
        known = ids[into]
        for i, target in enumerate(targets):
            if target not in known:  # the path and line are only worked out for a problem
                parsed = files[kind]
                out.append(
                    Problem(
                        parsed.name,
                        parsed.line(entry_id, *_path(field), i),
                        entry_id,
                        f"{field}[{i}]",
                        f"unknown {_SINGULAR[into]} id {target!r} (not in {into}.yaml)",
                    )
                )

    def one(kind: str, entry_id: str, field: str, target: str | None, into: str) -> None:
        if target is not None and target not in ids[into]:
            parsed = files[kind]
            path = _path(field)
            out.append(
                Problem(
                    parsed.name,
                    parsed.line(entry_id, *path),
                    entry_id,
                    field,
                    f"unknown {_SINGULAR[into]} id {target!r} (not in {into}.yaml)",
                )
            )

    def on_scale(
        kind: str,
        entry_id: str,
        field: str,
        value: float,
        issue_id: str,
        path: tuple[str | int, ...],
    ) -> None:
        issue = issue_by_id.get(issue_id)
        if issue is not None and value not in issue.scale:
            parsed = files[kind]
            out.append(
                Problem(
                    parsed.name,
                    parsed.line(entry_id, *path),
                    entry_id,
                    field,
                    f"{value:g} is outside issue {issue_id!r}'s scale "
                    f"[{issue.scale.min:g}, {issue.scale.max:g}]",
                )
            )

    def dates_in_order(kind: str, entry_id: str, field: str, start: object, end: object) -> None:
        if start is not None and end is not None and end < start:  # type: ignore[operator]
            parsed = files[kind]
            out.append(
                Problem(
                    parsed.name,
                    parsed.line(entry_id, field),
                    entry_id,
                    field,
                    f"{end} is before the start date {start}",
                )
            )

    issue_by_id = {i.id: i for i in story.issues}

    side_ids = [side.id for side in story.meta.sides]
    groups = {*side_ids, *GENERIC_GROUPS}
    for a in story.actors:
        refs("actors", a.id, "sources", a.sources, "sources")
        if a.group not in groups:
            out.append(
                Problem(
                    files["actors"].name,
                    files["actors"].line(a.id, "group"),
                    a.id,
                    "group",
                    f"unknown side {a.group!r} (the sides in story.yaml: {', '.join(side_ids)}; "
                    f"or one of: {', '.join(GENERIC_GROUPS)})",
                )
            )
        for k, r in enumerate(a.roles):
            if r.from_ is not None and r.to is not None and r.to < r.from_:
                out.append(
                    Problem(
                        files["actors"].name,
                        files["actors"].line(a.id, "roles", k),
                        a.id,
                        f"roles.{k}.to",
                        f"{r.to} is before the start date {r.from_}",
                    )
                )

    for e in story.events:
        refs("events", e.id, "actors", e.actors, "actors")
        refs("events", e.id, "issues", e.issues, "issues")
        refs("events", e.id, "sources", e.sources, "sources")
        for k, acc in enumerate(e.accounts):
            refs("events", e.id, f"accounts.{k}.sources", acc.sources, "sources")
        dates_in_order("events", e.id, "end_date", e.date, e.end_date)

    for p in story.positions:
        one("positions", p.id, "actor", p.actor, "actors")
        one("positions", p.id, "issue", p.issue, "issues")
        refs("positions", p.id, "sources", p.sources, "sources")
        on_scale("positions", p.id, "stance", p.stance, p.issue, ("stance",))
        if p.acceptable is not None:
            for k, v in enumerate(p.acceptable):
                on_scale("positions", p.id, f"acceptable.{k}", v, p.issue, ("acceptable", k))
        if p.red_line is not None:
            on_scale("positions", p.id, "red_line.at", p.red_line.at, p.issue, ("red_line", "at"))

    for v in story.votes:
        refs("votes", v.id, "sponsors", v.sponsors, "actors")
        refs("votes", v.id, "sources", v.sources, "sources")
        for state in v.notable:
            one("votes", v.id, f"notable.{state}", state, "actors")

    offer_ids = ids["offers"]
    for o in story.offers:
        one("offers", o.id, "from", o.from_, "actors")
        one("offers", o.id, "to", o.to, "actors")
        if o.supersedes is not None and o.supersedes not in offer_ids:
            out.append(
                Problem(
                    files["offers"].name,
                    files["offers"].line(o.id, "supersedes"),
                    o.id,
                    "supersedes",
                    f"unknown offer id {o.supersedes!r} (not in offers.yaml)",
                )
            )
        for k, pt in enumerate(o.points):
            one("offers", o.id, f"points.{k}.issue", pt.issue, "issues")
            refs("offers", o.id, f"points.{k}.sources", pt.sources, "sources")
        for k, step in enumerate(o.history):
            refs("offers", o.id, f"history.{k}.sources", step.sources, "sources")
            if k and step.date < o.history[k - 1].date:
                out.append(
                    Problem(
                        files["offers"].name,
                        files["offers"].line(o.id, "history", k, "date"),
                        o.id,
                        f"history.{k}.date",
                        f"{step.date} is before the previous step's date "
                        f"{o.history[k - 1].date}; list steps in date order",
                    )
                )

    for vc in story.voices:
        one("voices", vc.id, "actor", vc.actor, "actors")
        refs("voices", vc.id, "responds_to", vc.responds_to, "events")
        refs("voices", vc.id, "sources", vc.sources, "sources")

    for s in story.scenarios:
        refs("scenarios", s.id, "sources", s.sources, "sources")
        for k, b in enumerate(s.basis):
            one("scenarios", s.id, f"basis.{k}.issue", b.issue, "issues")
            refs("scenarios", s.id, f"basis.{k}.sources", b.sources, "sources")
        for issue_id, value in s.outcomes.items():
            one("scenarios", s.id, f"outcomes.{issue_id}", issue_id, "issues")
            on_scale(
                "scenarios", s.id, f"outcomes.{issue_id}", value, issue_id, ("outcomes", issue_id)
            )

    for t in story.glossary:
        refs("glossary", t.id, "sources", t.sources, "sources")

    # Nothing may be dated after the date the story says it is current to.
    as_of = story.meta.as_of
    for kind, attr in (("events", "date"), ("positions", "as_of"), ("votes", "date")):
        for entry in getattr(story, kind):
            day = getattr(entry, attr)
            if day > as_of:
                out.append(
                    Problem(
                        files[kind].name,
                        files[kind].line(entry.id, attr),
                        entry.id,
                        attr,
                        f"{day} is after the story's as_of {as_of} (update as_of in story.yaml)",
                    )
                )

    loc = story_file.located
    out.extend(check_sides(story, loc.line_of if loc else None))
    # Unless actors.yaml itself failed to read (that problem is reported on its own).
    for k, actor in enumerate(story.meta.called_out if files["actors"].located else ()):
        if actor not in ids["actors"]:
            line = loc.line_of(("called_out", k)) if loc else None
            out.append(
                Problem(
                    "story.yaml",
                    line,
                    "called_out",
                    f"called_out[{k}]",
                    f"unknown actor id {actor!r} (not in actors.yaml)",
                )
            )

    # story.yaml: chapter ids unique, figure ids known.
    seen: set[str] = set()
    for k, ch in enumerate(story.meta.chapters):
        if ch.id in seen:
            line = loc.line_of(("chapters", k)) if loc else None
            out.append(Problem("story.yaml", line, ch.id, "id", "duplicate chapter id"))
        seen.add(ch.id)
        for j, fig in enumerate(ch.figures):
            if fig not in FIGURES:
                out.append(
                    Problem(
                        "story.yaml",
                        loc.line_of(("chapters", k, "figures", j)) if loc else None,
                        ch.id,
                        f"figures[{j}]",
                        f"unknown figure id {fig!r} (one of: {', '.join(FIGURES)})",
                    )
                )
        for fig in ch.figure_notes:
            if fig not in ch.figures:
                out.append(
                    Problem(
                        "story.yaml",
                        loc.line_of(("chapters", k, "figure_notes", fig)) if loc else None,
                        ch.id,
                        f"figure_notes.{fig}",
                        f"notes for figure {fig!r}, which the chapter does not show "
                        f"(its figures: {', '.join(ch.figures) or 'none'})",
                    )
                )
    # Speaker notes cite sources that exist.
    noted: list[tuple[tuple[str | int, ...], str, str, SpeakerNote]] = []
    for k, ch in enumerate(story.meta.chapters):
        for fig, note in ch.figure_notes.items():
            noted.append((("chapters", k, "figure_notes", fig), ch.id, f"figure_notes.{fig}", note))
        if ch.key_points_notes is not None:
            path = ("chapters", k, "key_points_notes")
            noted.append((path, ch.id, "key_points_notes", ch.key_points_notes))
    for name in ("title_notes", "takeaways_notes"):
        if (note := getattr(story.meta, name)) is not None:
            noted.append(((name,), name, name, note))
    for path, entry, field, note in noted:
        for i, sid in enumerate(note.sources):
            if sid not in ids["sources"]:
                out.append(
                    Problem(
                        "story.yaml",
                        loc.line_of((*path, "sources", i)) if loc else None,
                        entry,
                        f"{field}.sources[{i}]",
                        f"unknown source id {sid!r} (not in sources.yaml)",
                    )
                )
    return out


def check_sides(
    story: Story, line_of: Callable[[tuple[str | int, ...]], int | None] | None
) -> list[Problem]:
    """story.yaml `sides`: unique ids apart from the generic groups, markers a reader can
    see on the chart background (WCAG 1.4.11: 3:1, by the colour or its outline), and
    colours that stay apart under simulated colour-vision deficiency (Machado et al. 2009,
    severity 1.0: protanopia, deuteranopia, tritanopia; CIEDE2000 ΔE >= 10 per pair)."""
    out: list[Problem] = []

    def at(k: int, *path: str) -> int | None:
        return line_of(("sides", k, *path)) if line_of else None

    seen: set[str] = set()
    for k, side in enumerate(story.meta.sides):
        if side.id in seen or side.id in GENERIC_GROUPS:
            why = "duplicate side id" if side.id in seen else "a generic group, not a side"
            out.append(Problem("story.yaml", at(k, "id"), side.id, "id", why))
        seen.add(side.id)
        edge = side.outline or side.colour
        worst = min(colour.contrast(edge, bg) for bg in (PLOT_BACKGROUND, PAPER))
        if worst < colour.MIN_CONTRAST:
            field = "outline" if side.outline else "colour"
            out.append(
                Problem(
                    "story.yaml",
                    at(k, field),
                    side.id,
                    field,
                    f"{edge} has {worst:.2f}:1 contrast on the chart background "
                    f"{PLOT_BACKGROUND}; markers need {colour.MIN_CONTRAST:g}:1 (WCAG 1.4.11): "
                    "darken the colour or add a darker `outline`",
                )
            )
    fills = {side.id: side.colour for side in story.meta.sides}
    index = {side.id: k for k, side in enumerate(story.meta.sides)}
    for vision in colour.VISIONS:
        seen_as = {sid: colour.simulate(c, vision) for sid, c in fills.items()}
        ids = list(fills)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                d = colour.delta_e(seen_as[a], seen_as[b])
                if d < colour.MIN_DELTA_E:
                    out.append(
                        Problem(
                            "story.yaml",
                            at(index[b], "colour"),
                            b,
                            "colour",
                            f"{fills[b]} is too close to side {a!r} ({fills[a]}) "
                            f"{'' if vision == 'normal' else 'under simulated ' + vision + ' '}"
                            f"(CIEDE2000 ΔE {d:.1f} < {colour.MIN_DELTA_E:g})",
                        )
                    )
    return out
