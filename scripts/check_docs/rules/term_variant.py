"""term-variant: a spelling the glossary's ``avoid`` lists, with its exact replacement.

Adding a variant to an entry's ``avoid`` in ``data/glossary.yml`` is all it takes to
ban it. Plurals, possessives and a writer's capital carry over into the suggestion,
and the finding carries a byte-range edit, so ``--fix`` rewrites it in place (except
in a heading whose anchor the rewrite would change: links to it would break).
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Edit, Finding
from check_docs.project import Project
from check_docs.registry import rule
from check_docs.terms import VARIANT, hit_findings

NAME = VARIANT


@rule(
    NAME,
    "error",
    "a discouraged spelling from the glossary's avoid lists (fixable)",
    uses_terms=True,
)
def check(project: Project) -> Iterator[Finding]:
    for path, hit in hit_findings(project, NAME):
        edit = Edit(hit.start, hit.end, hit.replacement) if hit.start >= 0 else None
        yield Finding(path, hit.line, hit.column, NAME, "error", hit.message, hit.suggestion, edit)
