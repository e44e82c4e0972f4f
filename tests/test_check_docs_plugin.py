"""The check_docs MkDocs plugin: inside `mkdocs build` it reports what the built HTML
gives readers, once per problem, at the Markdown line; its errors fail --strict, its
warnings do not; a checker configuration error stops the build without a traceback;
and the build record it writes makes a later standalone run agree with the build."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from check_docs.cli import main
from tests.check_docs_support import FIXTURES, copy_fixture
from tests.conftest import assert_clean_failure, mkdocs_build

CONFIG = """\
site_name: Small
theme:
  name: mkdocs
plugins:
  - check_docs
hooks:
  - hooks/anchors.py
markdown_extensions:
  - attr_list
nav:
  - index.md
  - other.md
"""
# A hook that gives every page an anchor its Markdown does not show.
HOOK = """\
def on_page_markdown(markdown, page, config, files):
    return markdown + "\\n\\n## Made by a hook {#made-by-hook}\\n"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_fixture("check_docs_small", tmp_path)
    (project / "docs" / "index.md").write_text(
        "# Home\n\nSee [other](other.md#details) and [made](other.md#made-by-hook).\n"
    )
    (project / "mkdocs.yml").write_text(CONFIG)
    (project / "hooks").mkdir()
    (project / "hooks" / "anchors.py").write_text(HOOK)
    return project


def _output(proc: object) -> str:
    return proc.stdout + proc.stderr  # type: ignore[attr-defined]


def test_clean_site_builds_and_warnings_do_not_fail(project):
    # lonely.md is an orphan: a warning finding, logged as information only.
    proc = mkdocs_build(project)
    output = _output(proc)
    assert proc.returncode == 0, output
    assert "check_docs: docs/lonely.md:1:1: orphan-page" in output
    assert "Found 0 errors and 1 warning in 3 pages" in output


def test_planted_broken_link_and_anchor_are_in_the_build_output_once(project):
    page = project / "docs" / "index.md"
    page.write_text(page.read_text() + "\nA [gone](gone.md) page and a [typo](#nope).\n")
    proc = mkdocs_build(project)
    output = _output(proc)
    assert_clean_failure(proc, "Aborted with 2 warnings in strict mode")
    assert (
        "WARNING -  check_docs: docs/index.md:5:3: broken-link link target 'gone.md' does not exist"
        in output
    )
    assert "check_docs: docs/index.md:5:30: broken-anchor anchor '#nope' not found" in output
    # Once: MkDocs' own link validation, which check_docs takes over, says nothing.
    assert output.count("gone.md") == 1
    assert output.count("#nope") == 1


def test_links_in_raw_html_are_judged_as_the_browser_follows_them(project):
    page = project / "docs" / "other.md"
    page.write_text(
        page.read_text()
        + '\n<a href="../">home</a> <a href="../nowhere/">nowhere</a> <a href="#detials">x</a>\n'
    )
    proc = mkdocs_build(project)
    output = _output(proc)
    assert proc.returncode == 1, output
    assert "raw HTML link target '../nowhere/' leads nowhere" in output
    assert "anchor '#detials' not found on this page" in output
    assert "'../'" not in output  # the home page is there


def test_checker_configuration_error_stops_the_build(project):
    (project / "pyproject.toml").write_text("[tool.check_docs]\nnot_a_setting = 1\n")
    assert_clean_failure(mkdocs_build(project), "unknown setting 'not_a_setting'")


def test_the_term_rules_report_in_the_build_and_an_invalid_glossary_fails_it(tmp_path):
    """The plugin reads the glossary once the pages are built (a site's own extension
    reading the same file has read it by then, once for both): the term rules still
    report at their lines, and an invalid glossary is one line at its line that fails
    --strict. (Broken on purpose by never reading the glossary in the build: no
    term-variant line, and the build passed with the invalid glossary.)"""
    site = copy_fixture("terms_site", tmp_path)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + "theme:\n  name: mkdocs\nplugins:\n  - check_docs\n")
    proc = mkdocs_build(site)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "check_docs: docs/index.md:8:3: term-variant 'foundational model'" in output
    shutil.copy(FIXTURES / "glossary_bad" / "duplicate_term.yml", site / "data" / "glossary.yml")
    assert_clean_failure(
        mkdocs_build(site),
        "check_docs: data/glossary.yml:12:1: invalid-file [term] duplicate term",
    )


def test_the_build_record_makes_standalone_runs_agree_with_the_build(project, capsys):
    def standalone() -> list[tuple[str, str]]:
        capsys.readouterr()
        main(["-f", str(project / "mkdocs.yml"), "--format", "json"])
        return [(f["rule"], f["severity"]) for f in json.loads(capsys.readouterr().out)]

    # No record: the hook may make the anchor, so it is a warning naming the hook.
    assert standalone() == [("broken-anchor", "warning"), ("orphan-page", "warning")]
    assert mkdocs_build(project).returncode == 0
    assert (project / ".check_docs_cache" / "build.json").is_file()
    # Built once: the record says the hook made it.
    assert standalone() == [("orphan-page", "warning")]
    # other.md has not changed since: its ids are known for certain.
    page = project / "docs" / "index.md"
    page.write_text(page.read_text() + "\nAnd [new](other.md#made-by-nobody).\n")
    assert ("broken-anchor", "error") in standalone()
    # Once it changes, an id only the build gave it is no longer taken on trust.
    other = project / "docs" / "other.md"
    other.write_text(other.read_text() + "\nMore.\n")
    assert standalone() == [
        ("broken-anchor", "warning"),
        ("broken-anchor", "warning"),
        ("orphan-page", "warning"),
    ]


