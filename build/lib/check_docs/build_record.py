"""The build record: what a build made, kept for standalone runs.

Inside ``mkdocs build`` and ``mkdocs serve`` the plugin (``check_docs.plugin``) writes
``.check_docs_cache/build.json`` beside mkdocs.yml: for each page, the hash of its
source and the ids its built HTML has; every file of the site; the pages in the
navigation and those that pages made by plugins link to. A standalone run reads it,
so on a site built once it knows the anchors and pages that plugins and hooks make.

A page whose source changed since (its hash differs) is stale: its own ids come from a
fresh parse again, and an id only the build gave it is no longer trusted. A change to
the build's inputs (mkdocs.yml, the hooks, the paths MkDocs watches) makes the whole
record stale for what plugins make. A record that cannot be read, is damaged or is
from another version is ignored with a note, never trusted.

``--site DIR`` derives the same record from a built site folder (any generator:
Zensical runs the Markdown extensions but not MkDocs plugins): ids are read from each
HTML file, and a page is stale when its source is newer than its HTML.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from check_docs import files

FORMAT = "check_docs build record 1"
RECORD_FILE = "build.json"
MAX_RECORD_BYTES = 256 * 1024 * 1024
MAX_HTML_BYTES = 64 * 1024 * 1024


@dataclass
class PageBuild:
    digest: str | None  # sha256 of the source it was built from (None: judge by mtime)
    anchors: frozenset[str]
    made: frozenset[str] = frozenset()  # ids the Markdown alone does not give
    built_at: float = 0.0  # for --site: the HTML file's mtime


@dataclass
class BuildRecord:
    inputs: str = ""  # digest of the build's inputs when it was made
    pages: dict[str, PageBuild] = field(default_factory=dict)  # docs-relative source -> page
    outputs: frozenset[str] = frozenset()  # every file of the site (site-relative)
    nav: frozenset[str] = frozenset()  # sources of the pages in the navigation
    linked: frozenset[str] = frozenset()  # sources linked from pages plugins made
    source: str = ""  # where it was read from, for notes

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "inputs": self.inputs,
            "pages": {
                src: {"digest": p.digest, "anchors": sorted(p.anchors), "made": sorted(p.made)}
                for src, p in sorted(self.pages.items())
            },
            "outputs": sorted(self.outputs),
            "nav": sorted(self.nav),
            "linked": sorted(self.linked),
        }

    @classmethod
    def from_json(cls, data: Any, source: str) -> BuildRecord:
        """Raise ValueError (or TypeError) on anything that is not a record of ours."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a check_docs build record of this version")
        pages = {}
        for src, page in _mapping(data["pages"]).items():
            page = _mapping(page)
            digest = page["digest"]
            if not isinstance(digest, str):
                raise TypeError("digest")
            pages[_text(src)] = PageBuild(
                digest, frozenset(_texts(page["anchors"])), frozenset(_texts(page["made"]))
            )
        return cls(
            inputs=_text(data["inputs"]),
            pages=pages,
            outputs=frozenset(_texts(data["outputs"])),
            nav=frozenset(_texts(data["nav"])),
            linked=frozenset(_texts(data["linked"])),
            source=source,
        )


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("expected a mapping")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return [_text(v) for v in value]


def inputs_digest(config_file: Path, hooks: Iterable[Path], watch: Iterable[Path]) -> str:
    """A digest of what the build read besides the pages: mkdocs.yml, the hooks, and the
    files under the paths MkDocs watches (data files a hook reads)."""
    digest = hashlib.sha256()
    paths = [config_file, *hooks]
    for folder in watch:
        if folder.is_dir():
            paths.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
        else:
            paths.append(folder)
    for path in paths:
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(hashlib.sha256(files.read_bytes(path, MAX_RECORD_BYTES)).digest())
        except files.FileProblem:
            digest.update(b"-")
    return digest.hexdigest()


