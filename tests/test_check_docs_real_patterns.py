"""check_docs on patterns taken from real MkDocs projects (issue 13).

Each case in ``tests/fixtures/real_patterns/`` is a tiny project written here that
reproduces one pattern we met in a real project's docs (the case's mkdocs.yml says
which). A line whose link is truly broken for a reader carries a
``planted: <rule>`` marker; every other link works in the built site.

For a case MkDocs can build with our packages there are two tests:

* the build's truth: a real ``mkdocs build`` of the case, read as a browser would
  (``scripts/compare_with_build.py``), has broken links on exactly the marked lines'
  pages, so a case cannot quietly stop meaning what it says;
* the checker: check_docs' errors are exactly the marked lines. Where a plugin or
  hook may make targets the checker cannot see without a build, its warnings must
  name that plugin or hook, and no warning may appear otherwise.

Given the built site (``--site``), check_docs must agree with the build exactly, warnings
included. Cases whose plugin is not installed here cannot be built; for them check_docs
must raise no error and must name the plugin in a warning that asks for a build. Some of
them hold in ``built/`` the site that plugin's build writes (written by hand, content
only; every link in it works): given that (``--site``), check_docs must find nothing.

Strict xfails mark what today's checker gets wrong; the fix removes the marker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import compare_with_build
import pytest

from check_docs.cli import main

CASES = Path(__file__).parent / "fixtures" / "real_patterns"
PLANTED = re.compile(r"planted: ([a-z-]+)")
PROBLEM_RULE = {"no such file": "broken-link", "no such anchor": "broken-anchor"}


def xfail(cause: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"issue 13: {cause}")


# case -> (names of the plugin or hook that makes targets, or (); today's failure)
BUILT: dict[str, tuple[tuple[str, ...], pytest.MarkDecorator | None]] = {
    "snippet_headings": ((), None),
    "tab_ids": ((), None),
    "fence_ids": ((), None),
    "duplicate_reference_labels": ((), None),
    "theme_files": ((), None),
    "hook_anchors": (("settings_anchors",), None),
    "blog_posts": (("blog",), None),
    "tab_links": ((), None),
    "raw_html_links": ((), None),
    "folder_links": ((), None),
    "inherit_config": ((), None),
    "absolute_links": ((), None),
    "theme_files_nested": ((), None),
    "dot_segments": ((), None),
    "blog_raw_html": (("blog",), None),
    "blog_pagination": (("blog",), None),
    "hook_links": ((), None),
    "late_links": (("late_links",), None),
    "nav_folder_hook": (("nav_sections",), None),
}

# Cases whose broken link only a build makes (a hook renders it): no check of the Markdown
# alone can see it, so only the plugin, a build record or the built site can.
BUILD_ONLY = frozenset({"hook_links"})

# cases whose failure above remains when check_docs is given the built site (--site)
SITE_FAILS: frozenset[str] = frozenset()
# ... and with the record a build left
RECORD_FAILS = SITE_FAILS

# case -> today's failure of the check_docs plugin inside the case's own build
PLUGIN_FAILS: dict[str, pytest.MarkDecorator] = {}

# case -> names of the plugin or extension (not installed here) that makes its targets
UNBUILT: dict[str, tuple[str, ...]] = {
    "literate_nav": ("literate-nav",),
    "autorefs": ("autorefs", "mkdocstrings"),
    "extension_headings": ("mkdocs-click",),
    "exclude_plugin": ("exclude",),
    "macros_templates": ("macros",),
}

# Unbuilt cases that hold, in ``built/``, the site their build writes (written by hand,
# content only), so --site can be tried without the plugin -> today's failure.
HAND_BUILT: dict[str, pytest.MarkDecorator | None] = {
    "exclude_plugin": None,
    "literate_nav": None,
    "macros_templates": None,
}


def planted(case: Path) -> Counter[tuple[str, int, str]]:
    """Every ``planted: <rule>`` marker in the case's Markdown: (path, line, rule)."""
    out: Counter[tuple[str, int, str]] = Counter()
    for path in sorted(case.rglob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            for match in PLANTED.finditer(line):
                out[(path.relative_to(case).as_posix(), number, match[1])] += 1
    return out


def copy_case(name: str, dest: Path) -> Path:
    return Path(shutil.copytree(CASES / name, dest / name))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """Build a case once per session: its copy (with site/ inside) and the build's log."""
    cache: dict[str, tuple[Path, str]] = {}

    def build(name: str) -> tuple[Path, str]:
        if name not in cache:
            project = copy_case(name, tmp_path_factory.mktemp("real-patterns"))
            done = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "-d", str(project / "site")],
                cwd=project,
                capture_output=True,
                text=True,
                timeout=120,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"},
            )
            assert done.returncode == 0, done.stderr
            cache[name] = (project, done.stderr)
        return cache[name]

    return build


