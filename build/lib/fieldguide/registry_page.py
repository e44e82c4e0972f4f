"""Render the sources registry as Markdown for the Sources page.

``docs/sources.md`` holds a marker; the build replaces it with this listing so
the page can never drift from ``data/sources.yml``. Articles come first (with
what the guide draws from them), then the primary sources grouped by kind, each
with an ``id="ref-<id>"`` anchor and the pages that cite it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from html import escape

from fieldguide.anchors import registry_anchor
from fieldguide.citations import PageSources
from fieldguide.sources import Source

MARKER = "<!-- sources:registry -->"

# Primary sources are grouped by kind, in this order; articles have their own section.
GROUPS = (
    ("paper", "Research papers"),
    ("report", "Technical reports"),
    ("book", "Books"),
    ("documentation", "Documentation"),
    ("announcement", "Announcements"),
)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md_text(value: str) -> str:
    """Escape a registry value so Markdown shows it exactly as written."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _link_from(page_uri: str, target_uri: str) -> str:
    return posixpath.relpath(target_uri, posixpath.dirname(page_uri) or ".")


def _citing(source: Source, pages: Sequence[PageSources], page_uri: str) -> str:
    others = [p for p in pages if p.src_uri != page_uri]
    if not others:
        return "Not yet cited by any page."
    links = ", ".join(f"[{md_text(p.title)}]({_link_from(page_uri, p.src_uri)})" for p in others)
    return f"Cited by: {links}."


def _identifiers(source: Source) -> str:
    parts = []
    if source.arxiv:
        parts.append(f"[arXiv:{md_text(source.arxiv)}](https://arxiv.org/abs/{source.arxiv})")
    if source.doi:
        parts.append(f"[DOI {md_text(source.doi)}](https://doi.org/{source.doi})")
    if source.url and not parts:
        parts.append(f"<{source.url}>")
    return " · ".join(parts)


def _entry(source: Source, lines: list[str]) -> str:
    body = "\n".join(f"{line}<br>" for line in lines[:-1]) + ("\n" if len(lines) > 1 else "")
    body += lines[-1]
    return f'<li id="{escape(registry_anchor(source.id))}" markdown>\n{body}\n</li>'


def _article(source: Source, pages: Sequence[PageSources], page_uri: str) -> str:
    head = f"**{md_text(source.title)}**"
    facts = [f"Author: {md_text(source.author)}"]
    if source.publisher:
        facts.append(f"Publisher: {md_text(source.publisher)}")
    facts.append(f"Date: {md_text(source.date)}" if source.date else "Date: not stated")
    facts.append(f"Address: <{source.url}>" if source.url else "Address: not known")
    lines = [head, ". ".join(facts) + "."]
    if source.note:
        lines.append(md_text(source.note))
    if source.used_for:
        lines.append(f"What the guide draws from it: {md_text(source.used_for)}")
    lines.append(_citing(source, pages, page_uri))
    return _entry(source, lines)


def _primary(source: Source, pages: Sequence[PageSources], page_uri: str) -> str:
    year = f" ({source.year})" if source.year else ""
    head = f"{md_text(source.author)}{year}. *{md_text(source.title)}*."
    if source.publisher:
        head += f" {md_text(source.publisher)}."
    if source.date:
        head += f" {md_text(source.date)}."
    ids = _identifiers(source)
    if ids:
        head += f" {ids}."
    lines = [head]
    if source.note:
        lines.append(md_text(source.note))
    lines.append(_citing(source, pages, page_uri))
    return _entry(source, lines)


def _listing(entries: list[str]) -> str:
    return '<ul class="fg-registry" markdown>\n' + "\n".join(entries) + "\n</ul>"


def render_registry(
    registry: Mapping[str, Source],
    citations: Mapping[str, Sequence[PageSources]],
    page_uri: str,
) -> str:
    """Markdown for the whole registry, as seen from the page at ``page_uri``."""
    sections: list[str] = []
    articles = [s for s in registry.values() if s.kind == "article"]
    if articles:
        sections.append("## The articles\n")
        sections.append("The articles the guide was written from, with what it takes from each.\n")
        sections.append(
            _listing([_article(s, citations.get(s.id, []), page_uri) for s in articles]) + "\n"
        )
    primaries = [s for s in registry.values() if s.kind != "article"]
    if primaries:
        sections.append("## Primary sources\n")
        sections.append(
            "Papers, reports and announcements the guide cites to check or correct the "
            "articles, grouped by kind and ordered by year.\n"
        )
    # A kind added to the registry later still gets listed, under its own name.
    known = {kind for kind, _ in GROUPS}
    extra = sorted({s.kind for s in primaries} - known)
    for kind, heading in (*GROUPS, *((k, k.capitalize()) for k in extra)):
        group = sorted(
            (s for s in primaries if s.kind == kind),
            key=lambda s: (s.year or 0, s.author.casefold(), s.id),
        )
        if group:
            sections.append(f"### {heading}\n")
            sections.append(
                _listing([_primary(s, citations.get(s.id, []), page_uri) for s in group]) + "\n"
            )
    return "\n".join(sections)
