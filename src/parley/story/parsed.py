"""One data file after reading: its validated entries and the way back to their lines.

Shared by :mod:`parley.story.load` (which builds it) and the checks that need the whole
story (:mod:`parley.story.validate`, :mod:`parley.story.editorial`), so those checks import
it from here and never from the loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from parley.story import yamlsafe


@dataclass
class Parsed:
    """One file's validated entries with what is needed to point back into the file."""

    name: str
    located: yamlsafe.Located | None
    entries: list[BaseModel]
    index_of: dict[str, int]  # entry id -> position in the file's list
    # Ids of entries that failed the schema: references to them are not reported again.
    invalid_ids: set[str] = field(default_factory=set)

    def line(self, entry_id: str, *path: str | int) -> int | None:
        if self.located is None:
            return None
        i = self.index_of.get(entry_id)
        if i is None:
            return None
        return self.located.line_of((i, *path))
