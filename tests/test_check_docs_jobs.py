"""Worker processes (issue 16): on a site big enough that the pool really runs, the
findings are exactly the serial run's, and ``--jobs`` (or ``jobs`` in
[tool.check_docs]) sets how many workers parse the pages."""

from __future__ import annotations

from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

import pytest

from check_docs import project as project_module
from tests.check_docs_support import LINK_RULES, copy_fixture, run_cli

# More pages than check_docs.project.PARALLEL_THRESHOLD: the default (jobs = 0, one
# worker per core) uses the pool too.
PAGES = project_module.PARALLEL_THRESHOLD + 50


class _Pool(ProcessPoolExecutor):
    """The real pool, noting how many workers it was given and how many pages they
    parsed (each result comes back from a worker process)."""

    started: ClassVar[list[int]] = []
    parsed: ClassVar[list[int]] = []

    def __init__(self, *args: Any, max_workers: int, **kwargs: Any) -> None:
        super().__init__(*args, max_workers=max_workers, **kwargs)
        self.started.append(max_workers)

    def map(self, fn: Any, *iterables: Any, **kwargs: Any) -> Any:
        for chunk in super().map(fn, *iterables, **kwargs):
            self.parsed.append(len(chunk))
            yield chunk


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> type[_Pool]:
    _Pool.started, _Pool.parsed = [], []
    monkeypatch.setattr(futures, "ProcessPoolExecutor", _Pool)
    return _Pool


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The planted-error corpus plus generated pages that link to each other and to
    the corpus, with broken links and anchors among them."""
    site = copy_fixture("check_docs_corpus", tmp_path_factory.mktemp("jobs"))
    docs = site / "docs" / "many"
    docs.mkdir()
    for number in range(PAGES):
        following = (number + 1) % PAGES
        (docs / f"page-{number:03d}.md").write_text(
            f"# Page {number}\n\n## Part {number}\n\n"
            f"Next: [page](page-{following:03d}.md#part-{following}), "
            f"[wrong part](page-{following:03d}.md#part-{number + 7}), "
            f"[home](../index.md)" + (" and [gone](missing.md).\n" if number % 50 == 0 else ".\n"),
            encoding="utf-8",
        )
    return site


@pytest.fixture
def small_pages(tmp_path: Path) -> Path:
    """As many pages, each a heading and one link: quick to parse."""
    (tmp_path / "mkdocs.yml").write_text("site_name: Jobs\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    for number in range(PAGES):
        text = f"# Page {number}\n\n[next](page-{number + 1:03d}.md)\n"
        (docs / f"page-{number:03d}.md").write_text(text, encoding="utf-8")
    return tmp_path


def _findings(
    capsys: pytest.CaptureFixture[str], site: Path, *extra: str, rules: str = LINK_RULES
) -> list[Any]:
    run = run_cli(
        capsys, "-f", str(site / "mkdocs.yml"), "--format", "json", "--no-cache",
        "--select", rules, *extra,
    )  # fmt: skip
    assert run.code == 1, run.err
    return run.json()


def _check(capsys: pytest.CaptureFixture[str], site: Path, *extra: str) -> None:
    found = _findings(capsys, site, *extra, rules="broken-link")
    assert len(found) == 1 and f"page-{PAGES:03d}.md" in found[0]["message"]  # the last page's


def test_workers_find_exactly_what_one_process_finds(big_site, capsys, pool):
    serial = _findings(capsys, big_site, "--jobs", "1")
    assert pool.started == []  # one process: no pool at all
    assert len(serial) > PAGES  # every generated page has a broken anchor
    parallel = _findings(capsys, big_site, "--jobs", "2")
    assert pool.started == [2]
    assert sum(pool.parsed) > PAGES  # the workers parsed every page
    assert parallel == serial


def test_jobs_is_honoured_from_the_command_line_and_the_configuration(
    small_pages, capsys, pool, monkeypatch
):
    site = small_pages
    monkeypatch.setattr(project_module.os, "cpu_count", lambda: 4)
    _check(capsys, site, "--jobs", "3")
    assert pool.started == [3]
    _check(capsys, site)  # the default (0): one worker per core on a site this big
    assert pool.started == [3, 4]
    (site / "pyproject.toml").write_text("[tool.check_docs]\njobs = 1\n", encoding="utf-8")
    _check(capsys, site)
    assert pool.started == [3, 4]  # jobs = 1 in the configuration: no pool
    _check(capsys, site, "--jobs", "2")  # the command line wins
    assert pool.started == [3, 4, 2]


def test_workers_resolve_each_pages_links_as_the_main_process_does(big_site, pool):
    """The targets the workers send with each page (``PageJob.links``) are what
    resolving the page's links after the run gives; the link rules use them instead."""
    from check_docs.config import load_config
    from check_docs.engine import choose_rules
    from check_docs.links import resolve

    config = load_config(big_site / "mkdocs.yml")
    rules = choose_rules(config, external=False)
    project = project_module.load_project(config, rules, jobs=2, use_cache=False)
    assert pool.started == [2]
    premade = dict(project.premade)
    assert len(premade) == len(project.pages)  # every page's came from its worker
    relative = config.absolute_links_relative_to_docs
    for path, targets in premade.items():
        record = project.pages[path]
        assert targets == [
            resolve(project.site, project.files, path, link, relative) for link in record.links
        ]
    assert sum(map(len, premade.values())) > 3 * len(project.pages) // 2
