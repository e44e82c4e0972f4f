"""The collected project: every file under docs_dir, every page read and parsed once.

Pages are read and parsed in worker processes when there are many of them (parsing is
the only expensive step and it is independent per page); the same worker runs the
``page`` rules on the text it has just parsed, so each page is read once and crosses
between processes once, as its record and findings. Everything after that is set and
dict lookups in one process: resolving links against the site's files, and the
``links`` and ``site`` rules.
"""

from __future__ import annotations

import gc
import hashlib
import os
import threading
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import Any

from check_docs import build_record, files, incremental
from check_docs.blog import post_urls
from check_docs.build_record import BuildRecord
from check_docs.config import Config
from check_docs.context import PageContext
from check_docs.errors import DataError
from check_docs.finding import Finding, Severity, unsettled_text
from check_docs.links import Target, TargetKind, resolve
from check_docs.makers import Makers
from check_docs.mkdocs_config import BuildSettings, build_settings
from check_docs.parse import ParseOptions, parse_markdown
from check_docs.record import Link, PageRecord
from check_docs.registry import Rule
from check_docs.site import Site, dest_of, drop_conflicts, is_page
from check_docs.suggest import PathIndex
from check_docs.terms import TermIndex
from check_docs.yamldata import Located, load_located

TERM_RULES_BY_DEFAULT = ["glossary-unused", "term-case", "term-variant", "undefined-abbreviation"]
# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400
# Pages a worker parses between two collections of what parsing left (at most).
CHUNK = 200
MAX_PAGE_BYTES = 20 * 1024 * 1024
BOM = b"\xef\xbb\xbf"


@dataclass
class PageResult:
    """What the worker that parsed a page sends back."""

    record: PageRecord
    findings: list[Finding] = field(default_factory=list)
    collected: dict[str, Any] = field(default_factory=dict)  # rule name -> data
    # Where each of the record's links leads (``PageJob.links``; None: not resolved).
    targets: list[Target] | None = None


