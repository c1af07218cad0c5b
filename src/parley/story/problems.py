"""Problems found in content: one line each, ``file:line: entry-id: field: message``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# error: fails validation. warning: printed after the errors, fails only with --strict.
# waived: a warning an entry has waived with a reason (pair_checked), reported for review.
Severity = Literal["error", "warning", "waived"]


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    entry: str | None
    field: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        line = self.line if self.line is not None else "-"
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return (
            f"{prefix}{self.file}:{line}: {self.entry or '-'}: {self.field or '-'}: {self.message}"
        )


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


class ContentError(Exception):
    """Raised when a story cannot be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def _sort_key(p: Problem) -> tuple[str, int, str]:
    return (p.file, p.line if p.line is not None else 0, p.message)
