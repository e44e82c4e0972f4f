"""Apply the edits findings carry (``--fix``) or show them as a diff (``--diff``).

What a fix promises (README, "Safety"):

- Edits are byte ranges of the file as it was read, so nothing outside a range
  changes: encoding, line endings and the final newline stay as they were. An edit
  that spans a line break is refused (a fix never joins two lines).
- A file that changed on disk since it was checked is skipped with a message.
- A symlinked page is fixed in its target (the link stays a link), but only when
  the target is inside the project: a link to a file elsewhere is skipped.
- The file's mode is kept. The new text is written to a temporary file beside
  the target, flushed to disk and renamed over it in one step (readers see the old
  file or the new one, never half of it). When renaming would change what the
  file is — it has other hard links, another owner, or its folder is read-only —
  it is rewritten in place instead (same inode, links and owner kept; not atomic).
- ``--diff`` (with or without ``--fix``) writes nothing.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from check_docs import files
from check_docs.finding import Edit, Finding

MAX_BYTES = 64 * 1024 * 1024
_LINE_BREAKS = (b"\n", b"\r")


@dataclass
class FixResult:
    fixed: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one line each: a file or an edit
    diff: str = ""


def apply_edits(raw: bytes, edits: Iterable[Edit]) -> bytes:
    """``raw`` with non-overlapping edits applied (overlapping later ones are dropped)."""
    out, pos = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < pos:
            continue
        out += [raw[pos : edit.start], edit.replacement]
        pos = edit.end
    out.append(raw[pos:])
    return b"".join(out)


def one_line(raw: bytes, edit: Edit) -> bool:
    """Whether ``edit`` stays on one line: it neither spans nor writes a line break."""
    return not any(b in raw[edit.start : edit.end] or b in edit.replacement for b in _LINE_BREAKS)


def write_in_place(path: Path, data: bytes) -> None:
    """Overwrite ``path``'s content, keeping its inode (hard links, owner, mode, ACLs)."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        written = 0
        view = memoryview(data)
        while written < len(data):
            written += os.write(fd, view[written:])
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    finally:
        os.close(fd)


def write_replacing(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` beside ``path``, flush it, give it ``path``'s mode, rename it over."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        Path(tmp).chmod(mode & 0o7777)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # the rename itself, durable where the OS allows
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def write_file(path: Path, data: bytes) -> None:
    """Replace ``path``'s content by ``data`` the safest way that keeps what it is."""
    info = path.stat()
    owner = getattr(os, "geteuid", lambda: info.st_uid)()
    in_place = (
        info.st_nlink > 1  # renaming would split the hard links
        or info.st_uid != owner  # a new file would belong to us
        or not os.access(path.parent, os.W_OK)  # no room for a temporary file
    )
    if in_place:
        write_in_place(path, data)
    else:
        write_replacing(path, data, info.st_mode)


def _target(root: Path, rel: str) -> Path | str:
    """The file to write for finding path ``rel``: symlinks followed, but only to a
    target inside the project; else why not (a message)."""
    path = root / rel
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        return f"cannot resolve it: {getattr(exc, 'strerror', None) or exc}"
    project = root.resolve()
    if real != project and project not in real.parents:
        return f"it is a symlink to {real}, outside the project; fix that file by hand"
    return real


def fix_findings(
    root: Path, findings: Iterable[Finding], digests: dict[str, str], *, write: bool
) -> FixResult:
    """Fix every finding with an edit; ``digests`` maps a finding path to the read file's
    hash. ``write=False`` computes the diff only."""
    result = FixResult()
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.edit is not None:
            by_path[finding.path].append(finding)
    diffs = []
    for rel in sorted(by_path):
        target = _target(root, rel)
        if isinstance(target, str):
            result.skipped.append(f"{rel}: not fixed, {target}")
            continue
        try:
            raw = files.read_bytes(target, MAX_BYTES)
        except files.FileProblem as problem:
            result.skipped.append(f"{rel}: not fixed, {problem.message}")
            continue
        if hashlib.sha256(raw).hexdigest() != digests.get(rel):
            result.skipped.append(f"{rel}: not fixed, it changed on disk since it was checked")
            continue
        chosen = []
        for finding in by_path[rel]:
            assert finding.edit is not None
            if one_line(raw, finding.edit):
                chosen.append(finding)
            else:
                result.skipped.append(
                    f"{rel}:{finding.line}: not fixed, the text runs across two lines; "
                    "fix it by hand"
                )
        new = apply_edits(raw, (f.edit for f in chosen if f.edit is not None))
        if new == raw:
            continue
        old_lines = raw.decode("utf-8", "replace").splitlines(keepends=True)
        new_lines = new.decode("utf-8", "replace").splitlines(keepends=True)
        diffs.append("".join(difflib.unified_diff(old_lines, new_lines, f"a/{rel}", f"b/{rel}")))
        if write:
            try:
                write_file(target, new)
            except OSError as exc:
                result.skipped.append(f"{rel}: not fixed, cannot write it: {exc.strerror}")
                continue
        result.fixed.extend(chosen)
    result.diff = "".join(diffs)
    return result
