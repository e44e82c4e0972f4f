"""The warm cache: a re-run reads and parses only the pages that changed.

Kept in ``<cache_dir>/pages/`` (``.check_docs_cache/`` by default, beside mkdocs.yml):

- ``entries-NN.pickle``: per page its size, modification time and content hash, and
  what the rules found on it (the page rules' findings and data, the link rules'
  findings, the ids it has, the pages its links reach and the ids they ask of them), in
  64 shards by path; a run writes only the shards whose entries changed (a one-page
  edit: a few of them, not the whole index).
- ``index.pickle``: the keys the whole cache depends on, the table of page paths the
  entries name pages by (below) and, per entries shard, the token it was written with.
  It is written last, after the shards: a run stopped between its writes leaves shards
  whose token the index does not name, and the next run discards the cache with a note
  instead of mixing two runs' entries.
- ``links-NN.pickle``: the pages' links (all the link rules read of a page besides
  what the index has), in 64 shards by path, read only when a page's links must be
  judged again (a page they lead to changed an id they ask for, a file was added or
  removed) and written only when a page's links were taken afresh.

An entry names the pages its links read by their number in the index's table of paths,
each number one character of a string (``PageCache.codes``): a path is stored once, not
again in every shard of every page linking to it (half of what the entries weighed),
loading makes one string per page instead of one per link, and telling which pages read
a changed page is a substring test per page, with no path hashed.

A page is parsed again when its size or modification time changed and its content
hash then differs, or when a file it includes (snippets) changed. Its links are judged
again when it changed, when a page it links to changed in what they ask of it (an id
they ask for came or went, or the closest id to a missing one changed; see
``incremental.IdChange``), or when the site's files did. The whole cache is dropped
when the checker's version, mkdocs.yml, pyproject.toml, the glossary or the rules asked
for change (the *page key*).

Safety: the files hold only plain data (tuples, strings, numbers) and are read with an
unpickler that refuses every class and function, after a size check; anything that is
not exactly what this version wrote (another format, a damaged or foreign file) is
discarded with a note and the run goes on cold. Writes are atomic.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import secrets
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from check_docs import __version__, files
from check_docs.finding import Edit, Finding
from check_docs.record import CachedRecord, Link, PageRecord, Suppression

FAMILY = "check_docs page cache"
FORMAT = f"{FAMILY} 7"
SHARDS = 64
MAX_FILE_BYTES = 512 * 1024 * 1024
# Page numbers are characters: at most this many paths in the table.
MAX_PATHS = 0x110000
# Paths of pages gone the table may hold (beyond as many as there are pages) before
# ``PageCache.save`` renumbers it.
RENUMBER_SLACK = 256


class CacheError(Exception):
    """The cache cannot be used; the message says why."""


class _PlainUnpickler(pickle.Unpickler):
    """Builds only builtin containers and scalars: no class, no function, ever."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refused {module}.{name}: the cache holds plain data only")

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("refused a persistent id")


def load_plain(path: Path) -> Any:
    raw = files.read_bytes(path, MAX_FILE_BYTES)
    try:
        return _PlainUnpickler(io.BytesIO(raw)).load()
    except Exception as exc:  # any failure at all means: not a file we wrote
        raise CacheError(f"{path.name} cannot be read ({type(exc).__name__})") from None


