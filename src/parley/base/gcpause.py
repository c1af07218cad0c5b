"""The one pause of Python's cyclic garbage collector, around building a whole story.

Reading, validating and unpickling a story allocate many containers and models and free none
of them, and none holds a reference cycle, so an automatic collection meanwhile only rescans
what was just built. Pausing the collector skips that wasted work; reference counting still
frees everything. Nested pauses are fine: only the outermost one re-enables the collector.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """No automatic cyclic collection inside; restored afterwards. ``freeze``: on success,
    move everything alive to the permanent generation, for objects that live as long as the
    process (a kernel's story), so later full collections do not scan them again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
