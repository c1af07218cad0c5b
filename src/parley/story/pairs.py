"""The facts a Japanese/English text pair must share: numbers, dates, percentages, people.

:func:`facts` reduces one text to comparable tokens so that 5000億ドル and "$500bn", 4州
and "four regions", 5割 and "50%", 2月28日 and "28 February" come out equal. A pair whose
token sets differ is worth a human read (a warning, not an error: translation legitimately
drops or adds detail, and such a pair is waived in the data with a reason).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_KANJI_DIGITS = {
    "〇": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10**4, "億": 10**8, "兆": 10**12}
_EN_SCALE = {
    "thousand": 10**3,
    "million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
_EN_WORDS = {
    w: i
    for i, w in enumerate(
        "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if w != "_"
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "dozen": 12}
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november "
        "december".split()
    )
} | {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
# Counters after which a kanji numeral is a number (一方 "on the other hand" is not 1).
_COUNTERS = (
    "つ|州|人|回|項目|カ国|か国|ヶ国|カ月|か月|ヶ月|年|日|月|隻|基|機|週間|時間|段階|点|条|"
    "社|者|国|本|件|万|億|兆|割|倍|歳|期|位|択|度目|選択肢"
)
_KANJI_NUM = re.compile(rf"([〇一二三四五六七八九十百千]+)(?=(?:{_COUNTERS}))")
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_RANGE = r"(?:\s*[〜~～\-–—、・]\s*(\d{1,2}))?"
_SLASH_DATE = re.compile(r"(?<!\d)(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)")
_JA_DATE = re.compile(rf"(?:(\d{{4}})年)?(\d{{1,2}}){_RANGE}月(?:(\d{{1,2}}){_RANGE}日)?")
# A day of the month, not a count of days (30日間, 30日以上, 12日以内).
_JA_DAY = re.compile(rf"(\d{{1,2}}){_RANGE}日(?!間|以上|以内|後|前|ほど|程度|余り)")
_JA_HALF = re.compile(r"(\d+)(時間|年|カ月|か月)半")
_JA_BIG = re.compile(rf"({_NUM})(兆|億|万)(?:({_NUM})(億|万))?")
_JA_WARI = re.compile(rf"({_NUM})割")
_MONTH_ALT = "|".join(_MONTHS)
_EN_DATE_DM = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?{_RANGE}\s+({_MONTH_ALT})\.?\b(?:,?\s+(\d{{4}}))?"
)
_EN_DATE_MD = re.compile(
    rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b{_RANGE}(?:,?\s+(\d{{4}}))?"
)
# A month named alone; "May" only capitalised (the verb is far more common).
_EN_MONTH = re.compile(
    r"\b(?:(?i:(" + "|".join(m for m in _MONTHS if len(m) > 3) + r"))|(May))\b(?:\s+(\d{4}))?"
)
_EN_BIG = re.compile(rf"({_NUM})\s*-?\s*({'|'.join(_EN_SCALE)})\b")
_EN_WORD = re.compile(r"\b(" + "|".join(_EN_WORDS) + r")\b")
_EN_ORDINAL = {
    w: i + 2
    for i, w in enumerate("second third fourth fifth sixth seventh eighth ninth tenth".split())
}
_EN_ORD = re.compile(r"\b(" + "|".join(_EN_ORDINAL) + r")\b")
# "an hour and a half", "six and a half hours": the English of 1時間半 and 6時間半.
_EN_HALF = re.compile(
    r"\b(an?|\d+(?:\.\d+)?) (hours?|years?|months?) and a half\b|\b(\d+) and a half\b"
)
_PERCENT_WORDS = re.compile(r"\s*(?:percent|per cent)\b")
_NUMBER = re.compile(_NUM)
_YEAR = re.compile(r"(?:19|20)\d\d")
# 0 and 1 carry little and are written as words ("an hour", "a deal") far more often.
_TRIVIAL = {"0", "1"}


def _kanji_to_int(s: str) -> int:
    """一 → 1, 十五 → 15, 二百 → 200, 三千五百 → 3500 (the forms the text uses)."""
    total, digit = 0, None
    for ch in s:
        if ch in _KANJI_DIGITS:
            if digit is not None:  # digit by digit, e.g. 二〇二五
                digit = digit * 10 + _KANJI_DIGITS[ch]
            else:
                digit = _KANJI_DIGITS[ch]
        else:
            total += (digit if digit is not None else 1) * _KANJI_UNITS[ch]
            digit = None
    return total + (digit or 0)


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _fmt(value: float) -> str:
    return f"{value:g}" if value < 1e15 else str(int(value))


@dataclass(frozen=True)
class Facts:
    numbers: frozenset[str]
    days: frozenset[int]
    months: frozenset[int]
    people: frozenset[str]
    years: frozenset[str] = frozenset()

    def differences(self, other: Facts) -> list[str]:
        """What one side has that the other lacks, described for a reader of the warning."""
        out = []
        checks: list[tuple[str, frozenset, frozenset]] = [
            ("numbers", self.numbers, other.numbers),
            ("days", self.days, other.days),
            ("people", self.people, other.people),
        ]
        # Japanese often leaves the month to context (「18日」): months are compared only
        # when both sides name one.
        if self.months and other.months:
            checks.insert(2, ("months", self.months, other.months))
        if self.years and other.years:  # the same for years (「8月」 in a 2025 story)
            checks.insert(0, ("years", self.years, other.years))
        for label, a, b in checks:
            only_a, only_b = sorted(a - b), sorted(b - a)
            if only_a or only_b:
                out.append(
                    f"{label}: ja only {{{', '.join(map(str, only_a))}}}, "
                    f"en only {{{', '.join(map(str, only_b))}}}"
                )
        return out


@dataclass(frozen=True)
class Person:
    """A named actor as it can appear in either language (full name or surname)."""

    id: str
    ja: tuple[str, ...]
    en: tuple[str, ...]


def person_forms(actor_id: str, name_ja: str, name_en: str) -> Person:
    """Full name and surname in each language, e.g. Steve Witkoff and Witkoff."""
    ja = {name_ja, re.split(r"[・=＝]", name_ja)[-1]}
    en = {name_en, name_en.split()[-1]}
    return Person(actor_id, tuple(sorted(ja, key=len)), tuple(sorted(en, key=len)))


def _people(text: str, people: Iterable[Person], lang: str) -> set[str]:
    found = set()
    for p in people:
        forms = p.ja if lang == "ja" else p.en
        if any(f and f in text for f in forms):
            found.add(p.id)
    return found


class _Collect:
    def __init__(self) -> None:
        self.numbers: set[str] = set()
        self.days: set[int] = set()
        self.months: set[int] = set()
        self.years: set[str] = set()

    def day(self, *values: str | None) -> None:
        self.days.update(int(v) for v in values if v and 1 <= int(v) <= 31)

    def month(self, *values: str | None) -> None:
        self.months.update(int(v) for v in values if v and 1 <= int(v) <= 12)

    def year(self, value: str | None) -> None:
        if value:
            self.years.add(value)

    def number(self, value: float) -> None:
        self.numbers.add(_fmt(value))

    def numbers_in(self, text: str) -> None:
        for n in _NUMBER.findall(text):
            if _YEAR.fullmatch(n):
                self.year(n)
            else:
                self.number(_num(n))

    def facts(self, people: frozenset[str]) -> Facts:
        return Facts(
            frozenset(self.numbers - _TRIVIAL),
            frozenset(self.days),
            frozenset(self.months),
            people,
            frozenset(self.years),
        )


def _slash_dates(t: str, c: _Collect) -> str:
    def slash(m: re.Match[str]) -> str:
        c.year(m.group(1))
        c.month(m.group(2))
        c.day(m.group(3))
        return " "

    return _SLASH_DATE.sub(slash, t)


def facts_ja(text: str, people: Iterable[Person] = ()) -> Facts:
    c = _Collect()
    t = unicodedata.normalize("NFKC", text)
    t = _KANJI_NUM.sub(lambda m: str(_kanji_to_int(m.group(1))), t)
    t = _slash_dates(t, c)

    def date(m: re.Match[str]) -> str:
        c.year(m.group(1))
        c.month(m.group(2), m.group(3))
        c.day(m.group(4), m.group(5))
        return " "

    t = _JA_DATE.sub(date, t)
    t = _JA_DAY.sub(lambda m: (c.day(m.group(1), m.group(2)), " ")[1], t)
    t = re.sub(r"(\d{4})年", lambda m: (c.year(m.group(1)), " ")[1], t)
    t = _JA_HALF.sub(lambda m: (c.number(_num(m.group(1)) + 0.5), " ")[1], t)

    def big(m: re.Match[str]) -> str:
        value = _num(m.group(1)) * _BIG[m.group(2)]
        if m.group(3):
            value += _num(m.group(3)) * _BIG[m.group(4)]
        c.number(value)
        return " "

    t = _JA_BIG.sub(big, t)
    t = _JA_WARI.sub(lambda m: (c.number(_num(m.group(1)) * 10), " ")[1], t)
    c.numbers_in(t)
    return c.facts(frozenset(_people(text, people, "ja")))


def _half(m: re.Match[str]) -> str:
    whole = m.group(1) or m.group(3)
    value = 1.0 if whole in ("a", "an") else _num(whole)
    return f" {_fmt(value + 0.5)} " + (m.group(2) or "")


def facts_en(text: str, people: Iterable[Person] = ()) -> Facts:
    c = _Collect()
    t = unicodedata.normalize("NFKC", text)
    t = _slash_dates(t, c)

    def dm(m: re.Match[str]) -> str:
        c.day(m.group(1), m.group(2))
        c.month(str(_MONTHS[m.group(3).lower()]))
        c.year(m.group(4))
        return " "

    def md(m: re.Match[str]) -> str:
        c.month(str(_MONTHS[m.group(1).lower()]))
        c.day(m.group(2), m.group(3))
        c.year(m.group(4))
        return " "

    t = re.compile(_EN_DATE_DM.pattern, re.IGNORECASE).sub(dm, t)
    t = re.compile(_EN_DATE_MD.pattern, re.IGNORECASE).sub(md, t)

    def month(m: re.Match[str]) -> str:
        name = (m.group(1) or m.group(2)).lower()
        c.month(str(_MONTHS[name]))
        c.year(m.group(3))
        return " "

    t = _EN_MONTH.sub(month, t)
    low = t.lower()
    low = _EN_BIG.sub(lambda m: (c.number(_num(m.group(1)) * _EN_SCALE[m.group(2)]), " ")[1], low)
    low = _PERCENT_WORDS.sub("%", low)
    low = _EN_WORD.sub(lambda m: str(_EN_WORDS[m.group(1)]), low)
    low = _EN_HALF.sub(_half, low)
    low = _EN_ORD.sub(lambda m: str(_EN_ORDINAL[m.group(1)]), low)
    low = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", low)
    c.numbers_in(low)
    return c.facts(frozenset(_people(t, people, "en")))


def compare(ja: str, en: str, people: Iterable[Person] = ()) -> list[str]:
    """The differences between the facts of a pair; empty when they carry the same ones."""
    people = tuple(people)
    return facts_ja(ja, people).differences(facts_en(en, people))
