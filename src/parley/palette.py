"""One colour per side across every chart (Okabe–Ito: safe for colour-blind readers)."""

from __future__ import annotations

SIDE_COLOURS: dict[str, str] = {
    "us": "#0072B2",  # blue
    "russia": "#D55E00",  # vermillion
    "ukraine": "#E69F00",  # orange
    "europe": "#009E73",  # bluish green
    "international": "#CC79A7",  # reddish purple
    "other": "#8C8C8C",  # grey: readable on light and dark themes
}
SIDE_ORDER: tuple[str, ...] = tuple(SIDE_COLOURS)

# Japanese first: a CJK-capable font stack so the same figure renders in ja and en.
FONT_FAMILY = (
    '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, '
    '"Helvetica Neue", Arial, sans-serif'
)
