"""Read files the checker did not write, safely: every read of a page, a data file
or a configuration file goes through here.

The promises (README, "Safety"):

- Only regular files are read. A FIFO, a device (a page that is a symlink to
  ``/dev/zero``), a socket or a folder is refused from its ``stat`` before it is
  opened, and opened with ``O_NONBLOCK`` so that a file swapped for a FIFO after
  the ``stat`` cannot block; the opened file is checked again with ``fstat``.
- The size limit is checked before reading, and never more than limit + 1 bytes
  are read, so a file that grows while it is read cannot exhaust memory.
- Encodings are named: a UTF-16 or UTF-32 page is called that, not "binary".
- A folder that cannot be listed is reported, never silently skipped.

Problems are :class:`FileProblem` exceptions carrying one line of text; callers
turn them into findings or configuration errors.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from check_docs.finding import Severity

# MkDocs reads pages with encoding="utf-8-sig": UTF-8, with or without a byte-order mark.
MKDOCS_ENCODING = "UTF-8"
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opened for reading must not wait for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 20
# Byte-order marks, longest first (UTF-32-LE's starts with UTF-16-LE's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


class FileProblem(Exception):
    """Why a file was not read, in one line, and where (1-based line)."""

    def __init__(self, message: str, *, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def special_kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_regular(kind: str) -> FileProblem:
    return FileProblem(f"not a regular file ({kind}): not read")


def _size(size: int) -> str:
    return f"{size / 2**20:.1f} MiB" if size >= 100_000 else f"{size:,} bytes"


def _too_large(size: int, limit: int) -> FileProblem:
    return FileProblem(
        f"file is {_size(size)}, over the {_size(limit)} limit: not read; split it up"
    )


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of regular file ``path`` (symlinks followed), at most ``limit`` of them.

    Raises FileProblem for anything else: missing, unreadable, not a regular file,
    or larger than ``limit`` (checked before reading, and again while reading)."""
    try:
        before = path.stat()
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) and path.is_symlink():
            raise FileProblem("broken symlink: its target does not exist") from None
        raise FileProblem(f"cannot read file: {_reason(exc)}") from None
    kind = special_kind(before.st_mode)
    if kind is not None:
        raise _not_regular(kind)  # never opened: opening a device can have effects
    if before.st_size > limit:
        raise _too_large(before.st_size, limit)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise FileProblem(f"cannot read file: {_reason(exc)}") from None
    try:
        opened = os.fstat(fd)
        kind = special_kind(opened.st_mode)  # swapped since the stat?
        if kind is not None:
            raise _not_regular(kind)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise FileProblem(f"cannot read file: {_reason(exc)}") from None
    finally:
        os.close(fd)
    if total > limit:
        raise _too_large(total, limit)  # it grew while we read it
    return b"".join(chunks)


def _utf16_without_bom(raw: bytes) -> str | None:
    """'UTF-16LE'/'UTF-16BE' when the text looks like UTF-16 with no byte-order mark:
    mostly ASCII text, so every other byte is NUL, on one side only."""
    sample = raw[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0 : pairs * 2 : 2].count(0)
    odd = sample[1 : pairs * 2 : 2].count(0)
    if odd >= 0.6 * pairs and even == 0:
        return "UTF-16LE"
    if even >= 0.6 * pairs and odd == 0:
        return "UTF-16BE"
    return None


def decode_text(raw: bytes) -> str:
    """``raw`` as MkDocs reads a page (UTF-8, a byte-order mark allowed), with Unix line
    ends; FileProblem naming the encoding (and the line) when it is not UTF-8."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raise FileProblem(
                f"the file is {name} (it starts with a {name} byte-order mark); MkDocs reads "
                f"{MKDOCS_ENCODING}: save it as {MKDOCS_ENCODING}"
            )
    if b"\0" in raw:
        guess = _utf16_without_bom(raw)
        if guess is not None:
            raise FileProblem(
                f"the file looks like {guess} without a byte-order mark; MkDocs reads "
                f"{MKDOCS_ENCODING}: save it as {MKDOCS_ENCODING}"
            )
        raise FileProblem("binary file (it holds NUL bytes): rename it or remove it")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FileProblem(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8", line=line
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_text(path: Path, limit: int) -> str:
    """:func:`read_bytes` then :func:`decode_text`."""
    return decode_text(read_bytes(path, limit))


# -- listing -------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A file or folder the walk could not take as it is: where (relative to the walked
    folder, POSIX separators), how bad, and what to do."""

    path: str
    severity: Severity
    message: str


Stamp = tuple[int, int, int]
# A folder as listed: its stamp before it was listed, the names of the files and of the
# folders in it that the walk kept (exclusions applied).
Folder = tuple[Stamp, tuple[str, ...], tuple[str, ...]]


