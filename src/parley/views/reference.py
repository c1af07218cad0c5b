"""Reference views as escaped HTML tables: who's who, glossary, changes log, plan versions."""

from __future__ import annotations

import json

import pandas as pd

from parley.base.markup import escape as e
from parley.i18n import check_lang, label
from parley.tables import sides as side_table


def whos_who(actors: pd.DataFrame, lang: str, *, sides: pd.DataFrame) -> str:
    """People grouped by side with every dated role; states and organisations listed after."""
    lang = check_lang(lang)
    styles = side_table.styles(sides)
    people = actors[actors["kind"] == "person"].copy()
    people["order"] = people["group"].map({g: i for i, g in enumerate(styles)})
    people = people.sort_values(["order", f"name_{lang}"], kind="stable")
    rows = []
    for _, a in people.iterrows():
        roles = a["roles"] if isinstance(a["roles"], list) else json.loads(a["roles"] or "[]")
        role_text = "<br>".join(
            f"{e(r[f'role_{lang}'])}"
            + (
                f" <small>({e(r['from'] or '…')}–{e(r['to'] or '')})</small>"
                if r["from"] or r["to"]
                else ""
            )
            for r in roles
        )
        style = side_table.style_of(styles, a["group"])
        rows.append(
            f'<tr><td><span style="{side_table.dot_style(style)}">●</span> '
            f"{e(style.name(lang))}</td>"
            f"<td><b>{e(a[f'name_{lang}'])}</b></td><td>{role_text}</td></tr>"
        )
    return (
        f'<table class="parley-table"><caption>{e(label("whos_who", lang))}</caption>'
        f"<thead><tr><th>{e(label('side', lang))}</th><th>{e(label('name', lang))}</th>"
        f"<th>{e(label('role', lang))}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def glossary(terms: pd.DataFrame, lang: str) -> str:
    lang = check_lang(lang)
    other = "en" if lang == "ja" else "ja"
    items = "".join(
        f"<dt><b>{e(t[f'term_{lang}'])}</b> <small>({e(t[f'term_{other}'])})</small></dt>"
        f"<dd>{e(t[f'definition_{lang}'])}</dd>"
        for _, t in terms.sort_values(f"term_{lang}").iterrows()
    )
    return f'<h4>{e(label("glossary", lang))}</h4><dl class="parley-glossary">{items}</dl>'


def changes(changes: pd.DataFrame, as_of: str, lang: str) -> str:
    lang = check_lang(lang)
    items = "".join(
        f"<li>{c['date']:%Y-%m-%d}: {e(c[f'text_{lang}'])}</li>"
        for _, c in changes.sort_values("date", ascending=False).iterrows()
    )
    return (
        f"<p><b>{e(label('as_of', lang))}: {e(as_of)}</b></p>"
        f'<h4>{e(label("changes", lang))}</h4><ul class="parley-changes">{items}</ul>'
    )


def plan_versions(
    points: pd.DataFrame, issues: pd.DataFrame, sources: pd.DataFrame, lang: str
) -> str:
    """Each proposal version that states points (columns, in date order) against the issues
    (rows): what the version says on each issue, with its sources. Empty if none has points."""
    lang = check_lang(lang)
    if points.empty:
        return ""
    cites = dict(zip(sources["id"], sources["publisher"], strict=True))
    dates = dict(zip(sources["id"], sources["published"], strict=True))
    versions = list(dict.fromkeys(points["id"]))
    titles = dict(zip(points["id"], points[f"title_{lang}"], strict=False))
    first = dict(zip(points["id"], points["date"], strict=False))
    head = "".join(
        f'<th scope="col">{e(titles[v])}<br><small>{first[v]:%Y-%m-%d}</small></th>'
        for v in versions
    )
    rows = []
    for _, issue in issues.iterrows():
        cells = []
        for v in versions:
            mine = points[(points["id"] == v) & (points["issue"] == issue["id"])]
            if mine.empty:
                cells.append(f"<td>{e(label('plan_not_stated', lang))}</td>")
                continue
            parts = []
            for _, pt in mine.iterrows():
                srcs = "; ".join(
                    f"{e(cites.get(s, s))}" + (f" {e(dates[s])}" if dates.get(s) else "")
                    for s in pt["sources"]
                )
                parts.append(f"{e(pt[f'text_{lang}'])} <small>({srcs})</small>")
            cells.append(f"<td>{'<br>'.join(parts)}</td>")
        rows.append(
            # The issue names must not be squeezed to a letter a line by the wide text cells.
            f'<tr><th scope="row" style="min-width:8em">{e(issue[f"title_{lang}"])}</th>'
            f"{''.join(cells)}</tr>"
        )
    return (
        f'<table class="parley-table parley-plan"><caption>{e(label("plan_versions", lang))}'
        f"</caption><thead><tr><th>{e(label('issue', lang))}</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
