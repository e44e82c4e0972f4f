"""escaped-quote-in-title (warning): ``\\"`` in an admonition, details or tab title.

Python-Markdown does not treat ``\\"`` as an escape, so ``!!! note "Why \\"unsupervised\\""``
shows its backslashes to readers: Why \\"unsupervised\\". The title's quotes need no
escaping: the title runs to the last quote on the line.

Fix: write ``!!! note "Why "unsupervised""``, or use typographic quotes
(``!!! note "Why “unsupervised”"``).
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.context import PageContext
from check_docs.finding import Finding
from check_docs.record import PageRecord
from check_docs.registry import rule

NAME = "escaped-quote-in-title"


@rule(
    NAME,
    "warning",
    'a \\" in an admonition, details or tab title shows its backslash',
    scope="page",
)
def check(page: PageRecord, context: PageContext) -> Iterator[Finding]:
    for title in page.titles:
        at = title.text.find('\\"')
        if at < 0:
            continue
        fixed = title.text.replace('\\"', '"')
        yield Finding(
            context.display(page.path),
            title.line,
            title.column + at,
            NAME,
            "warning",
            f"title '{title.text}' shows its backslashes to readers: \\\" is no escape there",
            fixed,
        )
