"""The one piece of global state: the reader's language, plus interface labels in both.

:func:`parley.settings.language` sets it when the kernel starts (``PARLEY_LANG``, or in app
mode the page's ``?lang=``, default ja); :func:`set_lang`
changes it live and tells every registered listener (widgets re-render in place).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal

from parley import settings

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")

_listeners: list[Callable[[Lang], None]] = []


in_app = settings.in_app
_lang: Lang = settings.language()  # type: ignore[assignment]


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
    # The seed article's own closing points (its 💡 lines): attributed, not the explainer's voice.
    "takeaways": {"ja": "元記事のまとめ", "en": "The original article's takeaways"},
    "changes": {"ja": "更新履歴", "en": "Changes"},
    "timeline_title": {"ja": "交渉の歩み", "en": "The negotiations, event by event"},
    "timeline_click": {"ja": "クリックで詳細(要旨・出典)", "en": "Click for details and sources"},
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
    "group_international": {"ja": "国際機関", "en": "International"},
    "group_other": {"ja": "その他", "en": "Other"},
    "figure_description": {"ja": "図の説明", "en": "About this chart"},
    # The deck: speaker notes and the numbered source list at its end.
    "deck_sources": {"ja": "出典一覧", "en": "Sources cited in this deck"},
    "deck_sources_note": {
        "ja": "各スライドの[番号]が指す出典。記録全体の出典は各ページにある。",
        "en": "The sources the [numbers] on the slides refer to; the pages list the whole record's.",
    },
    "notes_sources": {"ja": "数字の出典", "en": "Sources for the numbers"},
    # Reader pages (publish/): what stands beside each chart instead of plotly's toolbar.
    "download_png": {"ja": "画像(PNG)を保存", "en": "Download PNG"},
    "get_data": {"ja": "データ(CSV)を入手", "en": "Get the data (CSV)"},
    "chart_picture": {"ja": "図", "en": "Chart"},
    "chart_step": {"ja": "時点", "en": "Date"},
    "chart_show": {"ja": "表示", "en": "Show"},
    "chart_play": {"ja": "再生", "en": "Play"},
    "range_from": {"ja": "表示する期間: 開始", "en": "Show from"},
    "range_to": {"ja": "終了", "en": "to"},
    "how_to_read": {"ja": "読み方", "en": "How to read it"},
    "seed": {"ja": "元記事", "en": "The original article"},
    "stance": {"ja": "立場", "en": "Stance"},
    "acceptable": {"ja": "受け入れ可能な範囲", "en": "Acceptable range"},
    "red_line": {"ja": "レッドライン", "en": "Red line"},
    "overlap": {"ja": "全当事者の範囲が重なる部分", "en": "Overlap of all stated ranges"},
    "no_overlap": {"ja": "重なりなし", "en": "no overlap"},
    "overlap_short": {"ja": "重なり", "en": "overlap"},
    "ranges_stated": {"ja": "範囲を示したのは{n}陣営のみ", "en": "only {n} side(s) stated a range"},
    "settlement": {"ja": "仮の合意案", "en": "Hypothetical settlement"},
    "position_map_title": {
        "ja": "論点ごとの各陣営の立場",
        "en": "Where each side stood, issue by issue",
    },
    "position_map_desc": {
        "ja": "縦に論点、横に立場(0〜10)。点の色は陣営。下のスライダーで月末ごとの立場をたどれる。"
        "各点にカーソルを合わせると、根拠となった発言と出典が出る。",
        "en": "Issues run down the side and stances across (0–10); colour marks the side. The "
        "slider steps through month-end snapshots; hover a marker for the statement and "
        "its source.",
    },
    "trajectories_title": {"ja": "立場の推移", "en": "How stances moved"},
    "trajectories_desc": {
        "ja": "選んだ論点について、各陣営の立場が時間とともにどう動いたかを階段状の線で示す。"
        "左上のメニューで論点を切り替える。",
        "en": "For the chosen issue, each side's stance over time as a step line. Pick the "
        "issue from the menu at the top left.",
    },
    "zone_title": {"ja": "合意の余地はあるか", "en": "Is there a zone of agreement?"},
    "zone_desc": {
        "ja": "各陣営が受け入れ可能とした範囲を棒で、レッドラインを×印で示す。灰色の帯は全陣営の"
        "範囲が重なる部分で、重なりがなければ「重なりなし」と表示する。",
        "en": "Bars show the range each side said it could accept, crosses its red lines. The "
        'grey band is where every stated range overlaps; "no overlap" marks a gap.',
    },
    "votes_title": {"ja": "国連での採決", "en": "The UN votes"},
    "votes_desc": {
        "ja": "決議ごとの賛成・反対・棄権・欠席の数と採決日。右側に主な国の投票を示す。",
        "en": "Each resolution's votes in favour, against, abstaining and absent, with its "
        "date; the votes of the main states are noted on the right.",
    },
    "body_unga": {"ja": "国連総会", "en": "General Assembly"},
    "body_unsc": {"ja": "安全保障理事会", "en": "Security Council"},
    "in_favour": {"ja": "賛成", "en": "In favour"},
    "against": {"ja": "反対", "en": "Against"},
    "abstain": {"ja": "棄権", "en": "Abstain"},
    "absent": {"ja": "欠席・不参加", "en": "Absent"},
    "states": {"ja": "国の数", "en": "Number of states"},
    "economy_title": {"ja": "交渉に絡む経済の提案", "en": "The economic offers on the table"},
    "economy_desc": {
        "ja": "分野ごとに、提案が出されてから協議・合意・署名・失効に至る経過を線で結ぶ。"
        "色は提案した側、印の形は状態(白抜き=提起、●=協議、■=合意、★=署名、×=失効・拒否)。",
        "en": "Each offer's path by sector, from first floated through discussed, agreed, "
        "signed or expired. Colour is the side that made it; marker shape the status "
        "(open = floated, dot = discussed, square = agreed, star = signed, x = expired "
        "or rejected).",
    },
    "plan_versions": {
        "ja": "提案の各版:争点ごとに何を定めたか",
        "en": "The proposal's versions: what each said on each issue",
    },
    "issue": {"ja": "争点", "en": "Issue"},
    "plan_not_stated": {"ja": "(報道で確認できず)", "en": "(not reported)"},
    "status_floated": {"ja": "提起", "en": "Floated"},
    "status_discussed": {"ja": "協議", "en": "Discussed"},
    "status_agreed": {"ja": "合意", "en": "Agreed"},
    "status_signed": {"ja": "署名", "en": "Signed"},
    "status_expired": {"ja": "失効", "en": "Expired"},
    "status_rejected": {"ja": "拒否", "en": "Rejected"},
    "voices_title": {
        "ja": "各陣営の発言と識者の分析",
        "en": "What each side's officials and analysts said",
    },
    "voices_desc": {
        "ja": "各陣営の公式の発言、識者の分析、元記事に掲載されたコメントを、それぞれが反応した"
        "出来事(灰色の目盛り)と線で結ぶ。いずれも意見であり、事実として示すものではない。",
        "en": "Official statements, analysts' views and the comments printed in the original "
        "article, each linked to the events (grey ticks) it responds to. These are opinions, "
        "not statements of fact.",
    },
    "voices_events_lane": {"ja": "出来事", "en": "Events"},
    "voice_analysis": {"ja": "分析(意見)", "en": "Analysis (opinion)"},
    "voice_public_reaction": {"ja": "世論の反応(意見)", "en": "Public reaction (opinion)"},
    "voice_official_statement": {"ja": "公式の発言", "en": "Official statement"},
    "voice_article_comment": {
        "ja": "元記事に掲載されたコメント(意見)",
        "en": "Comments printed in the original article (opinion)",
    },
    "scenarios_title": {
        "ja": "シナリオと各陣営の立場",
        "en": "Scenarios against each side's stance",
    },
    "scenarios_desc": {
        "ja": "白抜きの記号が各シナリオの論点ごとの帰結、薄い色の点が各陣営の最新の立場。",
        "en": "Hollow symbols are each scenario's outcome per issue; faint dots are each "
        "side's latest stance.",
    },
    "whos_who": {"ja": "登場人物と組織", "en": "Who's who"},
    "glossary": {"ja": "用語集", "en": "Glossary"},
    "role": {"ja": "役職", "en": "Role"},
    "name": {"ja": "名前", "en": "Name"},
    "side": {"ja": "陣営", "en": "Side"},
    "term": {"ja": "用語", "en": "Term"},
    "definition": {"ja": "説明", "en": "Definition"},
    "notes": {"ja": "発表者メモ", "en": "Speaker notes"},
    "opinion": {"ja": "意見", "en": "Opinion"},
    "methods": {
        "ja": "この解説の方法(立場の数値化と検証の基準)",
        "en": "How this explainer works (coding stances, verification)",
    },
    "kind_primary": {"ja": "一次資料", "en": "primary"},
    "kind_wire": {"ja": "通信社", "en": "wire"},
    "kind_news": {"ja": "報道機関", "en": "news"},
    "kind_analysis": {"ja": "分析", "en": "analysis"},
    "kind_aggregator": {"ja": "転載・まとめ", "en": "aggregator"},
    "kind_seed": {"ja": "元記事", "en": "original article"},
    "explorer_sides": {"ja": "主導した側", "en": "Side that led"},
    "explorer_kinds": {"ja": "出来事の種類", "en": "Kind of event"},
    "explorer_actor": {"ja": "人物・国・組織", "en": "Actor"},
    "explorer_issue": {"ja": "論点", "en": "Issue"},
    "explorer_dates": {"ja": "期間", "en": "Period"},
    "explorer_query": {"ja": "検索(日本語・英語)", "en": "Search (Japanese or English)"},
    "explorer_query_hint": {"ja": "例: レアアース、Witkoff", "en": "e.g. rare earths, 停戦"},
    "explorer_results": {
        "ja": "該当する出来事(選ぶと詳細)",
        "en": "Matching events (pick one for details)",
    },
    "explorer_count": {"ja": "{total}件中{n}件", "en": "{n} of {total} events"},
    "sources_above": {
        "ja": "このうち{n}件は、上の一覧でそれぞれの出来事に記載しています(注記も含む)。",
        "en": "{n} of them are listed above, each with the events it backs (notes included).",
    },
    "sources_all_above": {
        "ja": "いずれも上の一覧で、それぞれの出来事に記載しています(注記も含む)。",
        "en": "All are listed above, each with the events it backs (notes included).",
    },
    "explorer_share": {"ja": "この表示を共有するコード", "en": "Code to share this view"},
    "explorer_paste": {"ja": "コードを貼って開く", "en": "Paste a code to open it"},
    "explorer_open": {"ja": "開く", "en": "Open"},
    "explorer_bad_code": {"ja": "コードを読めません", "en": "Cannot read that code"},
    "explorer_all": {"ja": "(すべて)", "en": "(all)"},
    "explorer_no_event": {"ja": "該当する出来事がありません", "en": "No such event"},
    "explorer_related_positions": {
        "ja": "前後3週間の関連する立場",
        "en": "Related positions (within three weeks)",
    },
    "explorer_related_voices": {
        "ja": "この出来事への反応・分析(意見)",
        "en": "Responses to this event (opinions)",
    },
    "explorer_title": {"ja": "出来事を探す", "en": "Explore the events"},
    "explorer_filters": {"ja": "絞り込みと検索", "en": "Filters and search"},
    "explorer_verification": {"ja": "確認の状況", "en": "Verification"},
    "explorer_from": {"ja": "この日以降", "en": "From"},
    "explorer_to": {"ja": "この日まで", "en": "To"},
    "explorer_clear": {"ja": "条件をすべて外す", "en": "Clear all filters"},
    "explorer_list": {"ja": "出来事の一覧", "en": "List of events"},
    "explorer_more": {"ja": "続きを表示(残り{n}件)", "en": "Show more ({n} more)"},
    "explorer_empty": {
        "ja": "条件に合う出来事はありません",
        "en": "No event matches these filters",
    },
    "explorer_card": {"ja": "出来事の詳細", "en": "Event details"},
    "explorer_close": {"ja": "閉じる(Esc)", "en": "Close (Esc)"},
    "explorer_link": {"ja": "この表示へのリンク", "en": "Link to this view"},
    "explorer_event_link": {"ja": "この出来事へのリンク", "en": "Link to this event"},
    "explorer_page_link": {"ja": "ページ版で開くリンク", "en": "Link for the web page"},
    "explorer_keys": {
        "ja": "一覧では ↑↓ キーで移動、Enter で詳細を開き、Esc で閉じます。",
        "en": "In the list, ↑ and ↓ move, Enter opens an event's details, Escape closes them.",
    },
    "voices_events": {
        "ja": "これらの発言が反応した出来事(括弧内は発言の数。一覧で詳細を表示)",
        "en": "The events these voices respond to (number of voices; each opens in the list)",
    },
    "builder_title": {"ja": "シナリオ・ビルダー", "en": "Scenario builder"},
    "builder_intro": {
        "ja": "論点ごとにつまみを動かして仮の合意案を作ると、各陣営のレッドラインと許容範囲に照らした結果がすぐに出ます。",
        "en": "Move the slider of each issue to make a hypothetical settlement; each side's "
        "red lines and acceptable ranges judge it at once.",
    },
    "kind_event_call": {"ja": "電話会談", "en": "Call"},
    "kind_event_meeting": {"ja": "会談", "en": "Meeting"},
    "kind_event_talks": {"ja": "協議", "en": "Talks"},
    "kind_event_visit": {"ja": "訪問", "en": "Visit"},
    "kind_event_statement": {"ja": "声明・発言", "en": "Statement"},
    "kind_event_agreement": {"ja": "合意", "en": "Agreement"},
    "kind_event_ceasefire": {"ja": "停戦", "en": "Ceasefire"},
    "kind_event_sanction": {"ja": "制裁・関税", "en": "Sanctions & tariffs"},
    "kind_event_aid": {"ja": "支援", "en": "Aid"},
    "kind_event_military": {"ja": "軍事", "en": "Military"},
    "kind_event_vote": {"ja": "採決", "en": "Vote"},
    "kind_event_other": {"ja": "その他", "en": "Other"},
    "builder_custom": {"ja": "(自分で設定)", "en": "(your own settings)"},
    "builder_preset": {"ja": "シナリオから始める", "en": "Start from a scenario"},
    "builder_no_red_line": {"ja": "レッドラインを越えない", "en": "crosses no red line"},
    "builder_no_ranges": {"ja": "許容範囲の表明なし", "en": "no acceptable range stated"},
    "builder_outside": {"ja": "許容範囲の外", "en": "outside the acceptable range"},
    "builder_inside": {"ja": "表明した許容範囲内", "en": "inside every stated range"},
    "builder_closest": {"ja": "最も近いシナリオ", "en": "Closest scenario"},
    "builder_rms": {"ja": "平均のずれ", "en": "average gap"},
    "builder_red_lines": {"ja": "レッドライン", "en": "Red lines"},
    "builder_ranges": {"ja": "許容範囲との差", "en": "Distance from acceptable range"},
}


_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()


def as_of_phrase(day: dt.date, lang: str) -> str:
    """The story's as-of date as a reader's phrase: 2026年3月31日時点 / as of 31 March 2026."""
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日時点"
    return f"as of {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def label(key: str, lang: str | None = None, default: str | None = None) -> str:
    """An interface label; ``default`` for open-ended keys (e.g. a new sector in the data)."""
    if key not in LABELS and default is not None:
        return default
    return LABELS[key][resolve(lang)]
