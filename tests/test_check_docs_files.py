"""check_docs.files, the one way the checker reads a file it did not write: regular files
only (a FIFO, a device, a socket refused before it is opened), the size limit checked before
reading and enforced while reading, encodings named, unlistable folders reported."""

from __future__ import annotations

import codecs
import os
import socket
import threading
from pathlib import Path

import pytest

from check_docs import files
from check_docs.files import FileProblem, decode_text, read_bytes, walk

LIMIT = 1024


def _problem(path: Path, limit: int = LIMIT) -> str:
    with pytest.raises(FileProblem) as info:
        read_bytes(path, limit)
    return info.value.message


def test_regular_file_is_read(tmp_path):
    page = tmp_path / "p.md"
    page.write_bytes(b"# Hi\n")
    assert read_bytes(page, LIMIT) == b"# Hi\n"


def test_symlink_to_a_regular_file_is_followed(tmp_path):
    (tmp_path / "target.md").write_bytes(b"text")
    (tmp_path / "link.md").symlink_to(tmp_path / "target.md")
    assert read_bytes(tmp_path / "link.md", LIMIT) == b"text"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "page.md"
    os.mkfifo(fifo)
    # Opening a FIFO for reading waits for a writer: refused from its stat, no hang.
    # In a thread, so that a broken promise fails this test instead of hanging the run.
    result: list[str] = []
    thread = threading.Thread(target=lambda: result.append(_problem(fifo)), daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive(), "read_bytes blocked on a FIFO"
    assert result == ["not a regular file (a FIFO (named pipe)): not read"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_symlink_to_dev_zero_is_refused(tmp_path):
    link = tmp_path / "zero.md"
    link.symlink_to("/dev/zero")
    assert _problem(link) == "not a regular file (a character device): not read"


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
def test_socket_is_refused(tmp_path):
    path = tmp_path / "s.md"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert _problem(path) == "not a regular file (a socket): not read"


def test_folder_is_refused(tmp_path):
    assert _problem(tmp_path) == "not a regular file (a folder): not read"


def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.md"
    with big.open("wb") as out:
        out.truncate(LIMIT + 1)  # sparse: no disk used
    opened = []
    monkeypatch.setattr(files.os, "open", lambda *a, **k: opened.append(a) or 1 / 0)
    assert _problem(big) == "file is 1,025 bytes, over the 1,024 bytes limit: not read; split it up"
    assert opened == []  # refused from its stat alone


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_a_file_larger_than_its_stat_says_is_read_only_to_the_limit():
    # /proc files are regular files whose stat says 0 bytes: the limit holds while reading.
    assert Path("/proc/self/status").stat().st_size == 0
    assert _problem(Path("/proc/self/status"), 16) == (
        "file is 17 bytes, over the 16 bytes limit: not read; split it up"
    )


def test_missing_and_dangling(tmp_path):
    assert _problem(tmp_path / "none.md") == "cannot read file: No such file or directory"
    (tmp_path / "dangling.md").symlink_to(tmp_path / "gone.md")
    assert _problem(tmp_path / "dangling.md") == "broken symlink: its target does not exist"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            codecs.BOM_UTF16_LE + "# Hi\n".encode("utf-16-le"),
            "the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
            "MkDocs reads UTF-8: save it as UTF-8",
        ),
        (
            codecs.BOM_UTF16_BE + "# Hi\n".encode("utf-16-be"),
            "the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
            "MkDocs reads UTF-8: save it as UTF-8",
        ),
        (
            codecs.BOM_UTF32_LE + "# Hi\n".encode("utf-32-le"),
            "the file is UTF-32 (it starts with a UTF-32 byte-order mark); "
            "MkDocs reads UTF-8: save it as UTF-8",
        ),
        (
            "# A page\n\nSome text.\n".encode("utf-16-le"),
            "the file looks like UTF-16LE without a byte-order mark; "
            "MkDocs reads UTF-8: save it as UTF-8",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "binary file (it holds NUL bytes): rename it or remove it",
        ),
    ],
)  # fmt: skip
def test_encodings_are_named(raw, message):
    with pytest.raises(FileProblem) as info:
        decode_text(raw)
    assert info.value.message == message
    assert info.value.line == 1