@dataclass
class Project:
    config: Config
    settings: BuildSettings
    pages: dict[str, PageRecord]  # docs-relative path -> record
    files: set[str]  # every file under docs_dir (pages included), docs-relative
    dirs: set[str]
    site: Site
    makers: Makers
    page_findings: dict[str, list[Finding]] = field(default_factory=dict)
    page_data: dict[str, dict[str, Any]] = field(default_factory=dict)  # page -> rule -> data
    # Problems found outside any page: unreadable folders, invalid data files.
    problems: list[Finding] = field(default_factory=list)
    build: BuildRecord | None = None
    build_fresh: bool = False  # the record's inputs are those of this run
    terms: TermIndex | None = None
    # One line each, said once on stderr (a record ignored, term rules off...).
    notes: list[str] = field(default_factory=list)
    external: bool = False
    # Tests inject a checker bound to a local server; None builds the real one.
    external_checker: Any = None
    # (path, line, column, URL) of addresses in data files (external-link).
    registry_links: list[tuple[str, int, int, str]] = field(default_factory=list)
    # (page, suppression, rule names) the engine found to suppress nothing
    unused_suppressions: list[tuple[str, Any, frozenset[str]]] = field(default_factory=list)
    # The warm cache's plan (None: no cache), the pages parsed in this run, and the
    # page job (to parse a page whose cached record is missing).
    plan: Any = None
    parsed: set[str] = field(default_factory=set)
    # Pages taken from the cache whose links were not there: parsed again to judge them.
    reparsed: set[str] = field(default_factory=set)
    job: Any = None
    # Pages whose cached link findings were reused: the pages their links reach, as
    # the cache's page codes (``cache.PageCache.codes``).
    cached_reaches: dict[str, str] = field(default_factory=dict)
    # In a build: the pages the finished HTML of any page links to (check_docs.plugin).
    reached_in_build: frozenset[str] = frozenset()
    _targets: dict[str, list[tuple[Link, Target]]] = field(default_factory=dict)
    # Where the Markdown links of pages parsed in this run lead, as their workers found
    # (``PageJob.links``): taken by ``resolved`` instead of resolving them again.
    premade: dict[str, list[Target]] = field(default_factory=dict)

    def display(self, rel: str) -> str:
        """A docs-relative path as findings show it (relative to the mkdocs.yml folder)."""
        return self.config.docs_prefix + rel

    def unsettled(
        self, page: PageRecord, link: Link, rule: str, message: str, cause: str
    ) -> Finding:
        """A warning on ``link`` that only a build can settle: ``cause`` says who may
        make what is missing (text output groups the warnings of one cause)."""
        return self.finding(
            page, link, rule, "warning", unsettled_text(message, cause), cause=cause
        )

    def display_path(self, path: Path) -> str:
        try:
            return Path(path).absolute().relative_to(self.config.root).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def finding(
        self,
        page: PageRecord,
        link: Link,
        rule: str,
        severity: Severity,
        message: str,
        suggestion: str | None = None,
        *,
        cause: str | None = None,
    ) -> Finding:
        """A finding placed on ``link`` (the link rules all report where the link is)."""
        return Finding(
            self.display(page.path),
            link.line,
            link.column,
            rule,
            severity,
            message,
            suggestion,
            cause=cause,
        )

    # -- links and anchors ---------------------------------------------------------
    def resolved(self, page: PageRecord) -> list[tuple[Link, Target]]:
        """Every link of ``page`` with where it takes the reader (computed once): the
        links of its built content when the build record is fresh for it (a link a hook
        wrote is judged, a template's expression is not), else its Markdown's."""
        found = self._targets.get(page.path)
        if found is None:
            relative = self.config.absolute_links_relative_to_docs
            built = self.fresh_build(page.path) if self.build_fresh else None
            links = page.links if built is None or built.links is None else built.links
            premade = self.premade.pop(page.path, None)
            if premade is not None and links is page.links and len(premade) == len(links):
                found = list(zip(links, premade, strict=True))
            else:
                found = [
                    (link, resolve(self.site, self.files, page.path, link, relative))
                    for link in links
                ]
            if any(link.line == 0 for link in links):
                found = self._placed(page, found)
            self._targets[page.path] = found
        return found

    def _placed(
        self, page: PageRecord, built: list[tuple[Link, Target]]
    ) -> list[tuple[Link, Target]]:
        """The links of a built page (read from a site folder) placed on the Markdown
        line that wrote them: each is paired, in order, with a Markdown link that leads
        to the same place; one the build wrote (a hook, a template) is placed where its
        address appears in the page, else at the top."""
        relative = self.config.absolute_links_relative_to_docs
        written: dict[tuple[str, ...], list[Link]] = {}
        for link in page.links:
            target = resolve(self.site, self.files, page.path, link, relative)
            written.setdefault(_place_key(page.path, link, target), []).append(link)
        text: str | None = None
        out = []
        for link, target in built:
            queue = written.get(_place_key(page.path, link, target))
            if queue:
                source = queue.pop(0)
                placed = Link(source.line, source.column, source.url, source.syntax, link.href)
            else:
                if text is None:
                    text = _source_text(self.config.docs_dir / page.path)
                line, column = _position(text, link.href)
                placed = link._replace(line=line, column=column)
            out.append((placed, target))
        return out

    def fresh_build(self, page: str) -> build_record.PageBuild | None:
        """The build record of ``page`` if it was built from the page as it is now."""
        if self.build is None:
            return None
        built = self.build.pages.get(page)
        record = self.pages.get(page)
        if built is None or record is None:
            return None
        if built.digest is not None:
            return built if built.digest == record.digest else None
        try:  # from a site folder: fresh when the HTML is newer than its source
            changed = (self.config.docs_dir / page).stat().st_mtime
        except OSError:
            return None
        return built if changed <= built.built_at else None

    def anchors_of(self, page: str) -> set[str] | frozenset[str]:
        """The ids of ``page``: those of its built HTML when the build record is fresh
        for it, else those its Markdown gives."""
        built = self.fresh_build(page)
        if built is not None:
            return built.anchors
        record = self.pages.get(page)
        return record.anchors if record is not None else set()

    def anchor_maker(self, page: str) -> str:
        """Who may add an id to ``page`` that the checker cannot see ("" when nobody:
        the page's ids are known for certain)."""
        if self.fresh_build(page) is not None and self.build_fresh:
            return ""
        return self.makers.anchor_makers()

    def target_maker(self, path: str) -> str:
        """Who may make the missing ``path`` (docs-relative) in a build ("" when nobody)."""
        if self.build_fresh:
            return ""
        return self.makers.target_makers(path)

    def built_under(self, folder: str) -> bool:
        """Whether the build record is fresh and its build put a page of ``folder``
        (docs-relative) in the navigation (rendered one, from a site folder)."""
        if self.build is None or not self.build_fresh:
            return False
        prefix = "" if folder in ("", ".") else folder.rstrip("/") + "/"
        # The navigation the build made, when known; from a site folder, its pages.
        return any(src.startswith(prefix) for src in self.build.nav or self.build.pages)

    def left_out(self, page: str) -> bool:
        """Whether the build left ``page`` out of the site (an exclude plugin): it is
        not a page readers get, so neither its links nor its reach are judged."""
        return page in self.left_out_pages

    @property
    def left_out_pages(self) -> frozenset[str]:
        """The pages ``left_out`` (for a loop over every page: one lookup each)."""
        return self.build.left_out if self.build is not None else frozenset()

    def reaches(self, page: PageRecord) -> tuple[str, ...]:
        """The other pages ``page``'s links lead to."""
        cached = self.cached_reaches.get(page.path)
        if cached is not None:
            return tuple(self.plan.cache.paths_of(cached))
        return tuple(
            dict.fromkeys(
                target.path
                for _link, target in self.resolved(self.full(page.path))
                if target.kind == TargetKind.PAGE and target.path != page.path
            )
        )

    def full(self, path: str) -> PageRecord:
        """The page's record with its links: a page taken from the cache has only the
        parts the site rules read until its links are needed; then its links are read
        from the cache (or, failing that, the page is parsed again). The rest of a full
        record (prose, headings, code) only the page rules read, and their findings
        are in the cache."""
        record = self.pages[path]
        if self.plan is None or path not in self.plan.reused:
            return record
        links = self.plan.cache.links(path, record.digest)
        if links is None:
            record = parse_page(self.config.docs_dir / path, path, self.job).record
            self.pages[path] = record
            self.reparsed.add(path)
        else:
            record.links = links
        self.plan.reused.pop(path)
        return record

    def reached_pages(self) -> set[str]:
        """Pages readers can reach without search: in the nav, or linked from another
        page (or from a page a plugin made, or included into one by snippets)."""
        reached = {e.target for e in self.config.nav or ()}
        if self.cached_reaches:  # all at once: each page reached is decoded once
            reached.update(self.plan.cache.paths_of(set("".join(self.cached_reaches.values()))))
        for path in self.pages.keys() - self.cached_reaches.keys():
            reached.update(self.reaches(self.pages[path]))
        prefix = self.config.docs_prefix
        # (filter: a C loop over ten thousand pages, most of which include nothing)
        for page in filter(attrgetter("includes"), list(self.pages.values())):
            reached.update(i[len(prefix) :] for i in page.includes if i.startswith(prefix))
        if self.build is not None:
            reached |= self.build.nav | self.build.linked
        return reached | self.reached_in_build

    def published_elsewhere(self, page: str) -> bool:
        """Whether the build record's site has no file where MkDocs would write ``page``
        (a plugin moved it, e.g. a blog post under its date)."""
        if self.build is None or not self.build.outputs:
            return False
        return dest_of(page, self.config.use_directory_urls) not in self.build.outputs

    @property
    def build_nav(self) -> bool:
        return self.build is not None and bool(self.build.nav)

    @cached_property
    def page_index(self) -> PathIndex:
        return PathIndex(self.pages)

    @cached_property
    def file_index(self) -> PathIndex:
        return PathIndex(self.files)

    def collected(self, rule: str) -> list[Any]:
        """The data ``rule`` collected from each page that gave some."""
        return [data[rule] for data in self.page_data.values() if rule in data]


