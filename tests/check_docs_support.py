"""Helpers shared by the check_docs tests: planted-error markers and CLI runs."""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from check_docs.cli import main
from check_docs.config import load_config
from check_docs.context import PageContext
from check_docs.finding import Finding
from check_docs.mkdocs_config import parse_options
from check_docs.parse import ParseOptions, parse_markdown
from check_docs.record import PageRecord
from check_docs.registry import all_rules
from check_docs.terms import TermIndex

FIXTURES = Path(__file__).parent / "fixtures"
# The link checker's rules: the corpus tests select them, so rules added later
# (terminology) are tested on their own fixtures and cannot blur these results.
LINK_RULES = "broken-link,broken-anchor,nav-missing,unsafe-link,orphan-page,invalid-file"
PLANTED_RE = re.compile(r"planted: ([a-z-]+)")


def planted(project: Path) -> set[tuple[str, int, str]]:
    """Every ``planted: <rule>`` marker in a fixture project: (path, line, rule)."""
    out = set()
    files = [project / "mkdocs.yml", *sorted((project / "docs").rglob("*.md"))]
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if line.lstrip().startswith("# Planted-error corpus"):
                continue
            for match in PLANTED_RE.finditer(line):
                if match.group(1) != "rule":
                    out.add((path.relative_to(project).as_posix(), number, match.group(1)))
    return out


class CodePayload:
    """Unpickling this would run code (make the folder ``marker``): a cache file holding
    it must be refused, and the folder never appear."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.mkdir, (str(self.marker),))


def copy_fixture(name: str, dest: Path) -> Path:
    """A fixture project copied to ``dest``, without the warm cache that runs on the
    fixture in place may have left (a copy starts cold)."""
    target = dest / name
    ignore = shutil.ignore_patterns(".check_docs_cache")
    shutil.copytree(FIXTURES / name, target, symlinks=True, ignore=ignore)
    return target


def site_files(root: Path) -> dict[Path, bytes]:
    """Every file of a site by path relative to ``root`` and its bytes, without the
    checker's own cache folder (its state, not the writer's files)."""
    return {
        p.relative_to(root): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".check_docs_cache" not in p.relative_to(root).parts
    }


@dataclass
class CliRun:
    code: int
    out: str
    err: str

    def json(self) -> list[dict[str, object]]:
        return json.loads(self.out)

    def found(self) -> set[tuple[str, int, str]]:
        return {(f["path"], f["line"], f["rule"]) for f in self.json()}  # type: ignore[misc]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> CliRun:
    code = main(list(argv))
    captured = capsys.readouterr()
    return CliRun(code, captured.out, captured.err)


SITE_EXTENSIONS = frozenset(
    {"toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "def_list"}
    | {"footnotes", "md_in_html", "pymdownx.details", "pymdownx.superfences"}
)


def parse(text: str, extensions: frozenset[str] = SITE_EXTENSIONS) -> PageRecord:
    """One page's record, parsed standalone with the site's kind of extensions."""
    from markdown.extensions.toc import slugify

    return parse_markdown(text, PageRecord("page.md"), ParseOptions(slugify, "-", extensions))


def page_findings(
    text: str, site: Path, *, rules: str = "", path: str = "page.md", bom: int = 0
) -> list[Finding]:
    """The findings of the page rules on ``text`` as a page of the project ``site``
    (its mkdocs.yml and [tool.check_docs]), the way a worker computes them."""
    config = load_config(site / "mkdocs.yml")
    options = parse_options(config, _extensions(config))
    record = parse_markdown(text, PageRecord(path, bom=bom), options)
    terms = (
        TermIndex.load(config.root / config.settings.glossary) if config.settings.glossary else None
    )
    context = PageContext(
        config, lambda rel: config.docs_prefix + rel, terms, config.settings.glossary_page
    )
    wanted = {r for r in rules.split(",") if r}
    record.text = text
    found: list[Finding] = []
    for name, rule in sorted(all_rules().items()):
        if rule.scope != "page" or (wanted and name not in wanted):
            continue
        if rule.needs_glossary and terms is None:
            continue
        found.extend(rule.check(record, context))
    return found


def _extensions(config: object) -> dict:
    from check_docs.mkdocs_config import extensions_of

    return extensions_of(config)  # type: ignore[arg-type]
