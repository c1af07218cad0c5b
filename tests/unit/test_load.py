"""Every class of bad input gives one line `file:line: entry: field: message`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from parley.story import yamlsafe
from parley.story.load import load_story, read_story
from parley.story.problems import ContentError


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    _, problems = read_story(folder)
    return [str(p) for p in problems]


def test_fixture_is_valid(mini: Path) -> None:
    story = load_story(mini)
    assert [e.id for e in story.events] == ["call-one", "vote-day", "talks"]


# (file, old, new, expected line)
CASES = [
    (
        "events.yaml",
        "date: 2025-02-12",
        "date: 2025-02-30",
        "events.yaml:2: call-one: date: '2025-02-30' is not a real calendar date",
    ),
    (
        "events.yaml",
        "date: 2025-02-12",
        "date: 12 Feb 2025",
        "events.yaml:2: call-one: date: must be a date written YYYY-MM-DD",
    ),
    (
        "events.yaml",
        "en: The leaders spoke by phone.}",
        "}",
        "events.yaml:5: call-one: summary.en: missing translation (en)",
    ),
    (
        "events.yaml",
        "importance: 3",
        "importance: 3\n  colour: red",
        "events.yaml:10: call-one: colour: unknown field (a typo?)",
    ),
    (
        "events.yaml",
        "sources: [wire-one]",
        "sources: [nowhere]",
        "events.yaml:8: call-one: sources[0]: unknown source id 'nowhere' (not in sources.yaml)",
    ),
    (
        "events.yaml",
        "sources: [wire-one]",
        "sources: []",
        "events.yaml:8: call-one: sources: List should have at least 1 item",
    ),
    (
        "events.yaml",
        "actors: [trump]",
        "actors: [trumpp]",
        "events.yaml:6: call-one: actors[0]: unknown actor id 'trumpp' (not in actors.yaml)",
    ),
    (
        "events.yaml",
        "issues: [ceasefire]",
        "issues: [nato]",
        "events.yaml:7: call-one: issues[0]: unknown issue id 'nato' (not in issues.yaml)",
    ),
    (
        "events.yaml",
        "end_date: 2025-03-25",
        "end_date: 2025-03-01",
        "events.yaml:26: talks: end_date: 2025-03-01 is before the start date 2025-03-23",
    ),
    (
        "events.yaml",
        "- id: vote-day",
        "- id: call-one",
        "events.yaml:11: call-one: id: duplicate id (first at line 1)",
    ),
    (
        "events.yaml",
        "- id: talks",
        "- id: Talks_2",
        "events.yaml:24: Talks_2: id: must be a lowercase slug (letters, digits, single hyphens)",
    ),
    (
        "positions.yaml",
        "stance: 9",
        "stance: 12",
        "positions.yaml:5: russia-ceasefire: stance: 12 is outside issue 'ceasefire''s scale [0",
    ),
    (
        "positions.yaml",
        "acceptable: [7, 10]",
        "acceptable: [7, 11]",
        "positions.yaml:6: russia-ceasefire: acceptable.1: 11 is outside issue 'ceasefire''s scale",
    ),
    (
        "positions.yaml",
        "at: 6}",
        "at: -1}",
        "positions.yaml:7: russia-ceasefire: red_line.at: -1 is outside issue 'ceasefire''s scale",
    ),
    (
        "positions.yaml",
        "actor: russia",
        "actor: moscow",
        "positions.yaml:2: russia-ceasefire: actor: unknown actor id 'moscow' (not in actors.yaml)",
    ),
    (
        "votes.yaml",
        "in_favour: 93",
        "in_favour: -93",
        "votes.yaml:7: unga-one: counts.in_favour: Input should be greater than or equal to 0",
    ),
    (
        "votes.yaml",
        "against: 18",
        "against: 18.5",
        "votes.yaml:7: unga-one: counts.against: Input should be a valid integer",
    ),
    (
        "votes.yaml",
        "abstain: 65",
        'abstain: "65"',
        "votes.yaml:7: unga-one: counts.abstain: Input should be a valid integer",
    ),
    (
        "votes.yaml",
        "us: against",
        "usa: against",
        "votes.yaml:8: unga-one: notable.usa: unknown actor id 'usa' (not in actors.yaml)",
    ),
    (
        "votes.yaml",
        "us: against",
        "us: maybe",
        "votes.yaml:8: unga-one: notable.us: Input should be 'in_favour', 'against', 'abstain'",
    ),
    (
        "sources.yaml",
        "url: https://example.org/one",
        "url: example.org/one",
        "sources.yaml:9: wire-one: url: 'example.org/one' is not an http(s) URL",
    ),
    (
        "sources.yaml",
        "  url: https://example.org/one\n",
        "",
        "sources.yaml:6: wire-one: url: required for every source except kind `seed`",
    ),
    (
        "voices.yaml",
        "responds_to: [call-one]",
        "responds_to: [call-two]",
        "voices.yaml:5: comment: responds_to[0]: unknown event id 'call-two' (not in events.yaml)",
    ),
    (
        "offers.yaml",
        "from: russia",
        "from: kremlin",
        "offers.yaml:3: rare-earths: from: unknown actor id 'kremlin' (not in actors.yaml)",
    ),
    (
        "scenarios.yaml",
        "outcomes: {ceasefire: 5}",
        "outcomes: {ceasefire: 50}",
        "scenarios.yaml:4: frozen: outcomes.ceasefire: 50 is outside issue 'ceasefire''s scale",
    ),
    (
        "actors.yaml",
        "to: 2025-05-01",
        "to: 2025-01-01",
        "actors.yaml:29: waltz: roles.0.to: 2025-01-01 is before the start date 2025-01-20",
    ),
    (
        "story.yaml",
        "figures: [timeline]",
        "figures: [timelime]",
        "story.yaml:24: overview: figures[0]: unknown figure id 'timelime'",
    ),
    (
        "story.yaml",
        "notes: {ja: ノート, en: Notes}",
        "notes: {ja: ノート, en: Notes}\n    figure_notes:\n      economy:\n"
        "        text: {ja: 注, en: Note}\n        sources: [seed]",
        "story.yaml:27: overview: figure_notes.economy: notes for figure 'economy', which the "
        "chapter does not show",
    ),
    (
        "story.yaml",
        "notes: {ja: ノート, en: Notes}",
        "notes: {ja: ノート, en: Notes}\n    figure_notes:\n      timeline:\n"
        "        text: {ja: 注, en: Note}\n        sources: [no-such-source]",
        "story.yaml:29: overview: figure_notes.timeline.sources[0]: unknown source id "
        "'no-such-source'",
    ),
    (
        "story.yaml",
        "notes: {ja: ノート, en: Notes}",
        "notes: {ja: ノート, en: Notes}\n    key_points_notes:\n        text: {ja: 注}\n"
        "        sources: [no-such-source]",
        "story.yaml:27: overview: chapters.0.key_points_notes.text.en: missing translation (en)",
    ),
    (
        "story.yaml",
        "as_of: 2025-03-31",
        "as_of: 2025-13-01",
        "story.yaml:2: story: as_of: '2025-13-01' is not a real calendar date",
    ),
    (
        "story.yaml",
        "answer: {ja: 答え, en: An answer}",
        "answer: {ja: 答え}",
        "story.yaml:21: overview: chapters.0.answer.en: missing translation (en)",
    ),
    (
        "glossary.yaml",
        "- id: moratorium",
        "- id: &m moratorium",
        "glossary.yaml:1: -: -: anchors (&name) are not allowed",
    ),
    (
        "glossary.yaml",
        "term: {ja: モラトリアム, en: Moratorium}",
        "term: !!binary aGk=",
        "glossary.yaml:2: -: -: tags (tag:yaml.org,2002:binary) are not allowed",
    ),
    (
        "changes.yaml",
        "text: {ja: 初版, en: First edition}",
        "text: {ja: 初版, en: [unclosed}",
        "changes.yaml:3: -: -: not valid YAML",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"), CASES, ids=[c[3].split(": ", 2)[-1][:40] for c in CASES]
)
def test_problem_lines(mini: Path, name: str, old: str, new: str, expected: str) -> None:
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in mini.iterdir()}
    _edit(mini, name, old, new)
    edited = hashlib.sha256((mini / name).read_bytes()).hexdigest()
    problems = _problems(mini)
    assert any(p.startswith(expected) for p in problems), problems
    # Reading never writes: every file is as the test left it.
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in mini.iterdir()}
    assert after == {**before, name: edited}


def test_all_problems_reported_at_once(mini: Path) -> None:
    _edit(mini, "events.yaml", "date: 2025-02-12", "date: 2025-02-30")
    _edit(mini, "votes.yaml", "in_favour: 93", "in_favour: -1")
    _edit(mini, "sources.yaml", "url: https://example.org/un", "url: nope")
    problems = _problems(mini)
    assert len(problems) == 3, problems
    with pytest.raises(ContentError) as info:
        load_story(mini)
    assert len(str(info.value).splitlines()) == 3


def test_invalid_entry_does_not_cascade(mini: Path) -> None:
    # wire-one is invalid; the entries citing it must not each report "unknown source".
    _edit(mini, "sources.yaml", "url: https://example.org/one", "url: nope")
    assert len(_problems(mini)) == 1


def test_missing_required_file(mini: Path) -> None:
    (mini / "events.yaml").unlink()
    assert any(p.startswith("events.yaml:-: -: -: required file missing") for p in _problems(mini))


def test_unknown_data_file(mini: Path) -> None:
    (mini / "event.yaml").write_text("[]\n", encoding="utf-8")
    assert any(p.startswith("event.yaml:-: -: -: unknown data file") for p in _problems(mini))


def test_not_a_list(mini: Path) -> None:
    (mini / "glossary.yaml").write_text("id: x\n", encoding="utf-8")
    assert "glossary.yaml:1: -: -: must be a list of entries (`- id: ...`)" in _problems(mini)


def test_entry_not_a_mapping(mini: Path) -> None:
    (mini / "glossary.yaml").write_text("- just text\n", encoding="utf-8")
    assert "glossary.yaml:1: #1: -: entry must be a mapping" in _problems(mini)


def test_not_utf8(mini: Path) -> None:
    (mini / "glossary.yaml").write_bytes("- id: x\n  term: 停戦\n".encode("shift_jis"))
    assert any(p.startswith("glossary.yaml:-: -: -: not UTF-8 text") for p in _problems(mini))


def test_file_over_size_cap(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 100)
    assert any(
        "over the 0 MiB limit" in p and p.startswith("events.yaml:-:") for p in _problems(mini)
    )


def test_missing_folder(tmp_path: Path) -> None:
    assert _problems(tmp_path / "nope") == [f"{tmp_path / 'nope'}:-: -: -: data folder not found"]


def test_empty_optional_file_is_fine(mini: Path) -> None:
    (mini / "glossary.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert _problems(mini) == []


def test_nothing_dated_after_as_of(mini: Path) -> None:
    _edit(mini, "events.yaml", "date: 2025-03-23", "date: 2025-04-23")
    _edit(mini, "events.yaml", "end_date: 2025-03-25", "end_date: 2025-04-25")
    assert (
        "events.yaml:25: talks: date: 2025-04-23 is after the story's as_of 2025-03-31 "
        "(update as_of in story.yaml)" in _problems(mini)
    )


def _count_line_walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    walks: list[int] = []
    eager = yamlsafe.load

    def counting(text: str | bytes, *, lines: bool = True) -> yamlsafe.Located:
        if lines:
            walks.append(1)
        return eager(text, lines=lines)

    monkeypatch.setattr(yamlsafe, "load", counting)
    return walks


def test_a_valid_story_is_read_once_without_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    # Building the line table is work that only a problem needs.
    walks = _count_line_walks(monkeypatch)
    # (A reader's load skips the checks that can only warn; a warning needs its line.)
    story, problems = read_story(Path(__file__).resolve().parents[2] / "data", warnings=False)
    assert story is not None and not problems
    assert walks == []


def test_a_problem_finds_its_line_by_reading_its_file_again(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(mini, "events.yaml", "date: 2025-02-24", "date: 2025-02-30")
    walks = _count_line_walks(monkeypatch)
    problems = _problems(mini)
    assert len(problems) == 1 and problems[0].startswith("events.yaml:"), problems
    assert walks == [1], "only the file with the problem is read again"