def _place_key(page: str, link: Link, target: Target) -> tuple[str, ...]:
    """What a Markdown link and the built link it became have in common: where they
    lead (a link MkDocs could not resolve reaches the HTML as written)."""
    if target.kind in (TargetKind.PAGE, TargetKind.SAME_PAGE, TargetKind.FILE):
        kind = TargetKind.FILE if target.kind == TargetKind.FILE else TargetKind.PAGE
        return (kind, target.path or page, target.fragment)
    return ("as written", link.href or link.url)


def _source_text(path: Path) -> str:
    try:
        return files.decode_text(files.read_bytes(path, MAX_PAGE_BYTES))
    except files.FileProblem:
        return ""


def _position(text: str, address: str) -> tuple[int, int]:
    """(line, column) where ``address`` first appears in ``text``; (1, 1) if nowhere."""
    at = text.find(address) if address else -1
    if at < 0:
        return 1, 1
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def walk_docs(config: Config) -> tuple[list[str], set[str], list[Finding]]:
    """Every file under docs_dir as MkDocs sees it (symlinks followed, exclusions
    applied), and a finding for each folder or file that cannot be taken as it is
    (``check_docs.files.walk``)."""
    listing, problems = _walk(config)
    return listing.files, listing.dirs, problems


def _walk(
    config: Config, kept: dict[str, files.Folder] | None = None
) -> tuple[files.Listing, list[Finding]]:
    """``walk_docs``'s listing (``kept``: folders an earlier walk listed)."""
    exclude = config.exclude_docs.match_file
    listing = files.walk(
        config.docs_dir, lambda rel, is_dir: exclude(rel + "/" if is_dir else rel), kept
    )
    problems = [
        Finding(config.docs_prefix + note.path, 1, 1, "invalid-file", note.severity, note.message)
        for note in listing.notes
    ]
    return listing, problems


