"""Render the glossary as Markdown for the Glossary page, and list where terms are used.

``docs/glossary.md`` holds ``MARKER``; the build replaces it with ``render_glossary``:
a letter index, then the entries alphabetically under one heading per letter, each
with its ``#<id>`` anchor, definition, explanation, other names, related entries,
sources (linked to the Sources page's ``#ref-<id>`` anchors) and the pages that
mention it. ``mentions`` computes those pages from the pages' Markdown with the
same matcher the term links use, ignoring code, URLs, markup and front matter
(``check_docs.parse.prose_text``). A page that switched term links off (front matter or a
passage marker) still counts: it uses the term, it just does not link it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from check_docs.frontmatter import parse_front_matter, same_length_lf
from check_docs.parse import masked_prose, parse_text
from check_docs.record import PageRecord
from check_docs.term_matcher import TermMatcher, names_a_version, plural_of
from fieldguide.anchors import SOURCES_PAGE, registry_anchor
from fieldguide.glossary import Entry, Glossary, letter_anchor, letter_of
from fieldguide.registry_page import md_text
from fieldguide.sources import Source

MARKER = "<!-- glossary:entries -->"


@dataclass(frozen=True)
class PageRef:
    src_uri: str  # relative to docs/
    title: str


def page_title(text: str, src_uri: str, docs_prefix: str) -> str:
    """The page's front-matter title, else its first level-1 heading, else its file name."""
    return _title(text, src_uri, parse_text(text), docs_prefix)


def _title(text: str, src_uri: str, record: PageRecord, docs_prefix: str) -> str:
    title = parse_front_matter(text, docs_prefix + src_uri).meta.get("title")
    if title:
        return str(title)
    first = next((h for h in record.headings if h[1] == 1), None)
    return first[3] if first else src_uri


def mentions(
    pages: Iterable[tuple[str, str]], matcher: TermMatcher, skip: str, docs_prefix: str
) -> dict[str, list[PageRef]]:
    """Entry id -> pages (``(src_uri, markdown)``, in the given order) that mention it;
    ``docs_prefix`` (``fieldguide.locations``) names a page in an error."""
    found: dict[str, list[PageRef]] = {}
    for src_uri, text in pages:
        if src_uri == skip:
            continue
        record = parse_text(text)
        prose = masked_prose(record, same_length_lf(text))
        keys = dict.fromkeys(m.key for m in matcher.finditer(prose))
        if keys:
            ref = PageRef(src_uri, _title(text, src_uri, record, docs_prefix))
            for key in keys:
                found.setdefault(key, []).append(ref)
    return found


def _link(from_uri: str, to_uri: str, anchor: str = "") -> str:
    path = posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")
    return f"{path}#{anchor}" if anchor else path


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"“{md_text(v)}”" for v in values)


def _versions(entry: Entry, model_names: Iterable[str], examples: Sequence[str]) -> list[str]:
    """Models named as versions of the entry ("GPT-4" of GPT, "Llama 3" of Llama), by
    the term matcher's own rule, so a search for the model finds the family's entry."""
    names = [n for n in (entry.term, entry.abbreviation, *entry.aliases) if n]
    return [
        m
        for m in dict.fromkeys(model_names)
        if m not in examples and any(names_a_version(m, n) for n in names)
    ]


def _uses_plural(entry: Entry) -> bool:
    """Whether the entry's definition or explanation writes its abbreviation's plural."""
    if not entry.abbreviation:
        return False
    plural = re.escape(plural_of(entry.abbreviation))
    text = f"{entry.definition}\n{entry.explanation}"
    return re.search(rf"(?<!\w){plural}(?!\w)", text) is not None


def _search_names(entry: Entry, examples: Sequence[str], versions: Sequence[str]) -> str:
    """The entry's other names, spellings (its abbreviation's plural among them), example
    models and versions, in its heading for site search only.

    Material's search ranks a match in a section's heading above one in its text,
    so a reader who types "finetuning", "model weights" or "GPT-4" gets this entry
    first. Not shown on the page or to screen readers (``.fg-search-only``), nor in
    the table of contents, which lists only the letters (hooks/glossary.py); a
    search result shows the names after the term, as "(also: …; examples: …;
    versions: …)".
    """
    parts = []
    # The abbreviation's plural ("LLMs"), as the term links read it: readers type it,
    # and a page whose title holds it would otherwise outrank the entry for "LLM". Only
    # where the entry itself uses the plural: search results show these names, and
    # "RLHFs" or "AIs" would be words no writer of the guide chose.
    plural = [plural_of(entry.abbreviation)] if _uses_plural(entry) else []
    also = (*plural, *entry.aliases, *entry.avoid)
    if also:
        parts.append("also: " + ", ".join(md_text(n) for n in also))
    if examples:
        parts.append("examples: " + ", ".join(md_text(n) for n in examples))
    if versions:
        parts.append("versions: " + ", ".join(md_text(n) for n in versions))
    if not parts:
        return ""
    return f' <span class="fg-search-only" aria-hidden="true">({"; ".join(parts)})</span>'


