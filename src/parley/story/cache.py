"""A warm cache of validated stories, so a kernel's second load skips parsing and validation.

Where: ``$PARLEY_CACHE_DIR``, else ``$XDG_CACHE_HOME/parley``, else ``~/.cache/parley``;
never inside the data folder. What: one file per story, named by a key over the *content*
of every ``*.yaml``/``*.yml`` file in the data folder (names, sizes and SHA-256), the code
that reads and checks it, and the pydantic and Python versions; so any edit, a new file or
an upgrade is a miss and the story is read and checked again. Only stories without a single
problem are stored.

Safety: a cache file is a pickle, and unpickling runs code, so a file is only unpickled when
it carries a valid HMAC-SHA256 made with a random key that this user's cache folder keeps
(folder 0700, key 0600, both owned by the user). A corrupt, truncated, foreign or tampered
file, or a folder that others can write to, is ignored (a miss), never an error.
"""

from __future__ import annotations

import copyreg
import hashlib
import hmac
import io
import os
import pickle
import secrets
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

import pydantic

from parley.base.gcpause import gc_paused
from parley.story.model import Story

ENV = "PARLEY_CACHE_DIR"
FORMAT = b"parley-story-cache-1\n"  # bump when the file layout changes
KEEP = 8  # stories kept; the oldest are removed (one per data folder and code version)
_MAC_BYTES = 32


def cache_dir() -> Path:
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "parley"


def _private_dir(create: bool) -> Path | None:
    """The cache folder if it is ours alone (created 0700 when ``create``), else None."""
    folder = cache_dir()
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o022:
        return None  # others could plant files here
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    return folder


def _key(folder: Path, create: bool) -> bytes | None:
    """This user's random HMAC key, kept in the cache folder (made on first write)."""
    path = folder / "hmac.key"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            key = f.read(_MAC_BYTES + 1)
        if info.st_mode & 0o077 or len(key) != _MAC_BYTES:
            return None
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None
        return key
    except FileNotFoundError:
        if not create:
            return None
    except OSError:
        return None
    key = secrets.token_bytes(_MAC_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return _key(folder, create=False)
    except OSError:
        return None
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


def fingerprint(data_dir: Path) -> str | None:
    """Hex key of the data folder's YAML files and the code that reads them; None if unreadable."""
    h = hashlib.sha256(FORMAT)
    h.update(f"{sys.version_info[:3]} pydantic {pydantic.VERSION}\n".encode())
    here = Path(__file__).resolve().parent
    try:
        for code in sorted(here.glob("*.py")):  # every module of parley.story reads or checks
            h.update(code.name.encode() + b"\0" + code.read_bytes() + b"\0")
        files = sorted(p for p in data_dir.glob("*.y*ml"))
        for path in files:
            content = path.read_bytes()
            h.update(f"{path.name}\0{len(content)}\0".encode())
            h.update(hashlib.sha256(content).digest())
    except OSError:
        return None
    return h.hexdigest()


# Pickling the models: pydantic's own __getstate__/__setstate__ work, but run a Python
# method with four dict look-ups per model. This reduction pickles the same four slots as a
# tuple (the fields-set shared between equal sets) and restores them with plain setattr:
# less work per model on every warm load (the bench's warm-load figures). The key covers the
# pydantic version.
def _restore(obj: object, state: tuple[Any, Any, Any, Any], _set: Any = object.__setattr__) -> None:
    # Unrolled, with setattr bound as a default: runs 57,000 times for 10,000 events.
    _set(obj, "__dict__", state[0])
    _set(obj, "__pydantic_fields_set__", state[1])
    _set(obj, "__pydantic_extra__", state[2])
    _set(obj, "__pydantic_private__", state[3])


def _pickler(buffer: io.BytesIO) -> pickle.Pickler:
    shared: dict[tuple[type, frozenset[str]], set[str]] = {}

    def reduce(obj: pydantic.BaseModel) -> tuple[object, ...]:
        fields = obj.__pydantic_fields_set__
        if obj.model_config.get("frozen"):  # only frozen models never add to their set
            fields = shared.setdefault((type(obj), frozenset(fields)), fields)
        state = (obj.__dict__, fields, obj.__pydantic_extra__, obj.__pydantic_private__)
        return (object.__new__, (type(obj),), state, None, None, _restore)

    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    table = dict(copyreg.dispatch_table)
    for cls in _model_classes():
        table[cls] = reduce
    pickler.dispatch_table = table  # type: ignore[assignment]
    return pickler


def _model_classes() -> list[type[pydantic.BaseModel]]:
    from parley.story import fields, model

    return [
        c
        for module in (fields, model)
        for c in vars(module).values()
        if isinstance(c, type)
        and issubclass(c, pydantic.BaseModel)
        and c.__module__ == module.__name__
    ]


def load(data_dir: Path, digest: str | None = None) -> Story | None:
    """The cached story for ``data_dir`` as it is now (or for ``digest``, its fingerprint
    taken by the caller), or None (a miss, whatever the reason)."""
    folder = _private_dir(create=False)
    if folder is None:
        return None
    digest = digest or fingerprint(data_dir)
    key = _key(folder, create=False)
    if digest is None or key is None:
        return None
    try:
        blob = (folder / f"{digest}.pickle").read_bytes()
    except OSError:
        return None
    head = len(FORMAT) + _MAC_BYTES
    if len(blob) <= head or not blob.startswith(FORMAT):
        return None
    mac, payload = blob[len(FORMAT) : head], memoryview(blob)[head:]
    expected = hmac.new(key, digest.encode(), hashlib.sha256)
    expected.update(payload)
    if not hmac.compare_digest(mac, expected.digest()):
        return None  # not written by us for this content: never unpickled
    try:
        with gc_paused(freeze=True):  # the story lives as long as the kernel
            story = pickle.loads(payload)
    except Exception:  # a file we wrote that an older library cannot read: a miss
        return None
    return story if isinstance(story, Story) else None


def store(data_dir: Path, story: Story, digest: str | None = None) -> Path | None:
    """Write ``story`` for ``data_dir``'s current content (or for ``digest``, the fingerprint
    the caller took before reading it); None if it cannot be written."""
    folder = _private_dir(create=True)
    if folder is None:
        return None
    digest = digest or fingerprint(data_dir)
    key = _key(folder, create=True)
    if digest is None or key is None:
        return None
    buffer = io.BytesIO()
    with gc_paused():
        _pickler(buffer).dump(story)
    payload = buffer.getbuffer()
    mac = hmac.new(key, digest.encode(), hashlib.sha256)
    mac.update(payload)
    target = folder / f"{digest}.pickle"
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
        with os.fdopen(fd, "wb") as f:
            f.write(FORMAT + mac.digest())
            f.write(payload)
        os.replace(tmp, target)  # atomic: readers see the old file or the whole new one
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return None
    _prune(folder)
    return target


def _prune(folder: Path) -> None:
    """Keep the ``KEEP`` most recently written stories."""
    try:
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def clear() -> None:
    """Remove every cached story (the key stays)."""
    folder = _private_dir(create=False)
    if folder is not None:
        for path in folder.glob("*.pickle"):
            path.unlink(missing_ok=True)