@dataclass
class Listing:
    files: list[str] = field(default_factory=list)  # regular files (symlinks followed)
    dirs: set[str] = field(default_factory=set)
    notes: list[Note] = field(default_factory=list)
    # The folders listed that a later walk may take as they are while their stamp
    # holds (absolute path -> Folder): not those holding a symlink or anything noted.
    folders: dict[str, Folder] = field(default_factory=dict)


def folder_stamp(path: str) -> Stamp | None:
    """What changes when an entry of the folder is added, removed or renamed (its
    modification time), or its permissions change (its change time); None if gone."""
    try:
        found = os.stat(path)  # noqa: PTH116 - a str, as the walk has it
    except OSError:
        return None
    return found.st_mtime_ns, found.st_ctime_ns, found.st_ino


def _classify(path: Path) -> tuple[Severity, str] | None:
    """(severity, message) for a directory entry that is neither a regular file nor a
    folder once symlinks are followed; None when it is one after all (a race)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            if isinstance(exc, FileNotFoundError):
                return "error", "broken symlink: its target does not exist; fix or remove it"
            return "error", f"cannot follow this symlink ({_reason(exc)}); fix or remove it"
        return "error", f"cannot read file: {_reason(exc)}"
    kind = special_kind(mode)
    if kind is None or kind == "a folder":
        return None
    return "warning", f"not a regular file ({kind}): skipped, never read"


def walk(
    root: Path, excluded: Callable[[str, bool], bool], kept: dict[str, Folder] | None = None
) -> Listing:
    """Every regular file and folder under ``root`` as MkDocs lists them (symlinks
    followed, ``excluded(rel, is_dir)`` pruned), sorted; notes for the rest: folders
    that cannot be listed or that loop back to an ancestor, special files, broken
    symlinks. MkDocs' own walk skips an unlistable folder silently, so its pages go
    missing from the site; here it is an error. ``kept``: folders as an earlier walk
    listed them (``Listing.folders``), taken as they are while their stamp holds (an
    entry added, removed or renamed changes it)."""
    listing = Listing()
    # (absolute folder, docs-relative folder, real paths of it and its ancestors)
    stack: list[tuple[str, str, dict[str, str]]] = [(str(root), "", {})]
    while stack:
        current, rel_dir, ancestors = stack.pop()
        real = os.path.realpath(current)
        if real in ancestors:
            again = f"'{ancestors[real]}'" if ancestors[real] else "the top folder"
            listing.notes.append(
                Note(
                    rel_dir,
                    "error",
                    f"symlink loop: this folder is {again} again; remove the link",
                )
            )
            continue
        ancestors = {**ancestors, real: rel_dir}
        stamp = folder_stamp(current)
        known = kept.get(current) if kept and stamp is not None else None
        if known is not None and known[0] == stamp:
            file_names, folder_names = known[1], known[2]
        else:
            listed = _list_folder(current, rel_dir, excluded, listing)
            if listed is None:
                continue
            file_names, folder_names, plain = listed
            if plain and stamp is not None:
                known = (stamp, file_names, folder_names)
        if rel_dir:
            listing.dirs.add(rel_dir)
        if known is not None:
            listing.folders[current] = known
        prefix = f"{rel_dir}/" if rel_dir else ""
        listing.files.extend(prefix + name for name in file_names)
        stack.extend(
            (os.path.join(current, name), prefix + name, ancestors)  # noqa: PTH118 - str
            for name in reversed(folder_names)
        )
    listing.files.sort()
    return listing


def _list_folder(
    current: str, rel_dir: str, excluded: Callable[[str, bool], bool], listing: Listing
) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
    """The names of the files and folders in ``current`` the walk keeps, and whether
    the folder held only those and excluded entries (no symlink, nothing noted); None
    with a note when it cannot be listed."""
    try:
        with os.scandir(current) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        where = rel_dir or "."
        listing.notes.append(
            Note(
                where,
                "error",
                f"cannot list this folder ({_reason(exc)}): its pages are not checked, "
                "and MkDocs leaves them out of the site without a word",
            )
        )
        return None
    file_names: list[str] = []
    folder_names: list[str] = []
    plain = True
    for entry in entries:
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        try:
            is_dir = entry.is_dir()  # follows symlinks, as MkDocs' walk does
            is_file = not is_dir and entry.is_file()
        except OSError:
            is_dir = is_file = False
        if excluded(rel, is_dir):
            continue
        # A symlink's target can change with no stamp of this folder changing.
        plain = plain and not entry.is_symlink()
        if is_dir:
            folder_names.append(entry.name)
        elif is_file:
            file_names.append(entry.name)
        else:
            plain = False
            classified = _classify(Path(entry.path))
            if classified is not None:
                listing.notes.append(Note(rel, *classified))
            elif Path(entry.path).is_dir():
                folder_names.append(entry.name)
            else:
                file_names.append(entry.name)
    return tuple(file_names), tuple(folder_names), plain
