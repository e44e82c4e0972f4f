"""Bad input never produces a traceback: unreadable, non-UTF-8, binary and huge pages,
invalid front matter and symlink loops become findings naming the file (exit 1); a missing
or invalid mkdocs.yml or a missing docs folder is a configuration error (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.check_docs_support import copy_fixture, run_cli


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return copy_fixture("check_docs_small", tmp_path)


def _findings(capsys, project: Path) -> tuple[int, list[tuple[str, int, str, str]]]:
    run = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--format", "json")
    assert "Traceback" not in run.err
    rows = [(d["path"], d["line"], d["rule"], d["message"]) for d in run.json()]
    return run.code, [r for r in rows if r[2] == "invalid-file"]


def test_non_utf8_page_names_file_and_line(capsys, small):
    (small / "docs" / "latin1.md").write_bytes(b"# Caf\xc3\xa9\n\nline two\nna\xefve\n")
    code, rows = _findings(capsys, small)
    assert code == 1
    assert [(p, line, rule) for p, line, rule, _m in rows] == [
        ("docs/latin1.md", 4, "invalid-file")
    ]
    assert "not valid UTF-8 (byte 0xef)" in rows[0][3]


def test_binary_file_named_md(capsys, small):
    (small / "docs" / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, rows = _findings(capsys, small)
    assert code == 1
    assert rows[0][:3] == ("docs/image.md", 1, "invalid-file")
    assert "binary" in rows[0][3]


def test_unreadable_files_dangling_link_and_link_loop(capsys, small):
    docs = small / "docs"
    (docs / "dangling.md").symlink_to(docs / "gone.md")
    (docs / "loop-a.md").symlink_to(docs / "loop-b.md")
    (docs / "loop-b.md").symlink_to(docs / "loop-a.md")
    code, rows = _findings(capsys, small)
    assert code == 1
    assert sorted((p, m) for p, _l, _r, m in rows) == [
        ("docs/dangling.md", "broken symlink: its target does not exist; fix or remove it"),
        ("docs/loop-a.md", "cannot follow this symlink (Too many levels of symbolic links); "
         "fix or remove it"),
        ("docs/loop-b.md", "cannot follow this symlink (Too many levels of symbolic links); "
         "fix or remove it"),
    ]  # fmt: skip


def test_invalid_front_matter_names_the_line(capsys, small):
    page = small / "docs" / "other.md"
    page.write_text("---\ntitle: ok\nsources: [unclosed\n---\n" + page.read_text())
    code, rows = _findings(capsys, small)
    assert code == 1
    assert len(rows) == 1
    path, line, _rule, message = rows[0]
    assert path == "docs/other.md"
    assert line in (3, 4)  # where PyYAML notices the list is not closed
    assert "invalid YAML front matter" in message


def test_directory_symlink_loop_is_reported_once_and_ends(capsys, small):
    (small / "docs" / "sub").mkdir()
    (small / "docs" / "sub" / "loop").symlink_to(small / "docs" / "sub")
    code, rows = _findings(capsys, small)
    assert code == 1
    assert [(p, r) for p, _l, r, _m in rows] == [("docs/sub/loop", "invalid-file")]
    assert "symlink loop" in rows[0][3]


def test_ten_megabyte_page_is_checked(capsys, small):
    prose = "Plain words of a long page, written by someone who never stops. " * 20
    block = "## Section {n}\n\n" + (prose + "\n\n") * 3 + "A [link](other.md#details).\n\n"
    body = "".join(block.format(n=n) for n in range(10 * 1024 * 1024 // len(block) + 1))
    lines = body.count("\n")
    (small / "docs" / "huge.md").write_text(body + "End with [a broken link](nowhere.md).\n")
    run = run_cli(capsys, "-f", str(small / "mkdocs.yml"), "--format", "json")
    assert (small / "docs" / "huge.md").stat().st_size >= 10 * 1024 * 1024
    found = [(d["path"], d["line"], d["rule"]) for d in run.json()]
    assert ("docs/huge.md", lines + 1, "broken-link") in found


def test_deep_nesting_does_not_crash(capsys, small):
    text = "[" * 5000 + "x" + "](a.md)" * 5000 + "\n\n" + "> " * 3000 + "- " * 3000 + "[y](\n"
    (small / "docs" / "deep.md").write_text(text)
    run = run_cli(capsys, "-f", str(small / "mkdocs.yml"), "--format", "json")
    assert run.code in (0, 1)
    assert "Traceback" not in run.err


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        ("site_name: [unclosed\n", "mkdocs.yml:2: invalid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("site_name: x\ndocs_dir: no-such-folder\n", "is not a folder"),
        ("site_name: x\nmarkdown_extensions:\n  - toc:\n      slugify: 3\n", "slugify"),
    ],
)
def test_bad_configuration_exits_2(capsys, small, config, needle):
    (small / "mkdocs.yml").write_text(config)
    run = run_cli(capsys, "-f", str(small / "mkdocs.yml"))
    assert run.code == 2
    assert needle in run.err
    assert "Traceback" not in run.err
    assert len(run.err.strip().splitlines()) == 1


def test_missing_configuration_exits_2(capsys, tmp_path):
    run = run_cli(capsys, "-f", str(tmp_path / "mkdocs.yml"))
    assert run.code == 2
    assert "mkdocs.yml: configuration file not found" in run.err


def test_missing_docs_folder_exits_2(capsys, small):
    for page in (small / "docs").iterdir():
        page.unlink()
    (small / "docs").rmdir()
    run = run_cli(capsys, "-f", str(small / "mkdocs.yml"))
    assert run.code == 2
    assert "docs_dir" in run.err


def test_bad_sources_registry_is_a_finding_on_the_data_file(capsys, small):
    (small / "data").mkdir()
    (small / "data" / "sources.yml").write_text("sources:\n  - id: a\n    title: T\n")
    (small / "docs" / "sources.md").write_text("# Sources\n")
    code, rows = _findings(capsys, small)
    assert code == 1
    assert rows[0][:3] == ("data/sources.yml", 2, "invalid-file")
    assert "author" in rows[0][3]