@pytest.fixture(scope="session")
def plugin_built(tmp_path_factory: pytest.TempPathFactory):
    """Build a case once per session with the check_docs plugin added: its copy (with
    the build record the plugin wrote) and the plugin's findings."""
    cache: dict[str, tuple[Path, list[dict]]] = {}

    def build(name: str) -> tuple[Path, list[dict]]:
        if name not in cache:
            project = copy_case(name, tmp_path_factory.mktemp("real-patterns-plugin"))
            config, site = project / "mkdocs.yml", project / "site"
            findings = compare_with_build.run_check_docs(config, site, mode="plugin")
            cache[name] = (project, findings)
        return cache[name]

    return build


def check_docs(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    capsys.readouterr()
    status = main(["-f", str(project / "mkdocs.yml"), "--format", "json", *args])
    out = capsys.readouterr()
    assert status in (0, 1), out.err
    return json.loads(out.out)


def assert_findings(findings: list[dict], expected: Counter, makers: tuple[str, ...]) -> None:
    errors = Counter(
        (f["path"], f["line"], f["rule"]) for f in findings if f["severity"] == "error"
    )
    assert errors == expected
    warnings = [f for f in findings if f["severity"] == "warning"]
    unexplained = [f for f in warnings if not any(m in f["message"] for m in makers)]
    assert unexplained == []


@pytest.mark.parametrize("name", sorted(BUILT))
def test_build_truth_matches_the_markers(name, built):
    project, log = built(name)
    truth = compare_with_build.read_truth(project / "mkdocs.yml", project / "site", log)
    prefix = truth.settings.docs_prefix
    broken = Counter((prefix + page, PROBLEM_RULE[why]) for page, _url, why in truth.broken_links())
    marked = Counter()
    for (path, _line, rule), count in planted(project).items():
        marked[(path, rule)] += count
    assert broken == marked


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=mark or ())
        for name, (_makers, mark) in sorted(BUILT.items())
        if name not in BUILD_ONLY
    ],
)
def test_check_docs_reports_what_the_build_gives_readers(name, tmp_path, capsys):
    project = copy_case(name, tmp_path)
    makers, _mark = BUILT[name]
    findings = check_docs(project, capsys)
    assert_findings(findings, planted(project), makers)
    if makers:  # what the plugin or hook may make is named, and a build asked for
        assert any(
            any(m in f["message"] for m in makers) and "build once to verify" in f["message"]
            for f in findings
        )


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=mark if mark and name in SITE_FAILS else ())
        for name, (_makers, mark) in sorted(BUILT.items())
        if name not in BUILD_ONLY
    ]
    + sorted(BUILD_ONLY),
)
def test_with_the_built_site_check_docs_agrees_with_the_build(name, built, capsys):
    """Issue 13, item 2: what the build made (plugin and hook anchors, blog pages,
    snippets) is read from the built site, so nothing is left to warn about."""
    project, _log = built(name)
    findings = check_docs(project, capsys, "--site", str(project / "site"))
    assert_findings(findings, planted(project), ())


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=PLUGIN_FAILS.get(name, ())) for name in sorted(BUILT)]
)
def test_in_the_build_the_plugin_agrees_with_the_build(name, plugin_built):
    """Issue 13, item 1: the plugin judges the HTML the build made, so it reports
    exactly the broken links, and nothing a plugin or hook made is left to warn about."""
    project, findings = plugin_built(name)
    assert_findings(findings, planted(project), ())


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=mark if mark and name in RECORD_FAILS else ())
        for name, (_makers, mark) in sorted(BUILT.items())
        if name not in BUILD_ONLY
    ]
    + sorted(BUILD_ONLY),
)
def test_after_a_build_standalone_agrees_with_it(name, plugin_built, capsys):
    """Issue 13, item 2: the plugin's build leaves a record; a standalone run on the
    unchanged site uses it and reports what the build did."""
    project, _findings = plugin_built(name)
    assert (project / ".check_docs_cache" / "build.json").is_file()
    assert_findings(check_docs(project, capsys), planted(project), ())


