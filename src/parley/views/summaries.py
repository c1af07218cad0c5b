"""What each chart shows, in a sentence or two built from the story's tables.

A chart's text alternative: shown before the chart (and read by a screen reader) in the
reader's language, saying what the data shows rather than how it is drawn. Every builder
is pure: (tables, as_of, lang) → plain text (escaped by the caller), or "" when the story
has nothing for the chart.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from parley.i18n import check_lang, label
from parley.tables.frames import Tables

_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()


def day(value: pd.Timestamp, lang: str) -> str:
    if lang == "ja":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def _names(t: Tables, kind: str, lang: str) -> dict[str, str]:
    df = t[kind]
    names = df[f"name_{lang}" if kind == "sides" else f"title_{lang}"]
    return dict(zip(df["id"], names, strict=True))


def _timeline(t: Tables, as_of: pd.Timestamp, lang: str) -> str:
    events = t["events"]
    if events.empty:
        return ""
    first, last = day(events["date"].min(), lang), day(events["date"].max(), lang)
    top = events["kind"].value_counts()
    kind, count = str(top.index[0]), int(top.iloc[0])
    kind_name = label(f"kind_event_{kind}", lang, default=kind)
    major = int((events["importance"] == events["importance"].max()).sum())
    if lang == "ja":
        return (
            f"{first}から{last}までの出来事{len(events)}件。最も多い種類は「{kind_name}」"
            f"({count}件)で、最も重要度の高い出来事は{major}件。"
        )
    return (
        f"{len(events)} events from {first} to {last}. The most common kind is "
        f"“{kind_name}” ({count}); {major} are of the highest importance."
    )


def latest(t: Tables, as_of: pd.Timestamp) -> pd.DataFrame:
    """Each side's latest coded position on each issue up to ``as_of``."""
    df = t["positions"]
    df = df[df["as_of"] <= as_of].sort_values("as_of")
    return df.groupby(["side", "issue"], as_index=False).last()


def _position_map(t: Tables, as_of: pd.Timestamp, lang: str) -> str:
    now = latest(t, as_of)
    if now.empty:
        return ""
    issues, sides = _names(t, "issues", lang), _names(t, "sides", lang)
    gaps = []
    for issue, rows in now.groupby("issue"):
        lo, hi = rows.loc[rows["stance"].idxmin()], rows.loc[rows["stance"].idxmax()]
        gaps.append((float(hi["stance"] - lo["stance"]), str(issue), lo, hi))
    gaps.sort(key=lambda g: (-g[0], g[1]))
    _, issue, lo, hi = gaps[0]
    when = day(as_of, lang)
    low, high = sides.get(lo["side"], lo["side"]), sides.get(hi["side"], hi["side"])
    name = issues.get(issue, issue)
    if lang == "ja":
        text = (
            f"{when}時点で立場の差が最も大きい論点は「{name}」({low} {lo['stance']:g}、"
            f"{high} {hi['stance']:g})。"
        )
        if len(gaps) > 1:
            text += f"差が最も小さいのは「{issues.get(gaps[-1][1], gaps[-1][1])}」。"
        return text
    text = (
        f"As of {when} the sides are furthest apart on “{name}” ({low} {lo['stance']:g}, "
        f"{high} {hi['stance']:g})."
    )
    if len(gaps) > 1:
        text += f" They are closest on “{issues.get(gaps[-1][1], gaps[-1][1])}”."
    return text


def _trajectories(t: Tables, as_of: pd.Timestamp, lang: str) -> str:
    df = t["positions"]
    if df.empty:
        return ""
    sides = _names(t, "sides", lang)
    changes = {}
    for side, rows in df.sort_values("as_of").groupby("side"):
        moves = rows.groupby("issue")["stance"].diff().fillna(0)
        changes[str(side)] = int((moves != 0).sum())
    mover = max(sorted(changes), key=lambda s: changes[s])
    first, last = day(df["as_of"].min(), lang), day(df["as_of"].max(), lang)
    name = sides.get(mover, mover)
    if lang == "ja":
        return (
            f"{first}から{last}までにコード化した立場{len(df)}件。立場を変えた回数が"
            f"最も多いのは{name}({changes[mover]}回)。"
        )
    return (
        f"{len(df)} coded stances from {first} to {last}; {name} changed its stance most "
        f"often ({changes[mover]} times)."
    )


