"""Editorial checks: two severities, one spelling per name, canonical URLs, no typed as-of,
no internal words, and ja/en pairs that carry the same facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.cli import main
from parley.story import pairs
from parley.story.load import load_story, read_story

ROOT = Path(__file__).resolve().parents[2]


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _lines(folder: Path, severity: str | None = None) -> list[str]:
    _, problems = read_story(folder)
    return [str(p) for p in problems if severity is None or p.severity == severity]


def test_bundled_story_has_no_errors() -> None:
    assert _lines(ROOT / "data", "error") == []


def test_fixture_story_is_clean_even_of_warnings(mini: Path) -> None:
    assert _lines(mini) == []


def test_a_variant_spelling_is_an_error_naming_the_canonical_form(mini: Path) -> None:
    _edit(
        mini,
        "actors.yaml",
        "name: {ja: ドナルド・トランプ, en: Donald Trump}\n",
        "name: {ja: ドナルド・トランプ, en: Donald Trump}\n  variants: [トランプ大頭領]\n",
    )
    _edit(mini, "events.yaml", "両首脳が電話で協議した。", "トランプ大頭領が電話で協議した。")
    errors = _lines(mini, "error")
    assert len(errors) == 1
    assert errors[0].startswith("events.yaml:5: call-one: summary.ja: 'トランプ大頭領'")
    assert "actor 'trump': ドナルド・トランプ / Donald Trump" in errors[0]


def test_a_variant_inside_its_own_canonical_form_is_refused(mini: Path) -> None:
    _edit(
        mini,
        "actors.yaml",
        "name: {ja: ドナルド・トランプ, en: Donald Trump}\n",
        "name: {ja: ドナルド・トランプ, en: Donald Trump}\n  variants: [トランプ]\n",
    )
    assert any("part of the canonical form" in p for p in _lines(mini, "error"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://example.org:443/one", "names the default port :443"),
        ("http://example.org:80/one", "names the default port :80"),
        ("https://example.org./one", "trailing dot after the host"),
        ("https://example.org/one?utm_source=rss&x=1", "tracking parameters"),
        ("https://example.org/one?fbclid=abc", "tracking parameters"),
        ("https://example.org/one?a=1&gclid=abc", "tracking parameters"),
    ],
)
def test_non_canonical_urls_are_errors(mini: Path, url: str, message: str) -> None:
    _edit(mini, "sources.yaml", "url: https://example.org/one", f"url: {url}")
    errors = _lines(mini, "error")
    assert len(errors) == 1 and "wire-one: url:" in errors[0] and message in errors[0]


def test_a_port_that_is_not_the_default_is_kept(mini: Path) -> None:
    _edit(mini, "sources.yaml", "url: https://example.org/one", "url: https://example.org:8443/one")
    assert _lines(mini) == []


@pytest.mark.parametrize(
    "host",
    [
        "stage.example.org",
        "img2-azrcdn.example.com",
        "news-prod.cdn.example.com",
        "feedpress.me",
        "feeds.example.co.uk",
        "equity.example.service-rc.com",
    ],
)
def test_a_mirror_looking_host_is_a_warning(mini: Path, host: str) -> None:
    _edit(mini, "sources.yaml", "url: https://example.org/one", f"url: https://{host}/one")
    assert _lines(mini, "error") == []
    warnings = _lines(mini, "warning")
    assert len(warnings) == 1 and warnings[0].startswith("warning: sources.yaml:")
    assert "looks like a mirror" in warnings[0]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("answer: {ja: 答え, en: An answer}", "answer: {ja: 答え(2025年8月末時点), en: An answer}"),
        (
            "answer: {ja: 答え, en: An answer}",
            "answer: {ja: 答え, en: An answer (as of end-August 2025)}",
        ),
        ("- {ja: 要点一, en: Point one}", "- {ja: 3月31日時点の要点, en: Point one}"),
        ("- {ja: 要点, en: Takeaway}", "- {ja: 要点, en: As of 31 March the takeaway}"),
        ("notes: {ja: ノート, en: Notes}", "notes: {ja: 2025年時点のノート, en: Notes}"),
    ],
)
def test_a_typed_as_of_in_story_text_is_an_error(mini: Path, old: str, new: str) -> None:
    _edit(mini, "story.yaml", old, new)
    errors = _lines(mini, "error")
    assert len(errors) == 1 and "typed as-of date" in errors[0]
    assert errors[0].startswith("story.yaml:")


def test_a_dated_phrase_in_an_entry_is_not_a_typed_as_of(mini: Path) -> None:
    _edit(
        mini, "events.yaml", "両首脳が電話で協議した。", "2月12日の時点では両首脳が電話で協議した。"
    )
    _edit(
        mini,
        "events.yaml",
        "The leaders spoke by phone.",
        "As of 12 February the leaders spoke by phone.",
    )
    assert _lines(mini, "error") == []


@pytest.mark.parametrize("word", ["seed記事", "the seed article", "Seed"])
def test_an_internal_word_is_an_error(mini: Path, word: str) -> None:
    _edit(
        mini, "events.yaml", "The leaders spoke by phone.", f"The leaders spoke by phone ({word})."
    )
    errors = _lines(mini, "error")
    assert len(errors) == 1 and "the project's own word" in errors[0]
    assert errors[0].startswith("events.yaml:5: call-one: summary.en:")


def test_a_divergent_number_pair_is_a_warning_not_an_error(mini: Path) -> None:
    _edit(mini, "events.yaml", "両首脳が電話で協議した。", "両首脳が90分間、電話で協議した。")
    _edit(
        mini,
        "events.yaml",
        "The leaders spoke by phone.",
        "The leaders spoke by phone for 60 minutes.",
    )
    assert _lines(mini, "error") == []
    warnings = _lines(mini, "warning")
    assert len(warnings) == 1
    assert warnings[0].startswith("warning: events.yaml:5: call-one: summary: ja and en carry")
    assert "ja only {90}, en only {60}" in warnings[0]
    assert load_story(mini).events[0].id == "call-one"  # a warning does not stop a reader


def test_a_waived_pair_is_reported_as_waived(mini: Path) -> None:
    _edit(mini, "events.yaml", "両首脳が電話で協議した。", "両首脳が90分間、電話で協議した。")
    _edit(
        mini,
        "events.yaml",
        "  importance: 3\n",
        "  importance: 3\n  pair_checked: {summary: the wire gave two lengths}\n",
    )
    assert _lines(mini, "warning") == []
    waived = _lines(mini, "waived")
    assert waived == ["waived: events.yaml:5: call-one: summary: the wire gave two lengths"]


def test_a_stale_or_misnamed_waiver_is_reported(mini: Path) -> None:
    _edit(
        mini,
        "events.yaml",
        "  importance: 3\n",
        "  importance: 3\n  pair_checked: {summary: no longer needed, sumary: a typo}\n",
    )
    lines = _lines(mini)
    assert any("warning:" in p and "waiver no longer needed" in p for p in lines)
    assert any(
        "pair_checked.sumary" in p and "names no text field" in p for p in _lines(mini, "error")
    )


def test_cli_prints_warnings_after_errors_and_strict_fails_on_them(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(mini, "events.yaml", "両首脳が電話で協議した。", "両首脳が90分間、電話で協議した。")
    assert main(["validate", str(mini)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("warning: events.yaml:5: call-one: summary:")
    assert main(["validate", "--strict", str(mini)]) == 1
    assert "(--strict: warnings fail)" in capsys.readouterr().err
    _edit(mini, "sources.yaml", "url: https://example.org/one", "url: https://example.org:443/one")
    assert main(["validate", str(mini)]) == 1
    err = capsys.readouterr().err.splitlines()
    first_warning = next(i for i, line in enumerate(err) if line.startswith("warning:"))
    assert all(not line.startswith("warning:") for line in err[:first_warning])
    assert any("default port" in line for line in err[:first_warning])


# --- the pair normaliser ---------------------------------------------------------------

TRUMP = pairs.person_forms("trump", "ドナルド・トランプ", "Donald Trump")
PUTIN = pairs.person_forms("putin", "ウラジーミル・プーチン", "Vladimir Putin")


@pytest.mark.parametrize(
    ("ja", "en"),
    [
        ("約5000億ドル", "about $500bn"),
        ("5000億ドル", "$500 billion"),
        ("1兆2000億円", "1.2 trillion yen"),
        ("年最大200万トン", "up to 2 million tonnes a year"),
        ("3万人", "30 thousand people"),
        ("4州", "four regions"),
        ("三つの論点", "three issues"),
        ("十五人", "15 people"),
        ("5割", "50%"),
        ("50%", "50 per cent"),
        ("2025年2月28日", "28 February 2025"),
        ("2月28日", "February 28"),
        ("24〜25日", "24–25 March"),
        ("3〜4月", "March and April"),
        ("30日間の停戦", "a 30-day ceasefire"),
        ("1時間半", "1.5 hours"),
        ("約1時間半", "almost an hour and a half"),
        ("6時間半", "six and a half hours"),
        ("第47代大統領", "the 47th president"),
        ("トランプ氏とプーチン氏", "Trump and Putin"),
        ("ＡＢ１２３", "AB123"),  # full-width digits (NFKC)
    ],
)
def test_pairs_that_say_the_same_thing_match(ja: str, en: str) -> None:
    assert pairs.compare(ja, en, [TRUMP, PUTIN]) == []


@pytest.mark.parametrize(
    ("ja", "en", "kind"),
    [
        ("5000億ドル", "$50bn", "numbers"),
        ("4州", "five regions", "numbers"),
        ("5割", "40%", "numbers"),
        ("6時間半", "six hours", "numbers"),
        ("2月28日", "27 February", "days"),
        ("8月15日", "15 September", "months"),
        ("2025年", "2024", "years"),
        ("トランプ氏が述べた", "Putin said", "people"),
    ],
)
def test_pairs_that_differ_are_flagged(ja: str, en: str, kind: str) -> None:
    diffs = pairs.compare(ja, en, [TRUMP, PUTIN])
    assert diffs and diffs[0].startswith(kind)


# --- proposal versions: points by issue, and the version they replace -----------------


def test_offer_points_and_supersedes_are_checked(mini: Path) -> None:
    _edit(mini, "offers.yaml", "supersedes: plan-one", "supersedes: plan-zero")
    _edit(mini, "offers.yaml", "    - issue: ceasefire", "    - issue: cease-fire")
    errors = _lines(mini, "error")
    assert any("plan-two: supersedes: unknown offer id 'plan-zero'" in p for p in errors)
    assert any("plan-one: points.0.issue: unknown issue id 'cease-fire'" in p for p in errors)


def test_plan_versions_table_escapes_and_marks_unstated_issues(tables) -> None:
    from parley.views.reference import plan_versions

    html = plan_versions(tables["offer_points"], tables["issues"], tables["sources"], "en")
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert "Peace plan &lt;i&gt;v1&lt;/i&gt;" in html
    assert "Example Wire 2025-02-12" in html  # publisher and date of the point's source
    empty = tables["offer_points"].iloc[0:0]
    assert plan_versions(empty, tables["issues"], tables["sources"], "en") == ""


def test_scenario_basis_is_checked(mini: Path) -> None:
    scenarios = (mini / "scenarios.yaml").read_text(encoding="utf-8")
    first_id = scenarios.split("- id: ", 2)[1].split("\n", 1)[0]
    (mini / "scenarios.yaml").write_text(
        scenarios.replace(
            f"- id: {first_id}\n",
            f"- id: {first_id}\n  basis:\n    - issue: no-such-issue\n"
            "      text: {ja: 根拠, en: Basis}\n      sources: [no-such-source]\n",
            1,
        ),
        encoding="utf-8",
    )
    errors = _lines(mini, "error")
    assert any("basis.0.issue: unknown issue id 'no-such-issue'" in p for p in errors)
    assert any("basis.0.sources[0]: unknown source id 'no-such-source'" in p for p in errors)
