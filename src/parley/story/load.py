"""Read ``data/*.yaml`` into a validated :class:`~parley.story.model.Story`.

Reading never writes to the data folder and never executes anything from it. Every
problem in every file is collected (schema errors per entry, then cross-references) and
raised together as one :class:`~parley.story.problems.ContentError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from parley.base.gcpause import gc_paused
from parley.story import cache as story_cache
from parley.story import editorial, yamlsafe
from parley.story.fields import SLUG_RE
from parley.story.model import ENTITY_FILES, REQUIRED_FILES, Story, StoryMeta
from parley.story.parsed import Parsed
from parley.story.problems import ContentError, Problem
from parley.story.validate import cross_check


def _message(err: Any) -> str:
    kind = err["type"]
    loc = err["loc"]
    if kind == "missing":
        if loc and loc[-1] in ("ja", "en"):
            return f"missing translation ({loc[-1]})"
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (a typo?)"
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == SLUG_RE.pattern:
        return "must be a lowercase slug (letters, digits, single hyphens)"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) if loc else "-"


def _validation_problems(
    file: str, exc: ValidationError, located: yamlsafe.Located, base: tuple[Any, ...], entry: str
) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        message = _message(err)
        name = _field(loc)
        # Model-level checks name their field in the message ("url: required ...").
        if not loc and ": " in message:
            name, message = message.split(": ", 1)
            loc = (name,)
        out.append(Problem(file, located.line_of((*base, *loc)), entry, name, message))
    return out


def _read(path: Path, problems: list[Problem]) -> yamlsafe.Located | None:
    name = path.name
    try:
        size = path.stat().st_size
        if size > yamlsafe.MAX_BYTES:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"file is {size} bytes, over the "
                    f"{yamlsafe.MAX_BYTES // (1024 * 1024)} MiB limit",
                )
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, None, None, None, f"cannot read: {exc.strerror or exc}"))
        return None
    try:
        raw.decode("utf-8")  # libyaml would also take UTF-16: only UTF-8 is data here
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, None, None, None, f"not UTF-8 text ({exc.reason})"))
        return None
    try:
        # The bytes, not the text: libyaml reads UTF-8, so a str would be encoded back.
        # Lines are only found if a problem needs one.
        return yamlsafe.load(raw, lines=False)
    except yamlsafe.YamlProblem as exc:
        problems.append(Problem(name, exc.line, None, None, exc.message))
        return None


def _parse_entities(path: Path, model: type[BaseModel], problems: list[Problem]) -> Parsed:
    name = path.name
    located = _read(path, problems)
    parsed = Parsed(name, located, [], {})
    if located is None or located.data is None:
        return parsed
    if not isinstance(located.data, list):
        problems.append(Problem(name, 1, None, None, "must be a list of entries (`- id: ...`)"))
        return parsed
    validate = model.model_validate
    for i, item in enumerate(located.data):
        if not isinstance(item, dict):
            problems.append(
                Problem(name, located.line_of((i,)), f"#{i + 1}", None, "entry must be a mapping")
            )
            continue
        raw_id = item.get("id")
        entry = raw_id if isinstance(raw_id, str) and raw_id else f"#{i + 1}"
        if entry in parsed.index_of:
            problems.append(
                Problem(
                    name,
                    located.line_of((i,)),
                    entry,
                    "id",
                    f"duplicate id (first at line {located.line_of((parsed.index_of[entry],))})",
                )
            )
            continue
        try:
            obj = validate(item)
        except ValidationError as exc:
            problems.extend(_validation_problems(name, exc, located, (i,), entry))
            parsed.invalid_ids.add(entry)
            continue
        parsed.index_of[entry] = i
        parsed.entries.append(obj)
    return parsed


def _parse_story(path: Path, problems: list[Problem]) -> tuple[StoryMeta | None, Parsed]:
    located = _read(path, problems)
    parsed = Parsed(path.name, located, [], {})
    if located is None:
        return None, parsed
    if not isinstance(located.data, dict):
        problems.append(Problem(path.name, 1, None, None, "must be a mapping (title, as_of, ...)"))
        return None, parsed
    try:
        meta = StoryMeta.model_validate(located.data)
    except ValidationError as exc:
        chapters = located.data.get("chapters")
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            entry = "story"
            if len(loc) >= 2 and loc[0] == "chapters" and isinstance(chapters, list):
                ch = chapters[loc[1]] if isinstance(loc[1], int) and loc[1] < len(chapters) else {}
                entry = (
                    ch.get("id")
                    if isinstance(ch, dict) and isinstance(ch.get("id"), str)
                    else f"chapters#{loc[1]}"
                )
            problems.append(
                Problem(path.name, located.line_of(loc), entry, _field(loc), _message(err))
            )
        return None, parsed
    return meta, parsed


def read_story(
    data_dir: Path | str, *, warnings: bool = True
) -> tuple[Story | None, list[Problem]]:
    """Read and check every file; return the story (None if any file is unusable) and problems.

    ``warnings=False`` skips the checks that can only warn (a reader needs the errors alone).
    """
    with gc_paused():  # see parley.base.gcpause
        return _read_story(Path(data_dir), warnings)


def _read_story(data_dir: Path, warnings: bool) -> tuple[Story | None, list[Problem]]:
    problems: list[Problem] = []
    if not data_dir.is_dir():
        return None, [Problem(str(data_dir), None, None, None, "data folder not found")]
    for name in REQUIRED_FILES:
        if not (data_dir / name).is_file():
            problems.append(Problem(name, None, None, None, f"required file missing in {data_dir}"))
    known = {"story.yaml", *ENTITY_FILES}
    for extra in sorted(data_dir.glob("*.y*ml")):
        if extra.name not in known:
            problems.append(
                Problem(
                    extra.name,
                    None,
                    None,
                    None,
                    "unknown data file (expected one of: " + ", ".join(sorted(known)) + ")",
                )
            )

    meta = None
    story_file = data_dir / "story.yaml"
    story_parsed = Parsed("story.yaml", None, [], {})
    if story_file.is_file():
        meta, story_parsed = _parse_story(story_file, problems)

    files: dict[str, Parsed] = {}
    for name, (attr, model) in ENTITY_FILES.items():
        path = data_dir / name
        files[attr] = (
            _parse_entities(path, model, problems) if path.is_file() else Parsed(name, None, [], {})
        )

    if meta is None:
        return None, problems
    story = Story.model_construct(meta=meta, **{k: v.entries for k, v in files.items()})
    problems.extend(cross_check(story, files, story_parsed))
    problems.extend(editorial.check(story, files, story_parsed, warnings=warnings))
    order = {name: i for i, name in enumerate(("story.yaml", *ENTITY_FILES))}
    rank = {"error": 0, "warning": 1, "waived": 2}
    problems.sort(key=lambda p: (rank[p.severity], order.get(p.file, -1), p.file, p.line or 0))
    return story, problems


def load_story(data_dir: Path | str, *, cache: bool = False) -> Story:
    """The validated story, or :class:`ContentError` listing every problem.

    With ``cache=True`` a story validated before from the same file contents comes from
    :mod:`parley.story.cache` (outside the data folder), and a newly validated one is stored there.
    """
    data_dir = Path(data_dir)
    # The key is taken once, before reading: a file edited while it is read is stored under
    # its old content's key, so the next load sees new content and reads it again.
    digest = story_cache.fingerprint(data_dir) if cache else None  # None: unreadable, no cache
    if digest:
        cached = story_cache.load(data_dir, digest)
        if cached is not None:
            return cached
    story, problems = read_story(data_dir, warnings=False)  # warnings do not stop a reader
    if problems or story is None:
        raise ContentError(problems)
    if digest:
        story_cache.store(data_dir, story, digest)
    return story