def test_invalid_utf8_names_the_byte_and_line():
    with pytest.raises(FileProblem) as info:
        decode_text(b"# Caf\xc3\xa9\n\nline two\nna\xefve\n")
    assert (info.value.line, info.value.message) == (
        4,
        "not valid UTF-8 (byte 0xef): save the file as UTF-8",
    )


def test_utf8_with_bom_and_crlf_is_text():
    assert decode_text(codecs.BOM_UTF8 + b"a\r\nb\rc\n") == "a\nb\nc\n"


def _nothing_excluded(rel: str, is_dir: bool) -> bool:
    return False


def test_walk_lists_regular_files_and_notes_the_rest(tmp_path):
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("b")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "gone.md")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.md")
    listing = walk(tmp_path, _nothing_excluded)
    assert listing.files == ["a.md", "sub/b.md"]
    assert listing.dirs == {"sub"}
    assert sorted((n.path, n.severity, n.message) for n in listing.notes) == [
        ("dangling.md", "error", "broken symlink: its target does not exist; fix or remove it"),
        ("pipe.md", "warning", "not a regular file (a FIFO (named pipe)): skipped, never read"),
        ("zero.md", "warning", "not a regular file (a character device): skipped, never read"),
    ]


def test_walk_reports_a_folder_it_cannot_list(tmp_path, monkeypatch):
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.md").write_text("a")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "b.md").write_text("b")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        # Root can list a chmod 000 folder, so the refusal is simulated here; the
        # bad-input suite does it for real as an unprivileged user.
        if Path(path).name == "private":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    listing = walk(tmp_path, _nothing_excluded)
    assert listing.files == ["open/a.md"]
    assert [(n.path, n.severity, n.message) for n in listing.notes] == [
        (
            "private",
            "error",
            "cannot list this folder (Permission denied): its pages are not checked, "
            "and MkDocs leaves them out of the site without a word",
        )
    ]


def test_walk_stops_at_a_symlink_loop_and_prunes_exclusions(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop").symlink_to(tmp_path / "sub")
    (tmp_path / "sub" / "twin").symlink_to(tmp_path / "other")  # same folder twice: fine
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "c.md").write_text("c")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.md").write_text("d")
    listing = walk(tmp_path, lambda rel, is_dir: rel.startswith("."))
    assert listing.files == ["other/c.md", "sub/twin/c.md"]
    assert [(n.path, n.message) for n in listing.notes] == [
        ("sub/loop", "symlink loop: this folder is 'sub' again; remove the link")
    ]


# -- data files (glossary, sources) read through check_docs.yamldata ---------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("entries: &e [*e]\n", 1, "a recursive alias: this value contains itself; check_docs "
         "expects values that end (an alias may only repeat a value defined before it, "
         "outside it)"),
        ("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + n)}: &{chr(98 + n)} [" + ", ".join([f"*{chr(97 + n)}"] * 10) + "]\n"
            for n in range(8)), 6, "its aliases expand to more than 1,000,000 values (a 'billion "
         "laughs' document); check_docs expects data, not a bomb"),
        ("term: " + "9" * 5000 + "\n", 1, "cannot read this value (Exceeds the limit (4300 "
         "digits) for integer string conversion: value has 5000 digits)"),
    ],
)  # fmt: skip
def test_data_files_are_bounded_too(tmp_path, text, line, message):
    from check_docs.errors import DataError
    from check_docs.yamldata import load_located

    path = tmp_path / "glossary.yml"
    path.write_text(text)
    with pytest.raises(DataError) as info:
        load_located(path)
    assert (info.value.line, info.value.message) == (line, message)


def test_a_data_file_that_is_a_fifo_is_not_opened(tmp_path):
    from check_docs.errors import DataError
    from check_docs.yamldata import load_located

    os.mkfifo(tmp_path / "glossary.yml")
    with pytest.raises(DataError) as info:
        load_located(tmp_path / "glossary.yml")
    assert info.value.message == "not a regular file (a FIFO (named pipe)): not read"