def predicted_site(
    config: Config, settings: BuildSettings, use_cache: bool
) -> tuple[list[str], set[str], list[Finding], Site]:
    """``walk_docs`` and the site predicted from its files; with the cache, only the
    folders that changed are listed, and the site is predicted only when the files
    changed (``check_docs.listing_cache``)."""
    from check_docs import cache, listing_cache

    if not use_cache:
        listing, problems = _walk(config)
        site = Site.predicted(listing.files, config.use_directory_urls, (), settings.site_url)
        return listing.files, listing.dirs, problems, site
    folder = config.root / config.settings.cache_dir
    key = cache.digest_of("listing", str(config.docs_dir), repr(config.data))
    kept = listing_cache.read(folder, key)
    listing, problems = _walk(config, kept.folders)
    if kept.site is not None and listing.files == kept.files:
        site = kept.site
    else:
        site = Site.predicted(listing.files, config.use_directory_urls, (), settings.site_url)
    listing_cache.write(folder, key, kept, listing, site)
    return listing.files, listing.dirs, problems, site


def _jobs(config: Config, count: int, jobs: int | None) -> int:
    wanted = jobs if jobs is not None else config.settings.jobs
    if wanted <= 0:
        wanted = os.cpu_count() or 1 if count >= PARALLEL_THRESHOLD else 1
    return max(1, min(wanted, count))


@dataclass(frozen=True)
class PageJob:
    """What a page worker needs besides the page: set once per worker process (fork
    shares it), so it is never sent again with each chunk of pages."""

    options: ParseOptions
    context: PageContext
    rules: tuple[Rule, ...]  # page rules to run on each page
    collectors: tuple[Rule, ...]  # site rules that collect data from each page
    # Set when the site is known before the pages are read (the command line): each
    # page's links are resolved where it is parsed, in the workers, not one by one in
    # the main process after them.
    links: LinkPlace | None = None


@dataclass(frozen=True)
class LinkPlace:
    """What resolving a page's links needs (``check_docs.links.resolve``)."""

    site: Site
    files: set[str]
    relative_to_docs: bool


