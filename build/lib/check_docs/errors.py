"""One error type for bad data files, so every caller reports it the same way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class DataError(Exception):
    """A problem in a data file a writer edits, located precisely enough to fix."""

    path: Path | str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"
