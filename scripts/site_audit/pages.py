"""Which pages the built site has, which carry a diagram, and which Lighthouse audits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from devtools.site_server import built_pages

__all__ = ["built_pages"]

# Diagrams are inline SVG drawn ahead of time (fieldguide.mdx.diagrams), in a box
# with this class; no page should ever fetch Mermaid's JavaScript.
DIAGRAM_MARKER = 'class="fg-diagram__box"'
DIAGRAM_LIBRARY = "mermaid"  # any request whose path names it
NOT_FOUND = "404"  # the label of the 404 page, which has no address of its own


def page_file(site: Path, page: str) -> Path:
    return site / "404.html" if page == NOT_FOUND else site / page / "index.html"


def has_diagram(site: Path, page: str) -> bool:
    return DIAGRAM_MARKER in page_file(site, page).read_text(encoding="utf-8")


def label(page: str) -> str:
    """How a page is named in the report: its address, '/' for home."""
    return "/" if page == "" else (page if page == NOT_FOUND else "/" + page)


@dataclass(frozen=True)
class Target:
    role: str  # what the page stands for in the audit: home, concept, ...
    page: str | None  # None: the site has no such page yet


# What Lighthouse audits: each kind of page the guide has, by address. Where a kind
# has several pages, the heaviest (most HTML) stands for them, since it is the
# slowest to load and lay out; every page gets axe and the HTML checker anyway.
KINDS = (
    ("home", ""),
    ("concept", "concepts/"),
    ("comparison", "comparison/"),
    ("glossary", "glossary/"),
    ("timeline", "timeline/"),
    ("guide", "guides/"),
)


def lighthouse_targets(site: Path) -> list[Target]:
    """One page of each kind in ``KINDS`` (None where the site has none)."""
    pages = built_pages(site)
    targets = []
    for role, prefix in KINDS:
        if prefix == "":
            found = [p for p in pages if p == ""]
        else:
            found = [p for p in pages if p.startswith(prefix)]
        heaviest = max(found, key=lambda p: page_file(site, p).stat().st_size, default=None)
        targets.append(Target(role, heaviest))
    return targets
