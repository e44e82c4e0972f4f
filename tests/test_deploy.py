"""`mkdocs gh-deploy` (what `make deploy` runs) publishes a complete site to the
gh-pages branch of a real bare git repository, and a second deploy keeps it valid.
The built site has no file the workflow's upload-pages-artifact would leave out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import copy_project

REQUIRED = {"index.html", "404.html", "sitemap.xml", ".nojekyll"}


def _git(*args: str, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    proc = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _deploy(project: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "gh-deploy", "--strict", "--force", "--no-history"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _published(remote: Path) -> set[str]:
    listing = _git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote)
    return set(listing.splitlines())


def test_deploy_to_a_bare_repository_twice(tmp_path):
    remote = tmp_path / "remote.git"
    _git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    project = copy_project(tmp_path / "project")
    _git("init", "-q", "-b", "main", cwd=project)
    _git("add", "-A", cwd=project)
    _git("commit", "-q", "-m", "site", cwd=project)
    _git("remote", "add", "origin", str(remote), cwd=project)

    first = _deploy(project)
    assert first.returncode == 0, first.stdout + first.stderr
    files = _published(remote)
    assert files >= REQUIRED, f"missing on gh-pages: {sorted(REQUIRED - files)}"
    first_commit = _git("rev-parse", "gh-pages", cwd=remote).strip()

    second = _deploy(project)
    assert second.returncode == 0, second.stdout + second.stderr
    assert _published(remote) >= REQUIRED
    # A real new commit on the branch, and the branch's history is intact.
    assert _git("rev-parse", "gh-pages", cwd=remote).strip() != first_commit
    _git("fsck", "--no-progress", cwd=remote)


def test_built_site_has_no_hidden_files(built_site):
    """actions/upload-pages-artifact (v4 on) leaves out every file or folder whose name
    starts with a dot: the published site would silently lack it."""
    hidden = [p.relative_to(built_site.path).as_posix() for p in built_site.path.rglob(".*")]
    assert hidden == [], f"left out of the Pages artifact: {hidden}"
