"""term-variant: a spelling the glossary's ``avoid`` lists, with its exact replacement.

Adding a variant to an entry's ``avoid`` in the glossary is all it takes to ban it.
Plurals, possessives and a writer's capital carry over into the suggestion ("Gen AI
is" at the start of a sentence becomes "Generative AI is"). Only prose is read: never
code, link targets, attribute values, labels, comments or front matter.

``--fix`` rewrites the variant in place, byte for byte, except where a rewrite could
do harm, which the message says: markup inside the variant ("fine *tuning*"), a
variant split over two lines (fixing it would join them), or a heading whose anchor
the rewrite would change (links to it would break).
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.context import PageContext
from check_docs.finding import Edit, Finding
from check_docs.parse import heading_source, heading_text
from check_docs.record import PageRecord
from check_docs.registry import rule
from check_docs.terms import PageProse

NAME = "term-variant"


@rule(
    NAME,
    "error",
    "a discouraged spelling from the glossary's avoid lists (fixable)",
    scope="page",
    needs_glossary=True,
    fixable=True,
)
def check(page: PageRecord, context: PageContext) -> Iterator[Finding]:
    assert context.terms is not None
    prose = context.prose(page)
    for match in prose.matches:
        if match.phrase.kind != "variant":
            continue
        entry = context.terms.glossary.by_id[match.key]
        # A capital the writer typed is kept anyway; this adds one where the variant has
        # one of its own ("Gen AI is..." -> "Generative AI is...").
        start_of_sentence = match.text[:1].isupper() and prose.sentence_start(match.start)
        suggestion = match.suggestion(start_of_sentence)
        written = " ".join(match.text.split())
        message = (
            f"'{written}' is a spelling the glossary avoids (entry '{entry.term}'): "
            f"write '{suggestion}'"
        )
        edit = None
        if "\n" in match.text:
            message += " (split over two lines: fix by hand)"
        elif not prose.in_one_range(match.start, match.end):
            message += " (markup inside it: fix by hand)"
        elif _changes_heading_anchor(prose, match.start, match.end, suggestion, context):
            message += " (in a heading: fix by hand and update links to its anchor)"
        else:
            edit = Edit(
                page.byte_offset(match.start), page.byte_offset(match.end), suggestion.encode()
            )
        line, column = prose.line_column(match.start)
        yield Finding(
            context.display(page.path), line, column, NAME, "error", message, suggestion, edit
        )


def _changes_heading_anchor(
    prose: PageProse, start: int, end: int, replacement: str, context: PageContext
) -> bool:
    """Whether rewriting ``start:end`` changes the id of the heading it is in."""
    block = prose.block_at(start)
    if block is None or block.kind != "heading":
        return False
    text = prose.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    content, explicit_id = heading_source(line)
    if explicit_id:
        return False
    offset = start - line_start
    fixed, _explicit = heading_source(line[:offset] + replacement + line[offset + end - start :])
    slugify, sep = context.config.slugify, context.config.separator
    return slugify(heading_text(content), sep) != slugify(heading_text(fixed), sep)
