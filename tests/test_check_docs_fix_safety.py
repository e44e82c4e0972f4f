"""--fix writes safely: through a symlink to its target (only inside the project), keeping
hard links, modes and the file's inode where renaming would change what the file is,
atomically otherwise; never an edit across a line break; --fix --diff writes nothing."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from check_docs import fix
from check_docs.finding import Edit, Finding
from check_docs.fix import fix_findings
from tests.check_docs_support import copy_fixture, run_cli

RAW = b"# Page\n\nA foundational model, caf\xc3\xa9.\n"
FIXED = b"# Page\n\nA foundation model, caf\xc3\xa9.\n"


def _finding(raw: bytes = RAW, word: bytes = b"foundational", new: bytes = b"foundation"):
    start = raw.index(word)
    edit = Edit(start, start + len(word), new)
    return Finding("docs/p.md", 3, 3, "term-variant", "error", "m", new.decode(), edit)


def _fix(root: Path, raw: bytes = RAW, finding: Finding | None = None):
    digests = {"docs/p.md": hashlib.sha256(raw).hexdigest()}
    return fix_findings(root, [finding or _finding(raw)], digests, write=True)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    return tmp_path


def test_plain_file_is_replaced_atomically_with_its_mode(root):
    page = root / "docs" / "p.md"
    page.write_bytes(RAW)
    page.chmod(0o640)
    before = page.stat().st_ino
    result = _fix(root)
    assert page.read_bytes() == FIXED
    assert page.stat().st_mode & 0o7777 == 0o640
    assert page.stat().st_ino != before  # a new file renamed over the old one
    assert sorted(p.name for p in page.parent.iterdir()) == ["p.md"]  # no temporary left
    assert result.skipped == []


def test_symlink_is_fixed_in_its_target_and_stays_a_link(root):
    (root / "partials").mkdir()
    target = root / "partials" / "p.md"
    target.write_bytes(RAW)
    (root / "docs" / "p.md").symlink_to("../partials/p.md")
    _fix(root)
    assert (root / "docs" / "p.md").is_symlink()
    assert (root / "docs" / "p.md").readlink() == Path("../partials/p.md")
    assert target.read_bytes() == FIXED


def test_symlink_out_of_the_project_is_not_written(tmp_path):
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    outside = tmp_path / "elsewhere.md"
    outside.write_bytes(RAW)
    (root / "docs" / "p.md").symlink_to(outside)
    result = _fix(root)
    assert outside.read_bytes() == RAW
    assert result.fixed == []
    assert result.skipped == [
        f"docs/p.md: not fixed, it is a symlink to {outside}, outside the project; "
        "fix that file by hand"
    ]


def test_hard_link_is_kept(root):
    page = root / "docs" / "p.md"
    page.write_bytes(RAW)
    twin = root / "twin.md"
    os.link(page, twin)
    inode = page.stat().st_ino
    _fix(root)
    assert page.stat().st_ino == inode  # written in place
    assert twin.read_bytes() == FIXED  # so the other name sees the fix too
    assert page.stat().st_nlink == 2


def test_read_only_folder_is_written_in_place(root, monkeypatch):
    page = root / "docs" / "p.md"
    page.write_bytes(RAW + b"more text " * 100)
    inode = page.stat().st_ino
    # Root may write anywhere; the check that chooses the in-place write is what matters.
    monkeypatch.setattr(fix.os, "access", lambda path, mode: False)
    _fix(root, page.read_bytes())
    assert page.stat().st_ino == inode
    assert page.read_bytes() == FIXED.rstrip(b"\n") + b"\n" + b"more text " * 100  # truncated


def test_edit_across_a_line_break_is_refused(root):
    raw = b"Some fine\ntuning here.\n"
    (root / "docs" / "p.md").write_bytes(raw)
    finding = _finding(raw, b"fine\ntuning", b"fine-tuning")
    result = _fix(root, raw, finding)
    assert (root / "docs" / "p.md").read_bytes() == raw
    assert result.fixed == []
    assert result.skipped == [
        "docs/p.md:3: not fixed, the text runs across two lines; fix it by hand"
    ]


def test_page_that_became_a_fifo_is_not_opened(root):
    os.mkfifo(root / "docs" / "p.md")
    result = _fix(root)
    assert result.skipped == [
        "docs/p.md: not fixed, not a regular file (a FIFO (named pipe)): not read"
    ]


# -- the CLI ---------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = copy_fixture("terms_site", tmp_path)
    for page in ("traps.md", "quotes.md"):
        (site / "docs" / page).unlink()
    (site / "docs" / "index.md").write_text(
        "# Home\n\nWe use a foundational model.\nThen some fine\ntuning, and finetuning.\n"
    )
    return site


def test_fix_with_diff_is_a_pure_preview(capsys, site):
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--fix", "--diff")
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert run.code == 1
    assert "-We use a foundational model.\n+We use a foundation model.\n" in run.out
    assert run.out.startswith("--- a/docs/index.md\n+++ b/docs/index.md\n")


def test_a_variant_split_across_lines_is_never_joined(capsys, site):
    page = site / "docs" / "index.md"
    run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--fix", "--select", "term-variant")
    text = page.read_text()
    assert "Then some fine\ntuning, and fine-tuning.\n" in text  # the same line only
    assert "We use a foundation model.\n" in text


def test_a_failed_write_leaves_the_file_whole_and_no_temporary(root, monkeypatch):
    page = root / "docs" / "p.md"
    page.write_bytes(RAW)

    def full_disk(self: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fix.Path, "replace", full_disk)
    result = _fix(root)
    assert page.read_bytes() == RAW  # the old file, whole: the new one never replaced it
    assert sorted(p.name for p in page.parent.iterdir()) == ["p.md"]
    assert result.fixed == []
    assert result.skipped == ["docs/p.md: not fixed, cannot write it: No space left on device"]