def _entry(
    entry: Entry,
    glossary: Glossary,
    sources: Mapping[str, Source],
    pages: Sequence[PageRef],
    page_uri: str,
    model_names: Mapping[str, str],
    all_model_names: Sequence[str],
) -> str:
    abbreviation = f" ({md_text(entry.abbreviation)})" if entry.abbreviation else ""
    examples = [model_names[m] for m in entry.examples if m in model_names]
    versions = _versions(entry, all_model_names, examples)
    search_names = _search_names(entry, examples, versions)
    lines = [
        f"### {md_text(entry.term)}{abbreviation}{search_names} {{ #{entry.id} .fg-entry }}",
        "",
        f"{md_text(entry.definition)}",
        "{ .fg-definition }",
        "",
        entry.explanation.strip(),
        "",
    ]
    # Lines a reader searches by (other names, examples) and lines that only point
    # elsewhere: the related entries, sources and pages are each a result of their own,
    # so in the search index they would only add a weak match per entry (and a third
    # of the glossary's index, which every page loads).
    facts: list[str] = []
    pointers: list[str] = []
    if entry.aliases:
        facts.append(f"Also called: {_quoted(entry.aliases)}.")
    if entry.avoid:
        # Spellings readers meet elsewhere, for a reader (the guide's own rule for
        # writers, "write X instead", lives in data/glossary.yml and check_docs).
        facts.append(f"Also written: {_quoted(entry.avoid)}.")
    if examples:
        facts.append(f"Examples: {', '.join(md_text(n) for n in examples)}.")
    if entry.related:
        related = ", ".join(
            f"[{md_text(glossary.by_id[r].term)}](#{r})"
            for r in sorted(entry.related, key=lambda r: glossary.by_id[r].term.casefold())
        )
        pointers.append(f"Related: {related}.")
    if entry.sources:
        cited = "; ".join(
            f"[{md_text(sources[s].title) if s in sources else s}]"
            f"({_link(page_uri, SOURCES_PAGE, registry_anchor(s))})"
            for s in entry.sources
        )
        pointers.append(f"Sources: {cited}.")
    if pages:
        used = ", ".join(f"[{md_text(p.title)}]({_link(page_uri, p.src_uri)})" for p in pages)
        pointers.append(f"Mentioned on: {used}.")
    else:
        pointers.append("Mentioned on: no page yet.")
    lines.append('<ul class="fg-entry-facts" markdown>')
    lines.extend(f"<li markdown>{fact}</li>" for fact in facts)
    lines.extend(f"<li markdown data-search-exclude>{fact}</li>" for fact in pointers)
    lines.append("</ul>")
    return "\n".join(lines) + "\n"


def render_glossary(
    glossary: Glossary,
    sources: Mapping[str, Source],
    mentioned: Mapping[str, Sequence[PageRef]],
    page_uri: str,
    model_names: Mapping[str, str] | None = None,
    all_model_names: Sequence[str] = (),
) -> str:
    """Markdown for every entry, as seen from the page at ``page_uri``; ``model_names``
    (model id -> name, from data/models.yml) names each entry's ``examples``, and
    ``all_model_names`` (every name and alias there) the versions of a family."""
    groups: dict[str, list[Entry]] = {}
    for entry in glossary.entries:
        groups.setdefault(letter_of(entry), []).append(entry)
    letters = " ".join(f"[{letter}](#{letter_anchor(letter)})" for letter in groups)
    # A named landmark: screen-reader users can jump to it like any navigation.
    nav = '<nav class="fg-letter-index" aria-label="Glossary letters" markdown="span">'
    parts = [f"{nav}{letters}</nav>\n"]
    for letter, entries in groups.items():
        parts.append(f"## {letter} {{ #{letter_anchor(letter)} }}\n")
        parts.extend(
            _entry(
                e,
                glossary,
                sources,
                mentioned.get(e.id, ()),
                page_uri,
                model_names or {},
                all_model_names,
            )
            for e in entries
        )
    return "\n".join(parts)
