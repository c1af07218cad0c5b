"""The one piece of global state: the reader's language, plus interface labels in both.

``PARLEY_LANG`` (ja or en, default ja) sets it when the kernel starts; :func:`set_lang`
changes it live and tells every registered listener (widgets re-render in place).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Literal

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")

_listeners: list[Callable[[Lang], None]] = []


def _initial() -> Lang:
    value = os.environ.get("PARLEY_LANG", "ja").strip().lower()
    return value if value in LANGS else "ja"  # type: ignore[return-value]


_lang: Lang = _initial()


def get_lang() -> Lang:
    return _lang


def check_lang(lang: str) -> Lang:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    return lang  # type: ignore[return-value]


def set_lang(lang: str) -> None:
    global _lang
    _lang = check_lang(lang)
    for listener in list(_listeners):
        listener(_lang)


def on_change(listener: Callable[[Lang], None]) -> None:
    """Call ``listener(lang)`` whenever the language changes."""
    if listener not in _listeners:
        _listeners.append(listener)


def resolve(lang: str | None) -> Lang:
    return check_lang(lang) if lang is not None else _lang


# Interface labels. Content text lives in data/; these are the explainer's own words.
LABELS: dict[str, dict[Lang, str]] = {
    "language": {"ja": "言語", "en": "Language"},
    "sources": {"ja": "出典", "en": "Sources"},
    "date": {"ja": "日付", "en": "Date"},
    "unverified": {"ja": "未確認(単一の情報源のみ)", "en": "Unverified (single source)"},
    "disputed": {"ja": "異論あり", "en": "Disputed"},
    "verified": {"ja": "確認済み", "en": "Verified"},
    "framing_note": {"ja": "記事の枠組みについての注記", "en": "Note on framing"},
    "accounts": {"ja": "異なる報道", "en": "Differing accounts"},
    "as_of": {"ja": "時点", "en": "As of"},
    "question": {"ja": "問い", "en": "Question"},
    "answer": {"ja": "答え", "en": "Answer"},
    "key_points": {"ja": "ポイント", "en": "Key points"},
    "what_you_learn": {"ja": "この章で分かること", "en": "What you will learn"},
    "takeaways": {"ja": "まとめ", "en": "Takeaways"},
    "changes": {"ja": "更新履歴", "en": "Changes"},
    "timeline_title": {"ja": "2025年の交渉の歩み", "en": "The 2025 negotiations, event by event"},
    "timeline_desc": {
        "ja": "横軸は日付、縦の列は出来事の種類。色は主導した側、大きさは重要度。"
        "白抜きの印は未確認の情報、菱形は異論のある情報。",
        "en": "Dates run left to right; rows group events by kind. Colour shows the side that "
        "led, size the importance. Hollow markers are unverified, diamonds disputed.",
    },
    "lane_diplomacy": {"ja": "外交(電話・会談・訪問)", "en": "Diplomacy (calls, talks, visits)"},
    "lane_statement": {"ja": "声明・発言", "en": "Statements"},
    "lane_vote": {"ja": "国連採決", "en": "UN votes"},
    "lane_agreement": {"ja": "合意・停戦", "en": "Agreements & truces"},
    "lane_pressure": {"ja": "制裁・関税・支援", "en": "Sanctions, tariffs & aid"},
    "lane_military": {"ja": "軍事", "en": "Military"},
    "lane_other": {"ja": "その他", "en": "Other"},
    "side_us": {"ja": "米国", "en": "United States"},
    "side_russia": {"ja": "ロシア", "en": "Russia"},
    "side_ukraine": {"ja": "ウクライナ", "en": "Ukraine"},
    "side_europe": {"ja": "欧州", "en": "Europe"},
    "side_international": {"ja": "国際機関", "en": "International"},
    "side_other": {"ja": "その他", "en": "Other"},
    "figure_description": {"ja": "図の説明", "en": "About this chart"},
    "seed": {"ja": "元記事", "en": "Seed article"},
}


def label(key: str, lang: str | None = None) -> str:
    return LABELS[key][resolve(lang)]
