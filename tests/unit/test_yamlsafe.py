from __future__ import annotations

import pytest

from parley import yamlsafe
from parley.yamlsafe import YamlProblem


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
def test_refused(text: str, message: str, line: int | None) -> None:
    with pytest.raises(YamlProblem) as info:
        yamlsafe.load(text)
    assert message in info.value.message
    if line is not None:
        assert info.value.line == line


def test_alias_refused() -> None:
    with pytest.raises(YamlProblem, match="anchors"):
        yamlsafe.load("base: &b {x: 1}\nother: *b\n")


def test_billion_laughs_refused_fast() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    with pytest.raises(YamlProblem):
        yamlsafe.load(bomb)


def test_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 10)
    with pytest.raises(YamlProblem, match="larger than"):
        yamlsafe.load("a: 12345678901234567890\n")


def test_depth_cap() -> None:
    with pytest.raises(YamlProblem, match="nested too deeply"):
        yamlsafe.load("[" * 40 + "]" * 40)


def test_cap_admits_ten_thousand_events() -> None:
    # The bundled events average well under 1.5 KB; 10,000 of them must fit the cap.
    assert yamlsafe.MAX_BYTES >= 10_000 * 1500 * 2
