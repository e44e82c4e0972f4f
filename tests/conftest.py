"""Shared fixtures: one strict build of the site per test session, served on
127.0.0.1 like GitHub Pages, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from fieldguide.browser import CHROMIUM_FLAGS, OPEN_SHADOW_ROOTS, chromium_path
from fieldguide.site_server import Served, built_pages, serve_site

__all__ = ["built_pages"]  # tests import it from here

ROOT = Path(__file__).resolve().parent.parent


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring the !!python tags MkDocs itself resolves."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@pytest.fixture(scope="session")
def mkdocs_config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


# What a copy of the project needs to build: everything MkDocs reads.
PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides", "hooks", "data", "scripts", "pyproject.toml")


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


def mkdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a strict ``mkdocs build`` of ``project`` in a subprocess, as a writer would."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
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


def pages_with_diagrams(site: Path) -> list[str]:
    """Built pages holding at least one Mermaid diagram."""
    return [
        rel
        for rel in built_pages(site)
        if 'class="mermaid"' in (site / rel / "index.html").read_text(encoding="utf-8")
    ]


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A fresh copy of the project that a test may break."""
    return copy_project(tmp_path / "project")


@dataclass
class BuiltSite:
    path: Path
    log: str


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real site, built once with --strict into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT, "-d", str(out))
    assert proc.returncode == 0, f"strict build failed:\n{proc.stdout}\n{proc.stderr}"
    return BuiltSite(out, proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def served_site(built_site: BuiltSite, mkdocs_config: dict) -> Iterator[Served]:
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


DIAGRAMS = "pre.mermaid, div.mermaid"


def bring_diagram_into_view(pg: object, index: int) -> None:
    """Scroll diagram ``index`` into view and wait (at most 10 s) until it is drawn.

    Done in the page: the <pre> is swapped for a <div> as it is drawn, and a
    Playwright locator that waits for a stable element would see it detach.
    Waiting here matters: scrolled straight past, a diagram never meets the lazy
    loader's observer and is never drawn.
    """
    pg.evaluate(  # type: ignore[attr-defined]
        """async ([selector, i]) => {
          const el = document.querySelectorAll(selector)[i];
          el.scrollIntoView();
          const start = Date.now();
          while (el.matches("pre.mermaid") && el.isConnected && Date.now() - start < 10000) {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }""",
        [DIAGRAMS, index],
    )
