"""The collected project: every file under docs_dir, every page parsed, every anchor.

Pages are read and parsed in worker processes when there are many of them
(parsing is the only expensive step and it is independent per page); the same
worker runs the term scan on the bytes it has just read, when a term rule runs,
so each page is read once and crosses between processes once, as small tuples.
Everything after that is set and dict lookups in one process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from check_docs import files
from check_docs.collect import PageData, ParseOptions, decode_text, parse_text, read_raw
from check_docs.config import Config
from check_docs.errors import DataError
from check_docs.finding import Finding
from check_docs.links import SiteFiles, resolve
from check_docs.terms import PageTerms, Scanner, TermScan, glossary_page, load_term_glossary
from fieldguide.anchors import SOURCES_PAGE, registry_anchor, source_anchor

# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400


@dataclass
class Project:
    config: Config
    pages: dict[str, PageData]  # docs-relative path -> parsed page
    files: set[str]  # every file under docs_dir (pages included), docs-relative
    dirs: set[str]
    anchors: dict[str, set[str]] = field(default_factory=dict)
    # Problems found outside any rule: unreadable files, symlink loops, bad data files.
    problems: list[Finding] = field(default_factory=list)
    external: bool = False
    # Tests inject a checker bound to a local server; None builds the real one.
    external_checker: Any = None
    # (path, line, column, URL) of each address in the sources registry (external-link).
    registry_links: list[tuple[str, int, int, str]] = field(default_factory=list)
    # Term hits and mentions by page (check_docs.terms); None when no term rule runs.
    terms: TermScan | None = None

    def display(self, rel: str) -> str:
        """A docs-relative path as findings show it (relative to the mkdocs.yml folder)."""
        return self.config.docs_prefix + rel

    def display_path(self, path: Path) -> str:
        try:
            return path.relative_to(self.config.root).as_posix()
        except ValueError:
            return path.as_posix()


def walk_docs(config: Config) -> tuple[list[str], set[str], list[Finding]]:
    """Every file under docs_dir as MkDocs sees it (symlinks followed, exclusions
    applied), and a finding for each folder or file that cannot be taken as it is
    (``check_docs.files.walk``)."""
    exclude = config.exclude_docs.match_file
    listing = files.walk(config.docs_dir, lambda rel, is_dir: exclude(rel + "/" if is_dir else rel))
    problems = [
        Finding(config.docs_prefix + note.path, 1, 1, "invalid-file", note.severity, note.message)
        for note in listing.notes
    ]
    return listing.files, listing.dirs, problems


def _jobs(config: Config, count: int, jobs: int | None) -> int:
    wanted = jobs if jobs is not None else config.settings.jobs
    if wanted <= 0:
        wanted = os.cpu_count() or 1 if count >= PARALLEL_THRESHOLD else 1
    return max(1, min(wanted, count // 50 or 1))


@dataclass(frozen=True)
class PageJob:
    """What a page worker needs besides the page: set once per worker process (fork
    shares it), so it is never sent again with each chunk of pages."""

    options: ParseOptions
    scanner: Scanner | None = None  # None: no term rule runs
    glossary_page: str = ""


def check_page(path: Path, rel: str, job: PageJob) -> tuple[PageData, PageTerms | None]:
    """Read one page once and collect all the rules need: its links and anchors, and
    (when a term rule runs) its term hits and mentions, None when it has neither."""
    data = PageData(rel)
    raw = read_raw(path, data, job.options.max_bytes)
    text = None if raw is None else decode_text(raw, data)
    if text is None:
        return data, None
    parse_text(text, data, job.options)
    if job.scanner is None or data.problems:  # a page with problems: invalid-file only
        return data, None
    assert raw is not None
    found = job.scanner.scan(raw, is_glossary_page=rel == job.glossary_page, digest=data.digest)
    return data, found if found.hits or found.mentioned else None


Result = list[tuple[PageData, PageTerms | None]]

_worker_job: PageJob | None = None


def _init_worker(job: PageJob) -> None:
    global _worker_job
    _worker_job = job
    # Parsing a page leaves next to no reference cycles (a few objects per thousand
    # pages), yet its million short-lived tokens would set off thousands of
    # collections: a twentieth of the workers' time. One collection per chunk instead.
    gc.disable()


def _check_chunk(items: list[tuple[Path, str]]) -> Result:
    assert _worker_job is not None
    gc.collect()  # only what the last chunk left: the inherited objects are frozen
    return [check_page(path, rel, _worker_job) for path, rel in items]


def check_pages(
    config: Config, pages: list[str], site: SiteFiles, jobs: int | None, scanner: Scanner | None
) -> Result:
    # Links are resolved as they are found, in the worker: it needs only the file lists.
    options = ParseOptions(config.slugify, config.separator, resolve=partial(resolve, site))
    job = PageJob(options, scanner, glossary_page(config))
    items = [(config.docs_dir / rel, rel) for rel in pages]
    workers = _jobs(config, len(items), jobs)
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [check_page(path, rel, job) for path, rel in items]
    # Several chunks per worker: this process unpickles finished chunks while the
    # workers parse the next ones. Fork shares the already-built parser and scanner.
    size = max(50, len(items) // (workers * 8))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    # Frozen, what the workers inherit is never visited (so never copied) by their
    # collections; and this process only unpickles live results meanwhile, no garbage.
    collecting = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(job,)
        ) as pool:
            return [page for chunk in pool.map(_check_chunk, chunks) for page in chunk]
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()


def _generated_anchors(project: Project) -> None:
    """Anchors the build adds: Sources blocks, the Sources page, the glossary page."""
    config = project.config
    for rel, page in project.pages.items():
        page.anchors.update(source_anchor(i) for i in page.sources)
        project.anchors[rel] = page.anchors
    sources_page = str(config.extra.get("sources_page") or SOURCES_PAGE)
    registry = config.data_file("sources_file", "data/sources.yml")
    if sources_page in project.anchors and registry.is_file():
        from fieldguide.sources import load_sources

        try:
            sources = load_sources(registry)
        except DataError as exc:
            project.problems.append(_data_finding(project, registry, exc))
        else:
            project.anchors[sources_page].update(registry_anchor(i) for i in sources)
            shown = project.display_path(registry)
            project.registry_links = [
                (shown, s.line, 1, s.link) for s in sources.values() if s.link is not None
            ]
            project.anchors[sources_page].update(_registry_listing_anchors(config, sources))
    _glossary_anchors(project)


def _registry_listing_anchors(config: Config, sources: dict[str, Any]) -> set[str]:
    """Anchors of the listing the build puts on the Sources page (its headings, too)."""
    try:
        from fieldguide.registry_page import render_registry
    except ImportError:  # another site without the generated listing
        return set()
    markdown = render_registry(sources, {}, str(config.extra.get("sources_page") or SOURCES_PAGE))
    options = ParseOptions(config.slugify, config.separator)
    return parse_text(markdown, PageData("(generated)"), options).anchors


def _glossary_anchors(project: Project) -> None:
    config = project.config
    configured = config.extra.get("glossary_file")
    try:
        from fieldguide import glossary
    except ImportError:  # the glossary module is optional for other sites
        return
    page = str(config.extra.get("glossary_page") or glossary.GLOSSARY_PAGE)
    path = glossary.glossary_path(config.root, configured)
    if page not in project.anchors or not path.is_file():
        return
    try:
        data = glossary.load_glossary(path)
    except DataError as exc:
        project.problems.append(_data_finding(project, path, exc))
        return
    project.anchors[page].update(glossary.glossary_anchors(data))


def _data_finding(project: Project, path: Path, exc: DataError) -> Finding:
    field_note = f"[{exc.field}] " if exc.field else ""
    return Finding(
        project.display_path(Path(path)),
        exc.line or 1,
        1,
        "invalid-file",
        "error",
        f"{field_note}{exc.message}",
    )


def load_project(
    config: Config, *, jobs: int | None = None, external: bool = False, terms: bool = False
) -> Project:
    """Every page read and parsed once, with the term scan too when ``terms``."""
    files, dirs, problems = walk_docs(config)
    pages = [f for f in files if f.endswith(".md")]
    site = SiteFiles(
        frozenset(pages), frozenset(files), frozenset(dirs), config.absolute_links_relative_to_docs
    )
    glossary = load_term_glossary(config) if terms else None
    scanner = (
        Scanner(glossary, config.settings.abbreviations_allow, config.slugify)
        if glossary is not None
        else None
    )
    checked = check_pages(config, pages, site, jobs, scanner)
    project = Project(
        config=config,
        pages={data.path: data for data, _found in checked},
        files=set(files),
        dirs=dirs,
        problems=problems,
        external=external,
    )
    if terms:
        project.terms = TermScan(
            glossary, {data.path: found for data, found in checked if found is not None}
        )
    _generated_anchors(project)
    return project
