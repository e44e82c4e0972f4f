"""unsafe-link: a ``javascript:``, ``vbscript:`` or ``data:`` URL in a link or raw HTML.

Readers' browsers would run or load it. Browsers ignore tabs, line breaks and leading
spaces inside a URL, so ``java&#9;script:`` or a scheme split over two lines of a raw
HTML attribute counts too.

Fix: link to a page or a file of the site instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.context import PageContext
from check_docs.finding import Finding
from check_docs.links import UNSAFE_SCHEMES, scheme_of
from check_docs.record import PageRecord
from check_docs.registry import rule

NAME = "unsafe-link"
WORDS = {"link": "a link", "image": "an image", "html": "raw HTML"}


@rule(NAME, "error", "a javascript:, vbscript: or data: URL in a link or raw HTML", scope="page")
def check(page: PageRecord, context: PageContext) -> Iterator[Finding]:
    for link in page.links:
        scheme = scheme_of(link.url)
        if scheme in UNSAFE_SCHEMES:
            yield Finding(
                context.display(page.path),
                link.line,
                link.column,
                NAME,
                "error",
                f"{scheme}: URL in {WORDS[link.syntax]}; readers' browsers would run or load "
                "it: link to a page or file instead",
            )
