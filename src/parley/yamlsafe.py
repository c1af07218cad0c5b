"""A small, safe YAML reader that remembers where every value came from.

It walks libyaml's event stream itself instead of using a constructor, so that:
- anchors, aliases and tags are refused (no "billion laughs", nothing is ever constructed
  from a tag, so nothing in the data can run);
- duplicate keys are errors (PyYAML would silently keep the last one);
- scalars are resolved YAML 1.2-style: only ``true``/``false`` are booleans (so a state
  voting ``no`` stays a string) and dates stay text for the schema to check;
- every value's line is recorded, for ``file:line`` messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml's C parser is ~10x faster; fall back to pure Python where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 64 * 1024 * 1024  # a 10,000-event story is about 15 MB; this leaves room, not abuse
MAX_DEPTH = 32

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


@dataclass
class Located:
    """A parsed document plus the line of every value, keyed by its path from the root."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def _scalar(event: yaml.ScalarEvent) -> Any:
    value = event.value
    if event.style or not event.implicit[0]:
        return value  # quoted or block scalars are always text
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def load(text: str | bytes) -> Located:
    """Parse one YAML document into plain dicts, lists and scalars, with line numbers."""
    if len(text) > MAX_BYTES:
        raise YamlProblem(f"file is larger than the {MAX_BYTES // (1024 * 1024)} MiB limit")
    loader = _Loader(text)
    lines: dict[Path, int] = {}
    # Stack of containers under construction: [container, path, pending_key, key_line]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlProblem("only one YAML document per file", event.start_mark.line + 1)
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                raise YamlProblem("aliases (*name) are not allowed", line)
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()[0]
                _attach(stack, done, line, lines)
                if not stack:
                    root = done
                continue
            if getattr(event, "anchor", None):
                raise YamlProblem("anchors (&name) are not allowed", line)
            if getattr(event, "tag", None) and not (
                isinstance(event, yaml.ScalarEvent) and event.implicit[0]
            ):
                raise YamlProblem(f"tags ({event.tag}) are not allowed", line)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem("nested too deeply", line)
                path = _child_path(stack)
                lines[path] = line
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                stack.append([container, path, _NO_KEY, line])
                continue
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(event)
                if not stack:
                    root = value
                    continue
                top = stack[-1]
                if isinstance(top[0], dict) and top[2] is _NO_KEY:
                    if not isinstance(value, str):
                        value = event.value
                    if value in top[0]:
                        raise YamlProblem(f"duplicate key {value!r}", line)
                    top[2], top[3] = value, line
                    continue
                lines[_child_path(stack)] = line
                _attach(stack, value, line, lines)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlProblem(f"not valid YAML: {problem}", mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()
    return Located(root, lines)


class _NoKey:
    pass


_NO_KEY = _NoKey()


def _child_path(stack: list[list[Any]]) -> Path:
    if not stack:
        return ()
    container, path, key, _ = stack[-1]
    if isinstance(container, dict):
        if key is _NO_KEY:
            # A mapping or list used as a key: not plain data.
            raise YamlProblem("complex (non-scalar) keys are not allowed")
        return (*path, key)
    return (*path, len(container))


def _attach(stack: list[list[Any]], value: Any, line: int, lines: dict[Path, int]) -> None:
    if not stack:
        return
    top = stack[-1]
    if isinstance(top[0], dict):
        if top[2] is _NO_KEY:
            raise YamlProblem("complex (non-scalar) keys are not allowed", line)
        top[0][top[2]] = value
        lines[(*top[1], top[2])] = top[3]  # a key's value is reported at the key's line
        top[2] = _NO_KEY
    else:
        top[0].append(value)
