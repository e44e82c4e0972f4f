"""undefined-abbreviation (warning): an all-caps abbreviation with no glossary entry.

Two to six capitals, optional digits and plural "s" ("RLHF", "GPUs"). Accepted:
an entry's abbreviation or an all-caps term or alias, a word in
``abbreviations_allow`` under ``[tool.check_docs]``, and an abbreviation the page
defines itself with the abbr extension (``*[RLHF]: ...``).
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.project import Project
from check_docs.registry import rule
from check_docs.terms import ABBREVIATION, hit_findings

NAME = ABBREVIATION


@rule(NAME, "warning", "an all-caps abbreviation with no glossary entry", uses_terms=True)
def check(project: Project) -> Iterator[Finding]:
    for path, hit in hit_findings(project, NAME):
        yield Finding(path, hit.line, hit.column, NAME, "warning", hit.message)