@pytest.mark.parametrize(
    "name",
    sorted(UNBUILT),
)
def test_plugin_targets_without_a_build_are_warnings_naming_the_plugin(name, tmp_path, capsys):
    project = copy_case(name, tmp_path)
    findings = check_docs(project, capsys)
    makers = UNBUILT[name]
    assert_findings(findings, planted(project), makers)
    # "which plugin, and build once to verify" (issue 13)
    assert any(any(m in f["message"] for m in makers) and "build" in f["message"] for f in findings)


@pytest.mark.parametrize("name", sorted(HAND_BUILT))
def test_hand_built_sites_have_no_broken_links(name):
    """The hand-written ``built/`` folders say what the plugin's build gives readers:
    every link in them works."""
    case = CASES / name
    truth = compare_with_build.read_truth(case / "mkdocs.yml", case / "built", "")
    assert truth.sources  # each page of the site is found for its Markdown
    assert truth.broken_links() == []


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=mark or ()) for name, mark in sorted(HAND_BUILT.items())]
)
def test_with_a_site_built_by_the_plugin_check_docs_agrees_with_it(name, tmp_path, capsys):
    """Issue 13, item 2: `--site` gives the truth for what a plugin made, so there is
    nothing left to warn about and no error where the built site works."""
    project = copy_case(name, tmp_path)
    # The site was built after its sources were written (a checkout gives them one time,
    # or writes the sources last): what --site takes as fresh.
    built_at = max(p.stat().st_mtime for p in (project / "docs").rglob("*")) + 1
    for path in (project / "built").rglob("*"):
        os.utime(path, (built_at, built_at))
    findings = check_docs(project, capsys, "--site", str(project / "built"))
    assert findings == []


# --- the comparison tool judges findings by the built HTML, whatever the checker says ---


def finding(path: str, line: int, column: int, rule: str, message: str) -> dict:
    return {
        "path": path,
        "line": line,
        "column": column,
        "rule": rule,
        "severity": "error",
        "message": message,
    }


def test_compare_with_build_judges_each_finding_by_the_built_page(built):
    project, log = built("folder_links")
    truth = compare_with_build.read_truth(project / "mkdocs.yml", project / "site", log)
    findings = [
        # The reader's link works: "../guide/" from /about/ is /guide/.
        finding("docs/about.md", 3, 5, "broken-link", "link target '../guide/' is outside docs/"),
        # Broken for the reader: "guide/" from /about/ is /about/guide/.
        finding("docs/about.md", 5, 38, "broken-link", "no such file"),
        # No such link on the page at all.
        finding("docs/index.md", 1, 1, "broken-anchor", "anchor '#nowhere' not found"),
    ]
    verdicts, missed, generated = compare_with_build.judge(truth, findings)
    assert [v.verdict for v in verdicts] == ["false", "true", "false"]
    assert verdicts[1].build  # MkDocs' log names that link too
    assert missed == [] and generated == []


