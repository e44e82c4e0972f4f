"""Where a link takes the reader, decided once for every rule.

A Markdown link or image to a file of ``docs_dir`` is rewritten by MkDocs to that
file's URL (``mkdocs.structure.pages._RelativePathTreeprocessor``): it is judged by
the file it names, relative to the page's source file. Anything else reaches the
reader as written, and is judged as a browser judges it: against the URL of the page
it is on and the files the site has (``check_docs.site``). So a folder link that works
(``[Guide](guide/)`` on the home page) is fine, the same link one page deeper is not,
and raw HTML (``<a href>``, ``<img src>``), which MkDocs never rewrites, is judged the
way readers meet it.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import unquote

from check_docs.record import Link
from check_docs.site import Site

# A scheme as RFC 3986 spells it; Windows drive letters are not schemes.
SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
# Browsers drop ASCII tab and newline anywhere in a URL, and leading C0 controls and
# spaces, so `java\tscript:` and `java⏎script:` are still javascript: to them.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")


class TargetKind:
    """What a link points at (plain strings: they cross process boundaries cheaply)."""

    EXTERNAL = "external"  # http(s) or protocol-relative: only --external checks it
    OTHER_SCHEME = "other-scheme"  # mailto:, tel:, ...: nothing to check
    UNSAFE = "unsafe"
    SAME_PAGE = "same-page"
    PAGE = "page"  # a page of the site (``path``: its docs-relative source)
    FILE = "file"  # a file of the site that is not a page (``path``: its site path)
    MISSING = "missing"  # nothing there (``path``: the docs-relative path it names)
    OUTSIDE = "outside"  # climbs out of docs_dir (``path``: as resolved)
    UNCHECKED = "unchecked"  # an absolute path outside the site's own path


class Target(NamedTuple):
    kind: str
    path: str = ""
    fragment: str = ""
    # True when the browser's reading decided (the link reaches the reader as written)
    as_written: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt by C code when unpickled (a page worker sends every link's target;
        # the named tuple's own __new__ is Python), as ``record.Link`` is.
        return (tuple.__new__, (Target, tuple(self)))


def scheme_of(url: str) -> str | None:
    if ":" not in url:
        return None
    match = SCHEME_RE.match(_IGNORED_IN_SCHEME.sub("", url))
    return match.group(1).lower() if match else None


def resolve(
    site: Site, files: frozenset[str] | set[str], page: str, link: Link, relative_to_docs: bool
) -> Target:
    """Where ``link``, written on docs-relative ``page``, takes the reader."""
    url = link.url
    scheme = scheme_of(url) if ":" in url else None
    if scheme is not None:
        if scheme in UNSAFE_SCHEMES:
            return Target(TargetKind.UNSAFE)
        return Target(
            TargetKind.EXTERNAL if scheme in ("http", "https") else TargetKind.OTHER_SCHEME
        )
    if url.startswith("//"):
        return Target(TargetKind.EXTERNAL)
    if link.href and link.href != url:
        # From a build: MkDocs rewrote it; where the rewritten address leads decides.
        return _as_written(site, page, link.href, "")
    path, _, fragment = url.partition("#")
    path = path.partition("?")[0]
    if "%" in path:
        path = unquote(path)
    if "%" in fragment:
        fragment = unquote(fragment)
    if not path:
        return Target(TargetKind.SAME_PAGE, page, fragment)
    named = ""
    if link.syntax != "html" and (not path.startswith("/") or relative_to_docs):
        # MkDocs rewrites a Markdown link to a docs file into that file's URL.
        if path.startswith("/"):
            named = posixpath.normpath(path.lstrip("/"))
        else:
            named = _joined(_folder(page), path)
        if named in files:
            if named in site.urls:  # (most links: made as unpickling makes them, in C)
                return _new(Target, (TargetKind.PAGE, named, fragment, False))
            return Target(TargetKind.FILE, named, fragment)
        if named in site.outputs and site.page_at(named) is None:
            # A file the theme (or the build) puts in the site: MkDocs' files include
            # the theme's, so it rewrites the link to that file's address too.
            return Target(TargetKind.FILE, named, fragment)
        if path.startswith("/"):
            return Target(TargetKind.MISSING, named, fragment)
    return _as_written(site, page, url, named)


_new = tuple.__new__
# A page's folder, asked for each of its links (a site has a few per page).
_folder = lru_cache(maxsize=1024)(posixpath.dirname)


def _joined(folder: str, path: str) -> str:
    """``posixpath.normpath`` of ``path`` (relative) read from ``folder`` (normal):
    the folder part normalised once per folder and written folder (many links of a
    site lead into the same few folders), then the file name added to it."""
    head, _, name = path.rpartition("/")
    if name in ("", ".", ".."):
        return posixpath.normpath(f"{folder}/{path}" if folder else path)
    base = _base(folder, head)
    return name if base == "." else f"{base}/{name}"


@lru_cache(maxsize=4096)
def _base(folder: str, head: str) -> str:
    return posixpath.normpath(f"{folder}/{head}" if folder else head or ".")


def _as_written(site: Site, page: str, url: str, named: str) -> Target:
    """Where a browser on ``page`` goes for ``url``; ``named`` is the docs-relative path
    the link names (for messages and suggestions)."""
    # A Markdown link out of docs_dir stays an error (MkDocs cannot rewrite it, and
    # where it lands depends on where the site is served); raw HTML is read as a
    # browser reads it.
    reached = site.resolve(page, url, clamp=not named)
    if reached is None:
        return Target(TargetKind.UNCHECKED)
    site_path, fragment = reached
    if site_path is None:
        if named and (named == ".." or named.startswith("../")):
            return Target(TargetKind.OUTSIDE, named, fragment, True)
        return Target(TargetKind.MISSING, named, fragment, True)
    source = site.page_at(site_path)
    if source is not None:
        return Target(TargetKind.PAGE, source, fragment, True)
    return Target(TargetKind.FILE, site_path, fragment, True)
