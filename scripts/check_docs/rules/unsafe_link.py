"""unsafe-link: ``javascript:``, ``vbscript:`` or ``data:`` in a link, image or raw HTML."""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.links import Kind, link_finding, scheme_of, uses
from check_docs.project import Project
from check_docs.registry import rule

NAME = "unsafe-link"
KIND_WORDS = {"link": "a link", "image": "an image", "html": "raw HTML"}


@rule(NAME, "error", "a javascript:, vbscript: or data: URL in a link or raw HTML")
def check(project: Project) -> Iterator[Finding]:
    for page, link in uses(project):
        if link.target == Kind.UNSAFE:
            yield link_finding(
                project,
                page,
                link,
                NAME,
                f"{scheme_of(link.url)}: URL in {KIND_WORDS[link.kind]}; "
                "readers' browsers would run or load it: link to a page or file instead",
            )