def test_compare_with_build_lists_broken_links_no_finding_names(built):
    project, log = built("raw_html_links")
    truth = compare_with_build.read_truth(project / "mkdocs.yml", project / "site", log)
    verdicts, missed, _generated = compare_with_build.judge(truth, [])
    assert verdicts == []
    assert sorted((page, url) for page, url, _problem, _build in missed) == [
        ("page.md", "#detials"),
        ("page.md", "../guides/"),
        ("page.md", "../img/missing.png"),
    ]


# --- a writer edits a page after the build ---------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        {"links": [[1, "x"]]},  # a link of the wrong shape
        {"links": [[True, 1, "a", "link", "a"]]},  # a line that is not a number
        {"url": 3},
        {"links": "index.md"},
    ],
)
def test_a_damaged_build_record_is_ignored_with_a_note(damage, tmp_path, capsys):
    """Bad input: a record that is not what the plugin writes is never trusted and never
    a traceback; the run goes on as without one (warnings naming the hook)."""
    from check_docs.build_record import FORMAT

    project = copy_case("hook_anchors", tmp_path)
    page = {"digest": "0" * 64, "anchors": [], "made": [], "url": "", "links": None, **damage}
    record = {"format": FORMAT, "inputs": "", "pages": {"index.md": page}, "outputs": []}
    record |= {"nav": [], "linked": [], "left_out": []}
    cache = project / ".check_docs_cache"
    cache.mkdir()
    (cache / "build.json").write_text(json.dumps(record), encoding="utf-8")
    capsys.readouterr()
    assert main(["-f", str(project / "mkdocs.yml"), "--format", "json", "--no-cache"]) == 0
    out = capsys.readouterr()
    assert "build record ignored" in out.err and "Traceback" not in out.err
    found = json.loads(out.out)
    assert [f["rule"] for f in found] == ["broken-anchor", "broken-anchor"]
    assert all("settings_anchors" in f["message"] for f in found)


def test_warnings_of_one_cause_are_one_line_of_text(tmp_path, capsys):
    """Without a record, every link to an id a hook may make is a warning: text output
    gives the first and how many more (as ruff summarises), JSON lists them all."""
    project = copy_case("hook_anchors", tmp_path)
    index = project / "docs" / "index.md"
    extra = "".join(f"\n[Setting {n}](settings.md#config.more{n})\n" for n in range(3))
    index.write_text(index.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert len(check_docs(project, capsys, "--no-cache")) == 5
    assert main(["-f", str(project / "mkdocs.yml"), "--no-cache"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("docs/index.md:3:")
    assert "settings_anchors" in lines[0] and "4 more broken-anchor warnings" in lines[0]
    assert lines[1] == "Found 0 errors and 5 warnings in 2 pages."
    # The rule names the cause in the record (JSON and the cache keep it): the text
    # output groups on it, not on the wording of the message.
    found = check_docs(project, capsys, "--no-cache")
    assert {f["cause"] for f in found} == {"the hook hooks/settings_anchors.py may add it"}, found


def test_warnings_are_grouped_by_the_cause_the_rule_gave():
    """Text output groups on ``Finding.cause``: the same words without a cause are
    separate lines, different causes are separate groups."""
    from check_docs.engine import Report
    from check_docs.finding import Finding
    from check_docs.report import render_text

    def warning(line: int, cause: str | None) -> Finding:
        message = "anchor '#x' not found on a.md; someone may add it: build once to verify"
        return Finding("docs/a.md", line, 1, "broken-anchor", "warning", message, cause=cause)

    findings = [warning(n, None) for n in range(1, 4)]
    findings += [warning(n, "A may add it") for n in range(4, 7)]
    findings += [warning(n, "B may add it") for n in range(7, 10)]
    lines = render_text(Report(findings, 1, project=None)).splitlines()  # type: ignore[arg-type]
    assert [line.split(":")[1] for line in lines[:-1]] == ["1", "2", "3", "4", "7"]
    assert "and 2 more" in lines[3] and "and 2 more" in lines[4]
