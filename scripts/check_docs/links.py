"""Resolve a link as MkDocs would: what it points at, decided once for every rule."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import unquote, urlsplit

from check_docs.collect import Link
from check_docs.project import Project

# A scheme as RFC 3986 spells it; Windows drive letters are not schemes.
SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
# Browsers ignore these inside a scheme name, so `java\tscript:` is still javascript:.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")


class Kind(Enum):
    EXTERNAL = "external"  # http(s) or protocol-relative: only --external checks it
    OTHER_SCHEME = "other-scheme"  # mailto:, tel:, ...: nothing to check
    UNSAFE = "unsafe"
    SAME_PAGE = "same-page"
    PAGE = "page"
    FILE = "file"  # an existing non-page file (image, PDF, ...)
    FOLDER = "folder"
    MISSING = "missing"
    OUTSIDE = "outside"  # climbs out of docs_dir
    UNCHECKED = "unchecked"  # absolute path MkDocs leaves alone


@dataclass(frozen=True)
class Target:
    kind: Kind
    path: str = ""  # docs-relative target for PAGE/FILE/FOLDER/MISSING
    fragment: str = ""


def scheme_of(url: str) -> str | None:
    match = SCHEME_RE.match(_IGNORED_IN_SCHEME.sub("", url))
    return match.group(1).lower() if match else None


def resolve(project: Project, page: str, url: str) -> Target:
    """What ``url``, written on docs-relative ``page``, points at."""
    scheme = scheme_of(url)
    if scheme in UNSAFE_SCHEMES:
        return Target(Kind.UNSAFE)
    if scheme in ("http", "https") or url.startswith("//"):
        return Target(Kind.EXTERNAL)
    if scheme is not None:
        return Target(Kind.OTHER_SCHEME)
    parts = urlsplit(url)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if not path:
        return Target(Kind.SAME_PAGE, page, fragment)
    if path.startswith("/"):
        if not project.config.absolute_links_relative_to_docs:
            return Target(Kind.UNCHECKED)
        joined = posixpath.normpath(path.lstrip("/"))
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if joined == ".." or joined.startswith("../"):
        return Target(Kind.OUTSIDE, joined, fragment)
    joined = "" if joined == "." else joined
    if joined in project.pages:
        return Target(Kind.PAGE, joined, fragment)
    if joined in project.files:
        return Target(Kind.FILE, joined, fragment)
    if joined == "" or joined in project.dirs:
        return Target(Kind.FOLDER, joined, fragment)
    return Target(Kind.MISSING, joined, fragment)


@dataclass(frozen=True)
class LinkUse:
    page: str  # docs-relative path of the page the link is on
    link: Link
    target: Target


def resolved(project: Project) -> list[LinkUse]:
    """Every link on every page with its target, resolved once per run and kept on the project."""
    if project.resolved_links is None:
        project.resolved_links = [
            LinkUse(rel, link, resolve(project, rel, link.url))
            for rel, page in project.pages.items()
            for link in page.links
        ]
    return project.resolved_links
