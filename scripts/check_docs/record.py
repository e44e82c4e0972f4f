"""The one record of a page: everything any rule needs, read and parsed once.

A record comes from one standalone parse of the page's Markdown
(``check_docs.parse``) or, inside ``mkdocs build``, from that parse corrected by the
HTML MkDocs produced (``check_docs.plugin``): its anchors are then the ids of the
built page and its links the ones the reader gets. Every rule computes its findings
from records; nothing re-reads or re-parses a page.

Offsets are character offsets into the page's text as read (after UTF-8 decoding,
line ends kept in place), so a fix is a range of the file as it is on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Link(NamedTuple):
    """A link as written and where: ``syntax`` is how it was written ("link" and
    "image" in Markdown, "html" for an attribute of a raw HTML tag)."""

    line: int
    column: int
    url: str
    syntax: str
    # The address as the built HTML has it (MkDocs rewrites links to docs files), when
    # the record comes from a build: a browser's reading of it is the judge.
    href: str = ""

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt by C code when unpickled: a site has hundreds of thousands of links
        # and the named tuple's own __new__ is Python, ten times slower.
        return (tuple.__new__, (Link, tuple(self)))


class TextBlock(NamedTuple):
    """A block whose text readers read, and the prose in it.

    ``kind``: "paragraph" (also list items, quotes, cells of a table body, definitions),
    "heading", "header-cell" (a table's header row) or "title" (of an admonition,
    details or content tab). ``prose`` are (start, end) offsets of the characters a
    reader reads as words, never code, markup, URLs, attribute values, labels or
    comments; a line break always ends a range."""

    kind: str
    line: int
    prose: tuple[tuple[int, int], ...]


class Suppression(NamedTuple):
    """``<!-- check_docs: ignore rule ... -->``: on ``line`` and the line after it."""

    line: int
    column: int
    rules: frozenset[str]  # {"*"}: every rule


class Title(NamedTuple):
    """The title of an admonition, details block or content tab, exactly as written."""

    line: int
    column: int
    text: str


@dataclass(slots=True)
class PageRecord:
    path: str  # relative to docs_dir, POSIX separators
    digest: str = ""  # sha256 of the file's bytes
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    # (line, level, id, text as Python-Markdown renders it) of every heading, in order
    headings: list[tuple[int, int, str, str]] = field(default_factory=list)
    blocks: list[TextBlock] = field(default_factory=list)
    # (start, end) of code: spans, fenced and indented blocks, <code>/<kbd>/<pre>/<samp>
    code: list[tuple[int, int]] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    # (line, column, message) for what could not be read or parsed
    problems: list[tuple[int, int, str]] = field(default_factory=list)
    abbreviations: frozenset[str] = frozenset()  # defined on the page: *[ABBR]: ...
    titles: list[Title] = field(default_factory=list)
    # Files pulled in by pymdownx.snippets, relative to the mkdocs.yml folder
    includes: list[str] = field(default_factory=list)
    bom: int = 0  # bytes of a UTF-8 byte-order mark before the text
    generated: bool = False  # a page a plugin made (no source): read, never reported on
    # The page's text; set while the page-level rules run, never stored.
    text: str | None = None

    def byte_offset(self, pos: int) -> int:
        """The byte offset in the file of character offset ``pos`` of ``text``."""
        text = self.text or ""
        return self.bom + (pos if text.isascii() else len(text[:pos].encode("utf-8")))

    def suppressed(self, line: int, rule: str) -> Suppression | None:
        """The suppression comment covering ``rule`` on ``line``, if any."""
        for item in self.suppressions:
            if item.line in (line, line - 1) and (rule in item.rules or "*" in item.rules):
                return item
        return None


_ANCHORS = PageRecord.__dict__["anchors"]  # the slot's own descriptor


class CachedRecord(PageRecord):
    """A page's record as the warm cache gives it (``cache.Entry.lite_record``): the
    parts the site rules read, its ids split out of the stored string only when read
    (the ids of a page nobody links to in this run's judged pages never are)."""

    __slots__ = ("_ids",)

    def __init__(self, path: str, digest: str, ids: str | tuple[str, ...]) -> None:
        # Not PageRecord's __init__: it would set the ids now. Every other slot is set
        # here, as that __init__ sets it.
        self.path, self.digest, self._ids = path, digest, ids
        self.links, self.headings, self.blocks, self.code = [], [], [], []
        self.suppressions, self.problems, self.titles, self.includes = [], [], [], []
        self.abbreviations, self.bom, self.generated, self.text = frozenset(), 0, False, None

    @property  # type: ignore[override]
    def anchors(self) -> set[str]:
        try:
            return _ANCHORS.__get__(self)  # type: ignore[no-any-return]
        except AttributeError:  # first read: split now
            ids = self._ids
            found = set(ids.split("\0") if ids else ()) if isinstance(ids, str) else set(ids)
            _ANCHORS.__set__(self, found)
            return found

    @anchors.setter
    def anchors(self, value: set[str]) -> None:
        _ANCHORS.__set__(self, value)
