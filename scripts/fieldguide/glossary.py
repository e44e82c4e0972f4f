"""The glossary (``data/glossary.yml``): one entry per term, the source of every term output.

The glossary page, the term links and tooltips on every page, ``glossary.json`` and the
checker's terminology rules all read this module, so a writer adds a term in one place.

Public API (stable; other packages import it):

``load_glossary(path, sources=None) -> Glossary``
    Read and validate the file. ``sources`` is the registry from
    ``fieldguide.sources.load_sources``; when given, every ``sources`` id must exist there.
    Bad data raises ``fieldguide.errors.DataError`` naming file, line and field.
``Glossary``
    ``entries`` (tuple of ``Entry``, sorted by term, case-insensitively), ``by_id``
    (id -> Entry), ``categories`` (the allowed category ids) and ``path``.
``Entry``
    Frozen: ``id, term, abbreviation, definition, explanation, aliases, avoid, related,
    sources, category, line``. ``aliases``, ``related`` and ``sources`` are tuples;
    ``avoid`` is a dict *discouraged variant -> replacement* (a plain list in the YAML
    means "replace with ``term``"). ``line`` is the entry's line in the file.
``tooltip(entry) -> str``
    The text shown on hover: the definition, led by "term (ABBR):" for abbreviations.
``letter_of(entry)``, ``letter_anchor(letter)``, ``glossary_anchors(glossary)``
    The glossary page's anchors: ``#<id>`` for each entry plus ``#letter-<x>`` for
    each letter of the index (pure functions: the checker computes them without a build).
``glossary_path(config_dir, configured=None) -> Path``
    Where the data file is, given the directory of ``mkdocs.yml``.

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
        category: concept
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldguide.errors import DataError
from fieldguide.sources import Source
from fieldguide.yamldata import Located, load_located

DEFAULT_GLOSSARY_FILE = "data/glossary.yml"
# The page (relative to docs/) that holds the entries; term links point at its anchors.
GLOSSARY_PAGE = "glossary.md"
DEFINITION_LIMIT = 160

REQUIRED = ("id", "term", "definition", "explanation", "category")
OPTIONAL = ("abbreviation", "aliases", "avoid", "related", "sources")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A tooltip shows raw text, so a definition must not rely on Markdown or HTML.
_MARKUP = re.compile(r"[`*\[\]<>]")


@dataclass(frozen=True)
class Entry:
    id: str
    term: str
    abbreviation: str | None
    definition: str
    explanation: str
    aliases: tuple[str, ...]
    avoid: dict[str, str] = field(hash=False)
    related: tuple[str, ...]
    sources: tuple[str, ...]
    category: str
    line: int

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted spelling: term, abbreviation, aliases."""
        extra = (self.abbreviation,) if self.abbreviation else ()
        return (self.term, *extra, *self.aliases)


@dataclass(frozen=True)
class Glossary:
    path: Path
    entries: tuple[Entry, ...]
    categories: tuple[str, ...]
    by_id: dict[str, Entry] = field(hash=False, compare=False)


def glossary_path(config_dir: Path, configured: str | None = None) -> Path:
    return Path(config_dir) / (configured or DEFAULT_GLOSSARY_FILE)


def tooltip(entry: Entry) -> str:
    if entry.abbreviation:
        return f"{entry.term} ({entry.abbreviation}): {entry.definition}"
    return entry.definition


def letter_of(entry: Entry) -> str:
    first = entry.term[:1].upper()
    return first if "A" <= first <= "Z" else "0-9"


def letter_anchor(letter: str) -> str:
    return f"letter-{letter.lower()}"


def glossary_anchors(glossary: Glossary) -> list[str]:
    """Every anchor the glossary page has for entries and the letter index."""
    letters = sorted({letter_of(e) for e in glossary.entries})
    return [e.id for e in glossary.entries] + [letter_anchor(x) for x in letters]


def _text(path: Path, item: Located, name: str, *, required: bool) -> str | None:
    value = item.value.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        what = "missing or empty" if value in (None, "") else "must be text"
        raise DataError(path, item.line_of(name), name, f"'{name}' {what}")
    return value.strip()


def _text_list(path: Path, item: Located, name: str) -> tuple[str, ...]:
    value = item.value.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataError(path, item.line_of(name), name, f"'{name}' must be a list of text values")
    return tuple(v.strip() for v in value)


def _avoid(path: Path, item: Located, term: str) -> dict[str, str]:
    value = item.value.get("avoid")
    line = item.line_of("avoid")
    if value is None:
        return {}
    if isinstance(value, list):
        if not all(isinstance(v, str) and v.strip() for v in value):
            raise DataError(path, line, "avoid", "'avoid' list items must be text")
        return {v.strip(): term for v in value}
    if isinstance(value, Located):
        pairs = value.value.items()
        if not all(isinstance(v, str) and v.strip() for _, v in pairs):
            raise DataError(
                path, line, "avoid", "'avoid' mapping values must be text (the replacement)"
            )
        return {k.strip(): v.strip() for k, v in pairs}
    raise DataError(
        path, line, "avoid", "'avoid' must be a list of variants or a mapping variant: replacement"
    )


