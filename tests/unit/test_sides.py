"""The story's sides: declared in data, validated for contrast and colour-vision safety, and
no side of the bundled story named in the package's code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from parley.base import colour
from parley.base.palette import PLOT_BACKGROUND
from parley.story.load import load_story
from parley.story.problems import ContentError

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"


# Sharma, Wu & Dalal (2005), Table 1: pairs 1, 7, 13, 17, 25 and 34 with their ΔE00.
@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0011), 7.2195),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((22.7233, 20.0904, -46.694), (23.0331, 14.973, -42.5619), 2.0373),
    ],
)
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected) -> None:
    assert colour.delta_e_lab(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_contrast_and_simulation() -> None:
    assert colour.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert colour.contrast("#E69F00", "#ffffff") == pytest.approx(2.25, abs=0.01)
    # Red and green collapse under deuteranopia, not under tritanopia.
    red, green = "#d62728", "#2ca02c"
    assert colour.delta_e(red, green) > 40
    assert colour.delta_e(*(colour.simulate(c, "deuteranopia") for c in (red, green))) < 15
    assert colour.simulate("#808080", "protanopia") == "#808080"  # greys stay grey


def test_the_bundled_sides_meet_contrast_and_stay_apart_under_each_simulation() -> None:
    story = load_story(ROOT / "data")
    fills = {s.id: s.colour for s in story.meta.sides}
    for side in story.meta.sides:
        assert colour.contrast(side.outline or side.colour, PLOT_BACKGROUND) >= 3.0
    for vision, (a, b, d) in colour.closest_pairs(fills).items():
        assert d >= colour.MIN_DELTA_E, (vision, a, b, d)


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    return data


def _problems(data: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load_story(data)
    return [str(p) for p in exc.value.problems]


def test_an_unknown_side_names_file_entry_and_field(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    actors = data / "actors.yaml"
    actors.write_text(
        actors.read_text(encoding="utf-8").replace("group: europe", "group: eurozone", 1),
        encoding="utf-8",
    )
    (problem,) = _problems(data)
    assert re.match(r"actors\.yaml:\d+: eu: group: unknown side 'eurozone'", problem)


def _with_sides(data: Path, sides: str) -> None:
    story = data / "story.yaml"
    text = story.read_text(encoding="utf-8")
    start = text.index("sides:\n")
    end = text.index("called_out:")
    story.write_text(text[:start] + sides + text[end:], encoding="utf-8")


def test_a_faint_side_colour_is_an_error_unless_outlined(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    sides = (
        "sides:\n"
        '  - {id: us, name: {ja: 米国, en: US}, colour: "#0072B2"}\n'
        '  - {id: russia, name: {ja: ロシア, en: Russia}, colour: "#D55E00"}\n'
        '  - {id: ukraine, name: {ja: ウクライナ, en: Ukraine}, colour: "#E69F00"}\n'
        '  - {id: europe, name: {ja: 欧州, en: Europe}, colour: "#009E73"}\n'
    )
    _with_sides(data, sides)
    (problem,) = _problems(data)
    assert re.match(r"story\.yaml:\d+: ukraine: colour: #E69F00 has 2\.08:1 contrast", problem)
    _with_sides(data, sides.replace('"#E69F00"}', '"#E69F00", outline: "#8A5C00"}'))
    assert load_story(data).meta.sides[2].outline == "#8A5C00"


def test_side_colours_confused_under_a_simulation_are_an_error(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _with_sides(
        data,
        "sides:\n"
        '  - {id: us, name: {ja: 米国, en: US}, colour: "#0072B2"}\n'
        '  - {id: russia, name: {ja: ロシア, en: Russia}, colour: "#C0392B"}\n'
        '  - {id: ukraine, name: {ja: ウクライナ, en: Ukraine}, colour: "#6A8A00"}\n'
        '  - {id: europe, name: {ja: 欧州, en: Europe}, colour: "#7B3FA0"}\n',
    )
    problems = _problems(data)
    assert any("under simulated deuteranopia" in p and "CIEDE2000" in p for p in problems)
    assert all(p.startswith("story.yaml:") for p in problems)


def test_no_side_id_of_the_bundled_story_is_written_in_the_package() -> None:
    story = load_story(ROOT / "data")
    ids = [s.id for s in story.meta.sides]
    assert {"us", "russia", "ukraine", "europe"} <= set(ids)
    alternatives = "|".join(map(re.escape, ids))
    quoted = re.compile(rf"""(["'])({alternatives})\1""")
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sorted((ROOT / "src").rglob("*"))
        if path.suffix in {".py", ".j2", ".js", ".json", ".css", ".html"}
        and "vendor" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if quoted.search(line)
    ]
    assert not found
