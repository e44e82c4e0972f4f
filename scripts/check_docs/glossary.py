"""The terminology a site configures: the part of a glossary file the checker reads.

A glossary is a YAML file with a top-level ``entries:`` list. The checker reads five
fields of each entry and leaves every other field (definitions, categories, sources…)
to the site that owns the file::

    entries:
      - id: llm                     # stable id: lower-case words joined by hyphens
        term: large language model  # the spelling to use, in its case
        abbreviation: LLM           # optional
        aliases: [language model]   # optional: other accepted names
        avoid: [large-language model]            # optional: -> replaced by `term`,
        # avoid: {foundational models: foundation models}   # or variant: replacement

Every spelling names one entry, and no spelling is both accepted and avoided. Bad
data raises :class:`check_docs.errors.DataError` naming file, line and field.

Everything derived from a data file (its parsed YAML, the term list, a compiled
matcher, a site's richer reading of the same file) is cached once per version of the
file by :func:`per_file_version`: the one glossary cache of the build and the checker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from check_docs.errors import DataError
from check_docs.yamldata import Located, load_located

TERM_FIELDS = ("id", "term", "abbreviation", "aliases", "avoid")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

T = TypeVar("T")
# (resolved path, builder) -> (file stamp, value). Building is parsing YAML with line
# numbers and compiling regexes: the slow part, done once per version of the file
# however many pages, hooks and rules ask.
_cache: dict[tuple[Path, Callable[[Path], Any]], tuple[tuple[int, int, int], Any]] = {}


def per_file_version(path: Path, build: Callable[[Path], T]) -> T:
    """``build(path)``, computed again only when the file changes (mtime, size, inode)."""
    resolved = Path(path).resolve()
    try:
        stat = resolved.stat()
    except OSError:
        return build(resolved)  # the builder reports the missing or unreadable file
    stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    cached = _cache.get((resolved, build))
    if cached is not None and cached[0] == stamp:
        return cached[1]  # type: ignore[no-any-return]
    value = build(resolved)
    _cache[(resolved, build)] = (stamp, value)
    return value


def located(path: Path) -> Located:
    """The file's YAML with line numbers, with a top-level ``entries:`` list (cached)."""
    return per_file_version(path, _located)


def _located(path: Path) -> Located:
    data = load_located(path)
    if not isinstance(data, Located) or not isinstance(data.value.get("entries"), list):
        raise DataError(path, 1, "entries", "expected a top-level 'entries:' list")
    for item in data.value["entries"]:
        if not isinstance(item, Located):
            raise DataError(path, data.line_of("entries"), "entries", "each entry is a mapping")
    return data


@dataclass(frozen=True)
class TermEntry:
    id: str
    term: str
    abbreviation: str | None
    aliases: tuple[str, ...]
    avoid: dict[str, str] = field(hash=False)  # discouraged variant -> replacement
    line: int

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted spelling: term, abbreviation, aliases."""
        extra = (self.abbreviation,) if self.abbreviation else ()
        return (self.term, *extra, *self.aliases)


@dataclass(frozen=True)
class TermGlossary:
    path: Path
    entries: tuple[TermEntry, ...]
    by_id: dict[str, TermEntry] = field(hash=False, compare=False)


def text_field(path: Path, item: Located, name: str, *, required: bool) -> str | None:
    value = item.value.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        what = "missing or empty" if value in (None, "") else "must be text"
        raise DataError(path, item.line_of(name), name, f"'{name}' {what}")
    return value.strip()


def text_list(path: Path, item: Located, name: str) -> tuple[str, ...]:
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


def term_fields(path: Path, item: Located) -> dict[str, Any]:
    """The checked term fields of one entry, as keyword arguments of ``TermEntry``."""
    eid = text_field(path, item, "id", required=True)
    term = text_field(path, item, "term", required=True)
    assert eid and term  # required=True never returns None
    if not _ID.fullmatch(eid) or eid.startswith("letter-"):
        raise DataError(
            path,
            item.line_of("id"),
            "id",
            f"id '{eid}' must be lower-case words joined by hyphens and not start with 'letter-'",
        )
    return {
        "id": eid,
        "term": term,
        "abbreviation": text_field(path, item, "abbreviation", required=False),
        "aliases": text_list(path, item, "aliases"),
        "avoid": _avoid(path, item, term),
        "line": item.line,
    }


def check_names(path: Path, entries: list[tuple[TermEntry, Located]]) -> None:
    """Ids are unique, each spelling names one entry, and no entry bans another's spelling."""
    first: dict[str, TermEntry] = {}
    for entry, item in entries:
        if entry.id in first:
            raise DataError(
                path,
                item.line_of("id"),
                "id",
                f"duplicate id '{entry.id}' (first on line {first[entry.id].line})",
            )
        first[entry.id] = entry
    owner: dict[str, tuple[TermEntry, str]] = {}
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


def load_terms(path: Path) -> TermGlossary:
    """The glossary's terminology; raise DataError naming file, line and field (cached)."""
    return per_file_version(path, _terms)


def _terms(path: Path) -> TermGlossary:
    data = located(path)
    parsed = [(TermEntry(**term_fields(path, item)), item) for item in data.value["entries"]]
    check_names(path, parsed)
    return _glossary(path, [entry for entry, _item in parsed])


def _glossary(path: Path, entries: list[TermEntry]) -> TermGlossary:
    by_id = {entry.id: entry for entry in entries}
    ordered = tuple(sorted(by_id.values(), key=lambda e: (e.term.casefold(), e.term)))
    return TermGlossary(path, ordered, by_id)


def terms_to_plain(glossary: TermGlossary) -> list[tuple[Any, ...]]:
    """The checked entries as plain data, in the file's order (``check_docs.config_cache``
    keeps them between runs)."""
    return [
        (e.id, e.term, e.abbreviation, e.aliases, e.avoid, e.line) for e in glossary.by_id.values()
    ]


def terms_from_plain(path: Path, rows: list[tuple[Any, ...]]) -> TermGlossary:
    """The glossary ``terms_to_plain`` gave, as ``load_terms`` builds it from the file
    (TypeError when the rows are not what ``terms_to_plain`` writes)."""
    entries = []
    for eid, term, abbreviation, aliases, avoid, line in rows:
        if not (isinstance(eid, str) and isinstance(term, str) and isinstance(line, int)):
            raise TypeError("glossary entry")
        if not (abbreviation is None or isinstance(abbreviation, str)):
            raise TypeError("glossary abbreviation")
        aliases = tuple(str(a) for a in aliases)
        avoid = {str(v): str(r) for v, r in dict(avoid).items()}
        entries.append(TermEntry(eid, term, abbreviation, aliases, avoid, line))
    return _glossary(Path(path).resolve(), entries)