def overlaps(t: Tables, as_of: pd.Timestamp) -> tuple[list[str], list[str]]:
    """Issues where at least two sides stated a range: those where every stated range
    overlaps, and those where they do not (issue ids, in the issues' order)."""
    now = latest(t, as_of).dropna(subset=["acceptable_low", "acceptable_high"])
    yes, no = [], []
    for issue in t["issues"]["id"]:
        rows = now[now["issue"] == issue]
        if len(rows) < 2:
            continue
        ok = rows["acceptable_low"].max() <= rows["acceptable_high"].min()
        (yes if ok else no).append(str(issue))
    return yes, no


def _zone(t: Tables, as_of: pd.Timestamp, lang: str) -> str:
    if t["positions"].empty:
        return ""
    issues = _names(t, "issues", lang)
    yes, no = overlaps(t, as_of)
    sep = "、" if lang == "ja" else ", "
    if lang == "ja":
        text = f"{day(as_of, lang)}時点で、各陣営が示した受け入れ可能な範囲が"
        if yes:
            return text + f"すべて重なる論点は{sep.join(issues[i] for i in yes)}。"
        return text + f"すべて重なる論点はない({len(no)}論点で重なりなし)。"
    text = f"As of {day(as_of, lang)}, "
    if yes:
        names = sep.join(issues[i] for i in yes)
        return text + f"every stated acceptable range overlaps on {names}."
    return text + f"the stated acceptable ranges overlap on no issue ({len(no)} with a gap)."


def _votes(t: Tables, as_of: pd.Timestamp, lang: str) -> str:
    votes = t["votes"]
    parts = []
    for _, v in votes.iterrows():
        if lang == "ja":
            parts.append(
                f"{v['title_ja']}：賛成{v['yes']}、反対{v['no']}、棄権{v['abstain']}"
                f"({day(v['date'], lang)})。"
            )
        else:
            parts.append(
                f"{v['title_en']}: {v['yes']} in favour, {v['no']} against, "
                f"{v['abstain']} abstaining ({day(v['date'], lang)})."
            )
    return ("" if lang == "ja" else " ").join(parts)


def _economy(t: Tables, as_of: pd.Timestamp, lang: str) -> str:
    offers = t["offers"]
    if offers.empty:
        return ""
    status = offers["status"].value_counts()
    signed, agreed = int(status.get("signed", 0)), int(status.get("agreed", 0))
    sectors = offers["sector"].nunique()
    if lang == "ja":
        return (
            f"{sectors}分野にわたる経済の提案{len(offers)}件(経過の各段階を含む)。"
            f"署名に至ったものは{signed}件、合意は{agreed}件。"
        )
    return (
        f"{len(offers)} steps of economic offers across {sectors} sectors; {signed} reached "
        f"signature and {agreed} agreement."
    )


def _voices(t: Tables, as_of: pd.Timestamp, lang: str) -> str:
    voices = t["voices"]
    if voices.empty:
        return ""
    kinds = voices["kind"].value_counts()
    counts = [(label(f"voice_{k}", lang, default=str(k)), int(n)) for k, n in kinds.items()]
    if lang == "ja":
        return f"声{len(voices)}件：" + "、".join(f"{k}{n}件" for k, n in counts) + "。"
    return f"{len(voices)} voices: " + ", ".join(f"{n} {k.lower()}" for k, n in counts) + "."


def _scenarios(t: Tables, as_of: pd.Timestamp, lang: str) -> str:
    df = t["scenarios"]
    if df.empty:
        return ""
    n, issues = df["id"].nunique(), df["issue"].nunique()
    titles = list(dict.fromkeys(df[f"title_{lang}"]))
    sep = "、" if lang == "ja" else "; "
    if lang == "ja":
        return f"シナリオ{n}案を{issues}論点について比べる：{sep.join(titles)}。"
    return f"{n} scenarios compared on {issues} issues: {sep.join(titles)}."


SUMMARIES: dict[str, Callable[[Tables, pd.Timestamp, str], str]] = {
    "timeline": _timeline,
    "explorer": _timeline,
    "position-map": _position_map,
    "trajectories": _trajectories,
    "zone-of-agreement": _zone,
    "un-votes": _votes,
    "economy": _economy,
    "voices": _voices,
    "scenario-builder": _scenarios,
}


def summary(figure_id: str, t: Tables, as_of: pd.Timestamp, lang: str) -> str:
    """What the figure's data shows (plain text; "" for figures without a summary)."""
    check_lang(lang)
    build = SUMMARIES.get(figure_id)
    return build(t, as_of, lang) if build else ""
