"""Apply the edits findings carry (``--fix``) or show them as a diff (``--diff``).

Edits are byte ranges of the file as it was read, so nothing outside a range
changes: encoding, line endings and the final newline stay as they were. A
file that changed on disk since it was read is skipped with a message, and
writes go to a temporary file that replaces the original in one step.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from check_docs.finding import Edit, Finding


@dataclass
class FixResult:
    fixed: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one message per skipped file
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


def _write_atomic(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        Path(tmp).chmod(mode & 0o7777)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fix_findings(
    root: Path, findings: Iterable[Finding], digests: dict[str, str], *, write: bool
) -> FixResult:
    """Fix every finding with an edit; ``digests`` maps a finding path to the read file's hash."""
    result = FixResult()
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.edit is not None:
            by_path[finding.path].append(finding)
    diffs = []
    for rel in sorted(by_path):
        path = root / rel
        try:
            raw = path.read_bytes()
        except OSError as exc:
            result.skipped.append(f"{rel}: not fixed, cannot read it: {exc.strerror}")
            continue
        if hashlib.sha256(raw).hexdigest() != digests.get(rel):
            result.skipped.append(f"{rel}: not fixed, it changed on disk since it was checked")
            continue
        new = apply_edits(raw, (f.edit for f in by_path[rel] if f.edit is not None))
        if new == raw:
            continue
        old_lines = raw.decode("utf-8", "replace").splitlines(keepends=True)
        new_lines = new.decode("utf-8", "replace").splitlines(keepends=True)
        diffs.append("".join(difflib.unified_diff(old_lines, new_lines, f"a/{rel}", f"b/{rel}")))
        if write:
            _write_atomic(path, new)
        result.fixed.extend(by_path[rel])
    result.diff = "".join(diffs)
    return result
