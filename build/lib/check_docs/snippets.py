"""pymdownx.snippets, as the page reader sees it: included files are part of the page.

``--8<-- "file.md"`` on a line (or a block of paths between two ``--8<--`` lines) is
replaced by the file's lines, indented like the marker, before Markdown is parsed;
the headings and links of an included file count where it is included. Line ranges
(``file.md:3:9``), sections (``file.md:name`` between ``--8<-- [start:name]`` and
``[end:name]``), nested includes and escapes (``;--8<--``) work as in
pymdown-extensions; URLs are never fetched.

A position in the expanded text maps back to the page: a line of the page keeps its
place; a line from an included file is reported at the marker that included it.
Only the page's own lines can be fixed or carry prose for the term rules.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from check_docs import files

if TYPE_CHECKING:
    from check_docs.record import PageRecord

INLINE_RE = re.compile(
    r"^(?P<space>[ \t]*)(?P<escape>;*)(?:(?P<inline>-+8<-+[ \t]+)"
    r"(?P<snippet>\"(?:\\\"|[^\"\n])+?\"|'(?:\\'|[^'\n])+?')(?![ \t])|(?P<block>-+8<-+)(?![ \t]))$"
)
SECTION_RE = re.compile(
    r"^.*?(?<!;)-+8<-+[ \t]+\[[ \t]*(?P<type>start|end)[ \t]*:"
    r"[ \t]*(?P<name>[a-z][-_0-9a-z]*)[ \t]*\]",
    re.I,
)
LINES_RE = re.compile(r"^(.*?)((?::-?[0-9]*){1,2}(?:,-?[0-9]*(?::-?[0-9]*)?)*)$")
NAMED_RE = re.compile(r"^(.*?):([a-z][-_0-9a-z]*)$", re.I)
MAX_DEPTH = 20
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Snippets:
    """The extension's settings: where included files are looked for."""

    base_paths: tuple[Path, ...]
    root: Path  # the mkdocs.yml folder: nothing outside it is read
    check_paths: bool = False
    restrict_base_path: bool = True


@dataclass
class Expanded:
    """The text Markdown sees, and where each of its lines came from."""

    text: str
    # per line of ``text``: (page line index, column shift) for the page's own lines,
    # or (-1 - page line index of the marker, marker column) for included lines
    origins: list[tuple[int, int]] | None = None
    page_starts: list[int] = field(default_factory=list)

    @classmethod
    def plain(cls, text: str) -> Expanded:
        return cls(text)

    def position(self, offset: int, line_starts: list[int]) -> tuple[int, int]:
        """1-based (line, column) in the page of ``offset`` in ``text``."""
        index = bisect.bisect_right(line_starts, offset) - 1
        column = offset - line_starts[index]
        if self.origins is None:
            return index + 1, column + 1
        page_line, shift = self.origins[index]
        if page_line < 0:
            return -page_line, shift + 1
        return page_line + 1, column + 1

    def page_range(self, start: int, end: int) -> tuple[int, int] | None:
        """``start:end`` of ``text`` as offsets in the page, or None when it is (partly)
        text an included file brought."""
        if self.origins is None:
            return start, end
        first, last = self._page_offset(start), self._page_offset(end)
        if first is None or last is None:
            return None
        return first, last

    def _page_offset(self, offset: int) -> int | None:
        starts = self._starts()
        index = bisect.bisect_right(starts, offset) - 1
        assert self.origins is not None
        page_line, _shift = self.origins[min(index, len(self.origins) - 1)]
        if page_line < 0:
            return None
        return self.page_starts[page_line] + offset - starts[index]

    def _starts(self) -> list[int]:
        cached = getattr(self, "_cached_starts", None)
        if cached is None:
            cached = [0, *(m.end() for m in re.finditer("\n", self.text))]
            self._cached_starts = cached
        return cached


def _select(lines: list[str], spec: str | None, name: str | None) -> list[str] | None:
    if name is not None:
        out, inside = [], False
        for line in lines:
            marker = SECTION_RE.match(line)
            if marker and marker.group("name") == name:
                if marker.group("type").lower() == "start":
                    inside = True
                    continue
                if inside:
                    return out
            elif inside:
                out.append(line)
        return out if inside else None
    if spec:
        out = []
        for part in spec.split(","):
            bounds = [b for b in part.split(":") if b != ""] if part else []
            numbers = [int(b) for b in bounds if b.lstrip("-").isdigit()]
            start = numbers[0] if numbers else 1
            stop = numbers[1] if len(numbers) > 1 else (start if len(numbers) == 1 else len(lines))
            start = start if start > 0 else len(lines) + start + 1
            stop = stop if stop > 0 else len(lines) + stop + 1
            out.extend(lines[max(start - 1, 0) : max(stop, 0)])
        return out
    return [line for line in lines if not SECTION_RE.match(line)]


