"""Which pages cite which sources, read from every page's ``sources:`` front matter.

The Sources page lists, for each primary source, the pages that cite it; the
build computes that before any page is rendered, so it reads the front matter
itself rather than waiting for MkDocs. A wrong id is reported with the page's
file and the line of the id, so the writer can go straight to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from check_docs.errors import DataError
from check_docs.frontmatter import parse_front_matter


@dataclass(frozen=True)
class PageSources:
    """One page's citations: where it lives, what it is called, which ids it lists."""

    src_uri: str  # relative to docs/, e.g. "concepts/foundation-models.md"
    title: str
    ids: tuple[str, ...]


def _line_of(text: str, body_line: int, needle: str) -> int | None:
    """The 1-based front-matter line that mentions ``needle`` as a whole word."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(needle)}(?![\w-])")
    for number, line in enumerate(text.splitlines()[: body_line - 1], start=1):
        if pattern.search(line):
            return number
    return None


def read_page_sources(
    text: str, src_uri: str, docs_prefix: str, registry: Mapping[str, object] | None = None
) -> PageSources:
    """Parse one page's front matter; check its ids against ``registry`` when given.
    Errors name the page as ``docs_prefix + src_uri`` (``fieldguide.locations``)."""
    where = docs_prefix + src_uri
    front = parse_front_matter(text, where)
    ids = front.meta.get("sources")
    if ids is None:
        ids = []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise DataError(
            where,
            _line_of(text, front.body_line, "sources"),
            "sources",
            "front matter 'sources' must be a list of ids, e.g. sources: [bommasani-2021]",
        )
    if registry is not None:
        for sid in ids:
            if sid not in registry:
                line = _line_of(text, front.body_line, sid) or _line_of(
                    text, front.body_line, "sources"
                )
                raise DataError(
                    where,
                    line,
                    "sources",
                    f"unknown source id '{sid}': add it to data/sources.yml "
                    "or correct the spelling",
                )
    title = front.meta.get("title")
    return PageSources(src_uri, str(title) if title else src_uri, tuple(ids))


def cited_by(pages: Iterable[PageSources]) -> dict[str, list[PageSources]]:
    """Map each source id to the pages that list it, in the order the pages were given."""
    result: dict[str, list[PageSources]] = {}
    for page in pages:
        for sid in dict.fromkeys(page.ids):
            result.setdefault(sid, []).append(page)
    return result
