"""Problems found in content: one line each, ``file:line: entry-id: field: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        line = self.line if self.line is not None else "-"
        return f"{self.file}:{line}: {self.entry or '-'}: {self.field or '-'}: {self.message}"


class ContentError(Exception):
    """Raised when a story cannot be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def _sort_key(p: Problem) -> tuple[str, int, str]:
    return (p.file, p.line if p.line is not None else 0, p.message)
