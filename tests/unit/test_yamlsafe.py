from __future__ import annotations

from pathlib import Path

import pytest

from parley.story import yamlsafe
from parley.story.yamlsafe import YamlProblem


def test_plain_data_and_lines() -> None:
    doc = yamlsafe.load("- id: a\n  n: 3\n  f: 1.5\n  t: [x, y]\n- id: b\n  d: 2025-02-12\n")
    assert doc.data == [
        {"id": "a", "n": 3, "f": 1.5, "t": ["x", "y"]},
        {"id": "b", "d": "2025-02-12"},
    ]
    assert doc.line_of((0,)) == 1
    assert doc.line_of((0, "n")) == 2
    assert doc.line_of((0, "t", 1)) == 4
    assert doc.line_of((1, "d")) == 6
    assert doc.line_of((1, "d", "missing", "deeper")) == 6


def test_yaml_11_booleans_stay_text() -> None:
    # A state voting "no" must not become False (YAML 1.1's bare yes/no/on/off).
    doc = yamlsafe.load("vote: no\nagree: yes\nswitch: on\nreal: true\nnothing: ~\n")
    assert doc.data == {"vote": "no", "agree": "yes", "switch": "on", "real": True, "nothing": None}


def test_quoted_numbers_stay_text() -> None:
    assert yamlsafe.load('a: "93"\nb: 93\n').data == {"a": "93", "b": 93}


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: &x 1\nb: *x\n", "anchors (&name) are not allowed", 1),
        ("a: [1]\nb: *x\n", "aliases (*name) are not allowed", 2),
        ("a: !!python/object:os.system 1\n", "tags (tag:yaml.org,2002:python/object:os.system)", 1),
        ("a: !custom 1\n", "tags (!custom) are not allowed", 1),
        ("a: 1\na: 2\n", "duplicate key 'a'", 2),
        ("a: 1\n---\nb: 2\n", "only one YAML document per file", 2),
        ("a: [1, 2\nb: 3\n", "not valid YAML", None),
        ("? [a]\n: 1\n", "complex (non-scalar) keys are not allowed", None),
    ],
)
@pytest.mark.parametrize("lines", [True, False])
def test_refused(text: str, message: str, line: int | None, lines: bool) -> None:
    with pytest.raises(YamlProblem) as info:
        yamlsafe.load(text, lines=lines)
    assert message in info.value.message
    if line is not None:
        assert info.value.line == line


def test_alias_refused() -> None:
    with pytest.raises(YamlProblem, match="anchors"):
        yamlsafe.load("base: &b {x: 1}\nother: *b\n")


@pytest.mark.parametrize("lines", [True, False])
def test_billion_laughs_refused_fast(lines: bool) -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    with pytest.raises(YamlProblem):
        yamlsafe.load(bomb, lines=lines)


def test_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 10)
    with pytest.raises(YamlProblem, match="larger than"):
        yamlsafe.load("a: 12345678901234567890\n")


@pytest.mark.parametrize("lines", [True, False])
def test_depth_cap(lines: bool) -> None:
    with pytest.raises(YamlProblem, match="nested too deeply"):
        yamlsafe.load("[" * 40 + "]" * 40, lines=lines)


def test_cap_admits_ten_thousand_events() -> None:
    # The bundled events average well under 1.5 KB; 10,000 of them must fit the cap.
    assert yamlsafe.MAX_BYTES >= 10_000 * 1500 * 2


DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize("path", sorted(DATA.glob("*.yaml")), ids=lambda p: p.name)
def test_lines_found_later_are_the_lines_found_at_once(path: Path) -> None:
    # load.py reads without lines and asks only when a problem needs one: the data and
    # every line must be those of the eager walk.
    text = path.read_text(encoding="utf-8")
    eager, lazy = yamlsafe.load(text), yamlsafe.load(text, lines=False)
    assert lazy.data == eager.data
    assert lazy.lines == eager.lines
    assert eager.lines  # a real file, with lines to compare


def test_lazy_lines_answer_without_a_second_parse_once_found() -> None:
    doc = yamlsafe.load("a:\n  - 1\n  - b: 2\n", lines=False)
    assert doc.line_of(("a", 1, "b")) == 3
    assert doc.line_of(("a", 0)) == 2
    assert doc._text is None  # the text is let go once its lines are known


@pytest.mark.parametrize(
    "text",
    ["a: 1", "- 1\n- x\n- 1.5\n- true\n- ~", "x", "", "'93'", "{a: [1, {b: c}], d: no}"],
)
def test_both_walks_build_the_same_data(text: str) -> None:
    assert yamlsafe.load(text, lines=False).data == yamlsafe.load(text).data


def _outcome(text: str, lines: bool) -> object:
    try:
        return ("data", yamlsafe.load(text, lines=lines).data)
    except YamlProblem as exc:
        return ("refused", exc.message, exc.line)


def test_both_walks_agree_on_damaged_files() -> None:
    # The data-only walk is the one the loader uses: it must refuse exactly what the eager
    # walk refuses (anchors, aliases, tags, duplicate keys, a second document, bad YAML).
    import random

    rng = random.Random(20251126)
    damage = [
        "&a ",
        "*a",
        "!!python/object:os.system ",
        "!x ",
        "\n---\n",
        "? [k]\n: v\n",
        ": ",
        "[",
    ]
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.yaml"))]
    refused = 0
    for _ in range(300):
        lines = rng.choice(texts).splitlines(keepends=True)[:60]
        k = rng.randrange(len(lines))
        if rng.random() < 0.3:
            lines.insert(k, lines[rng.randrange(len(lines))])  # often a duplicate key
        else:
            at = rng.randrange(len(lines[k]) + 1)
            lines[k] = lines[k][:at] + rng.choice(damage) + lines[k][at:]
        text = "".join(lines)
        eager = _outcome(text, lines=True)
        assert _outcome(text, lines=False) == eager, text
        refused += eager[0] == "refused"
    assert 50 < refused < 300, "the damage must give both outcomes"
