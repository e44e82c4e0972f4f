"""The check_docs command line: output formats, exit codes, rule selection, paths,
``[tool.check_docs]`` settings and suppression comments, driven through ``main(argv)``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.check_docs_support import FIXTURES, LINK_RULES, copy_fixture, run_cli

SMALL = FIXTURES / "check_docs_small"
ROOT = Path(__file__).resolve().parent.parent

EXPECTED_TEXT = """\
docs/index.md:3:3: broken-link link target 'missing.md' does not exist
docs/index.md:5:9: broken-anchor anchor '#nope' not found on docs/other.md
docs/lonely.md:1:1: orphan-page page is in no nav entry and no page links to it: \
add it to nav in mkdocs.yml or link to it
Found 2 errors and 1 warning in 3 pages.
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return copy_fixture("check_docs_small", tmp_path)


def test_text_format_is_sorted_relative_and_summarised(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # paths stay relative to the mkdocs.yml folder
    run = run_cli(capsys, "-f", str(SMALL / "mkdocs.yml"))
    assert run.code == 1
    assert run.out == EXPECTED_TEXT
    assert run.err == ""


def test_json_format_has_exactly_the_documented_keys(capsys):
    run = run_cli(capsys, "-f", str(SMALL / "mkdocs.yml"), "--format", "json")
    data = run.json()
    assert [set(item) for item in data] == [
        {"path", "line", "column", "rule", "severity", "message", "suggestion", "cause"}
    ] * 3
    assert [(d["path"], d["line"], d["column"], d["severity"]) for d in data] == [
        ("docs/index.md", 3, 3, "error"),
        ("docs/index.md", 5, 9, "error"),
        ("docs/lonely.md", 1, 1, "warning"),
    ]
    assert all(d["suggestion"] is None or isinstance(d["suggestion"], str) for d in data)


def test_github_format_is_workflow_commands(capsys):
    run = run_cli(capsys, "-f", str(SMALL / "mkdocs.yml"), "--format", "github")
    lines = run.out.splitlines()
    assert lines[0] == (
        "::error file=docs/index.md,line=3,col=3,title=broken-link::"
        "link target 'missing.md' does not exist"
    )
    assert lines[2].startswith("::warning file=docs/lonely.md,line=1,col=1,title=orphan-page::")
    assert len(lines) == 3


def test_suggestion_is_shown_as_a_fix(capsys, small):
    page = small / "docs" / "index.md"
    page.write_text(page.read_text().replace("missing.md", "othr.md"))
    run = run_cli(capsys, "-f", str(small / "mkdocs.yml"))
    assert "link target 'othr.md' does not exist (fix: other.md)" in run.out
    data = run_cli(capsys, "-f", str(small / "mkdocs.yml"), "--format", "json").json()
    assert data[0]["suggestion"] == "other.md"


def test_only_warnings_exit_0(capsys):
    run = run_cli(capsys, "-f", str(SMALL / "mkdocs.yml"), "--ignore", "broken-link,broken-anchor")
    assert run.code == 0
    assert run.out.splitlines()[-1] == "Found 0 errors and 1 warning in 3 pages."


def test_select_runs_only_the_named_rules(capsys):
    run = run_cli(
        capsys, "-f", str(SMALL / "mkdocs.yml"), "--select", "broken-anchor", "--format", "json"
    )
    assert [d["rule"] for d in run.json()] == ["broken-anchor"]


def test_paths_limit_what_is_reported(capsys, monkeypatch):
    monkeypatch.chdir(SMALL)
    run = run_cli(capsys, "--format", "json", "docs/lonely.md")
    assert [d["path"] for d in run.json()] == ["docs/lonely.md"]
    assert run.code == 0


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--select", "no-such-rule"], "unknown rule 'no-such-rule'"),
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["no/such/path.md"], "no/such/path.md: no such file or folder"),
        (["--no-such-option"], "unrecognized arguments"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, argv, needle):
    run = run_cli(capsys, "-f", str(SMALL / "mkdocs.yml"), *argv)
    assert run.code == 2
    assert run.out == ""
    assert needle in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert "Traceback" not in run.err


