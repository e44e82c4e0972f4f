"""Run the checks: the one entry point the CLI, the MkDocs plugin and the tests share.

Collect (read and parse every page once; ``project``) → check (each chosen rule reads
the records; ``rules/``) → filter (suppression comments, ``exclude``, the paths asked
for) → a sorted list of findings the reports render.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from check_docs.config import Config, ConfigError, GitIgnore
from check_docs.finding import Finding
from check_docs.project import Project, load_project
from check_docs.record import Suppression
from check_docs.registry import Rule, all_rules

UNUSED = "unused-suppression"


@dataclass
class Report:
    findings: list[Finding]
    pages: int
    project: Project = field(repr=False)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


def _names(values: Iterable[str]) -> list[str]:
    out = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


def choose_rules(
    config: Config, select: Sequence[str] = (), ignore: Sequence[str] = (), *, external: bool
) -> list[Rule]:
    """The rules to run: --select (else the configured select, else all) minus ignores."""
    rules = all_rules()
    chosen = _names(select) or _names(config.settings.select)
    ignored = _names(ignore) + _names(config.settings.ignore)
    for name in chosen + ignored:
        if name not in rules:
            known = ", ".join(sorted(rules))
            raise ConfigError(f"unknown rule '{name}' (known rules: {known})")
    names = chosen or [name for name, r in rules.items() if not r.opt_in or external]
    if external and "external-link" not in names and not _names(select):
        names.append("external-link")
    return [rules[n] for n in names if n not in ignored]


def _in_paths(root: Path, finding: Finding, paths: Sequence[Path]) -> bool:
    target = (root / finding.path).resolve()
    return any(target == p or p in target.parents for p in paths)


class _Suppressions:
    """Which findings the suppression comments silence, and which comments silenced
    nothing."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.used: set[tuple[str, int, str]] = set()  # (page, comment line, rule)

    def suppressed(self, finding: Finding) -> bool:
        prefix = self.project.config.docs_prefix
        if not finding.path.startswith(prefix):
            return False
        rel = finding.path[len(prefix) :]
        page = self.project.pages.get(rel)
        if page is None or not page.suppressions:
            return False
        item = page.suppressed(finding.line, finding.rule)
        if item is None:
            return False
        self.used.add((rel, item.line, finding.rule if finding.rule in item.rules else "*"))
        return True

    def unused(self, ran: set[str], every_rule: bool) -> list[tuple[str, Suppression, Any]]:
        known = set(all_rules())
        out = []
        for rel, page in self.project.pages.items():
            for item in page.suppressions:
                if "*" in item.rules:
                    if every_rule and (rel, item.line, "*") not in self.used:
                        out.append((rel, item, frozenset({"*"})))
                    continue
                idle = frozenset(
                    name
                    for name in item.rules
                    if name not in known
                    or (name in ran and (rel, item.line, name) not in self.used)
                )
                if idle:
                    out.append((rel, item, idle))
        return out


def _judge_links(project: Project, rules: list[Rule]) -> tuple[dict[str, list[Finding]], set[str]]:
    """The link rules' findings by page, and the pages judged in this run (the others'
    findings come from the cache: nothing they read has changed)."""
    from check_docs import incremental
    from check_docs.cache import finding_from_plain

    plan = project.plan
    reusable = plan is not None and plan.cache.stored_links_key == plan.cache.links_key
    changed = incremental.changed_ids(project) if reusable else {}
    # The pages reading a changed page: of them only, whether the change affects them.
    readers = incremental.readers(plan, changed) if reusable else set()
    found: dict[str, list[Finding]] = {}
    judged: set[str] = set()
    left_out = project.left_out_pages
    reused = plan.reused if reusable else {}
    for path, page in list(project.pages.items()):
        if page.generated or path in left_out:
            continue
        entry = reused.get(path)
        if (
            entry is not None
            and entry.link_findings is not None
            and (path not in readers or not incremental.affected(plan.cache, entry, changed))
        ):
            if entry.link_findings:  # (most pages have none)
                found[path] = list(map(finding_from_plain, entry.link_findings))
            project.cached_reaches[path] = entry.reads
            continue
        full = project.full(path)
        found[path] = [f for chosen in rules for f in chosen.check(full, project)]
        judged.add(path)
    return found, judged


def run_checks(
    config: Config,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    external: bool = False,
    paths: Sequence[Path] = (),
    jobs: int | None = None,
    external_checker: Any = None,
    site_dir: Path | None = None,
    cache: bool = True,
) -> Report:
    """Collect the project once, run every chosen rule, and return sorted findings;
    ``cache=False`` neither reads nor writes the warm cache."""
    rules = choose_rules(config, select, ignore, external=external)
    project = load_project(
        config, rules, jobs=jobs, external=external, site_dir=site_dir, use_cache=cache
    )
    project.external_checker = external_checker
    return check_project(project, rules, select=select, ignore=ignore, paths=paths)


def check_project(
    project: Project,
    rules: list[Rule],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    paths: Sequence[Path] = (),
) -> Report:
    """Run the ``links`` and ``site`` rules on a collected project and filter everything."""
    config = project.config
    runnable = [r for r in rules if not (r.needs_glossary and project.terms is None)]
    raw: list[Finding] = [f for found in project.page_findings.values() for f in found]
    link_findings, judged = _judge_links(project, [r for r in runnable if r.scope == "links"])
    for found in link_findings.values():
        raw.extend(found)
    for chosen in runnable:
        if chosen.scope == "site" and chosen.name != UNUSED:
            raw.extend(chosen.check(project))
    suppressions = _Suppressions(project)
    kept = [f for f in raw if not suppressions.suppressed(f)]
    if any(r.name == UNUSED for r in runnable):
        every_rule = not _names(select) and not _names(config.settings.select)
        every_rule = every_rule and not _names(ignore) and not _names(config.settings.ignore)
        ran = {r.name for r in runnable}
        project.unused_suppressions = suppressions.unused(ran, every_rule)
        kept.extend(all_rules()[UNUSED].check(project))
    excluded = GitIgnore(tuple(config.settings.exclude)) if config.settings.exclude else None
    resolved_paths = [p.resolve() for p in paths]
    prefix = config.docs_prefix
    findings = []
    for finding in kept:
        if (
            excluded
            and finding.path.startswith(prefix)
            and excluded.match_file(finding.path[len(prefix) :])
        ):
            continue
        if resolved_paths and not _in_paths(config.root, finding, resolved_paths):
            continue
        findings.append(finding)
    findings.sort(key=Finding.sort_key)
    if project.plan is not None:
        from check_docs.incremental import update_cache

        update_cache(project, link_findings, judged)
    return Report(findings, len(project.pages), project)
