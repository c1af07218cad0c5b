"""The story's sides as a table, and the look-ups charts, views and widgets make in it.

A story declares its sides (ids, names, colours, order) in story.yaml; an actor on none of
them is in a generic group (``international``, ``other``), shown after the sides with the
shared colours of :mod:`parley.base.palette` and the interface's names for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from parley.base.palette import GROUP_COLOURS
from parley.i18n import label
from parley.story.fields import GENERIC_GROUPS
from parley.story.model import Story

COLUMNS = ["id", "name_ja", "name_en", "colour", "outline"]


def sides(story: Story) -> pd.DataFrame:
    """One row per declared side, in the story's order."""
    rows = [
        {
            "id": s.id,
            "name_ja": s.name.ja,
            "name_en": s.name.en,
            "colour": s.colour,
            "outline": s.outline or s.colour,
        }
        for s in story.meta.sides
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


@dataclass(frozen=True)
class Style:
    """How one side or generic group is drawn and named."""

    id: str
    name_ja: str
    name_en: str
    colour: str
    outline: str  # the marker edge: the colour itself unless the story gives a darker one

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else self.name_en


def side_ids(table: pd.DataFrame) -> tuple[str, ...]:
    """The declared sides, in order (the generic groups are not sides)."""
    return tuple(table["id"].tolist())


def styles(table: pd.DataFrame) -> dict[str, Style]:
    """Every side, then each generic group: id -> its :class:`Style`, in display order."""
    out = {
        r["id"]: Style(r["id"], r["name_ja"], r["name_en"], r["colour"], r["outline"])
        for r in table.to_dict("records")
    }
    for group in GENERIC_GROUPS:
        out[group] = Style(
            group,
            label(f"group_{group}", "ja"),
            label(f"group_{group}", "en"),
            GROUP_COLOURS[group],
            GROUP_COLOURS[group],
        )
    return out


def style_of(styles_: dict[str, Style], group: str) -> Style:
    """The style of ``group``; anything unknown is drawn as ``other``."""
    return styles_.get(group, styles_["other"])


def edge(style: Style, default: dict[str, object]) -> dict[str, object]:
    """A marker's ``line``: the side's outline where it has one, else ``default``."""
    if style.outline != style.colour:
        return {"width": 2, "color": style.outline}
    return default


def offsets(ids: tuple[str, ...]) -> dict[str, float]:
    """Sides sit on slightly different rows within an issue, so equal stances never hide
    each other: each side's shift from the issue's row, centred."""
    return {side: (k - (len(ids) - 1) / 2) * 0.14 for k, side in enumerate(ids)}


def dot_style(style: Style) -> str:
    """The inline CSS of a side's ● beside its name in an HTML table: its colour, edged in
    its outline where it has one (the same 3:1 rule as the charts' markers)."""
    if style.outline != style.colour:
        return f"color:{style.colour};-webkit-text-stroke:1px {style.outline}"
    return f"color:{style.colour}"
