"""Which pages a run must read, parse and judge again, and what it may take from the cache.

``check_docs.cache`` stores; this module decides. A page is *reused* when its size and
modification time (or else its content hash) and those of the files it includes are
what the cache recorded: its record's site-level parts, its page rules' findings and
data come from the cache. Its link findings are reused too unless the site's files
changed (the *links key*) or a page they looked up changed its ids. Everything else
is computed as on a cold run, from the same records, by the same rules.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from check_docs import build_record
from check_docs.cache import (
    CacheError,
    Entry,
    PageCache,
    digest_of,
    file_digest,
    finding_from_plain,
    finding_to_plain,
)
from check_docs.config import Config
from check_docs.finding import Finding
from check_docs.record import PageRecord
from check_docs.registry import Rule
from check_docs.suggest import closest

if TYPE_CHECKING:  # project imports this module
    from check_docs.project import PagesRead


def page_key(config: Config, rules: list[Rule]) -> str:
    """What every cached record and page finding depends on: the checker, the whole
    configuration (mkdocs.yml and its INHERIT parents as read, [tool.check_docs]), the
    rules asked for, and the data files page rules read."""
    settings = config.settings
    data_files = [
        file_digest(config.root / name)
        for name in (settings.glossary, settings.copied_text_fingerprints)
        if name
    ]
    return digest_of(
        "page",
        repr(config.data),
        repr(settings),
        str(config.docs_dir),
        sorted(r.name for r in rules),
        data_files,
    )


def links_key(
    config: Config, all_files: list[str], extra_outputs: frozenset[str], makers: str
) -> str:
    """What cached link findings depend on besides the pages they read: the site's
    files (docs, theme, what the last build made) and who may make more."""
    record = config.root / config.settings.cache_dir / build_record.RECORD_FILE
    files_digest = hashlib.sha256("\0".join(all_files).encode("utf-8", "surrogateescape"))
    files_digest.update("\0".join(sorted(extra_outputs)).encode("utf-8", "surrogateescape"))
    return digest_of("links", files_digest.hexdigest(), file_digest(record), makers)


def _stamp(path: Path | str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)  # noqa: PTH116 - a str: no Path built per page
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


@dataclass
class Plan:
    """What this run takes from the cache and what it computes."""

    cache: PageCache
    reused: dict[str, Entry] = field(default_factory=dict)
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    to_parse: list[str] = field(default_factory=list)


def plan(cache: PageCache, config: Config, pages: list[str]) -> Plan:
    """Which pages can be taken from the cache as they are."""
    made = Plan(cache)
    docs = f"{config.docs_dir}{os.sep}"  # joined as strings: 10,000 Paths cost 30 ms
    for rel in pages:
        # Taken before the page is read: a change after it shows next time.
        stamp = _stamp(docs + rel)
        if stamp is not None:
            made.stamps[rel] = stamp
        entry = cache.entries.get(rel)
        if stamp is None or entry is None:
            made.to_parse.append(rel)
            continue
        # (Most pages include nothing: no generator made for them.)
        if entry.includes and not all(
            _stamp(config.root / p) == (s, m) for p, s, m in entry.includes
        ):
            made.to_parse.append(rel)
        elif stamp == (entry.size, entry.mtime_ns):
            made.reused[rel] = entry
        elif _same_content(config, rel, entry):
            # Touched, not changed: remember the new stamp so the next run need not
            # read it again.
            entry.size, entry.mtime_ns = stamp
            made.reused[rel] = entry
            cache.restamped.add(rel)
        else:
            made.to_parse.append(rel)
    return made


def _same_content(config: Config, rel: str, entry: Entry) -> bool:
    """Touched but not changed (a checkout, a save without edits)."""
    from check_docs import files

    try:
        raw = files.read_bytes(config.docs_dir / rel, 64 * 1024 * 1024)
    except files.FileProblem:
        return False
    return hashlib.sha256(raw).hexdigest() == entry.digest


def new_entry(
    config: Config,
    record: PageRecord,
    stamp: tuple[int, int] | None,
    findings: list[Finding],
    collected: dict[str, Any],
) -> Entry:
    includes = []
    for path in record.includes:
        included = _stamp(config.root / path)
        if included is not None:
            includes.append((path, *included))
    size, mtime_ns = stamp or (-1, -1)
    return Entry(
        size=size,
        mtime_ns=mtime_ns,
        digest=record.digest,
        anchors=Entry.plain_ids(record.anchors),
        suppressions=tuple((s.line, s.column, s.rules) for s in record.suppressions),
        problems=tuple(record.problems),
        includes=tuple(includes),
        findings=tuple(finding_to_plain(f) for f in findings),
        collected=collected,
    )


def store_parsed(config: Config, plan: Plan, read: PagesRead) -> str | None:
    """Store the pages ``read`` parsed, as a build parsed them (``check_docs.plugin``):
    their records and page findings only. What the link rules found is not stored (a
    build judges the HTML), so the command line judges every page's links afresh the
    next time (the empty links key); the pages the build did not read are kept as they
    are. A note when it cannot be written."""
    if not read.parsed:
        return None
    _store_parsed(config, plan, read.parsed, read.records, read.findings, read.data)
    plan.cache.links_key = ""
    return plan.cache.save()


def _store_parsed(
    config: Config,
    plan: Plan,
    parsed: set[str],
    records: dict[str, PageRecord],
    findings: dict[str, list[Finding]],
    data: dict[str, dict[str, Any]],
) -> None:
    """An entry and the links of each page parsed in this run."""
    for path in parsed:
        record = records[path]
        plan.cache.entries[path] = new_entry(
            config, record, plan.stamps.get(path), findings.get(path, []), data.get(path, {})
        )
        plan.cache.put_links(record)


def findings_of(entry: Entry) -> list[Finding]:
    return [finding_from_plain(f) for f in entry.findings]


def anchor_state(project: Any, page: str) -> str:
    """What a link to ``page`` is judged by: its ids as known, and who may add more."""
    return _state(project.anchors_of(page), project.anchor_maker(page))


def _state(ids: Iterable[str], maker: str) -> str:
    known = repr((sorted(ids), maker))
    return hashlib.sha256(known.encode("utf-8", "surrogateescape")).hexdigest()[:32]


@dataclass
class IdChange:
    """How the ids of a page parsed this run changed, for the pages that link to it.

    A link's judgement reads of the page it leads to only whether its fragment is one
    of the page's ids and, when it is not, who may add it or else the closest id (the
    broken-anchor rule's suggestion). So a page asking for ``fragment`` is judged again
    only when one of those differs; a page linking without a fragment, or asking for
    ids that stay as they were, keeps its findings."""

    old: set[str]
    new: set[str] | frozenset[str]
    maker: str  # unchanged: a new maker is a change of every link (``None`` below)
    _affects: dict[str, bool] = field(default_factory=dict)

    def affects(self, fragment: str) -> bool:
        hit = self._affects.get(fragment)
        if hit is None:
            was, now = fragment in self.old, fragment in self.new
            hit = was != now or (
                not now
                and not self.maker
                and closest(fragment, self.old) != closest(fragment, self.new)
            )
            self._affects[fragment] = hit
        return hit


def changed_ids(project: Any) -> dict[str, IdChange | None]:
    """Pages parsed this run whose ids (as links to them are judged) differ from the
    cache's, with how (``None``: in a way that re-judges every page linking there: a
    page gone, new, or whose former ids the cache cannot tell)."""
    plan: Plan = project.plan
    gone = set(plan.cache.entries) - set(project.pages)
    changed: dict[str, IdChange | None] = dict.fromkeys(gone)
    for path in project.parsed:
        old = plan.cache.entries.get(path)
        state = anchor_state(project, path)
        if old is not None and old.anchor_state == state:
            continue
        changed[path] = None
        if old is None:
            continue
        maker = project.anchor_maker(path)
        before = old.ids()
        # The former ids are the cache's Markdown ids when they were what links were
        # judged by (no fresh build record's ids then) and the maker is the same.
        if old.anchor_state == _state(before, maker):
            changed[path] = IdChange(before, project.anchors_of(path), maker)
    return changed


def readers(plan: Plan, changed: dict[str, IdChange | None]) -> set[str]:
    """The pages taken from the cache whose links lead to a page in ``changed``: only
    their link findings may differ now (``affected`` tells)."""
    codes = [code for code in map(plan.cache.code_of, changed) if code is not None]
    reused = plan.reused
    if len(codes) <= 8:  # a few pages changed: a substring test per page and change
        return {path for code in codes for path, entry in reused.items() if code in entry.reads}
    wanted = frozenset(codes)
    return {path for path, entry in reused.items() if not wanted.isdisjoint(entry.reads)}


def affected(cache: PageCache, entry: Entry, changed: dict[str, IdChange | None]) -> bool:
    """Whether a page's cached link findings may differ now (``changed_ids``)."""
    reads = cache.paths_of(entry.reads)
    if changed.keys().isdisjoint(reads):
        return False
    if any(changed.get(target, False) is None for target in reads):
        return True
    asked = cache.asked(entry)
    if asked is None:
        return True
    for target, fragment in asked:
        change = changed.get(target)
        if change is not None and change.affects(fragment):
            return True
    return False


