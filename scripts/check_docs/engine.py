"""Run the checks: the one entry point the CLI, the MkDocs hook and the tests share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from check_docs.config import Config, ConfigError
from check_docs.finding import Finding
from check_docs.project import Project, load_project
from check_docs.registry import Rule, all_rules


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


def _suppressed(project: Project, finding: Finding) -> bool:
    prefix = project.config.docs_prefix
    if not finding.path.startswith(prefix):
        return False
    page = project.pages.get(finding.path[len(prefix) :])
    if page is None or not page.suppress:
        return False
    for line in (finding.line, finding.line - 1):
        names = page.suppress.get(line)
        if names and (finding.rule in names or "*" in names):
            return True
    return False


def _in_paths(root: Path, finding: Finding, paths: Sequence[Path]) -> bool:
    target = (root / finding.path).resolve()
    return any(target == p or p in target.parents for p in paths)


def run_checks(
    config: Config,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    external: bool = False,
    paths: Sequence[Path] = (),
    jobs: int | None = None,
    external_checker: Any = None,
) -> Report:
    """Collect the project once, run every chosen rule, and return sorted findings."""
    rules = choose_rules(config, select, ignore, external=external)
    terms = any(chosen.uses_terms for chosen in rules)
    project = load_project(config, jobs=jobs, external=external, terms=terms)
    project.external_checker = external_checker
    excluded = (
        pathspec.GitIgnoreSpec.from_lines(config.settings.exclude)
        if config.settings.exclude
        else None
    )
    resolved_paths = [p.resolve() for p in paths]
    prefix = config.docs_prefix
    findings = []
    for chosen in rules:
        for finding in chosen.check(project):
            if _suppressed(project, finding):
                continue
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
    return Report(findings, len(project.pages), project)
