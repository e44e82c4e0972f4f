"""check_docs on a planted-error corpus: every planted error found with the right rule
and line (100% recall), nothing else reported (100% precision), traps included; and a
comparison with MkDocs' own link validation on the same corpus."""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
from pathlib import Path

from tests.check_docs_support import FIXTURES, LINK_RULES, copy_fixture, planted, run_cli
from tests.conftest import mkdocs_build

CORPUS = FIXTURES / "check_docs_corpus"
SLUGS = FIXTURES / "check_docs_slugs"


def test_corpus_has_a_planted_error_of_every_link_rule():
    rules = {rule for _path, _line, rule in planted(CORPUS)}
    assert rules == {"broken-link", "broken-anchor", "nav-missing", "unsafe-link", "orphan-page"}
    assert len(planted(CORPUS)) >= 20


def test_corpus_recall_and_precision_are_100_percent(capsys):
    run = run_cli(
        capsys, "-f", str(CORPUS / "mkdocs.yml"), "--format", "json", "--select", LINK_RULES
    )
    expected = planted(CORPUS)
    found = run.found()
    assert found - expected == set(), "reported but not planted (false positives)"
    assert expected - found == set(), "planted but not reported (missed)"
    assert run.code == 1


def test_custom_slugify_gives_the_ids_the_build_gives(capsys):
    """(Anchors that hooks and plugins make reach standalone runs through the build
    record: tests/test_check_docs_plugin.py.)"""
    run = run_cli(
        capsys, "-f", str(SLUGS / "mkdocs.yml"), "--format", "json", "--select", LINK_RULES
    )
    assert run.found() == planted(SLUGS)


MKDOCS_LINK = re.compile(r"WARNING -  Doc file '([^']+)' contains a link '([^']+)'")
# MkDocs leaves these as written; whether they work depends on the page's address.
MKDOCS_UNRECOGNIZED = re.compile(
    r"WARNING -  Doc file '([^']+)' contains an unrecognized relative link '([^']+)'"
)
MKDOCS_NAV = re.compile(r"WARNING -  A reference to '([^']+)' is included in the 'nav'")


def _works_in(site: Path, page: str, url: str) -> bool:
    """Whether ``url``, left as written on ``page`` (use_directory_urls), reaches a file of
    the built ``site``: as a browser resolves it against the page's address."""
    address = "" if page == "index.md" else page.removesuffix(".md").removesuffix("/index") + "/"
    target = posixpath.normpath(posixpath.join(address, url.split("#")[0]))
    return (site / target / "index.html").is_file() or (site / target).is_file()


def test_check_docs_finds_all_mkdocs_finds_and_more(tmp_path, capsys):
    """MkDocs' validation is the baseline: check_docs reports each of its link, anchor and
    nav warnings, and also what MkDocs cannot see (unsafe URLs, orphan pages). A link
    MkDocs leaves as written ("unrecognized") is reported exactly when it does not work in
    the built site."""
    project = copy_fixture("check_docs_corpus", tmp_path)
    # Compare without our suppression comments, which MkDocs does not know.
    for page in (project / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("check_docs: ignore", "no suppression"), encoding="utf-8")
    site = tmp_path / "site"
    proc = mkdocs_build(project, "-d", str(site))
    log = proc.stdout + proc.stderr
    assert "Traceback" not in log
    mkdocs_found = {(f"docs/{page}", url) for page, url in MKDOCS_LINK.findall(log)}
    mkdocs_found |= {("mkdocs.yml", url) for url in MKDOCS_NAV.findall(log)}
    unrecognized = MKDOCS_UNRECOGNIZED.findall(log)
    works = {(f"docs/{page}", url) for page, url in unrecognized if _works_in(site, page, url)}
    mkdocs_found |= {(f"docs/{page}", url) for page, url in unrecognized} - works
    assert len(mkdocs_found) >= 15, log
    assert works == {("docs/index.md", "guide/")}

    run = run_cli(
        capsys, "-f", str(project / "mkdocs.yml"), "--format", "json", "--select", LINK_RULES
    )
    findings = run.json()

    def reported(path: str, url: str) -> bool:
        fragment = url.split("#", 1)[1] if "#" in url else None
        for f in findings:
            message = str(f["message"])
            if f["path"] == path and (f"'{url}'" in message or f"'#{fragment}'" in message):
                return True
        return False

    missed = sorted(item for item in mkdocs_found if not reported(*item))
    assert missed == [], f"MkDocs found these, check_docs did not: {missed}"
    assert [item for item in works if reported(*item)] == []  # links that work are fine

    beyond = sorted(
        (f["path"], f["line"], f["rule"])
        for f in findings
        if f["rule"] in ("unsafe-link", "orphan-page")
    )
    # What only check_docs sees, printed for the README (pytest -s shows it).
    print("check_docs finds beyond MkDocs:", *beyond, sep="\n  ")
    assert {rule for _p, _l, rule in beyond} == {"unsafe-link", "orphan-page"}
    assert len(beyond) == 5
    assert "javascript" not in log and "vbscript" not in log


def test_script_entry_point_runs_in_a_fresh_interpreter():
    script = [sys.executable, "scripts/check_docs.py"]
    proc = subprocess.run(
        [*script, "-f", str(CORPUS / "mkdocs.yml"), "--select", LINK_RULES],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=FIXTURES.parent.parent,
    )
    assert proc.returncode == 1, proc.stderr
    assert "docs/index.md:13:15: broken-link" in proc.stdout
    assert proc.stdout.rstrip().splitlines()[-1].startswith("Found 21 errors and 1 warning")
