"""hooks/run_check_docs.py: `mkdocs build` runs the same checks as the CLI, so a strict
build fails on an error finding (even one MkDocs itself does not see), passes with only
warnings, and stops on a checker configuration error without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.check_docs_support import copy_fixture
from tests.conftest import ROOT, mkdocs_build

HOOK = ROOT / "hooks" / "run_check_docs.py"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_fixture("check_docs_small", tmp_path)
    (project / "docs" / "index.md").write_text("# Home\n\nSee [other](other.md#details).\n")
    (project / "mkdocs.yml").write_text(
        "site_name: Small\ntheme:\n  name: mkdocs\n"
        f"hooks:\n  - {HOOK}\nnav:\n  - index.md\n  - other.md\n"
    )
    return project


def test_clean_site_builds_and_warnings_do_not_fail(project):
    # lonely.md is an orphan: a warning finding, logged as information only.
    proc = mkdocs_build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_error_finding_fails_the_strict_build(project):
    page = project / "docs" / "index.md"
    page.write_text(page.read_text() + "\nClick [here](javascript:alert(1)).\n")
    proc = mkdocs_build(project)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "check_docs: docs/index.md:5:7: unsafe-link javascript: URL in a link" in output
    assert "Traceback" not in output


def test_checker_configuration_error_stops_the_build(project):
    (project / "pyproject.toml").write_text("[tool.check_docs]\nnot_a_setting = 1\n")
    proc = mkdocs_build(project)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "unknown setting 'not_a_setting'" in output
    assert "Traceback" not in output
