"""glossary-unused (warning): a glossary entry that no page mentions.

A mention is the term, its abbreviation or an alias (plural or possessive too) in any
page's prose except the glossary page itself (``[tool.check_docs] glossary_page``),
found by the same matcher as the term links; the longest name wins ("large language
model" mentions that entry, not "language model"). Reported at the entry's line in the
glossary file.

Fix: use the term on a page where it helps readers, or remove the entry.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.context import PageContext
from check_docs.finding import Finding
from check_docs.project import Project
from check_docs.record import PageRecord
from check_docs.registry import rule

NAME = "glossary-unused"
MENTIONS = frozenset({"term", "abbreviation", "alias", "title"})


def mentions(page: PageRecord, context: PageContext) -> frozenset[str]:
    """The entries this page mentions."""
    if page.path == context.glossary_page:
        return frozenset()  # the glossary page lists every entry by design
    prose = context.prose(page)
    return frozenset(m.phrase.key for m in prose.matches if m.phrase.kind in MENTIONS)


@rule(
    NAME,
    "warning",
    "a glossary entry that no page mentions",
    scope="site",
    needs_glossary=True,
    collect=mentions,
)
def check(project: Project) -> Iterator[Finding]:
    assert project.terms is not None
    mentioned: set[str] = set().union(*project.collected(NAME))
    glossary = project.terms.glossary
    path = project.display_path(glossary.path)
    for entry in glossary.entries:
        if entry.id not in mentioned:
            yield Finding(
                path,
                entry.line,
                1,
                NAME,
                "warning",
                f"entry '{entry.id}' ('{entry.term}') is mentioned on no page: "
                "use it on a page or remove the entry",
            )