def read_page(path: Path, record: PageRecord) -> str | None:
    """The page's text (its digest and byte-order mark noted), or None with a problem
    recorded (``check_docs.files``: regular files only, size checked before reading)."""
    try:
        raw = files.read_bytes(path, MAX_PAGE_BYTES)
        files.decode_text(raw)  # names the encoding of a page that is not UTF-8
    except files.FileProblem as problem:
        record.problems.append((problem.line, 1, problem.message))
        return None
    record.digest = hashlib.sha256(raw).hexdigest()
    record.bom = len(BOM) if raw.startswith(BOM) else 0
    # Line ends kept as they are: offsets into this text are offsets into the file.
    return raw[record.bom :].decode("utf-8")


def parse_page(path: Path, rel: str, job: PageJob) -> PageResult:
    """Read one page once, parse it into its record, run the page rules on it."""
    record = PageRecord(rel)
    result = PageResult(record)
    text = read_page(path, record)
    if text is None:
        return result
    parse_markdown(text, record, job.options)
    if record.problems:  # a page that cannot be parsed: invalid-file only
        return result
    record.text = text
    try:
        for chosen in job.rules:
            result.findings.extend(chosen.check(record, job.context))
        for chosen in job.collectors:
            result.collected[chosen.name] = chosen.collect(record, job.context)  # type: ignore[misc]
        place = job.links
        if place is not None:
            site, known, relative = place.site, place.files, place.relative_to_docs
            result.targets = [resolve(site, known, rel, link, relative) for link in record.links]
    finally:
        record.text = None
        # Read by the page rules alone (run above; their findings are kept): dropped, so
        # that a worker does not send them back (they were most of what it pickled).
        record.blocks, record.code, record.titles = [], [], []
    return result


_worker_job: PageJob | None = None


def _init_worker(job: PageJob) -> None:
    global _worker_job
    _worker_job = job
    # Parsing a page leaves next to no reference cycles, yet its many short-lived
    # tokens would set off thousands of collections: one collection per chunk instead.
    gc.disable()


def _parse_chunk(items: list[tuple[Path, str]]) -> list[PageResult]:
    assert _worker_job is not None
    gc.collect()  # only what the last chunk left: the inherited objects are frozen
    return [parse_page(path, rel, _worker_job) for path, rel in items]


def _parse_serially(items: list[tuple[Path, str]], job: PageJob) -> list[PageResult]:
    """Parse in this process; when the caller runs without the cycle collector (the
    command line), collect once per chunk of pages, as a worker does."""
    results = []
    for number, (path, rel) in enumerate(items, 1):
        results.append(parse_page(path, rel, job))
        if number % CHUNK == 0 and not gc.isenabled():
            gc.collect(0)
    return results


