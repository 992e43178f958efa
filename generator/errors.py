"""Problems are records, never printed here: only the CLI formats them (report.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one place in one file.

    `code` is stable (tests and tooling match on it); `message` is Chinese with
    the English in brackets; `hint` says what to write instead.
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    key: str = ""
    severity: Severity = field(default=Severity.ERROR, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "code": self.code,
            "key": self.key,
            "message": self.message,
            "hint": self.hint,
        }


def error(path, line, col, code, message, hint="", key="") -> Problem:
    return Problem(path, line, col, code, message, hint, key, Severity.ERROR)


def warning(path, line, col, code, message, hint="", key="") -> Problem:
    return Problem(path, line, col, code, message, hint, key, Severity.WARNING)


class ContentError(Exception):
    """Raised by the build when content has errors; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = sum(p.is_error for p in problems)
        super().__init__(f"内容有 {errors} 个错误（content has {errors} errors）")
