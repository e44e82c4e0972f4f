"""The bad-input suite: check_docs on hostile and broken input (issue 12).

Each case in ``tests/fixtures/bad_input/<case>/`` is a small project and an
``expected.yml`` saying what the case proves (its first line), the exact exit status,
standard output and standard error of ``python -m check_docs -f mkdocs.yml [args]``
run in that folder, and what the files must be afterwards. What git cannot store —
FIFOs, sockets, symlinks, hard links, modes, unreadable folders, UTF-16 and huge
files, a local HTTP server — is made at run time by the case's ``setup``.

Each run is a real process with a time limit: a hang or a traceback fails the case.
Placeholders in expected.yml: ``{root}`` (the case's folder), ``{base}`` (the server's
address), ``{outside}`` (a file outside the project).

Below the suite, tests of bad input that need more than one exact message.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from check_docs.cli import main
from tests.check_docs_support import copy_fixture, run_cli
from tests.http_support import DRIP_SECONDS, HostileHandler, serve

CASES = Path(__file__).parent / "fixtures" / "bad_input"
SECONDS = 60  # per run; every case ends in a few seconds when the promises hold


# -- what each setup makes -----------------------------------------------------------------


@contextlib.contextmanager
def _serve(root: Path) -> Iterator[dict[str, object]]:
    with serve(HostileHandler) as (base, record):
        for page in (root / "docs").glob("*.md"):
            page.write_text(page.read_text().replace("{base}", base))
        yield {"base": base, "record": record}


@contextlib.contextmanager
def _setup(name: str | None, root: Path, outside: Path) -> Iterator[dict[str, object]]:
    docs = root / "docs"
    if name is None:
        yield {}
    elif name == "server":
        with _serve(root) as served:
            yield served
    elif name == "socket":
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(docs / "sock.md"))
            yield {}
    else:
        if name == "fifo":
            os.mkfifo(docs / "pipe.md")
        elif name == "config_fifo":
            os.mkfifo(root / "mkdocs.yml")
        elif name == "dev_zero":
            (docs / "zero.md").symlink_to("/dev/zero")
        elif name == "unlistable":
            (docs / "private").chmod(0)
        elif name == "utf16":
            (docs / "utf16.md").write_text("# Notes\n\nSome text.\n", encoding="utf-16")
        elif name == "huge":
            with (docs / "huge.md").open("wb") as out:
                out.truncate(25 * 1024 * 1024)  # sparse: no disk used
        elif name == "broken_symlink":
            (docs / "gone.md").symlink_to("moved-away.md")
        elif name == "symlink_loops":
            (docs / "loop-a.md").symlink_to("loop-b.md")
            (docs / "loop-b.md").symlink_to("loop-a.md")
            (docs / "sub").mkdir()
            (docs / "sub" / "again").symlink_to("..")
        elif name == "symlink_inside":
            (docs / "linked.md").symlink_to("../partials/linked.md")
        elif name == "symlink_outside":
            outside.write_text("# Elsewhere\n\nA foundational model.\n")
            (docs / "outside.md").symlink_to(outside)
        elif name == "hardlink":
            os.link(docs / "index.md", root / "twin.md")
        elif name == "mode":
            (docs / "index.md").chmod(0o640)
        else:
            raise AssertionError(f"unknown setup {name!r}")
        yield {}


def _command(setup: str | None) -> list[str]:
    command = [sys.executable, "-m", "check_docs", "-f", "mkdocs.yml"]
    if setup == "unlistable" and getattr(os, "geteuid", lambda: 1)() == 0:
        # Root lists any folder; in a user namespace it is only the file's owner.
        if shutil.which("unshare") is None:
            pytest.skip("running as root without unshare: cannot make a folder unlistable")
        probe = subprocess.run(["unshare", "--user", "true"], capture_output=True, check=False)
        if probe.returncode != 0:
            pytest.skip("running as root and user namespaces are not allowed here")
        command = ["unshare", "--user", *command]
    return command


def _cases() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "expected.yml").is_file())


@pytest.mark.parametrize("name", _cases())
def test_bad_input_case(name, tmp_path):
    expected = yaml.safe_load((CASES / name / "expected.yml").read_text(encoding="utf-8"))
    root = Path(shutil.copytree(CASES / name, tmp_path / name, symlinks=True))
    (root / "expected.yml").unlink()
    outside = tmp_path / "elsewhere.md"
    setup = expected.get("setup")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAD_INPUT_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    with _setup(setup, root, outside) as made:
        done = subprocess.run(
            [*_command(setup), *expected.get("args", [])],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=SECONDS,
            env=env,
            check=False,
        )
    if setup == "unlistable":
        (root / "docs" / "private").chmod(0o755)  # so that pytest can clean up
    fill = {"{root}": str(root), "{outside}": str(outside), "{base}": str(made.get("base"))}

    def filled(text: str) -> str:
        for placeholder, value in fill.items():
            text = text.replace(placeholder, value)
        return text

    assert "Traceback" not in done.stderr, done.stderr
    assert (done.returncode, done.stdout, done.stderr) == (
        expected["exit"],
        filled(expected.get("stdout", "")),
        filled(expected.get("stderr", "")),
    )
    for rel, text in (expected.get("files") or {}).items():
        assert (root / rel).read_text(encoding="utf-8") == text, rel
    for rel in expected.get("absent", []):
        assert not (root / rel).exists(), rel
    _after(setup, root, outside, made)


def _after(setup: str | None, root: Path, outside: Path, made: dict) -> None:
    """What a case's expected.yml cannot say: links, inodes, modes, requests, timing."""
    docs = root / "docs"
    if setup == "symlink_inside":
        assert (docs / "linked.md").is_symlink()
    elif setup == "symlink_outside":
        assert outside.read_text() == "# Elsewhere\n\nA foundational model.\n"
    elif setup == "hardlink":
        assert (root / "twin.md").read_bytes() == (docs / "index.md").read_bytes()
        assert (docs / "index.md").stat().st_nlink == 2
    elif setup == "mode":
        assert stat.S_IMODE((docs / "index.md").stat().st_mode) == 0o640
    elif setup == "server":
        record = made["record"]
        if "/drip" in record.hits:
            # Cut at the 3 s deadline and not retried; the whole answer would take about
            # 90 s. The server notices the hang-up only when a write fails: the first
            # write after it still succeeds, the next one fails, up to 3 s later.
            assert record.hits == {"/drip": 1}
            dripped = record.wait_for_drips(1)
            assert len(dripped) == 1 and dripped[0] < 3 + 2 * DRIP_SECONDS + 3, dripped
        else:
            assert record.hits == {"/a": 1, "/b": 1}  # the loop is seen; nothing is retried


