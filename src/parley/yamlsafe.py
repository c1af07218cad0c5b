"""A small, safe YAML reader that remembers where every value came from.

It walks libyaml's event stream itself instead of using a constructor, so that:
- anchors, aliases and tags are refused (no "billion laughs", nothing is ever constructed
  from a tag, so nothing in the data can run);
- duplicate keys are errors (PyYAML would silently keep the last one);
- scalars are resolved YAML 1.2-style: only ``true``/``false`` are booleans (so a state
  voting ``no`` stays a string) and dates stay text for the schema to check;
- every value's line is recorded, for ``file:line`` messages.

Speed (a 10,000-event story is about 18 MB and 640,000 parser events): the loop dispatches on
the event's exact class, records lines in a tree that mirrors the data instead of a dict keyed
by path tuples (no tuple per value), resolves only plain scalars that could be numbers with a
regex, and pauses the cyclic garbage collector while it builds (the containers it makes hold
no cycles; otherwise each full collection rescans everything built so far).
"""

from __future__ import annotations

import gc
import re
from typing import Any

import yaml

try:  # libyaml's C parser is ~10x faster; fall back to pure Python where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 64 * 1024 * 1024  # a 10,000-event story is about 15 MB; this leaves room, not abuse
MAX_DEPTH = 32

_NUMBER_START = frozenset("+-.0123456789")  # a plain scalar can only be a number if it starts so
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}

Path = tuple[str | int, ...]


class YamlProblem(Exception):
    """A file that cannot be read as plain YAML data; ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# Where each value came from: (line, children). ``children`` mirrors a container (a dict
# key -> entry, or a list of entries) and is None for a scalar. A mapping's value is reported
# at its key's line, a sequence item at its own first line.
LineEntry = tuple[int | None, "dict[str, LineEntry] | list[LineEntry] | None"]


class Located:
    """A parsed document plus the line of every value, found by its path from the root."""

    __slots__ = ("_root", "data")

    def __init__(self, data: Any, root: LineEntry = (None, None)) -> None:
        self.data = data
        self._root = root

    def line_of(self, path: Path) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        line, children = self._root
        for key in path:
            if isinstance(children, dict):
                entry = children.get(key) if isinstance(key, str) else None
            elif isinstance(children, list) and type(key) is int and 0 <= key < len(children):
                entry = children[key]
            else:
                entry = None
            if entry is None:
                break
            line, children = entry
        return line

    @property
    def lines(self) -> dict[Path, int]:
        """Every recorded path and its line (built on demand; for debugging and tests)."""
        out: dict[Path, int] = {}

        def walk(path: Path, entry: LineEntry) -> None:
            line, children = entry
            if line is not None:
                out[path] = line
            if isinstance(children, dict):
                for key, child in children.items():
                    walk((*path, key), child)
            elif isinstance(children, list):
                for i, child in enumerate(children):
                    walk((*path, i), child)

        walk((), self._root)
        return out


def _resolve(value: str) -> Any:
    """A plain (unquoted) scalar, YAML 1.2 core style: null, true/false, int, float or text."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value[0] in _NUMBER_START:
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
    return value


class _NoKey:
    pass


_NO_KEY = _NoKey()
_COMPLEX_KEY = "complex (non-scalar) keys are not allowed"

_Scalar = yaml.ScalarEvent
_MapStart = yaml.MappingStartEvent
_SeqStart = yaml.SequenceStartEvent
_MapEnd = yaml.MappingEndEvent
_SeqEnd = yaml.SequenceEndEvent


def load(text: str | bytes) -> Located:
    """Parse one YAML document into plain dicts, lists and scalars, with line numbers."""
    if len(text) > MAX_BYTES:
        raise YamlProblem(f"file is larger than the {MAX_BYTES // (1024 * 1024)} MiB limit")
    loader = _Loader(text)
    get_event = loader.get_event
    # Open containers, innermost last: [container, its line children, pending key (mappings),
    # the pending key's line, is_mapping, start line].
    stack: list[list[Any]] = []
    root: Any = None
    root_entry: LineEntry = (None, None)
    documents = 0
    collecting = gc.isenabled()
    gc.disable()
    try:
        while True:
            event = get_event()
            kind = type(event)
            if kind is _Scalar:  # by far the most frequent event: test it first
                line = event.start_mark.line + 1
                if event.anchor:
                    raise YamlProblem("anchors (&name) are not allowed", line)
                implicit = event.implicit[0]
                if event.tag and not implicit:
                    raise YamlProblem(f"tags ({event.tag}) are not allowed", line)
                raw = event.value
                if not stack:
                    root = raw if event.style or not implicit else _resolve(raw)
                    continue
                top = stack[-1]
                if top[4]:
                    key = top[2]
                    if key is _NO_KEY:  # a key: always the text as written
                        if raw in top[0]:
                            raise YamlProblem(f"duplicate key {raw!r}", line)
                        top[2] = raw
                        top[3] = line
                        continue
                    top[0][key] = raw if event.style or not implicit else _resolve(raw)
                    top[1][key] = (top[3], None)
                    top[2] = _NO_KEY
                else:
                    top[0].append(raw if event.style or not implicit else _resolve(raw))
                    top[1].append((line, None))
                continue
            if kind is _MapStart or kind is _SeqStart:
                line = event.start_mark.line + 1
                if event.anchor:
                    raise YamlProblem("anchors (&name) are not allowed", line)
                if event.tag:
                    raise YamlProblem(f"tags ({event.tag}) are not allowed", line)
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem("nested too deeply", line)
                if stack and stack[-1][4] and stack[-1][2] is _NO_KEY:
                    raise YamlProblem(_COMPLEX_KEY)  # a mapping or list used as a key
                if kind is _MapStart:
                    stack.append([{}, {}, _NO_KEY, 0, True, line])
                else:
                    stack.append([[], [], _NO_KEY, 0, False, line])
                continue
            if kind is _MapEnd or kind is _SeqEnd:
                done, children, _, _, _, start = stack.pop()
                if not stack:
                    root, root_entry = done, (start, children)
                    continue
                top = stack[-1]
                if top[4]:
                    key = top[2]
                    if key is _NO_KEY:
                        raise YamlProblem(_COMPLEX_KEY, event.start_mark.line + 1)
                    top[0][key] = done
                    top[1][key] = (top[3], children)
                    top[2] = _NO_KEY
                else:
                    top[0].append(done)
                    top[1].append((start, children))
                continue
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.AliasEvent):
                raise YamlProblem("aliases (*name) are not allowed", event.start_mark.line + 1)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlProblem("only one YAML document per file", event.start_mark.line + 1)
            # StreamStartEvent, DocumentEndEvent: nothing to do
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlProblem(f"not valid YAML: {problem}", mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
    return Located(root, root_entry)
