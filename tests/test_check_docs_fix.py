"""The fix mechanism behind --fix/--diff: a finding's edit replaces exactly its byte range
(line endings, missing final newline and file mode kept), --diff writes nothing, a file
changed since it was read is skipped, and the link rules (which carry no edits) never
change a byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

from check_docs.finding import Edit, Finding
from check_docs.fix import apply_edits, fix_findings
from tests.check_docs_support import copy_fixture, run_cli, site_files

RAW = b"Line one\r\nA foundational model, caf\xc3\xa9.\r\nend"


def _finding(raw: bytes, word: bytes, replacement: bytes) -> Finding:
    start = raw.index(word)
    return Finding(
        "docs/p.md", 2, 3, "test-rule", "error", "message", replacement.decode(),
        Edit(start, start + len(word), replacement),
    )  # fmt: skip


def _page(tmp_path: Path) -> Path:
    page = tmp_path / "docs" / "p.md"
    page.parent.mkdir()
    page.write_bytes(RAW)
    page.chmod(0o640)
    return page


def _digest(raw: bytes) -> dict[str, str]:
    return {"docs/p.md": hashlib.sha256(raw).hexdigest()}


def test_fix_replaces_only_the_range(tmp_path):
    page = _page(tmp_path)
    finding = _finding(RAW, b"foundational", b"foundation")
    result = fix_findings(tmp_path, [finding], _digest(RAW), write=True)
    assert page.read_bytes() == b"Line one\r\nA foundation model, caf\xc3\xa9.\r\nend"
    assert page.stat().st_mode & 0o777 == 0o640
    assert result.fixed == [finding]
    assert result.skipped == []
    assert "-A foundational model" in result.diff and "+A foundation model" in result.diff
    assert [p.name for p in page.parent.iterdir()] == ["p.md"]  # no temporary file left


def test_diff_writes_nothing(tmp_path):
    page = _page(tmp_path)
    result = fix_findings(
        tmp_path, [_finding(RAW, b"foundational", b"foundation")], _digest(RAW), write=False
    )
    assert page.read_bytes() == RAW
    assert result.diff.startswith("--- a/docs/p.md\n+++ b/docs/p.md\n")


def test_file_changed_since_it_was_read_is_skipped(tmp_path):
    page = _page(tmp_path)
    stale = _digest(b"what the checker read earlier")
    result = fix_findings(
        tmp_path, [_finding(RAW, b"foundational", b"foundation")], stale, write=True
    )
    assert page.read_bytes() == RAW
    assert result.fixed == []
    assert result.skipped == ["docs/p.md: not fixed, it changed on disk since it was checked"]


def test_overlapping_edits_apply_the_first_only():
    edits = [Edit(2, 6, b"XX"), Edit(4, 8, b"YY"), Edit(9, 10, b"Z")]
    assert apply_edits(b"0123456789", edits) == b"01XX678Z"


def test_fix_with_the_link_rules_changes_no_byte(capsys, tmp_path):
    project = copy_fixture("check_docs_corpus", tmp_path)
    before = site_files(project)
    diff = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--diff")
    assert diff.out == ""
    fixed = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--fix")
    assert fixed.code == 1
    assert "broken-link" in fixed.out
    assert site_files(project) == before