def update_cache(project: Any, link_findings: dict[str, list[Finding]], judged: set[str]) -> None:
    """Store what this run parsed and judged; drop the pages that are gone."""
    plan: Plan = project.plan
    cache = plan.cache
    config = project.config
    _store_parsed(
        config, plan, project.parsed, project.pages, project.page_findings, project.page_data
    )
    try:
        _store_judged(project, link_findings, judged)
    except CacheError as exc:  # (a site of more pages than page codes can number)
        project.notes.append(f"{cache.folder}: cache not written ({exc})")
        return
    # A new links key (the build record, the site's files) can change what any page's
    # ids are judged to be, parsed or not: then every page's state is taken afresh.
    links_same = cache.stored_links_key == cache.links_key
    for path in project.parsed if links_same else project.pages:
        entry = cache.entries.get(path)
        if entry is not None:  # (a page a plugin made has none)
            entry.anchor_state = anchor_state(project, path)
    gone = set(cache.entries) - set(project.pages)
    for path in gone:
        del cache.entries[path]
    cache.drop_links(gone)
    if links_same and not (project.parsed or judged or gone or cache.restamped):
        return  # nothing new to store: a run on an unchanged site writes nothing
    cache.stored_links_key = cache.links_key
    # The entries this run may have changed: those above, or every one (their states).
    touched = project.parsed | judged | gone | cache.restamped if links_same else None
    note = cache.save(touched)
    if note:
        project.notes.append(note)


def _store_judged(project: Any, link_findings: dict[str, list[Finding]], judged: set[str]) -> None:
    """The link findings of each page judged in this run, and what they read."""
    from check_docs.links import TargetKind

    cache: PageCache = project.plan.cache
    for path in judged:
        entry = cache.entries.get(path)
        if entry is None:
            continue
        if path in project.reparsed:  # its links were missing from the cache
            cache.put_links(project.pages[path])
        # (Its own ids it reads too, but they change only when it does: then it is
        # parsed and judged again whatever it reads.)
        targets = [
            t
            for _l, t in project.resolved(project.pages[path])
            if t.kind == TargetKind.PAGE and t.path != path
        ]
        entry.link_findings = tuple(finding_to_plain(f) for f in link_findings.get(path, []))
        entry.reads = cache.codes(dict.fromkeys(t.path for t in targets))
        entry.asks = cache.plain_asks(
            dict.fromkeys((t.path, t.fragment) for t in targets if t.fragment)
        )
