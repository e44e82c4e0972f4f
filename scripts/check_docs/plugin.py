"""check_docs as a MkDocs plugin: checks the HTML MkDocs actually produced.

Configured in mkdocs.yml (``plugins: [search, check_docs]``), it runs inside
``mkdocs build`` and ``mkdocs serve`` with MkDocs' own loaded configuration (so
``INHERIT``, ``!ENV`` and command-line options hold) and judges what readers get:

- each page's ids are those of its finished HTML (after every extension, plugin, hook
  and the theme's template), and each link is the address in that HTML, resolved the
  way a browser resolves it against the page's address and the files of the site
  folder MkDocs wrote; links in raw HTML included;
- every finding is mapped back to its line in the page's Markdown (Markdown links by
  the address as written, which two small tree processors note around MkDocs' rewriting
  of it, without adding anything to the HTML; raw HTML by its attribute), and printed
  in check_docs' format;
- it runs every other rule (terms, the copied-text rule...) on the same records the
  command line builds, so ``make serve`` shows them all.

Errors are logged as warnings (so ``mkdocs build --strict`` stops on them and
``mkdocs serve`` shows them), warnings as information. It owns link validation: on
``on_config`` it sets MkDocs' ``validation.links.not_found``, ``anchors`` and
``unrecognized_links`` and ``validation.nav.not_found`` to ``ignore`` (each problem is
reported once, by check_docs); ``validation: false`` in the plugin's options leaves
them alone. After the build it writes the build record (``check_docs.build_record``)
that later standalone runs use.

Each page's Markdown is read (parsed, or taken from the warm cache) by a forked process
that starts once every page's Markdown is rendered (``on_env``), while MkDocs renders
the theme's templates, most of a large site's build: on a machine with a second core
the reading costs the build next to no time. Where forking is unsafe (other threads
run, as in ``mkdocs serve``) or the process fails, the pages are read after the build
in this process, as that process would have read them.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import pickle
import threading
import time
import xml.etree.ElementTree as etree
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.config import config_options as c
from mkdocs.config.base import Config as PluginConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from check_docs import build_record, incremental
from check_docs.build_record import (
    BuildRecord,
    LinkedPaths,
    PageBuild,
    html_links,
    ids_and_paths,
    pages_at,
)
from check_docs.config import ConfigError, load_config
from check_docs.context import PageContext
from check_docs.engine import Report, check_project, choose_rules
from check_docs.finding import Finding
from check_docs.links import TargetKind
from check_docs.makers import Makers
from check_docs.mkdocs_config import build_settings
from check_docs.project import PageJob, PagesRead, Project, glossary_index, read_pages, walk_docs
from check_docs.record import Link, PageRecord
from check_docs.report import summary, text_line
from check_docs.site import Site, base_path_of, drop_conflicts, is_page

log = logging.getLogger("mkdocs.plugins.check_docs")


# The elements Markdown makes links and images of, and the attribute holding the address.
_LINK_TAGS = (("a", "href"), ("img", "src"))


class _BeforeRewrite(Treeprocessor):
    """Note each Markdown link's and image's address as written, before MkDocs'
    relpath tree processor (priority 0) rewrites it."""

    def run(self, root: etree.Element) -> None:
        written: dict[int, str] = {}
        for tag, attr in _LINK_TAGS:  # by tag, in C (one Python step an element was not)
            for element in root.iter(tag):
                if attr in element.attrib:
                    written[id(element)] = element.attrib[attr]
        self.md.check_docs_written = written  # type: ignore[attr-defined]


class _AfterRewrite(Treeprocessor):
    """Pair each with the address MkDocs gave it (each tag's in document order)."""

    def run(self, root: etree.Element) -> None:
        written: dict[int, str] = getattr(self.md, "check_docs_written", {})
        pairs: list[tuple[str, str, str]] = []
        # Links before images: ``content_links`` pairs them by (tag, address), each tag's
        # in document order.
        for tag, attr in _LINK_TAGS:
            for element in root.iter(tag):
                if id(element) in written:
                    pairs.append((tag, element.attrib.get(attr, ""), written[id(element)]))
        self.md.check_docs_pairs = pairs  # type: ignore[attr-defined]


class LinkSourcesExtension(Extension):
    """Records, for each Markdown conversion, the links Markdown made: (tag, address as
    rendered, address as written). Nothing is added to the HTML. The plugin reads the
    first conversion after each page's ``on_page_markdown`` (the page's own; others may
    run inside it, e.g. an extension rendering a docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.conversions: list[Markdown] = []

    def extendMarkdown(self, md: Markdown) -> None:
        self.conversions.append(md)
        md.treeprocessors.register(_BeforeRewrite(md), "check_docs_before", 0.5)
        md.treeprocessors.register(_AfterRewrite(md), "check_docs_after", -0.5)

    def page_pairs(self) -> list[tuple[str, str, str]]:
        if not self.conversions:
            return []
        return list(getattr(self.conversions[0], "check_docs_pairs", []))


def content_links(
    markup: str, pairs: list[tuple[str, str, str]]
) -> list[tuple[str, str, str | None]]:
    """(value as the HTML has it, syntax, address as written or None) of every link in
    rendered HTML, in order: "link"/"image" for what Markdown made (``pairs``), "html"
    for raw HTML and anything else."""
    made: dict[tuple[str, str], list[str]] = {}
    for tag, rendered, written in pairs:
        made.setdefault((tag, rendered), []).append(written)
    out: list[tuple[str, str, str | None]] = []
    for name, value in html_links(markup):
        queue = made.get((name, value))
        if queue:
            out.append((value, "image" if name == "img" else "link", queue.pop(0)))
        else:
            out.append((value, "html", None))
    return out


class _Positions:
    """Where in the page's Markdown each link of its HTML was written."""

    def __init__(self, record: PageRecord, text: str) -> None:
        self.text = text
        self.queues: dict[tuple[str, str], list[Link]] = {}
        for link in record.links:
            key = ("html" if link.syntax == "html" else "markdown", link.url)
            self.queues.setdefault(key, []).append(link)

    def place(self, value: str, syntax: str, written: str | None) -> tuple[int, int]:
        key = ("html", value) if syntax == "html" else ("markdown", written or value)
        queue = self.queues.get(key)
        if queue:
            link = queue.pop(0)
            return link.line, link.column
        # Made by the build (a hook, an extension, an include): where it is written, if
        # anywhere, else the top of the page.
        at = self.text.find(written or value) if (written or value) else -1
        if at < 0:
            return 1, 1
        return self.text.count("\n", 0, at) + 1, at - (self.text.rfind("\n", 0, at) + 1) + 1


class CheckDocsOptions(PluginConfig):
    enabled = c.Type(bool, default=True)
    # Switch MkDocs' own link and anchor validation to ignore: check_docs reports them.
    validation = c.Type(bool, default=True)
    # Take unchanged pages' Markdown records from the warm cache the command line keeps
    # (and store what the build parsed there); false: parse every page every build.
    cache = c.Type(bool, default=True)


class CheckDocsPlugin(BasePlugin[CheckDocsOptions]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.links: dict[str, list[tuple[str, str, str | None]]] = {}  # page -> HTML links
        self.ids: dict[str, set[str]] = {}  # page -> ids of its finished HTML
        self.urls: dict[str, str] = {}  # page -> its URL
        # site paths the pages' finished HTML links to (theme and templates included: a
        # blog's index lists its posts there, not in the page's content)
        self.linked = LinkedPaths()
        self.nav: set[str] = set()
        self.spent = 0.0
        self.report: Report | None = None
        self.reading: _Forked | None = None  # the pages' Markdown being read
        self.walked: tuple[list[str], set[str], list[Finding]] = ([], set(), [])
        self.reading_sources: list[str] = []

    # -- set up ------------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        started = time.perf_counter()
        try:
            self.checker = load_config(Path(config.config_file_path), use_cache=self.config.cache)
        except ConfigError as exc:
            raise PluginError(f"check_docs: {exc}") from None
        self.rules = choose_rules(self.checker, external=False)
        self.settings = build_settings(self.checker)
        if self.config.validation:
            quiet = logging.DEBUG  # what MkDocs' "ignore" means
            config.validation.links.not_found = quiet
            config.validation.links.anchors = quiet
            config.validation.links.unrecognized_links = quiet
            config.validation.nav.not_found = quiet
        self.link_sources = LinkSourcesExtension()
        config.markdown_extensions.append(self.link_sources)  # type: ignore[arg-type]
        self.links, self.ids, self.urls, self.nav = {}, {}, {}, set()
        self.linked = LinkedPaths()
        self.reading, self.walked, self.reading_sources = None, ([], set(), []), []
        self.spent = time.perf_counter() - started
        return config

    def page_job(self) -> None:
        """The glossary and what a page's parse needs, read once every page's Markdown
        is rendered, not on ``on_config``: a site's own Markdown extension that reads the
        same glossary (this site's term links do) has read it by then, once for both
        (each version of the file is read once a process, ``glossary.per_file_version``)."""
        self.problems: list[Finding] = []
        self.notes: list[str] = []
        wanted = sorted(r.name for r in self.rules if r.needs_glossary)
        self.terms = glossary_index(self.checker, self.problems, self.notes, wanted)
        context = PageContext(
            self.checker,
            lambda rel: self.checker.docs_prefix + rel,
            self.terms,
            self.checker.settings.glossary_page,
        )
        runnable = [r for r in self.rules if not (r.needs_glossary and self.terms is None)]
        self.job = PageJob(
            self.settings.parse,
            context,
            tuple(r for r in runnable if r.scope == "page"),
            tuple(r for r in runnable if r.collect is not None),
        )

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation | None:
        self.nav = {page.file.src_uri for page in nav.pages}
        return nav

    # -- each page -----------------------------------------------------------------------
    @event_priority(-100)  # the last change to the page's Markdown before it renders
    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.config.enabled:
            self.link_sources.conversions = []
        return markdown

    @event_priority(-100)  # after every other plugin's and hook's changes
    def on_page_content(
        self, html: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return html
        started = time.perf_counter()
        src = page.file.src_uri
        self.links[src] = content_links(html, self.link_sources.page_pairs())
        self.link_sources.conversions = []
        self.urls[src] = unquote(page.file.url) if page.file.url != "./" else ""
        self.spent += time.perf_counter() - started
        return html

    @event_priority(-100)
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output
        started = time.perf_counter()
        src = page.file.src_uri
        self.ids[src] = ids_and_paths(page.file.dest_uri, output, self.linked)
        self.spent += time.perf_counter() - started
        return output

    @event_priority(-100)  # after other plugins' on_env: every page's Markdown is rendered
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        if not self.config.enabled:
            return env
        started = time.perf_counter()
        self.page_job()
        # docs_dir is listed once a build, here: the forked reader and the check after
        # the build take the same pages (MkDocs listed its files before any was rendered).
        self.walked = walk_docs(self.checker)
        self.reading_sources = sources = self.markdown_sources(set(self.walked[0]))
        # Fork copies only the calling thread: a lock another thread holds (mkdocs
        # serve's server and watcher) would stay held in the child for ever.
        if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
            self.reading = _Forked(
                lambda: self.markdown_records(sources, parting=True), reading_bound(len(sources))
            )
            log.debug("check_docs: the pages' Markdown is read while the templates render")
        self.spent += time.perf_counter() - started
        return env

    def on_build_error(self, error: Exception) -> None:
        if self.reading is not None:
            self.reading.stop()
            self.reading = None

    # -- the whole site --------------------------------------------------------------------
    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        started = time.perf_counter()
        # What the build holds is never garbage: keep the cycle collector off it.
        gc.freeze()
        try:
            project, parsed = self.project(Path(config.site_dir))
            report = check_project(project, self.rules)
        finally:
            gc.unfreeze()
        for note in project.notes:
            log.info("check_docs: note: %s", note)
        for finding in report.findings:
            if finding.severity == "error":
                log.warning("check_docs: %s", text_line(finding))
            else:
                log.info("check_docs: %s", text_line(finding))
        self.write_record(project, parsed)
        self.spent += time.perf_counter() - started
        log.info("check_docs: %s (%.2f s)", summary(report), self.spent)
        self.report = report

    def project(self, site_dir: Path) -> tuple[Project, dict[str, set[str]]]:
        """The project as built: each page's record from its Markdown, its ids and links
        taken from its HTML; the site is the folder MkDocs wrote. Also returns the ids
        each page's Markdown alone gives (the rest the build made)."""
        checker = self.checker
        all_files, dirs, problems = self.walked
        site = Site(checker.use_directory_urls, base_path=base_path_of(self.settings.site_url))
        for current, _dirs, names in os.walk(site_dir):
            rel = Path(current).relative_to(site_dir).as_posix()
            for name in names:
                site.outputs[name if rel == "." else f"{rel}/{name}"] = ""
        pages: dict[str, PageRecord] = {}
        parsed: dict[str, set[str]] = {}
        docs = set(all_files)
        read = self.reading.result() if self.reading is not None else None
        if self.reading is not None and self.reading.timed_out:
            log.info(
                "check_docs: note: reading the pages' Markdown in a forked process took "
                "over %.0f s; it was stopped and the pages are read here",
                self.reading.seconds,
            )
        self.reading = None
        if read is None:
            read = self.markdown_records(self.reading_sources)
        for src, links in self.links.items():
            url = self.urls.get(src, "")
            site.urls[src] = url
            site.outputs[url + "index.html" if url == "" or url.endswith("/") else url] = src
            if src in read.records:
                record = read.records[src]
                text = read_source(checker.docs_dir / src)
            else:  # a page a plugin made
                record, text = PageRecord(src, generated=True), ""
            parsed[src] = set(record.anchors)
            positions = _Positions(record, text)
            record.links = [
                Link(*positions.place(value, syntax, written), written or value, syntax, value)
                for value, syntax, written in links
            ]
            record.anchors = self.ids.get(src, set())
            pages[src] = record
        project = Project(
            config=checker,
            settings=self.settings,
            pages=pages,
            files=docs,
            dirs=dirs,
            site=site,
            makers=Makers(),  # nothing is unknown in a build: it made everything
            page_findings=read.findings,
            page_data=read.data,
            problems=problems + self.problems,
            # What this build put in the navigation (a folder nav entry made a section).
            build=BuildRecord(nav=frozenset(self.nav)),
            build_fresh=True,
            terms=self.terms,
            notes=[*self.notes, *read.notes],
        )
        dest_to_src = {dest: src for dest, src in site.outputs.items() if src}
        project.reached_in_build = frozenset(pages_at(self.linked.paths, dest_to_src))
        return project, parsed

    def markdown_sources(self, docs: set[str]) -> list[str]:
        """The pages of docs_dir (``docs``: its files) the build rendered, whose Markdown
        is read (by the forked reader, or after the build when it has not)."""
        return [src for src in self.links if src in docs and is_page(src)]

    def markdown_records(self, sources: list[str], parting: bool = False) -> PagesRead:
        """Each page's record from its Markdown (its links' positions, the ids the
        Markdown alone gives, the page rules' findings): from the warm cache the command
        line shares when the page has not changed, else parsed (by worker processes on
        a large site), and stored there for the next build or run. ``parting``: read in
        a forked process, which sends it back (the cache's plan stays there); it parses
        on its own (a daemon process has no workers), on the core the build leaves free."""
        checker = self.checker
        read = read_pages(
            checker,
            self.rules,
            self.job,
            sources,
            1 if parting else None,
            use_cache=self.config.cache,
            with_links=True,
        )
        if read.plan is not None:
            note = incremental.store_parsed(checker, read.plan, read)
            if note:
                read.notes.append(note)
        log.debug("check_docs: %d of %d pages parsed", len(read.parsed), len(sources))
        if parting:
            read.plan = None
        return read

    def write_record(self, project: Project, parsed: dict[str, set[str]]) -> None:
        """What this build made, for standalone runs (``check_docs.build_record``)."""
        pages: dict[str, PageBuild] = {}
        linked: set[str] = set(project.reached_in_build)
        for src, record in project.pages.items():
            if record.generated:
                linked.update(
                    target.path
                    for _link, target in project.resolved(record)
                    if target.kind == TargetKind.PAGE
                )
                continue
            anchors = frozenset(record.anchors)
            pages[src] = PageBuild(
                record.digest,
                anchors,
                anchors - parsed.get(src, set()),
                url=project.site.urls.get(src),
                links=tuple(record.links),
            )
        rendered = {src for src in pages if src in project.files}
        made = BuildRecord(
            inputs=build_record.inputs_digest(
                project.config.config_file, self.settings.hooks, self.settings.watch
            ),
            pages=pages,
            outputs=frozenset(project.site.outputs),
            nav=frozenset(self.nav),
            linked=frozenset(linked),
            # Pages of docs_dir the build did not render (an exclude plugin took them out).
            left_out=frozenset(drop_conflicts(p for p in project.files if is_page(p))) - rendered,
        )
        try:
            build_record.write(made, project.config.root / project.config.settings.cache_dir)
        except OSError as exc:
            log.info("check_docs: note: cannot write the build record: %s", exc)


def reading_bound(pages: int) -> float:
    """Seconds the forked reading of ``pages`` pages may take from its start: generous
    (a page parses in a few milliseconds; this allows 100 ms each, on a loaded machine),
    only so that a reading that hangs cannot hang the build."""
    return 120.0 + 0.1 * pages


class _Forked:
    """``work()`` computed in a forked process while this one goes on; ``result()`` is
    its value, or None when the process failed in any way or did not finish within
    ``seconds`` of its start (``timed_out``; it is killed): the caller computes it
    itself then, and meets whatever error there was as it would have."""

    def __init__(self, work: Callable[[], PagesRead], seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.timed_out = False
        context = multiprocessing.get_context("fork")
        self.receiving, sending = context.Pipe(duplex=False)
        self.process = context.Process(target=_send, args=(work, sending), daemon=True)
        self.process.start()
        sending.close()  # this end is the child's: the parent sees EOF when it ends

    def result(self) -> PagesRead | None:
        # The child sends its whole answer in one piece, at its end: once anything (or
        # EOF) can be read, the rest follows without a wait.
        if not self.receiving.poll(max(0.0, self.deadline - time.monotonic())):
            self.timed_out = True
            self.stop()
            return None
        try:
            done, value = pickle.loads(self.receiving.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            done, value = False, None
        finally:
            self.receiving.close()
            self.process.join()
        return value if done else None

    def stop(self) -> None:
        self.receiving.close()
        self.process.kill()
        self.process.join()


def _send(work: Callable[[], PagesRead], sending: Connection) -> None:
    """In the forked process: ``work()`` sent back, or (False, None) on any failure."""
    # Nothing the build holds is this process's garbage: the cycle collector's walks over
    # it (and the copies of memory its marks would make) are left out; and the reading
    # makes next to no cycles (the parsers collect once per chunk of pages then).
    gc.freeze()
    gc.disable()
    try:
        data = pickle.dumps((True, work()), pickle.HIGHEST_PROTOCOL)
    except BaseException:  # any failure: the parent reads the pages itself then
        data = pickle.dumps((False, None))
    try:
        sending.send_bytes(data)
    except OSError:  # the parent stopped listening (the build failed)
        pass
    finally:
        sending.close()


def read_source(path: Path) -> str:
    """A page's text as its record's positions count it (line ends kept)."""
    try:
        return path.read_bytes().decode("utf-8-sig", "replace")
    except OSError:
        return ""