def write(record: BuildRecord, folder: Path) -> None:
    """Write the record atomically (a reader never sees half of it)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".build-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(record.to_json(), out, separators=(",", ":"))
        Path(tmp).replace(folder / RECORD_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(folder: Path) -> tuple[BuildRecord | None, str | None]:
    """The record in ``folder`` and None, or None and a note saying why it was not used
    (None and None when there is none)."""
    path = folder / RECORD_FILE
    if not path.exists():
        return None, None
    try:
        data = json.loads(files.read_bytes(path, MAX_RECORD_BYTES))
        return BuildRecord.from_json(data, str(path)), None
    except (files.FileProblem, ValueError, TypeError, KeyError, RecursionError) as exc:
        return None, f"{path}: build record ignored ({type(exc).__name__}: {exc}); build again"


# -- a built site folder ---------------------------------------------------------------
_SKIP = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<([a-zA-Z][\w:-]*)(\s[^<>]*?)?/?>")
_ID = re.compile(r"""\s(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)


def html_ids(markup: str) -> set[str]:
    """Every id in an HTML document (and every ``<a name>``), entities decoded."""
    found: set[str] = set()
    markup = _SKIP.sub(" ", markup)
    for tag in _TAG.finditer(markup):
        attrs = tag.group(2)
        if not attrs or ("id" not in attrs and "name" not in attrs):
            continue
        for attr in _ID.finditer(attrs):
            if attr.group(1).lower() == "name" and tag.group(1).lower() != "a":
                continue
            value = attr.group(2) if attr.group(2) is not None else attr.group(3) or attr.group(4)
            if value:
                found.add(unescape(value) if "&" in value else value)
    return found


_HREF = re.compile(r"""<a\s[^<>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)


def from_site(site_dir: Path, dest_to_src: dict[str, str]) -> BuildRecord:
    """The record of a built site folder: ``dest_to_src`` maps each page's site path to
    its docs-relative source. ``linked`` holds the pages any HTML file of the site links
    to (its navigation included): what a reader can reach by following links."""
    outputs = []
    for current, _dirs, names in os.walk(site_dir):
        rel = Path(current).relative_to(site_dir).as_posix()
        outputs.extend(name if rel == "." else f"{rel}/{name}" for name in names)
    pages = {}
    linked: set[str] = set()
    for dest in outputs:
        if not dest.endswith((".html", ".htm")):
            continue
        path = site_dir / dest
        try:
            markup = files.decode_text(files.read_bytes(path, MAX_HTML_BYTES))
            built_at = path.stat().st_mtime
        except (files.FileProblem, OSError):
            continue
        linked.update(_linked_pages(dest, markup, dest_to_src))
        src = dest_to_src.get(dest)
        if src is not None:
            pages[src] = PageBuild(None, frozenset(html_ids(markup)), built_at=built_at)
    return BuildRecord(
        pages=pages, outputs=frozenset(outputs), linked=frozenset(linked), source=str(site_dir)
    )


def linked_paths(dest: str, markup: str) -> set[str]:
    """The site paths the HTML file at ``dest`` links to by relative address (a folder
    address as the folder's index.html); its navigation included."""
    folder = posixpath.dirname(dest)
    out = set()
    for match in _HREF.finditer(_SKIP.sub(" ", markup)):
        href = unescape(next(g for g in match.groups() if g is not None))
        if not href or "://" in href or href.startswith(("#", "/", "mailto:", "javascript:")):
            continue
        path = unquote(href.split("#", 1)[0].split("?", 1)[0])
        target = posixpath.normpath(posixpath.join(folder, path)) if path else dest
        if path.endswith("/") or path == "":
            target = posixpath.join(target, "index.html") if path else target
        out.add(target)
    return out


def pages_at(paths: set[str], dest_to_src: dict[str, str]) -> set[str]:
    """The sources of the pages at ``paths`` (a path or the index.html inside it)."""
    out = set()
    for target in paths:
        src = dest_to_src.get(target) or dest_to_src.get(posixpath.join(target, "index.html"))
        if src is not None:
            out.add(src)
    return out


def _linked_pages(dest: str, markup: str, dest_to_src: dict[str, str]) -> set[str]:
    """The sources of the pages the HTML file at ``dest`` links to (relative links)."""
    return pages_at(linked_paths(dest, markup), dest_to_src)
