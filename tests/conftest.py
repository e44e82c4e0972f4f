"""Shared fixtures: one strict build of the site per test run (make test's, or one
that the xdist workers share), served on 127.0.0.1 like GitHub Pages, and Debian's
Chromium driven by Playwright."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import settings
from mkdocs.config.defaults import MkDocsConfig

from devtools.browser import CHROMIUM_FLAGS, OPEN_SHADOW_ROOTS, chromium_path
from devtools.site_config import load_site_config
from devtools.site_server import Served, built_pages, serve_site

__all__ = ["built_pages"]  # tests import it from here

ROOT = Path(__file__).resolve().parent.parent

# Property tests explore new inputs on writers' machines, where a counterexample is a
# find to turn into an explicit case; in CI (GitHub sets CI=true, so does .ci/run) they
# replay one fixed sequence, so a push is never refused for an input no one changed.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def mkdocs_config() -> MkDocsConfig:
    """mkdocs.yml as the build sees it (devtools.site_config)."""
    return load_site_config(ROOT / "mkdocs.yml")


# What a copy of the project needs to build: everything MkDocs reads.
PROJECT_PARTS = (
    "mkdocs.yml",
    "docs",
    "overrides",
    "hooks",
    "data",
    "scripts",
    "pyproject.toml",
    # The Mermaid version pinned here is part of every diagram's key.
    "package-lock.json",
)


def copy_project(dest: Path) -> Path:
    """Copy the buildable parts of the project into ``dest`` (for builds on broken input)."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


def mkdocs_build(
    project: Path, *args: str, strict: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build`` of ``project`` in a subprocess, as a writer would (strict unless
    the test wants the build of a site that is not ours, warnings and all)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def assert_clean_failure(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    """The build failed, said each of ``needles``, and showed no Python traceback."""
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "Traceback" not in output, output
    for needle in needles:
        assert needle in output, f"{needle!r} not in:\n{output}"


DIAGRAM_BOX = 'class="fg-diagram__box"'  # fieldguide.diagrams.markup


def pages_with_diagrams(site: Path) -> list[str]:
    """Built pages holding at least one diagram (a Mermaid fence drawn as inline SVG)."""
    return [
        rel
        for rel in built_pages(site)
        if DIAGRAM_BOX in (site / rel / "index.html").read_text(encoding="utf-8")
    ]


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A fresh copy of the project that a test may break."""
    return copy_project(tmp_path / "project")


@dataclass
class BuiltSite:
    path: Path
    log: str


# `make test` builds the site once (strict) into $FIELD_GUIDE_BUILD/site, its output in
# $FIELD_GUIDE_BUILD/build.log, and every test reads that build.
BUILD_ENV = "FIELD_GUIDE_BUILD"


def _given_build(folder: Path) -> BuiltSite:
    site, log = folder / "site", folder / "build.log"
    if not (site / "index.html").is_file() or not log.is_file():
        raise pytest.UsageError(
            f"{BUILD_ENV}={folder}: expected a built site in site/ and its log in build.log "
            "(make test writes both); unset it to let the tests build the site"
        )
    return BuiltSite(site, log.read_text(encoding="utf-8"))


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real site, built once with --strict: make test's build, or else one build
    shared by every xdist worker of this run (the first to come makes it)."""
    given = os.environ.get(BUILD_ENV)
    if given:
        return _given_build(Path(given))
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    folder = shared / "site-build"
    with _exclusive(shared / "site-build.lock"):
        if not (folder / "build.log").is_file():
            folder.mkdir(exist_ok=True)
            proc = mkdocs_build(ROOT, "--site-dir", str(folder / "site"))
            output = proc.stdout + proc.stderr
            if proc.returncode != 0:
                pytest.fail(f"strict build failed:\n{output}")
            (folder / "build.log").write_text(output, encoding="utf-8")
    return _given_build(folder)


@pytest.fixture(scope="session")
def served_site(built_site: BuiltSite, mkdocs_config: MkDocsConfig) -> Iterator[Served]:
    with serve_site(built_site.path, mkdocs_config.get("site_url")) as served:
        yield served


def require_tool(available: bool, reason: str) -> None:
    """Skip a test whose outside tool (Chromium, npm packages) is missing, except in CI.

    `make test` must run on a machine with only python3, make and git; CI installs
    everything (.ci/run), so there a missing tool is a failure, not a skip.
    """
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " — required in CI")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    exe = chromium_path()
    require_tool(
        exe.exists(),
        f"no Chromium at {exe}: install Debian's 'chromium' package (or set CHROMIUM_PATH)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(exe), headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@dataclass
class RecordedPage:
    """A Playwright page that remembers every URL it requested."""

    page: object
    requests: list[str] = field(default_factory=list)


def type_query(field: object, text: str) -> None:
    """Put ``text`` into Material's search field as a reader would, in two events.

    Material searches on ``keyup``, so the last character is a real key press; the rest
    is filled at once. Typing every key (one search per key) took longer than
    Playwright's timeout on a machine with a load average of 20.
    """
    field.fill(text[:-1])  # type: ignore[attr-defined]
    field.press(text[-1])  # type: ignore[attr-defined]


@pytest.fixture
def page(browser: object) -> Iterator[RecordedPage]:
    context = browser.new_context()  # type: ignore[attr-defined]
    context.add_init_script(OPEN_SHADOW_ROOTS)
    pg = context.new_page()
    recorded = RecordedPage(pg)
    pg.on("request", lambda req: recorded.requests.append(req.url))
    pg.set_default_timeout(15_000)
    yield recorded
    context.close()
