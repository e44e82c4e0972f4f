"""Resolve a link as MkDocs would: what it points at, decided once for every rule.

Resolution runs in the same worker process that parsed the page (it needs
only the set of files), so the rules in the main process do set lookups.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import unquote

from check_docs.collect import Link
from check_docs.finding import Finding

# A scheme as RFC 3986 spells it; Windows drive letters are not schemes.
SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
# Browsers ignore these inside a scheme name, so `java\tscript:` is still javascript:.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")


class Kind:
    """What a link points at (plain strings: they cross process boundaries cheaply)."""

    EXTERNAL = "external"  # http(s) or protocol-relative: only --external checks it
    OTHER_SCHEME = "other-scheme"  # mailto:, tel:, ...: nothing to check
    UNSAFE = "unsafe"
    SAME_PAGE = "same-page"
    PAGE = "page"
    FILE = "file"  # an existing file that is not a page (image, PDF, ...)
    FOLDER = "folder"
    MISSING = "missing"
    OUTSIDE = "outside"  # climbs out of docs_dir
    UNCHECKED = "unchecked"  # an absolute path MkDocs leaves alone


class Target(NamedTuple):
    kind: str
    path: str = ""  # docs-relative target for PAGE, FILE, FOLDER, MISSING, SAME_PAGE
    fragment: str = ""


@dataclass(frozen=True)
class SiteFiles:
    """What resolution needs to know about docs_dir."""

    pages: frozenset[str]
    files: frozenset[str]
    dirs: frozenset[str]
    absolute_relative_to_docs: bool


def scheme_of(url: str) -> str | None:
    if ":" not in url:
        return None
    match = SCHEME_RE.match(_IGNORED_IN_SCHEME.sub("", url))
    return match.group(1).lower() if match else None


# One page's links share its folder: computed once per page, not once per link.
_folder = functools.lru_cache(maxsize=64)(posixpath.dirname)


def resolve(site: SiteFiles, page: str, url: str) -> Target:
    """What ``url``, written on docs-relative ``page``, points at."""
    scheme = scheme_of(url)
    if scheme is not None:
        if scheme in UNSAFE_SCHEMES:
            return Target(Kind.UNSAFE)
        return Target(Kind.EXTERNAL if scheme in ("http", "https") else Kind.OTHER_SCHEME)
    if url.startswith("//"):
        return Target(Kind.EXTERNAL)
    path, _, fragment = url.partition("#")
    path = path.partition("?")[0]
    if "%" in path:
        path = unquote(path)
    if "%" in fragment:
        fragment = unquote(fragment)
    if not path:
        return Target(Kind.SAME_PAGE, page, fragment)
    if path[0] == "/":
        if not site.absolute_relative_to_docs:
            return Target(Kind.UNCHECKED)
        joined = posixpath.normpath(path.lstrip("/"))
    else:
        folder = _folder(page)
        joined = posixpath.normpath(f"{folder}/{path}" if folder else path)
    if joined == ".." or joined.startswith("../"):
        return Target(Kind.OUTSIDE, joined, fragment)
    if joined in site.pages:
        return Target(Kind.PAGE, joined, fragment)
    if joined in site.files:
        return Target(Kind.FILE, joined, fragment)
    if joined == "." or joined in site.dirs:
        return Target(Kind.FOLDER, "" if joined == "." else joined, fragment)
    return Target(Kind.MISSING, joined, fragment)


def uses(project: Any) -> Iterator[tuple[str, Link]]:
    """Every link on every page (resolved while parsing) with the page it is on."""
    for rel, page in project.pages.items():
        for link in page.links:
            yield rel, link


def link_finding(
    project: Any, page: str, link: Link, rule: str, message: str, suggestion: str | None = None
) -> Finding:
    """An error finding placed on ``link`` (the link rules all report where the link is)."""
    return Finding(
        project.display(page), link.line, link.column, rule, "error", message, suggestion
    )