class _Expander:
    def __init__(self, settings: Snippets, record: PageRecord) -> None:
        self.settings = settings
        self.record = record
        self.seen: list[Path] = []

    def find(self, path: str) -> Path | None:
        for base in self.settings.base_paths:
            if base.is_dir():
                candidate = (base / path).resolve()
                if self.settings.restrict_base_path and not candidate.is_relative_to(base):
                    continue
            else:
                candidate = (base.parent / path).resolve()
                if candidate != base.resolve():
                    continue
            if candidate.is_file():
                return candidate
        return None

    def lines_of(self, path: Path) -> list[str] | None:
        root = self.settings.root.resolve()
        if not path.is_relative_to(root):
            return None  # never read outside the project
        try:
            text = files.decode_text(files.read_bytes(path, MAX_BYTES))
        except files.FileProblem:
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def expand(
        self, lines: list[str], origin: list[tuple[int, int]] | None, marker: tuple[int, int]
    ) -> tuple[list[str], list[tuple[int, int]]]:
        """``lines`` with their includes expanded; ``origin`` is None for included
        lines (then everything maps to ``marker``)."""
        out: list[str] = []
        where: list[tuple[int, int]] = []
        block = False
        for index, line in enumerate(lines):
            here = origin[index] if origin is not None else marker
            match = INLINE_RE.match(line) if "8<" in line else None
            path = ""
            space = ""
            if match:
                if match.group("escape"):
                    out.append(line.replace(";", "", 1))
                    where.append(here)
                    continue
                if match.group("block"):
                    block = not block
                    continue
                if block:
                    continue
                space = match.group("space")
                path = match.group("snippet")[1:-1].strip()
            elif block:
                space = line[: len(line) - len(line.lstrip())]
                path = line.strip()
                if not path or path.startswith(";"):
                    continue
            else:
                out.append(line)
                where.append(here)
                continue
            include_marker = (-1 - here[0], here[1] + len(space)) if here[0] >= 0 else here
            for included in self.include(path, include_marker):
                out.append(space + included[0])
                where.append(included[1])
        return out, where

    def include(self, spec: str, marker: tuple[int, int]) -> list[tuple[str, tuple[int, int]]]:
        if spec.lower().startswith(("http://", "https://")):
            return []
        name = lines_spec = None
        named = NAMED_RE.match(spec)
        ranged = LINES_RE.match(spec)
        if ranged and ranged.group(2):
            spec, lines_spec = ranged.group(1), ranged.group(2).lstrip(":")
        elif named and not re.match(r"^[A-Za-z]:[\\/]", spec):
            spec, name = named.group(1), named.group(2)
        found = self.find(spec)
        if found is None or found in self.seen or len(self.seen) >= MAX_DEPTH:
            if found is None and self.settings.check_paths:
                line = -marker[0] if marker[0] < 0 else marker[0] + 1
                self.record.problems.append(
                    (line, marker[1] + 1, f"snippet '{spec}' not found in the snippets base_path")
                )
            return []
        lines = self.lines_of(found)
        if lines is None:
            return []
        try:
            shown = found.relative_to(self.settings.root.resolve()).as_posix()
        except ValueError:
            shown = found.as_posix()
        if shown not in self.record.includes:
            self.record.includes.append(shown)
        selected = _select(lines, lines_spec, name)
        if selected is None:
            return []
        self.seen.append(found)
        expanded, _where = self.expand(selected, None, marker)
        self.seen.pop()
        return [(line, marker) for line in expanded]


def expand(text: str, record: PageRecord, settings: Snippets) -> Expanded:
    """The page's text with its snippets included (``text`` itself when it has none)."""
    if "8<-" not in text:
        return Expanded.plain(text)
    lines = text.split("\n")
    expander = _Expander(settings, record)
    out, where = expander.expand(lines, [(i, 0) for i in range(len(lines))], (0, 0))
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    return Expanded("\n".join(out), where, starts)
