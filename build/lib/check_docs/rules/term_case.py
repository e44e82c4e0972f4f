"""term-case (warning): a lower-case glossary term written in Title Case mid-sentence.

"Foundation Models are…" in running text. Headings, table headers, admonition and tab
titles are fine, and so is a name or a title the term is part of ("the Center for
Research on Foundation Models"): a capitalised word next to it says so. Terms of one
significant word are left alone: a capital there may be a name.

Fix: write the term as the glossary does; the suggestion keeps a capital that starts a
sentence.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.context import PageContext
from check_docs.finding import Finding
from check_docs.record import PageRecord
from check_docs.registry import rule
from check_docs.terms import in_capitalised_run

NAME = "term-case"
TITLE_BLOCKS = frozenset({"heading", "header-cell", "title"})


@rule(
    NAME,
    "warning",
    "a lower-case glossary term in Title Case mid-sentence",
    scope="page",
    needs_glossary=True,
)
def check(page: PageRecord, context: PageContext) -> Iterator[Finding]:
    prose = context.prose(page)
    for match in prose.matches:
        if match.phrase.kind != "title":
            continue
        block = prose.block_at(match.start)
        if block is None or block.kind in TITLE_BLOCKS:
            continue
        if in_capitalised_run(prose.prose, match.start, match.end):
            continue  # part of a name or a title
        wanted = match.phrase.replacement or match.phrase.text
        written = " ".join(match.text.split())
        line, column = prose.line_column(match.start)
        yield Finding(
            context.display(page.path),
            line,
            column,
            NAME,
            "warning",
            f"'{written}' is in title case in running text: the glossary writes '{wanted}'",
            match.suggestion(prose.sentence_start(match.start)),
        )