def test_a_build_takes_unchanged_pages_from_the_warm_cache(project):
    """The plugin parses only the pages that changed since the last build or run (the
    cache the command line keeps), and reports exactly what a build parsing every page
    reports."""

    def findings(proc: object) -> list[str]:
        return sorted(re.findall(r"check_docs: (docs/\S+ .*)", _output(proc)))

    def parsed(proc: object) -> str:
        return re.findall(r"check_docs: (\d+ of \d+) pages parsed", _output(proc))[-1]

    first = mkdocs_build(project, "-v")
    assert parsed(first) == "3 of 3", _output(first)
    cache = project / ".check_docs_cache" / "pages"
    for shard in cache.glob("links-*.pickle"):
        os.utime(shard, ns=(1, 1))
    other = project / "docs" / "other.md"
    other.write_text(other.read_text() + "\nA [gone](gone.md) page.\n")
    second = mkdocs_build(project, "-v")
    assert parsed(second) == "1 of 3"  # seen failing with every page parsed
    assert any("broken-link link target 'gone.md'" in f for f in findings(second))
    assert [p.stat().st_mtime_ns for p in cache.glob("links-*.pickle")].count(1) >= 1
    # The same findings as a build that parses every page.
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - check_docs\n", "  - check_docs:\n      cache: false\n")
    )
    every = mkdocs_build(project, "-v")
    assert parsed(every) == "3 of 3"
    assert findings(every) == findings(second)


class _Reading:
    """Builds of ``project`` (in this process, every page parsed each time) that note
    where the pages' Markdown was read: ``here`` gets one entry per reading in this
    process; the forked reading fails (``fail``) or hangs (``hang``) on demand."""

    def __init__(self, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from check_docs.plugin import CheckDocsPlugin

        page = project / "docs" / "index.md"
        page.write_text(page.read_text() + "\nA [gone](gone.md) page.\n")
        self.config_file = project / "mkdocs.yml"
        self.config_file.write_text(
            CONFIG.replace("  - check_docs\n", "  - check_docs:\n      cache: false\n")
        )
        self.here: list[bool] = []
        self.fail = self.hang = False
        parent, real = os.getpid(), CheckDocsPlugin.markdown_records

        def watched(plugin, sources, parting=False):
            if os.getpid() == parent:
                self.here.append(parting)
            elif self.fail:
                raise RuntimeError("the forked reading failed")
            elif self.hang:
                time.sleep(600)
            return real(plugin, sources, parting)

        monkeypatch.setattr(CheckDocsPlugin, "markdown_records", watched)

    def built(self) -> list[str]:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config as load_mkdocs_config

        from check_docs.report import text_line

        assert threading.active_count() == 1  # else the plugin rightly does not fork
        config = load_mkdocs_config(str(self.config_file))
        build(config)
        report = config.plugins["check_docs"].report
        return sorted(text_line(finding) for finding in report.findings)


@pytest.fixture
def reading(project: Path, monkeypatch: pytest.MonkeyPatch) -> _Reading:
    return _Reading(project, monkeypatch)


def test_the_pages_are_read_in_a_forked_process_or_here_when_it_fails(reading):
    """The plugin reads the pages' Markdown in a process forked once every page's Markdown
    is rendered (the templates render meanwhile); when that process fails, this one
    reads them after the build and reports exactly the same. Broken on purpose by
    dropping the forked reading's result (it was read twice here) and by trusting a
    failed one (the build reported no page's findings): both failed here."""
    forked = reading.built()
    assert reading.here == []  # read in the forked process alone
    assert any("broken-link link target 'gone.md'" in line for line in forked)
    reading.fail = True
    assert reading.built() == forked
    assert reading.here == [False]  # read again here, after the build


def test_a_site_large_enough_for_parsing_workers_is_read_in_the_forked_process(
    reading, monkeypatch
):
    """From PARALLEL_THRESHOLD pages on, the command line parses in worker processes;
    the forked reader (a daemon process, which may have no children) parses on its own.
    Seen failing when it asked for workers: the reading failed in the forked process on
    every site of 400 pages or more, and the build read every page again afterwards."""
    from check_docs import project

    monkeypatch.setattr(project, "PARALLEL_THRESHOLD", 1)
    forked = reading.built()
    assert reading.here == []
    monkeypatch.setattr(project, "PARALLEL_THRESHOLD", 10**9)
    assert reading.built() == forked


def test_a_forked_reading_that_hangs_is_stopped_and_the_pages_read_here(
    reading, monkeypatch, caplog
):
    """The wait for the forked reader is bounded (``reading_bound``, tiny here): a reading
    that hangs is killed, a note says so, and the pages are read after the build with
    the same findings. Seen failing (the build waited the reader's whole 600 s sleep)
    with the wait unbounded."""
    from check_docs import plugin

    forked = reading.built()
    reading.hang = True
    monkeypatch.setattr(plugin, "reading_bound", lambda pages: 1.0)
    started = time.monotonic()
    with caplog.at_level("INFO", logger="mkdocs.plugins.check_docs"):
        assert reading.built() == forked
    assert time.monotonic() - started < 120
    assert reading.here == [False]
    notes = [r.getMessage() for r in caplog.records if "forked process took" in r.getMessage()]
    assert notes == [
        "check_docs: note: reading the pages' Markdown in a forked process took over 1 s; "
        "it was stopped and the pages are read here"
    ]
