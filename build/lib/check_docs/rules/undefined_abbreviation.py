"""undefined-abbreviation (warning): an all-caps abbreviation with no glossary entry.

Two to six capitals, then digits, then a plural "s" ("RLHF", "GPUs", "GPT4"). Accepted:
an entry's abbreviation or an all-caps word in an entry's names, a word in
``abbreviations_allow`` under ``[tool.check_docs]``, and an abbreviation the page
defines itself with the abbr extension (``*[RLHF]: ...``). Only prose is read.

Fix: add an entry (``abbreviation: RLHF``) to the glossary, spell the words out, or
allow the word.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.context import PageContext
from check_docs.finding import Finding
from check_docs.record import PageRecord
from check_docs.registry import rule
from check_docs.terms import ABBREVIATION_RE

NAME = "undefined-abbreviation"


@rule(
    NAME,
    "warning",
    "an all-caps abbreviation with no glossary entry",
    scope="page",
    needs_glossary=True,
)
def check(page: PageRecord, context: PageContext) -> Iterator[Finding]:
    assert context.terms is not None
    prose = context.prose(page)
    known = context.terms.known_abbreviations | set(context.config.settings.abbreviations_allow)
    defined = page.abbreviations
    taken = [(m.start, m.end) for m in prose.matches if m.phrase.kind == "variant"]
    for match in ABBREVIATION_RE.finditer(prose.prose):
        word, plural = match.group(1), match.group(2)
        if word in known or word + plural in known or word in defined or word + plural in defined:
            continue
        if any(a <= match.start() < b for a, b in taken):
            continue  # part of a variant, reported as that
        line, column = prose.line_column(match.start())
        yield Finding(
            context.display(page.path),
            line,
            column,
            NAME,
            "warning",
            f"abbreviation '{match.group(0)}' has no glossary entry: add one with "
            f"'abbreviation: {word}' to the glossary, or list it in abbreviations_allow "
            "under [tool.check_docs]",
        )
