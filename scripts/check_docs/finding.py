"""The one record every rule produces and every output format renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Edit:
    """A safe fix: replace bytes ``start:end`` of the file with ``replacement``.

    Offsets are into the file's raw bytes as read, so a fix never re-encodes
    or re-flows anything outside the range (see ``fix.py``).
    """

    start: int
    end: int
    replacement: bytes


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: where (path relative to the mkdocs.yml folder, 1-based line and
    column), which rule, how bad, what is wrong and, when known, what to write instead."""

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    suggestion: str | None = None
    edit: Edit | None = None
    cause: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
            "cause": self.cause,
        }


def unsettled_text(message: str, cause: str) -> str:
    """A warning's message when only a build can settle it: ``cause`` says who may make
    what is missing (the rules that give such warnings share this wording)."""
    return f"{message}; {cause}: build once to verify"