def dump_plain(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            pickle.dump(data, out, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def shard_of(path: str) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogateescape")) % SHARDS


# -- links and findings as plain data --------------------------------------------------
def links_to_plain(record: PageRecord) -> tuple[str, list[tuple[Any, ...]]]:
    return record.digest, [tuple(link) for link in record.links]


def links_from_plain(data: tuple[Any, ...]) -> tuple[str, list[Link]]:
    digest, links = data
    if not isinstance(digest, str):
        raise TypeError("digest")
    # tuple.__new__ is C: the named tuple's own __new__ is Python, ten times slower.
    made = [tuple.__new__(Link, link) for link in links]
    if any(len(link) != len(Link._fields) for link in made):
        raise ValueError("link")
    return digest, made


def finding_to_plain(f: Finding) -> tuple[Any, ...]:
    edit = (f.edit.start, f.edit.end, f.edit.replacement) if f.edit else None
    return (f.path, f.line, f.column, f.rule, f.severity, f.message, f.suggestion, edit, f.cause)


def finding_from_plain(data: tuple[Any, ...]) -> Finding:
    path, line, column, rule, severity, message, suggestion, edit, cause = data
    return Finding(
        path,
        line,
        column,
        rule,
        severity,
        message,
        suggestion,
        Edit(*edit) if edit else None,
        cause,
    )


def _joined(parts: list[str]) -> str | tuple[str, ...]:
    """Strings as one NUL-joined string (a tuple when one holds a NUL itself)."""
    return tuple(parts) if any("\0" in p for p in parts) else "\0".join(parts)


def _split(joined: str | tuple[str, ...]) -> list[str] | tuple[str, ...]:
    if not isinstance(joined, str):
        return joined
    return joined.split("\0") if joined else []


@dataclass
class Entry:
    """What the cache knows of one page without its full record."""

    size: int
    mtime_ns: int
    digest: str
    # The page's ids, joined by NUL (one string loads fifty times faster than a set of
    # them; a tuple when an id holds a NUL itself): ``ids`` reads them.
    anchors: str | tuple[str, ...]
    suppressions: tuple[tuple[int, int, frozenset[str]], ...]
    problems: tuple[tuple[int, int, str], ...]
    includes: tuple[tuple[str, int, int], ...]  # (path, size, mtime_ns) of included files
    findings: tuple[tuple[Any, ...], ...]  # the page rules'
    collected: dict[str, Any]
    # The link rules' findings and what they read: valid while links_key holds and none
    # of ``reads`` (pages whose ids they looked up) changed its ids.
    link_findings: tuple[tuple[Any, ...], ...] | None = None
    # The other pages its links lead to (which orphan-page reads too), as page codes
    # (``PageCache.codes``): a page linking only to itself reads nothing of another.
    reads: str = ""
    # What pages linking here read of it: its ids as judged, and who else may add some.
    anchor_state: str = ""
    # The ids its links ask of other pages: per id, the page's code and the fragment,
    # joined by NUL (``PageCache.asked`` reads them), so that a changed id re-judges
    # only the pages asking for it. Read only for the few pages linking to a changed
    # page.
    asks: str | tuple[str, ...] = ""

    def plain(self) -> tuple[Any, ...]:
        return (
            self.size, self.mtime_ns, self.digest, self.anchors, self.suppressions,
            self.problems, self.includes, self.findings, self.collected, self.link_findings,
            self.reads, self.anchor_state, self.asks,
        )  # fmt: skip

    @classmethod
    def from_plain(cls, data: tuple[Any, ...]) -> Entry:
        (size, mtime_ns, digest, anchors, suppressions, problems, includes, findings,
         collected, link_findings, reads, anchor_state, asks) = data  # fmt: skip
        if not (
            isinstance(size, int)
            and isinstance(digest, str)
            and isinstance(collected, dict)
            and isinstance(reads, str)
        ):
            raise TypeError("entry")
        return cls(
            size, mtime_ns, digest, anchors if isinstance(anchors, str) else tuple(anchors),
            tuple(suppressions), tuple(problems),
            tuple(includes), tuple(findings), collected, link_findings, reads,
            str(anchor_state), asks if isinstance(asks, str) else tuple(asks),
        )  # fmt: skip

    @staticmethod
    def plain_ids(ids: Iterable[str]) -> str | tuple[str, ...]:
        return _joined(sorted(ids))

    def ids(self) -> set[str]:
        return set(_split(self.anchors))

    def lite_record(self, path: str) -> PageRecord:
        """The record's parts the site rules read (no links, no prose)."""
        record = CachedRecord(path, self.digest, self.anchors)
        # Most pages have none of these: build them only when there are some.
        if self.suppressions:
            record.suppressions = [Suppression(a, b, frozenset(c)) for a, b, c in self.suppressions]
        if self.problems:
            record.problems = list(self.problems)
        if self.includes:
            record.includes = [i[0] for i in self.includes]
        return record


@dataclass
class PageCache:
    folder: Path
    page_key: str
    links_key: str
    entries: dict[str, Entry] = field(default_factory=dict)
    # The links key the stored link findings were computed under.
    stored_links_key: str = ""
    note: str | None = None
    # Pages whose entry changed in place: a new stamp for a page touched, not edited.
    restamped: set[str] = field(default_factory=set)
    older_format: bool = False  # the folder holds another version's cache
    # The table of page paths entries name pages by: a path's code is the character
    # whose number is its place here. Only ever appended to during a run (codes stored
    # stay valid); ``save`` renumbers when most of it names pages gone.
    paths: list[str] = field(default_factory=list)
    _numbers: dict[str, int] | None = None
    _shards: dict[int, dict[str, Any]] = field(default_factory=dict)
    _dirty_shards: set[int] = field(default_factory=set)
    # Entries shards as read (plain data, by shard) and the tokens the index names:
    # a shard is written again only when its entries differ from what was read.
    _stored: dict[int, dict[str, tuple[Any, ...]]] = field(default_factory=dict)
    _tokens: dict[int, str] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path, page_key: str, links_key: str) -> PageCache:
        cache = cls(folder, page_key, links_key)
        index = folder / "index.pickle"
        if not index.exists():
            return cache
        try:
            data = load_plain(index)
            if not isinstance(data, dict) or not str(data.get("format")).startswith(FAMILY):
                raise CacheError("index.pickle is not a check_docs page cache")
            if data["format"] != FORMAT:
                # written by another version of check_docs: afresh, quietly
                cache.older_format = True
                return cache
            tokens = data.get("shards")
            if not isinstance(tokens, dict) or not isinstance(data.get("page_key"), str):
                raise CacheError("index.pickle is damaged")
            if data["page_key"] != page_key:
                return cache  # another configuration or version: start afresh, quietly
            paths = data.get("paths")
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise CacheError("index.pickle is damaged")
            entries: dict[str, Entry] = {}
            for number, token in tokens.items():
                pages = cache._load_entries(number, token)
                cache._stored[number] = pages
                entries.update((str(path), Entry.from_plain(e)) for path, e in pages.items())
            # Every code an entry reads must name a path of the table (max: one C call).
            beyond = chr(len(paths)) if len(paths) < MAX_PATHS else None
            if beyond is not None and any(
                e.reads and max(e.reads) >= beyond for e in entries.values()
            ):
                raise CacheError("an entry names a page the index does not have")
            cache.entries = entries
            cache.paths = paths
            cache._tokens = dict(tokens)
            cache.stored_links_key = str(data.get("links_key", ""))
        except (CacheError, KeyError, TypeError, ValueError, files.FileProblem) as exc:
            cache.entries, cache._stored, cache._tokens, cache.paths = {}, {}, {}, []
            cache.note = f"{folder}: cache discarded ({exc}); this run starts afresh"
        return cache

    def _load_entries(self, number: Any, token: Any) -> dict[str, tuple[Any, ...]]:
        """One entries shard, exactly as the index names it (else CacheError)."""
        if not (isinstance(number, int) and 0 <= number < SHARDS and isinstance(token, str)):
            raise CacheError("index.pickle is damaged")
        name = f"entries-{number:02d}.pickle"
        path = self.folder / name
        if not path.exists():
            raise CacheError(f"{name} is missing")
        data = load_plain(path)
        if not isinstance(data, dict) or data.get("token") != token:
            # A run stopped between writing its shards and the index, or a foreign file.
            raise CacheError(f"{name} does not match index.pickle")
        pages = data.get("pages")
        if not isinstance(pages, dict):
            raise CacheError(f"{name} is damaged")
        return pages

    # -- page codes ----------------------------------------------------------------------
    def _table(self) -> dict[str, int]:
        if self._numbers is None:
            self._numbers = {path: number for number, path in enumerate(self.paths)}
        return self._numbers

    def code_of(self, path: str) -> str | None:
        """The code of ``path`` if the table has it (else no entry can read it)."""
        number = self._table().get(path)
        return None if number is None else chr(number)

    def codes(self, paths: Iterable[str]) -> str:
        """The codes of ``paths``, in order; a path new to the table is appended to it."""
        table = self._table()
        out = []
        for path in paths:
            number = table.get(path)
            if number is None:
                number = len(self.paths)
                if number >= MAX_PATHS:
                    raise CacheError(f"more than {MAX_PATHS:,} page paths")
                self.paths.append(path)
                table[path] = number
            out.append(chr(number))
        return "".join(out)

    def paths_of(self, codes: Iterable[str]) -> list[str]:
        """The paths of page codes (checked against the table when the cache was read)."""
        paths = self.paths
        return [paths[ord(code)] for code in codes]

    def plain_asks(self, asks: Iterable[tuple[str, str]]) -> str | tuple[str, ...]:
        """(target page, fragment) pairs as stored: the target's code before each
        fragment (``asked`` reads them back)."""
        asks = list(asks)
        codes = self.codes(target for target, _fragment in asks)
        return _joined([code + fragment for code, (_t, fragment) in zip(codes, asks, strict=True)])

    def asked(self, entry: Entry) -> list[tuple[str, str]] | None:
        """(target page, fragment) of each id ``entry``'s links ask of another page;
        None when a code is not in the table (a damaged entry: judge the page again)."""
        count = len(self.paths)
        out = []
        for part in _split(entry.asks):
            if not part or ord(part[0]) >= count:
                return None
            out.append((self.paths[ord(part[0])], part[1:]))
        return out

    def _renumber(self) -> None:
        """A table of the paths entries name now, every entry's codes rewritten to it
        (all shards are written again): when pages gone fill most of the table."""
        old = self.paths
        self.paths, self._numbers = [], None
        for entry in self.entries.values():
            entry.reads = self.codes(old[ord(code)] for code in entry.reads)
            entry.asks = self.plain_asks((old[ord(p[0])], p[1:]) for p in _split(entry.asks))

    def links(self, path: str, digest: str) -> list[Link] | None:
        """A page's links from its shard, if stored for this content (else None)."""
        data = self._shard(shard_of(path)).get(path)
        if data is None:
            return None
        try:
            stored, links = links_from_plain(data)
        except (TypeError, ValueError):
            return None
        return links if stored == digest else None

    def _shard(self, number: int) -> dict[str, Any]:
        shard = self._shards.get(number)
        if shard is None:
            path = self.folder / f"links-{number:02d}.pickle"
            shard = {}
            if path.exists():
                try:
                    data = load_plain(path)
                    if isinstance(data, dict) and data.get("page_key") == self.page_key:
                        shard = dict(data.get("links") or {})
                except (CacheError, files.FileProblem):
                    shard = {}
            self._shards[number] = shard
        return shard

    def put_links(self, record: PageRecord) -> None:
        number = shard_of(record.path)
        self._shard(number)[record.path] = links_to_plain(record)
        self._dirty_shards.add(number)

    def drop_links(self, paths: set[str]) -> None:
        for path in paths:
            number = shard_of(path)
            shard = self._shard(number)
            if shard.pop(path, None) is not None:
                self._dirty_shards.add(number)

    def _changed_entries(self, touched: set[str] | None) -> dict[int, dict[str, tuple[Any, ...]]]:
        """The entries shards whose entries differ from what was read (or that were
        never written), as they are now. An entry left as it was shares its parts with
        what was read: comparing it is one identity check per part. ``touched``: the
        only pages whose entries may differ (None: any page's may)."""
        entries = self.entries
        changed = {n for n in range(SHARDS) if n not in self._tokens}
        if touched is None:
            for number, stored in self._stored.items():
                if number not in changed and any(
                    (entry := entries.get(path)) is None or entry.plain() != plain
                    for path, plain in stored.items()
                ):
                    changed.add(number)
            held = set().union(*self._stored.values())
            new = [path for path in entries if path not in held]
        else:
            new = []
            for path in touched:
                number = shard_of(path)
                plain = self._stored.get(number, {}).get(path)
                entry = entries.get(path)
                if plain is None:
                    if entry is not None:
                        new.append(path)
                elif entry is None or entry.plain() != plain:
                    changed.add(number)
        changed.update(shard_of(path) for path in new)
        shards: dict[int, dict[str, tuple[Any, ...]]] = {}
        for number in changed:
            stored = self._stored.get(number, {})
            shards[number] = {p: entries[p].plain() for p in stored if p in entries}
        for path in new:
            shards[shard_of(path)][path] = entries[path].plain()
        return shards

    def save(self, touched: set[str] | None = None) -> str | None:
        """Write what changed (``touched``: the only pages whose entries may have, if
        known); a note when the cache cannot be written."""
        try:
            for number in sorted(self._dirty_shards):
                dump_plain(
                    self.folder / f"links-{number:02d}.pickle",
                    {"page_key": self.page_key, "links": self._shards[number]},
                )
            if self.older_format:  # what an older version kept beside its index
                for old in self.folder.glob("records-*.pickle"):
                    old.unlink(missing_ok=True)
            if len(self.paths) > 2 * len(self.entries) + RENUMBER_SLACK:
                self._renumber()
                touched = None  # every entry
            tokens = dict(self._tokens)
            for number, pages in sorted(self._changed_entries(touched).items()):
                # A fresh token per write: the index names it only once written below.
                tokens[number] = secrets.token_hex(8)
                dump_plain(
                    self.folder / f"entries-{number:02d}.pickle",
                    {"token": tokens[number], "pages": pages},
                )
                self._stored[number] = pages
            dump_plain(
                self.folder / "index.pickle",
                {
                    "format": FORMAT,
                    "page_key": self.page_key,
                    "links_key": self.links_key,
                    "paths": self.paths,
                    "shards": tokens,
                },
            )
            self._tokens = tokens
        except OSError as exc:
            return f"{self.folder}: cache not written ({exc.strerror or exc})"
        return None


@functools.cache
def checker_digest() -> str:
    """The checker's version and its code: a cache written by another version, or by
    an edited checkout of this one, is never used."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def digest_of(*parts: object) -> str:
    """A stable digest of plain values (strings, numbers, tuples) and the checker."""
    digest = hashlib.sha256(checker_digest().encode())
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(files.read_bytes(path, MAX_FILE_BYTES)).hexdigest()
    except files.FileProblem:
        return "-"
