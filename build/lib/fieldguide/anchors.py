"""Anchors the build adds to pages, as pure functions the checker shares.

``overrides/partials/sources.html`` gives each entry of a page's Sources block
the id ``source-<id>``; ``fieldguide.registry_page`` gives each registry entry
on the Sources page the id ``ref-<id>``. ``check_docs`` uses these functions
to know those anchors exist without building the site.
"""

from __future__ import annotations

# The page (relative to docs/) that lists the whole registry.
SOURCES_PAGE = "sources.md"


def source_anchor(source_id: str) -> str:
    """The id of a source in a page's Sources block."""
    return f"source-{source_id}"


def registry_anchor(source_id: str) -> str:
    """The id of a source's entry on the Sources page."""
    return f"ref-{source_id}"
