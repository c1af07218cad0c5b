"""The one HTML escaper: every text taken from the story passes through :func:`escape`.

Markup-like characters in the data are legal content and must show as text, never run.
``quote=False`` is for plotly's text (titles, hover, tick labels): plotly reads a small
HTML-like subset and decodes only a few entities, so ``&quot;`` would show literally there,
while ``"`` cannot open anything in it. Everywhere else (our own HTML) quotes are escaped.
"""

from __future__ import annotations

import html
import math


def escape(text: object, *, quote: bool = True) -> str:
    """``text`` as HTML text; None and NaN (an empty DataFrame cell) are empty."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.escape(str(text), quote=quote)


# Inside <script> the HTML parser only looks for "</script" and "<!--"; escaping < > & as
# JSON unicode escapes means no data string can end the script or start markup.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_safe_json(value: object) -> str:
    """Compact JSON that is inert inside ``<script type="application/json">``."""
    import json

    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.translate(_SCRIPT_SAFE)