def parse_pages(
    config: Config, pages: list[str], job: PageJob, jobs: int | None
) -> list[PageResult]:
    items = [(config.docs_dir / rel, rel) for rel in pages]
    workers = _jobs(config, len(items), jobs)
    if workers == 1:
        return _parse_serially(items, job)
    # Imported here: a run that parses few pages (a warm one) does without them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        # Fork copies only the calling thread: a lock another thread holds (mkdocs
        # serve's server and watcher) would stay held in the workers for ever.
        return _parse_serially(items, job)
    if job.context.terms is not None:  # compiled once, here, for every worker to share
        job.context.terms.compile()
    # Several chunks per worker: this process unpickles finished chunks while the
    # workers parse the next ones. Fork shares the already-built parser and glossary.
    size = max(1, min(CHUNK, len(items) // (workers * 8)))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    collecting = gc.isenabled()
    frozen = gc.get_freeze_count() > 0  # by the caller (the plugin): it unfreezes
    gc.freeze()
    gc.disable()
    try:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(job,)
        ) as pool:
            return [page for chunk in pool.map(_parse_chunk, chunks) for page in chunk]
    finally:
        if not frozen:
            gc.unfreeze()
        if collecting:
            gc.enable()


def glossary_index(
    config: Config,
    problems: list[Finding],
    notes: list[str],
    wanted: list[str],
    cache_folder: Path | None = None,
) -> TermIndex | None:
    """The glossary the term rules read, or None (with a note when rules were asked for by
    name, a finding when the file is invalid); with ``cache_folder``, its entries are
    kept there between runs (``config_cache.load_glossary``)."""
    if not wanted:
        return None
    configured = config.settings.glossary
    if not configured:
        if wanted != TERM_RULES_BY_DEFAULT:  # asked for by name: say why nothing comes
            notes.append(
                f"{', '.join(wanted)}: off, no glossary configured "
                "(set glossary under [tool.check_docs])"
            )
        return None
    path = config.root / configured
    try:
        if cache_folder is not None:
            from check_docs.config_cache import load_glossary

            # The entries kept between runs while the file is the same: no YAML parsed.
            return TermIndex.of(load_glossary(path, cache_folder))
        # Shared with the site's own Markdown extensions in a build (one matcher compiled).
        return TermIndex.load(path)
    except DataError as exc:
        shown = Path(exc.path).absolute()
        try:
            shown_text = shown.relative_to(config.root).as_posix()
        except ValueError:
            shown_text = shown.as_posix()
        field_note = f"[{exc.field}] " if exc.field else ""
        problems.append(
            Finding(
                shown_text, exc.line or 1, 1, "invalid-file", "error", f"{field_note}{exc.message}"
            )
        )
        return None


def data_links(config: Config, problems: list[Finding]) -> list[tuple[str, int, int, str]]:
    """(path, line, column, URL) of every http(s) address in the ``linked_data`` files."""
    out: list[tuple[str, int, int, str]] = []

    def walk(value: Any, line: int, shown: str) -> None:
        if isinstance(value, Located):
            for key, item in value.value.items():
                walk(item, value.line_of(key), shown)
        elif isinstance(value, list):
            for item in value:
                walk(item, line, shown)
        elif isinstance(value, str) and value.startswith(("http://", "https://")):
            out.append((shown, line, 1, value))

    for name in config.settings.linked_data:
        path = config.root / name
        try:
            data = load_located(path)
        except DataError as exc:
            problems.append(Finding(name, exc.line or 1, 1, "invalid-file", "error", exc.message))
            continue
        walk(data, 1, Path(name).as_posix())
    return out


def load_build_record(
    config: Config, settings: BuildSettings, site: Site, site_dir: Path | None, notes: list[str]
) -> tuple[BuildRecord | None, bool]:
    """The build record to trust, and whether it is fresh for what plugins make."""
    if site_dir is not None:
        return build_record.from_site(site_dir, dict(site.urls), config.docs_dir), True
    record, note = build_record.read(config.root / config.settings.cache_dir)
    if note:
        notes.append(note)
    if record is None:
        return None, False
    current = build_record.inputs_digest(config.config_file, settings.hooks, settings.watch)
    return record, record.inputs == current


@dataclass
class PagesRead:
    """Every page's record, its page rules' findings and data: parsed, or taken from
    the warm cache (``plan``; None without it)."""

    records: dict[str, PageRecord]
    findings: dict[str, list[Finding]]
    data: dict[str, dict[str, Any]]
    plan: Any
    parsed: set[str]
    notes: list[str]
    targets: dict[str, list[Target]] = field(default_factory=dict)  # (PageResult.targets)


def read_pages(
    config: Config,
    rules: list[Rule],
    job: PageJob,
    pages: list[str],
    jobs: int | None,
    *,
    use_cache: bool,
    links_key: str = "",
    with_links: bool = False,
) -> PagesRead:
    """Parse the pages the warm cache cannot give as they are (all of them without
    ``use_cache``); the command line and the plugin share this. ``links_key``: what
    the link findings this run stores depend on (``incremental.links_key``; empty when
    the run stores none, as a build). ``with_links``: every record with its links (else
    a record taken from the cache has them only once ``Project.full`` asks)."""
    plan = None
    to_parse = pages
    notes: list[str] = []
    if use_cache:
        from check_docs.cache import PageCache

        cache = PageCache.open(
            config.root / config.settings.cache_dir / "pages",
            incremental.page_key(config, rules),
            links_key,
        )
        if cache.note:
            notes.append(cache.note)
        plan = incremental.plan(cache, config, pages)
        to_parse = list(plan.to_parse)  # the plan stays as planned; more may join below
    links: dict[str, list[Link]] = {}
    if plan is not None and with_links:
        for rel, entry in list(plan.reused.items()):
            stored = plan.cache.links(rel, entry.digest)
            if stored is None:  # not in the cache after all: parsed with the rest
                del plan.reused[rel]
                to_parse.append(rel)
            else:
                links[rel] = stored
    results = parse_pages(config, to_parse, job, jobs)
    parsed = {r.record.path: r for r in results}
    read = PagesRead({}, {}, {}, plan, set(parsed), notes)
    for rel in pages:  # in the order of the walk, however they were obtained
        result = parsed.get(rel)
        if result is not None:
            read.records[rel] = result.record
            if result.findings:
                read.findings[rel] = result.findings
            if result.collected:
                read.data[rel] = result.collected
            if result.targets is not None:
                read.targets[rel] = result.targets
        elif plan is not None:
            entry = plan.reused[rel]
            read.records[rel] = entry.lite_record(rel)
            if rel in links:
                read.records[rel].links = links.pop(rel)
            if entry.findings:
                read.findings[rel] = incremental.findings_of(entry)
            if entry.collected:
                read.data[rel] = entry.collected
    return read


def load_project(
    config: Config,
    rules: list[Rule],
    *,
    jobs: int | None = None,
    external: bool = False,
    site_dir: Path | None = None,
    use_cache: bool = True,
) -> Project:
    """Every page read and parsed once, its page rules run on it; with the cache, only
    the pages that changed since the last run (``check_docs.incremental``)."""
    # A run on a built site folder judges what that build made: nothing to keep.
    use_cache = use_cache and site_dir is None
    cache_folder = config.root / config.settings.cache_dir if use_cache else None
    settings = build_settings(config, cache_folder)
    all_files, dirs, problems, site = predicted_site(config, settings, use_cache)
    pages = drop_conflicts(f for f in all_files if is_page(f))
    notes: list[str] = []
    needs_glossary = sorted(r.name for r in rules if r.needs_glossary)
    terms = glossary_index(config, problems, notes, needs_glossary, cache_folder)
    glossary_page = config.settings.glossary_page
    context = PageContext(config, lambda rel: config.docs_prefix + rel, terms, glossary_page)
    runnable = [r for r in rules if not (r.needs_glossary and terms is None)]
    for src, url in post_urls(
        settings.plugins, pages, config.docs_dir, config.use_directory_urls
    ).items():
        site.move(src, url)
    record, fresh = load_build_record(config, settings, site, site_dir, notes)
    extra = settings.theme_outputs | (record.outputs if record is not None else frozenset())
    site.add_outputs(extra)
    if record is not None:
        for src in record.left_out:
            site.leave_out(src)
        for src, built in record.pages.items():
            if built.url is not None and src in site.urls:
                site.move(src, built.url)
    makers = Makers.of(
        settings.plugins, settings.hooks, settings.extensions, config.config_file.parent
    )
    for hook in makers.unreadable:
        notes.append(f"hook {hook} cannot be read: what it makes is not known")
    links_key = incremental.links_key(config, all_files, extra, repr(makers)) if use_cache else ""
    known_files = set(all_files)
    # The site is settled now, so the workers can resolve each page's links; unless the
    # links judged are a fresh build's (``Project.resolved``) or no link rule runs.
    place = None
    if not (record is not None and fresh) and any(r.scope == "links" for r in runnable):
        place = LinkPlace(site, known_files, config.absolute_links_relative_to_docs)
    job = PageJob(
        settings.parse,
        context,
        tuple(r for r in runnable if r.scope == "page"),
        tuple(r for r in runnable if r.collect is not None),
        place,
    )
    pages_read = read_pages(
        config, rules, job, pages, jobs, use_cache=use_cache, links_key=links_key
    )
    notes.extend(pages_read.notes)
    return Project(
        config=config,
        settings=settings,
        pages=pages_read.records,
        files=known_files,
        dirs=dirs,
        site=site,
        makers=makers,
        page_findings=pages_read.findings,
        page_data=pages_read.data,
        problems=problems,
        build=record,
        build_fresh=fresh,
        terms=terms,
        notes=notes,
        external=external,
        registry_links=data_links(config, problems) if external else [],
        plan=pages_read.plan,
        parsed=pages_read.parsed,
        job=job,
        premade=pages_read.targets,
    )