# -- more than one exact message -----------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return copy_fixture("check_docs_small", tmp_path)


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


def test_invalid_front_matter_names_the_line(capsys, small):
    page = small / "docs" / "other.md"
    page.write_text("---\ntitle: ok\nsources: [unclosed\n---\n" + page.read_text())
    run = run_cli(capsys, "-f", str(small / "mkdocs.yml"), "--format", "json")
    rows = [(d["path"], d["line"], d["message"]) for d in run.json() if d["rule"] == "invalid-file"]
    assert run.code == 1
    assert len(rows) == 1
    path, line, message = rows[0]
    assert path == "docs/other.md"
    assert line in (3, 4)  # where PyYAML notices the list is not closed
    assert "invalid YAML front matter" in message


def test_unreadable_linked_data_is_a_finding_on_the_data_file(capsys, small):
    """A data file whose addresses --external checks ([tool.check_docs] linked_data) that
    is not valid YAML is reported on its line. (check_docs knows no site's data schema:
    the build checks a sources registry's fields.)"""
    (small / "data").mkdir()
    (small / "data" / "sources.yml").write_text("sources:\n  - id: [a\n")
    (small / "pyproject.toml").write_text('[tool.check_docs]\nlinked_data = ["data/sources.yml"]\n')
    capsys.readouterr()
    code = main(["-f", str(small / "mkdocs.yml"), "--format", "json", "--external"])
    rows = [
        (d["path"], d["line"], d["rule"], d["message"]) for d in json.loads(capsys.readouterr().out)
    ]
    assert code == 1
    assert rows[0][:3] == ("data/sources.yml", 3, "invalid-file")
    assert "invalid YAML" in rows[0][3]


def test_every_case_says_what_it_proves():
    for name in _cases():
        first = (CASES / name / "expected.yml").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and len(first) > 20, name
    assert len(_cases()) >= 30


def test_theme_custom_dir_outside_the_project_is_not_walked(tmp_path):
    from check_docs.config import load_config
    from check_docs.mkdocs_config import theme_outputs

    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "outside.css").write_text("a {}")
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "theme").mkdir()
    (project / "theme" / "inside.css").write_text("a {}")
    for custom, present, absent in (("theme", "inside.css", "outside.css"),
                                    ("../elsewhere", None, "outside.css")):  # fmt: skip
        (project / "mkdocs.yml").write_text(
            f"site_name: x\ntheme:\n  name: mkdocs\n  custom_dir: {custom}\n"
        )
        outputs = theme_outputs(load_config(project / "mkdocs.yml"), {})
        assert present is None or present in outputs
        assert absent not in outputs  # `custom_dir: /` would walk the whole disk
