"""The sources registry (``data/sources.yml``): every work the guide cites.

Pages list source ids in their front matter; the Sources block, the Sources
page and the glossary resolve those ids here, so a citation is written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from check_docs.errors import DataError
from check_docs.yamldata import Located, load_located

REQUIRED = ("id", "title", "author", "kind")
OPTIONAL = ("publisher", "year", "date", "url", "arxiv", "doi", "note", "used_for")
KINDS = ("article", "paper", "report", "announcement", "book", "documentation")
DEFAULT_SOURCES_FILE = "data/sources.yml"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    author: str
    kind: str
    line: int
    publisher: str | None = None
    year: int | None = None
    date: str | None = None
    url: str | None = None
    arxiv: str | None = None
    doi: str | None = None
    note: str | None = None
    used_for: str | None = None

    @property
    def link(self) -> str | None:
        """The best stable address: an explicit URL, else the arXiv or DOI resolver."""
        if self.url:
            return self.url
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return None


def sources_path(config_dir: Path, configured: str | None = None) -> Path:
    """The registry file: ``extra.sources_file`` in mkdocs.yml, relative to its folder."""
    return Path(config_dir) / (configured or DEFAULT_SOURCES_FILE)


def load_sources(path: Path) -> dict[str, Source]:
    """Read and validate the registry; raise DataError naming file, line and field."""
    data = load_located(path)
    if not isinstance(data, Located) or not isinstance(data.value.get("sources"), list):
        raise DataError(path, 1, "sources", "expected a top-level 'sources:' list")
    registry: dict[str, Source] = {}
    for item in data.value["sources"]:
        if not isinstance(item, Located):
            raise DataError(path, data.line_of("sources"), "sources", "each source is a mapping")
        fields = item.value
        for name in REQUIRED:
            value = fields.get(name)
            if not isinstance(value, str) or not value.strip():
                raise DataError(path, item.line, name, f"missing or empty '{name}'")
        unknown = set(fields) - set(REQUIRED) - set(OPTIONAL)
        if unknown:
            name = sorted(unknown)[0]
            allowed = ", ".join(REQUIRED + OPTIONAL)
            raise DataError(
                path, item.line_of(name), name, f"unknown field '{name}' (allowed: {allowed})"
            )
        if fields["kind"] not in KINDS:
            raise DataError(
                path, item.line_of("kind"), "kind", f"kind must be one of {', '.join(KINDS)}"
            )
        year = fields.get("year")
        if year is not None and not isinstance(year, int):
            raise DataError(path, item.line_of("year"), "year", "year must be a number")
        sid = fields["id"]
        if sid in registry:
            raise DataError(
                path,
                item.line_of("id"),
                "id",
                f"duplicate id '{sid}' (first on line {registry[sid].line})",
            )
        text = {k: (str(v) if v is not None else None) for k, v in fields.items() if k != "year"}
        registry[sid] = Source(line=item.line, year=year, **text)
    return registry


def resolve(ids: object, registry: dict[str, Source], where: str) -> list[Source]:
    """Turn a page's ``sources:`` front matter into Source records, or explain what is wrong."""
    if ids is None:
        return []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise DataError(where, None, "sources", "front matter 'sources' must be a list of ids")
    missing = [i for i in ids if i not in registry]
    if missing:
        raise DataError(
            where,
            None,
            "sources",
            f"unknown source id(s) {', '.join(missing)}: add them to data/sources.yml",
        )
    return [registry[i] for i in ids]
