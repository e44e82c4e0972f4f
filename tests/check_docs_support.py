"""Helpers shared by the check_docs tests: planted-error markers and CLI runs."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from check_docs.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
# The link checker's rules: the corpus tests select them, so rules added later
# (terminology) are tested on their own fixtures and cannot blur these results.
LINK_RULES = "broken-link,broken-anchor,nav-missing,unsafe-link,orphan-page,invalid-file"
PLANTED_RE = re.compile(r"planted: ([a-z-]+)")


def planted(project: Path) -> set[tuple[str, int, str]]:
    """Every ``planted: <rule>`` marker in a fixture project: (path, line, rule)."""
    out = set()
    files = [project / "mkdocs.yml", *sorted((project / "docs").rglob("*.md"))]
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if line.lstrip().startswith("# Planted-error corpus"):
                continue
            for match in PLANTED_RE.finditer(line):
                if match.group(1) != "rule":
                    out.add((path.relative_to(project).as_posix(), number, match.group(1)))
    return out


def copy_fixture(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(FIXTURES / name, target, symlinks=True)
    return target


@dataclass
class CliRun:
    code: int
    out: str
    err: str

    def json(self) -> list[dict[str, object]]:
        return json.loads(self.out)

    def found(self) -> set[tuple[str, int, str]]:
        return {(f["path"], f["line"], f["rule"]) for f in self.json()}  # type: ignore[misc]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> CliRun:
    code = main(list(argv))
    captured = capsys.readouterr()
    return CliRun(code, captured.out, captured.err)
