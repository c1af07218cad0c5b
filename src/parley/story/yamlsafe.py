"""A small, safe YAML reader that remembers where every value came from.

It walks libyaml's event stream itself instead of using a constructor, so that:
- anchors, aliases and tags are refused (no "billion laughs", nothing is ever constructed
  from a tag, so nothing in the data can run);
- duplicate keys are errors (PyYAML would silently keep the last one);
- scalars are resolved YAML 1.2-style: only ``true``/``false`` are booleans (so a state
  voting ``no`` stays a string) and dates stay text for the schema to check;
- every value's line can be found, for ``file:line`` messages.

Lines are only needed when something is wrong, so ``load(text, lines=False)`` builds the
data alone (no line table: less work per value) and keeps the text; the first
``line_of`` parses it again with lines. Both walks see the same events and refuse the same
things, so a text one accepts the other accepts too.

Speed (a 10,000-event story is hundreds of thousands of parser events): the loop dispatches on
the event's exact class, records lines in a tree that mirrors the data instead of a dict keyed
by path tuples (no tuple per value), resolves only plain scalars that could be numbers with a
regex, and pauses the cyclic garbage collector while it builds (the containers it makes hold
no cycles; otherwise each full collection rescans everything built so far).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import yaml

from parley.base.gcpause import gc_paused

try:  # libyaml's C parser is much faster; fall back to pure Python where it is missing.
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
    """A parsed document plus the line of every value, found by its path from the root.

    Made by ``load(text, lines=False)`` it holds the text instead, and finds the lines the
    first time they are asked for.
    """

    __slots__ = ("_root", "_text", "data")

    def __init__(
        self, data: Any, root: LineEntry | None = (None, None), text: str | bytes | None = None
    ) -> None:
        self.data = data
        self._root = root
        self._text = text

    def _lines(self) -> LineEntry:
        if self._root is None:
            # The text parsed once already, so this cannot fail; it is the same walk with lines.
            self._root = load(self._text or "")._root
            self._text = None
        return self._root  # type: ignore[return-value]

    def line_of(self, path: Path) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        line, children = self._lines()
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

        walk((), self._lines())
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


@contextmanager
def _events(text: str | bytes) -> Iterator[Callable[[], Any]]:
    """libyaml's events for ``text``, with its errors as :class:`YamlProblem` and the cyclic
    collector paused meanwhile (the containers built hold no cycles; otherwise each full
    collection rescans everything built so far)."""
    loader = _Loader(text)
    try:
        with gc_paused():
            yield loader.get_event
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlProblem(f"not valid YAML: {problem}", mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()


def _check_scalar(event: Any) -> None:
    """Refuse an anchored or tagged scalar (only called when it has either: rare)."""
    line = event.start_mark.line + 1
    if event.anchor:
        raise YamlProblem("anchors (&name) are not allowed", line)
    if event.tag and not event.implicit[0]:
        raise YamlProblem(f"tags ({event.tag}) are not allowed", line)


def _check_opening(event: Any, depth: int, key_pending: bool) -> int:
    """Refuse a mapping or list that is anchored, tagged, too deep or used as a key;
    return its line."""
    line: int = event.start_mark.line + 1
    if event.anchor:
        raise YamlProblem("anchors (&name) are not allowed", line)
    if event.tag:
        raise YamlProblem(f"tags ({event.tag}) are not allowed", line)
    if depth >= MAX_DEPTH:
        raise YamlProblem("nested too deeply", line)
    if key_pending:
        raise YamlProblem(_COMPLEX_KEY)  # a mapping or list used as a key
    return line


def _other_event(event: Any, documents: int) -> int | None:
    """Any other event: None at the end of the stream, else the documents seen so far
    (aliases and a second document are refused)."""
    if event is None or isinstance(event, yaml.StreamEndEvent):
        return None
    if isinstance(event, yaml.AliasEvent):
        raise YamlProblem("aliases (*name) are not allowed", event.start_mark.line + 1)
    if isinstance(event, yaml.DocumentStartEvent):
        documents += 1
        if documents > 1:
            raise YamlProblem("only one YAML document per file", event.start_mark.line + 1)
    return documents  # StreamStartEvent, DocumentEndEvent: nothing to do


def load(text: str | bytes, *, lines: bool = True) -> Located:
    """Parse one YAML document into plain dicts, lists and scalars, with line numbers
    (or, with ``lines=False``, with the text kept to find them when first asked)."""
    if len(text) > MAX_BYTES:
        raise YamlProblem(f"file is larger than the {MAX_BYTES // (1024 * 1024)} MiB limit")
    if not lines:
        return Located(_load_data(text), None, text)
    # Open containers, innermost last: [container, its line children, pending key (mappings),
    # the pending key's line, is_mapping, start line].
    stack: list[list[Any]] = []
    root: Any = None
    root_entry: LineEntry = (None, None)
    documents = 0
    with _events(text) as get_event:
        while True:
            event = get_event()
            kind = type(event)
            if kind is _Scalar:  # by far the most frequent event: test it first
                if event.anchor or event.tag:
                    _check_scalar(event)
                line = event.start_mark.line + 1
                raw = event.value
                plain = not event.style and event.implicit[0]
                if not stack:
                    root = _resolve(raw) if plain else raw
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
                    top[0][key] = _resolve(raw) if plain else raw
                    top[1][key] = (top[3], None)
                    top[2] = _NO_KEY
                else:
                    top[0].append(_resolve(raw) if plain else raw)
                    top[1].append((line, None))
                continue
            if kind is _MapStart or kind is _SeqStart:
                pending = bool(stack) and stack[-1][4] and stack[-1][2] is _NO_KEY
                line = _check_opening(event, len(stack), pending)
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
                if top[4]:  # its key is set: a container as a key was refused when it opened
                    key = top[2]
                    top[0][key] = done
                    top[1][key] = (top[3], children)
                    top[2] = _NO_KEY
                else:
                    top[0].append(done)
                    top[1].append((start, children))
                continue
            seen = _other_event(event, documents)
            if seen is None:
                break
            documents = seen
    return Located(root, root_entry)


def _load_data(text: str | bytes) -> Any:
    """:func:`load`'s walk without the lines: the same events, refusals and resolution.

    The open container, its pending key and its kind live in locals (saved on a stack when
    a child opens) because this loop runs once per parser event."""
    stack: list[tuple[Any, Any, bool]] = []  # the enclosing containers' (container, key, kind)
    current: Any = None  # the open dict or list; None at the top level
    key: Any = _NO_KEY  # a mapping's key waiting for its value
    is_map = False
    root: Any = None
    documents = 0
    with _events(text) as get_event:
        while True:
            event = get_event()
            kind = type(event)
            if kind is _Scalar:
                if event.anchor or event.tag:
                    _check_scalar(event)
                if is_map and key is _NO_KEY:  # a key: always the text as written
                    key = event.value
                    if key in current:
                        raise YamlProblem(f"duplicate key {key!r}", event.start_mark.line + 1)
                    continue
                if event.style or not event.implicit[0]:
                    value = event.value
                else:
                    value = _resolve(event.value)
                if is_map:  # placing a value, inlined here and below: this runs per event
                    current[key] = value
                    key = _NO_KEY
                elif current is not None:
                    current.append(value)
                else:
                    root = value
                continue
            if kind is _MapStart or kind is _SeqStart:
                _check_opening(event, len(stack), is_map and key is _NO_KEY)
                stack.append((current, key, is_map))
                if kind is _MapStart:
                    current, key, is_map = {}, _NO_KEY, True
                else:
                    current, key, is_map = [], _NO_KEY, False
                continue
            if kind is _MapEnd or kind is _SeqEnd:
                done = current
                current, key, is_map = stack.pop()
                if is_map:
                    current[key] = done
                    key = _NO_KEY
                elif current is not None:
                    current.append(done)
                else:
                    root = done
                continue
            seen = _other_event(event, documents)
            if seen is None:
                break
            documents = seen
    return root