def _entry(path: Path, item: Located, categories: tuple[str, ...]) -> Entry:
    unknown = sorted(set(item.value) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        allowed = ", ".join(REQUIRED + OPTIONAL)
        raise DataError(
            path,
            item.line_of(unknown[0]),
            unknown[0],
            f"unknown field '{unknown[0]}' (allowed: {allowed})",
        )
    values = {name: _text(path, item, name, required=True) for name in REQUIRED}
    eid, term, definition = values["id"], values["term"], values["definition"]
    assert eid and term and definition  # _text(required=True) never returns None
    if not _ID.fullmatch(eid) or eid.startswith("letter-"):
        raise DataError(
            path,
            item.line_of("id"),
            "id",
            f"id '{eid}' must be lower-case words joined by hyphens and not start with 'letter-'",
        )
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
    if values["category"] not in categories:
        raise DataError(
            path,
            item.line_of("category"),
            "category",
            f"unknown category '{values['category']}' (allowed: {', '.join(categories)})",
        )
    return Entry(
        id=eid,
        term=term,
        abbreviation=_text(path, item, "abbreviation", required=False),
        definition=definition,
        explanation=values["explanation"] or "",
        aliases=_text_list(path, item, "aliases"),
        avoid=_avoid(path, item, term),
        related=_text_list(path, item, "related"),
        sources=_text_list(path, item, "sources"),
        category=values["category"] or "",
        line=item.line,
    )


def _check_names(path: Path, entries: list[tuple[Entry, Located]]) -> None:
    """Each spelling names one entry, and no entry bans another entry's spelling."""
    owner: dict[str, tuple[Entry, str]] = {}
    for entry, item in entries:
        for field_name, role, names in (
            ("term", "the term", (entry.term,)),
            (
                "abbreviation",
                "the abbreviation",
                (entry.abbreviation,) if entry.abbreviation else (),
            ),
            ("aliases", "an alias", entry.aliases),
        ):
            for name in names:
                key = name.casefold()
                if key in owner and owner[key][0] is not entry:
                    other, other_role = owner[key]
                    raise DataError(
                        path,
                        item.line_of(field_name),
                        field_name,
                        f"duplicate term '{name}': already {other_role} of entry "
                        f"'{other.id}' (line {other.line})",
                    )
                owner.setdefault(key, (entry, role))
    for entry, item in entries:
        for variant in entry.avoid:
            hit = owner.get(variant.casefold())
            if hit:
                other, other_role = hit
                raise DataError(
                    path,
                    item.line_of("avoid"),
                    "avoid",
                    f"variant '{variant}' is {other_role} of entry '{other.id}' "
                    f"(line {other.line}); a spelling cannot be both accepted and avoided",
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


# One build reads the glossary from several places (the hook, the Markdown extension on
# every page, the checker); parsing YAML with line numbers is the slow part, so it is done
# once per version of the file. Source ids are checked on every call: registries differ.
_parsed: dict[Path, tuple[tuple[int, int, int], Glossary, list[tuple[Entry, Located]]]] = {}


def load_glossary(path: Path, sources: dict[str, Source] | None = None) -> Glossary:
    """Read and validate the glossary; raise DataError naming file, line and field."""
    key = Path(path).resolve()
    try:
        stat = key.stat()
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except OSError:
        stamp = None  # load_located reports the missing or unreadable file
    cached = _parsed.get(key)
    if stamp is None or cached is None or cached[0] != stamp:
        glossary, parsed = _parse(path)
        if stamp is not None:
            _parsed[key] = (stamp, glossary, parsed)
    else:
        glossary, parsed = cached[1], cached[2]
    _check_sources(path, parsed, sources)
    return glossary


def _parse(path: Path) -> tuple[Glossary, list[tuple[Entry, Located]]]:
    data = load_located(path)
    if not isinstance(data, Located) or not isinstance(data.value.get("entries"), list):
        raise DataError(path, 1, "entries", "expected a top-level 'entries:' list")
    unknown = sorted(set(data.value) - {"categories", "entries"})
    if unknown:
        raise DataError(
            path,
            data.line_of(unknown[0]),
            unknown[0],
            f"unknown top-level key '{unknown[0]}' (allowed: categories, entries)",
        )
    categories = _categories(path, data)
    parsed: list[tuple[Entry, Located]] = []
    by_id: dict[str, Entry] = {}
    for item in data.value["entries"]:
        if not isinstance(item, Located):
            raise DataError(path, data.line_of("entries"), "entries", "each entry is a mapping")
        entry = _entry(path, item, categories)
        if entry.id in by_id:
            raise DataError(
                path,
                item.line_of("id"),
                "id",
                f"duplicate id '{entry.id}' (first on line {by_id[entry.id].line})",
            )
        by_id[entry.id] = entry
        parsed.append((entry, item))
    _check_names(path, parsed)
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
        "category": entry.category,
    }
