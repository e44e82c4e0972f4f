"""The glossary (``data/glossary.yml``): one entry per term, the source of every term output.

The glossary page, the term links and tooltips on every page, ``glossary.json`` and the
checker's terminology rules all read this module, so a writer adds a term in one place.

Public API (stable; other packages import it):

``load_glossary(path, sources=None) -> Glossary``
    Read and validate the file. ``sources`` is the registry from
    ``fieldguide.sources.load_sources``; when given, every ``sources`` id must exist there.
    Bad data raises ``check_docs.errors.DataError`` naming file, line and field.
``Glossary``
    ``entries`` (tuple of ``Entry``, sorted by term, case-insensitively), ``by_id``
    (id -> Entry), ``categories`` (the allowed category ids) and ``path``.
``Entry``
    Frozen: ``id, term, abbreviation, definition, explanation, aliases, avoid, related,
    sources, category, line, examples``. ``aliases``, ``related``, ``sources`` and
    ``examples`` (model ids from ``data/models.yml``) are tuples;
    ``avoid`` is a dict *discouraged variant -> replacement* (a plain list in the YAML
    means "replace with ``term``"). ``line`` is the entry's line in the file.
``tooltip(entry) -> str``
    The text shown on hover: the definition, led by "term (ABBR):" for abbreviations.
``letter_of(entry)``, ``letter_anchor(letter)``, ``glossary_anchors(glossary)``
    The glossary page's anchors: ``#<id>`` for each entry plus ``#letter-<x>`` for
    each letter of the index (pure functions: the checker computes them without a build).
``glossary_path(config_dir, configured=None) -> Path``
    Where the data file is, given the directory of ``mkdocs.yml``.

The terminology fields (``id``, ``term``, ``abbreviation``, ``aliases``, ``avoid``) are
read and checked by ``check_docs.glossary``, the schema the docs checker shares with
any site; this module adds the fields only this site has, and caches its reading of
the file in the same per-version cache.

YAML shape::

    categories: [concept, ...]      # the allowed values of `category`
    entries:
      - id: llm                     # stable anchor: lower-case words joined by hyphens
        term: large language model  # canonical spelling and case
        abbreviation: LLM           # optional
        definition: One plain sentence, at most 160 characters.
        explanation: |              # Markdown
          A short paragraph or two.
        aliases: [language model]   # accepted other names (optional)
        avoid: [large-language model]          # -> replaced by `term`, or a mapping:
        # avoid: {foundational models: foundation models}
        related: [transformer]      # entry ids (optional)
        sources: [brown-2020]       # ids from data/sources.yml (optional)
        examples: [gpt-3, bert]     # model ids from data/models.yml (optional)
        category: concept
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from check_docs.errors import DataError
from check_docs.glossary import (
    TERM_FIELDS,
    TermEntry,
    check_names,
    located,
    per_file_version,
    term_fields,
    text_field,
    text_list,
)
from check_docs.yamldata import Located
from fieldguide.sources import Source

DEFAULT_GLOSSARY_FILE = "data/glossary.yml"
# The page (relative to docs/) that holds the entries; term links point at its anchors.
GLOSSARY_PAGE = "glossary.md"
DEFINITION_LIMIT = 160

SITE_REQUIRED = ("definition", "explanation", "category")
SITE_OPTIONAL = ("related", "sources", "examples")
ALLOWED = ("id", "term", *SITE_REQUIRED, *TERM_FIELDS[2:], *SITE_OPTIONAL)
# A tooltip shows raw text, so a definition must not rely on Markdown or HTML.
_MARKUP = re.compile(r"[`*\[\]<>]")


@dataclass(frozen=True)
class Entry(TermEntry):
    definition: str
    explanation: str
    related: tuple[str, ...]
    sources: tuple[str, ...]
    category: str
    # Model ids from data/models.yml that illustrate the term; the consistency test
    # (fieldguide.models.check_examples) checks each one fits the term.
    examples: tuple[str, ...] = ()
    examples_line: int | None = None


@dataclass(frozen=True)
class Glossary:
    path: Path
    entries: tuple[Entry, ...]
    categories: tuple[str, ...]
    by_id: dict[str, Entry] = field(hash=False, compare=False)


def glossary_path(config_dir: Path, configured: str | None = None) -> Path:
    return Path(config_dir) / (configured or DEFAULT_GLOSSARY_FILE)


def tooltip(entry: Entry) -> str:
    """A term link's tooltip: the term (with its abbreviation), then its definition,
    so the reader sees which term is explained, whatever word they pointed at."""
    name = f"{entry.term} ({entry.abbreviation})" if entry.abbreviation else entry.term
    return f"{name}: {entry.definition}"


def letter_of(entry: TermEntry) -> str:
    first = entry.term[:1].upper()
    return first if "A" <= first <= "Z" else "0-9"


def letter_anchor(letter: str) -> str:
    return f"letter-{letter.lower()}"


def glossary_anchors(glossary: Glossary) -> list[str]:
    """Every anchor the glossary page has for entries and the letter index."""
    letters = sorted({letter_of(e) for e in glossary.entries})
    return [e.id for e in glossary.entries] + [letter_anchor(x) for x in letters]


def _entry(path: Path, item: Located, categories: tuple[str, ...]) -> Entry:
    unknown = sorted(set(item.value) - set(ALLOWED))
    if unknown:
        raise DataError(
            path,
            item.line_of(unknown[0]),
            unknown[0],
            f"unknown field '{unknown[0]}' (allowed: {', '.join(ALLOWED)})",
        )
    for name in SITE_REQUIRED:
        text_field(path, item, name, required=True)
    terms = term_fields(path, item)
    definition = text_field(path, item, "definition", required=True) or ""
    if len(definition) > DEFINITION_LIMIT:
        raise DataError(
            path,
            item.line_of("definition"),
            "definition",
            f"definition is {len(definition)} characters; shorten it to at most "
            f"{DEFINITION_LIMIT} (it is shown as a tooltip) and move detail to 'explanation'",
        )
    if "\n" in definition or _MARKUP.search(definition):
        raise DataError(
            path,
            item.line_of("definition"),
            "definition",
            "definition must be one line of plain text (no Markdown or HTML)",
        )
    category = text_field(path, item, "category", required=True) or ""
    if category not in categories:
        raise DataError(
            path,
            item.line_of("category"),
            "category",
            f"unknown category '{category}' (allowed: {', '.join(categories)})",
        )
    return Entry(
        **terms,
        definition=definition,
        explanation=text_field(path, item, "explanation", required=True) or "",
        related=text_list(path, item, "related"),
        sources=text_list(path, item, "sources"),
        category=category,
        examples=text_list(path, item, "examples"),
        examples_line=item.key_lines.get("examples"),
    )


def _check_related(
    path: Path, entries: list[tuple[Entry, Located]], by_id: dict[str, Entry]
) -> None:
    for entry, item in entries:
        for rid in entry.related:
            if rid not in by_id or rid == entry.id:
                problem = "is the entry itself" if rid == entry.id else "is not an entry id"
                raise DataError(path, item.line_of("related"), "related", f"'{rid}' {problem}")


def _check_sources(
    path: Path, entries: list[tuple[Entry, Located]], sources: dict[str, Source] | None
) -> None:
    if sources is None:
        return
    for entry, item in entries:
        for sid in entry.sources:
            if sid not in sources:
                raise DataError(
                    path,
                    item.line_of("sources"),
                    "sources",
                    f"unknown source id '{sid}': add it to data/sources.yml or fix the id",
                )


def _categories(path: Path, data: Located) -> tuple[str, ...]:
    value = data.value.get("categories")
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise DataError(
            path, data.line_of("categories"), "categories", "expected a 'categories:' list of ids"
        )
    return tuple(value)


def load_glossary(path: Path, sources: dict[str, Source] | None = None) -> Glossary:
    """Read and validate the glossary; raise DataError naming file, line and field.

    Parsed once per version of the file (``check_docs.glossary.per_file_version``);
    source ids are checked on every call, since callers pass different registries."""
    glossary, parsed = per_file_version(path, _parse)
    _check_sources(path, parsed, sources)
    return glossary


def _parse(path: Path) -> tuple[Glossary, list[tuple[Entry, Located]]]:
    data = located(path)
    unknown = sorted(set(data.value) - {"categories", "entries"})
    if unknown:
        raise DataError(
            path,
            data.line_of(unknown[0]),
            unknown[0],
            f"unknown top-level key '{unknown[0]}' (allowed: categories, entries)",
        )
    categories = _categories(path, data)
    parsed = [(_entry(path, item, categories), item) for item in data.value["entries"]]
    check_names(path, parsed)  # type: ignore[arg-type]
    by_id = {entry.id: entry for entry, _item in parsed}
    _check_related(path, parsed, by_id)
    ordered = tuple(sorted(by_id.values(), key=lambda e: (e.term.casefold(), e.term)))
    return Glossary(path=path, entries=ordered, categories=categories, by_id=by_id), parsed


def as_record(entry: Entry) -> dict[str, Any]:
    """The entry's fields as plain JSON-ready data (used by glossary.json)."""
    return {
        "id": entry.id,
        "term": entry.term,
        "abbreviation": entry.abbreviation,
        "definition": entry.definition,
        "explanation": entry.explanation,
        "aliases": list(entry.aliases),
        "avoid": dict(entry.avoid),
        "related": list(entry.related),
        "sources": list(entry.sources),
        "examples": list(entry.examples),
        "category": entry.category,
    }
