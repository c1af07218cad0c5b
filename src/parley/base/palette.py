"""The colours every story shares; each side's own colour is declared in its story.yaml."""

from __future__ import annotations

# The generic groups (an actor on none of the story's sides), after the sides in every chart.
GROUP_COLOURS: dict[str, str] = {
    "international": "#CC79A7",  # reddish purple (Okabe–Ito)
    "other": "#8C8C8C",  # grey: readable on light and dark themes
}

# Japanese first: a CJK-capable font stack so the same figure renders in ja and en.
FONT_FAMILY = (
    '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, '
    '"Helvetica Neue", Arial, sans-serif'
)

# Charts are drawn on their own light card in every front end. A transparent background
# let JupyterLab's dark theme through but left plotly's dark text on a dark page, and no
# single text colour reaches 4.5:1 contrast on both white and JupyterLab's dark (#111).
PAPER = "#ffffff"
PLOT_BACKGROUND = "#f5f6f8"
INK = "#2a3f5f"  # plotly_white's text colour: 10.8:1 on PAPER
