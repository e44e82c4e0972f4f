"""term-case (warning): a lower-case glossary term written in Title Case mid-sentence.

"Foundation Models are…" in running text; headings, table headers, admonition
titles and the capital that starts a sentence are fine. Terms of one significant
word are left alone: a capital there may be a name or a quoted title.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.project import Project
from check_docs.registry import rule
from check_docs.terms import CASE, hit_findings

NAME = CASE


@rule(NAME, "warning", "a lower-case glossary term in Title Case mid-sentence", uses_terms=True)
def check(project: Project) -> Iterator[Finding]:
    for path, hit in hit_findings(project, NAME):
        yield Finding(path, hit.line, hit.column, NAME, "warning", hit.message, hit.suggestion)