def test_pyproject_settings_ignore_and_exclude(capsys, small):
    (small / "pyproject.toml").write_text(
        '[tool.check_docs]\nignore = ["orphan-page"]\nexclude = ["index.md"]\n'
    )
    run = run_cli(capsys, "-f", str(small / "mkdocs.yml"), "--format", "json")
    assert run.json() == []
    assert run.code == 0


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ('colour = "red"\n', "unknown setting 'colour'"),
        ('ignore = "orphan-page"\n', "ignore: got a string ('orphan-page')"),
        ("cache_ttl = true\n", "cache_ttl: got true"),
        ('external_skip = ["(unclosed"]\n', "external_skip"),
    ],
)
def test_bad_settings_exit_2(capsys, small, table, needle):
    (small / "pyproject.toml").write_text("[tool.check_docs]\n" + table)
    run = run_cli(capsys, "-f", str(small / "mkdocs.yml"))
    assert run.code == 2
    assert needle in run.err
    assert "pyproject.toml" in run.err


def test_suppression_comments_on_the_line_and_the_line_before(capsys, small):
    page = small / "docs" / "index.md"
    lines = page.read_text().splitlines()
    lines[2] += " <!-- check_docs: ignore -->"  # no rule named: every rule on line 3
    lines[3] = "<!-- check_docs: ignore broken-link -->"  # line 5 has a broken anchor
    page.write_text("\n".join(lines) + "\n")
    run = run_cli(capsys, "-f", str(small / "mkdocs.yml"), "--format", "json")
    found = [(d["line"], d["rule"]) for d in run.json()]
    # The comment for broken-link silences nothing on line 5 (an anchor is broken there).
    assert found == [(4, "unused-suppression"), (5, "broken-anchor"), (1, "orphan-page")]
    page.write_text(page.read_text().replace("ignore broken-link", "ignore broken-anchor"))
    run = run_cli(capsys, "-f", str(small / "mkdocs.yml"), "--format", "json")
    assert [d["rule"] for d in run.json()] == ["orphan-page"]


def test_help_exits_0(capsys):
    run = run_cli(capsys, "--help")
    assert run.code == 0
    assert "--external" in run.out


def test_the_real_site_checks_clean(capsys, built_site):
    """Standalone, with the test session's build as the truth for what hooks make."""
    site = ["-f", str(ROOT / "mkdocs.yml"), "--site", str(built_site.path)]
    run = run_cli(capsys, *site)
    assert run.code == 0, run.out
    findings = json.loads(run_cli(capsys, *site, "--format", "json").out)
    assert [f for f in findings if f["severity"] == "error"] == []
    links = run_cli(capsys, *site, "--select", LINK_RULES)
    assert links.out.splitlines()[-1].startswith("No problems found"), links.out


def test_the_command_exits_with_its_status_and_all_its_output(tmp_path, capsys):
    """The console entry point leaves without Python's teardown (os._exit): its exit
    status and every byte of its output must still be there, as main() gives them.
    Seen failing with the streams left unflushed (a short report lost entirely)."""
    import os
    import subprocess
    import sys

    # Buffered, as on a writer's machine (a test shell may set PYTHONUNBUFFERED).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    site = copy_fixture("check_docs_corpus", tmp_path)
    script = Path(__file__).resolve().parent.parent / "scripts" / "check_docs.py"
    for extra in (["--format", "json"], ["--select", "nav-missing"]):
        argv = ["-f", str(site / "mkdocs.yml"), "--no-cache", *extra]
        ran = run_cli(capsys, *argv)
        done = subprocess.run(
            [sys.executable, str(script), *argv],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert (done.returncode, done.stdout, done.stderr) == (ran.code, ran.out, ran.err)
        assert ran.out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(),
            st.integers(min_value=0, max_value=10**6),
            st.text(),
            st.one_of(st.none(), st.text()),
            st.one_of(st.none(), st.text()),
        ),
        max_size=4,
    )
)
def test_json_output_is_what_the_indenting_json_encoder_writes(rows):
    """render_json writes the findings itself (the indenting encoder is pure Python):
    byte for byte what ``json.dumps(indent=2, ensure_ascii=False)`` writes, for any text
    (quotes, backslashes, control characters, non-ASCII, lone surrogates). Seen failing
    with the values written by repr()."""
    from check_docs.engine import Report
    from check_docs.finding import Finding
    from check_docs.report import render_json

    findings = [
        Finding(path, line, line + 1, "broken-link", "error", message, suggestion, None, cause)
        for path, line, message, suggestion, cause in rows
    ]
    expected = json.dumps([f.as_json() for f in findings], indent=2, ensure_ascii=False)
    assert render_json(Report(findings, 0, None)) == expected + "\n"  # type: ignore[arg-type]
