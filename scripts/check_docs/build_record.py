"""The build record: what a build made, kept for standalone runs.

Inside ``mkdocs build`` and ``mkdocs serve`` the plugin (``check_docs.plugin``) writes
``.check_docs_cache/build.json`` beside mkdocs.yml: for each page, the hash of its
source, its address, the ids its built HTML has and the links of its content as
rendered (each placed on its Markdown line); every file of the site; the pages the
build left out (an exclude plugin's); the pages in the navigation and those that pages
made by plugins link to. A standalone run reads it, so on a site built once it knows
the anchors, pages and links that plugins and hooks make: a link a hook wrote is
judged, a Markdown template's expression is not.

A page whose source changed since (its hash differs) is stale: its own ids come from a
fresh parse again, and an id only the build gave it is no longer trusted. A change to
the build's inputs (mkdocs.yml, the hooks, the paths MkDocs watches) makes the whole
record stale for what plugins make. A record that cannot be read, is damaged or is
from another version is ignored with a note, never trusted.

``--site DIR`` derives the same record from a built site folder (any generator:
Zensical runs the Markdown extensions but not MkDocs plugins): ids are read from each
HTML file, links from its content (the theme's navigation is not the writer's), a page
a plugin moved is found by its "edit this page" link, and a page is stale when its
source is newer than its HTML.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from check_docs import files
from check_docs.record import Link
from check_docs.site import dest_of_url

FORMAT = "check_docs build record 2"
RECORD_FILE = "build.json"
MAX_RECORD_BYTES = 256 * 1024 * 1024
MAX_HTML_BYTES = 64 * 1024 * 1024


@dataclass
class PageBuild:
    digest: str | None  # sha256 of the source it was built from (None: judge by mtime)
    anchors: frozenset[str]
    made: frozenset[str] = frozenset()  # ids the Markdown alone does not give
    built_at: float = 0.0  # for --site: the HTML file's mtime
    url: str | None = None  # its address (site-relative, unquoted; "" for the home page)
    # The links of its content as rendered (``Link.href``); line 0: not yet placed on
    # the Markdown (from a site folder). None: not known, the Markdown's are judged.
    links: tuple[Link, ...] | None = None


@dataclass
class BuildRecord:
    inputs: str = ""  # digest of the build's inputs when it was made
    pages: dict[str, PageBuild] = field(default_factory=dict)  # docs-relative source -> page
    outputs: frozenset[str] = frozenset()  # every file of the site (site-relative)
    nav: frozenset[str] = frozenset()  # sources of the pages in the navigation
    linked: frozenset[str] = frozenset()  # sources linked from pages plugins made
    left_out: frozenset[str] = frozenset()  # pages of docs_dir the build did not render
    source: str = ""  # where it was read from, for notes

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "inputs": self.inputs,
            "pages": {
                src: {
                    "digest": p.digest,
                    "anchors": sorted(p.anchors),
                    "made": sorted(p.made),
                    "url": p.url,
                    "links": None if p.links is None else [list(link) for link in p.links],
                }
                for src, p in sorted(self.pages.items())
            },
            "outputs": sorted(self.outputs),
            "nav": sorted(self.nav),
            "linked": sorted(self.linked),
            "left_out": sorted(self.left_out),
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
            url, links = page["url"], page["links"]
            pages[_text(src)] = PageBuild(
                digest,
                frozenset(_texts(page["anchors"])),
                frozenset(_texts(page["made"])),
                url=None if url is None else _text(url),
                links=None if links is None else tuple(_link(v) for v in _list(links)),
            )
        return cls(
            inputs=_text(data["inputs"]),
            pages=pages,
            outputs=frozenset(_texts(data["outputs"])),
            nav=frozenset(_texts(data["nav"])),
            linked=frozenset(_texts(data["linked"])),
            left_out=frozenset(_texts(data["left_out"])),
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


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _texts(value: Any) -> list[str]:
    return [_text(v) for v in _list(value)]


def _link(value: Any) -> Link:
    line, column, url, syntax, href = _list(value)
    if not (isinstance(line, int) and isinstance(column, int)) or isinstance(line, bool):
        raise TypeError("a link's line and column")
    return Link(line, column, _text(url), _text(syntax), _text(href))


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
        # dumps, not dump: only a one-shot encoding uses the C encoder (5x faster).
        text = json.dumps(record.to_json(), separators=(",", ":"))
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
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
# Names in any case, ASCII only, as HTML has them (``re.I`` alone lets "ıd" be "id").
_ID = re.compile(r"""\s(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I | re.A)


# Where an id (or an anchor's name) is set: read at the space before the word.
_ID_AT = re.compile(rb"\s(?:id|name)\s*=")
# What the name of every link attribute (``LINK_ATTRS``) holds.
_LINK_WORDS = (b"href", b"src", b"action", b"poster", b"data")


def _tags_holding(
    markup: str, words: tuple[bytes, ...], at_word: re.Pattern[bytes] | None = None
) -> Iterator[re.Match[str]]:
    """The tags (``_TAG`` matches) holding one of ``words`` in any case (HTML's names
    are: ``ID="top"`` is an id), where ``at_word`` (if given) matches from the
    character before the word; in order, each once.

    The same tags as scanning every tag and keeping those, at a fraction of the cost
    on a theme's page (a thousand-page site's navigation is thousands of tags on every
    page; ``bytes.find`` finds words many times faster than a regular expression): a
    tag holds no ``<`` after its first character, so a word's tag starts at the last
    ``<`` before it, and whether a tag matches there depends on nothing before it."""
    # One byte a character, so offsets are the same; ASCII letters in lower case (the
    # case HTML ignores; names are ASCII), anything else a "?".
    lowered = markup.encode("ascii", "replace").lower()
    first: dict[int, int] = {}  # where a tag may start -> the first word after it
    for word in words:
        at = lowered.find(word)
        while at >= 0:
            if at_word is None or (at > 0 and at_word.match(lowered, at - 1)):
                start = markup.rfind("<", 0, at)
                if start >= 0 and first.setdefault(start, at) > at:
                    first[start] = at
            at = lowered.find(word, at + 1)
    for start in sorted(first):
        tag = _TAG.match(markup, start)
        if tag is not None and first[start] < tag.end():
            yield tag


def without_skipped(markup: str) -> str:
    """``markup`` with its comments, scripts and styles blanked: what ``html_ids`` and
    ``linked_paths`` read."""
    return _SKIP.sub(" ", markup)


def html_ids(markup: str) -> set[str]:
    """Every id in an HTML document (and every ``<a name>``), entities decoded."""
    return _ids(without_skipped(markup))


def ids_and_paths(dest: str, markup: str, linked: LinkedPaths) -> set[str]:
    """``html_ids`` of the HTML file at ``dest``; the site paths it links to are added to
    ``linked``. Its comments, scripts and styles are blanked once for both (a theme's
    page is mostly what they read)."""
    blanked = without_skipped(markup)
    linked.add(dest, blanked)
    return _ids(blanked)


def _ids(blanked: str) -> set[str]:
    found: set[str] = set()
    for tag in _tags_holding(blanked, (b"id", b"name"), _ID_AT):
        attrs = tag.group(2)
        if not attrs:
            continue
        for attr in _ID.finditer(attrs):
            if attr.group(1).lower() == "name" and tag.group(1).lower() != "a":
                continue
            value = attr.group(2) if attr.group(2) is not None else attr.group(3) or attr.group(4)
            if value:
                found.add(unescape(value) if "&" in value else value)
    return found


_HREF = re.compile(r"""<a\s[^<>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)


def from_site(site_dir: Path, urls: dict[str, str], docs_dir: Path) -> BuildRecord:
    """The record of a built site folder. ``urls`` maps each docs-relative page to the
    address MkDocs (or a plugin whose rule is known) gives it; a page whose HTML is not
    there is looked for by the "edit this page" link that names its source
    (``.../<docs folder's name>/<page>``), and is left out when its source is older
    than the site (an exclude plugin's; a page written since is judged as it is).
    ``linked`` holds the pages any HTML file of the site links to (its navigation
    included): what a reader can reach by following links."""
    outputs = []
    for current, _dirs, names in os.walk(site_dir):
        rel = Path(current).relative_to(site_dir).as_posix()
        outputs.extend(name if rel == "." else f"{rel}/{name}" for name in names)
    present = set(outputs)
    dest_to_src: dict[str, str] = {}
    unplaced: set[str] = set()
    for src, url in urls.items():
        dest = dest_of_url(url)
        if dest in present:
            dest_to_src.setdefault(dest, src)
        else:
            unplaced.add(src)
    documents = [d for d in outputs if d.endswith((".html", ".htm"))]
    if unplaced:
        for dest in documents:
            if dest not in dest_to_src and (markup := _read_html(site_dir / dest)) is not None:
                src = _edited_source(markup, docs_dir.name, unplaced)
                if src is not None:
                    dest_to_src[dest] = src
                    unplaced.discard(src)
    pages = {}
    linked = LinkedPaths()
    newest = 0.0
    for dest in documents:
        path = site_dir / dest
        markup = _read_html(path)
        if markup is None:
            continue
        try:
            built_at = path.stat().st_mtime
        except OSError:
            continue
        newest = max(newest, built_at)
        src = dest_to_src.get(dest)
        if src is None:
            linked.add(dest, without_skipped(markup))
        else:
            ids = ids_and_paths(dest, markup, linked)
            links = tuple(
                Link(0, 0, href, "html", href) for _tag, href in html_links(content_of(markup))
            )
            pages[src] = PageBuild(
                None,
                frozenset(ids),
                built_at=built_at,
                url=url_of_dest(dest),
                links=links,
            )
    return BuildRecord(
        pages=pages,
        outputs=frozenset(outputs),
        linked=frozenset(pages_at(linked.paths, dest_to_src)),
        left_out=frozenset(src for src in unplaced if _older(docs_dir / src, newest)),
        source=str(site_dir),
    )


def url_of_dest(dest: str) -> str:
    """The address a browser shows for the HTML file ``dest`` (a folder's index.html
    is the folder)."""
    if dest == "index.html":
        return ""
    return dest[: -len("index.html")] if dest.endswith("/index.html") else dest


def _read_html(path: Path) -> str | None:
    try:
        return files.decode_text(files.read_bytes(path, MAX_HTML_BYTES))
    except (files.FileProblem, OSError):
        return None


def _edited_source(markup: str, docs_name: str, wanted: set[str]) -> str | None:
    """The page whose "edit this page" or "view source" link (an absolute address that
    ends in ``/<docs_name>/<page>``) this HTML file has, if it is one of ``wanted``."""
    marker = f"/{docs_name}/"
    for match in _HREF.finditer(markup):
        href = next(g for g in match.groups() if g is not None)
        if "://" not in href or marker not in href:
            continue
        path = unquote(unescape(href).split("#", 1)[0].split("?", 1)[0])
        src = path[path.rfind(marker) + len(marker) :]
        if src in wanted:
            return src
    return None


def _older(path: Path, than: float) -> bool:
    try:
        return path.stat().st_mtime <= than
    except OSError:
        return False


# The element that holds a page's content, best first: Material's (an article, or a
# div on a blog's index), a theme's main landmark, <main>, <body>. The rest of the HTML
# (navigation, header, footer) is the theme's, not the writer's.
_CONTAINERS = (
    re.compile(
        r"""<([a-zA-Z][\w-]*)\s[^<>]*?\bclass\s*=\s*["'][^"']*\bmd-content__inner\b""", re.I
    ),
    re.compile(r"""<([a-zA-Z][\w-]*)\s[^<>]*?\brole\s*=\s*["']?main\b""", re.I),
    re.compile(r"<(main)\b", re.I),
    re.compile(r"<(body)\b", re.I),
)


def content_of(markup: str) -> str:
    """The markup of the page's content container (the whole document without one)."""
    markup = _SKIP.sub(" ", markup)
    for container in _CONTAINERS:
        start = container.search(markup)
        if start is None:
            continue
        name = re.escape(start.group(1))
        depth = 0
        for tag in re.finditer(rf"<(/?){name}\b[^<>]*?(/?)>", markup[start.start() :], re.I):
            if tag.group(2):
                continue
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                return markup[start.start() : start.start() + tag.end()]
        return markup[start.start() :]
    return markup


_ATTR = re.compile(r"""([^\s"'=<>/`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
LINK_ATTRS = frozenset({"href", "src", "action", "formaction", "poster", "data", "xlink:href"})


def html_links(markup: str) -> list[tuple[str, str]]:
    """(tag name, address with entities decoded) of every link attribute in ``markup``,
    in order; comments, scripts and styles skipped."""
    out = []
    for tag in _tags_holding(without_skipped(markup), _LINK_WORDS):
        attrs = tag.group(2)
        if not attrs:
            continue
        name = tag.group(1).lower()
        for attr in _ATTR.finditer(attrs):
            if attr.group(1).lower() not in LINK_ATTRS:
                continue
            raw = attr.group(2) if attr.group(2) is not None else attr.group(3) or attr.group(4)
            out.append((name, unescape(raw or "").strip()))
    return out


def linked_paths(dest: str, markup: str) -> set[str]:
    """The site paths the HTML file at ``dest`` links to by relative address (a folder
    address as the folder's index.html); its navigation included."""
    linked = LinkedPaths()
    linked.add(dest, without_skipped(markup))
    return linked.paths


# ``_HREF``'s address as one group, quotes kept (a string, not a tuple, for each link).
_HREF_VALUE = re.compile(r"""<a\s[^<>]*?\bhref\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)


class LinkedPaths:
    """The site paths a build's HTML files link to (``linked_paths`` of each, in one
    set). A theme's navigation gives each of a thousand pages the same thousand links:
    an address whose target depends only on the folder it climbs to is resolved once
    for that folder, and the others' are found by set difference (in C) instead of one
    Python step a link. One that climbs to the site's root or above (or leads off the
    site) is kept for each depth of the linking folder; one that climbs ``up`` levels
    less than that for each (``up``, folder reached), which pages in the same section
    share."""

    def __init__(self) -> None:
        self.paths: set[str] = set()
        # Addresses (as ``_HREF_VALUE`` finds them) resolved: by depth of the linking
        # folder when they climb to the root or above, by (levels up, folder reached)
        # when they climb less.
        self._done: dict[int, set[str]] = {}
        self._done_in: dict[tuple[int, str], set[str]] = {}

    def add(self, dest: str, blanked: str) -> None:
        """The paths the HTML file at ``dest`` (``blanked`` by ``without_skipped``)
        links to."""
        folder = posixpath.dirname(dest)
        depth = folder.count("/") + 1 if folder else 0
        found = set(_HREF_VALUE.findall(blanked))
        if _normal(folder):
            at_root = self._done.setdefault(depth, set())
            parts = folder.split("/") if folder else []
            # climbed[up]: the addresses climbing ``up`` levels from here, resolved
            climbed = [
                self._done_in.setdefault((up, "/".join(parts[: depth - up])), set())
                for up in range(depth)
            ]
            found.difference_update(at_root, *climbed)
        else:  # a folder such as "a/./b" climbs otherwise: its links one by one
            at_root, climbed = set(), []
        for address in found:
            taken = _relative(address[1:-1] if address[0] in "\"'" else address)
            if taken is None:
                at_root.add(address)
                continue
            up, path, folder_link = taken
            if not (path or up):
                self.paths.add(dest)  # this page itself ("?query")
                continue
            self.paths.add(_site_path(_up(folder, up), path, folder_link))
            if up >= depth:  # the root or above: the same from any folder this deep
                at_root.add(address)
            elif climbed:  # the same from any folder that climbs to the same one
                climbed[up].add(address)


@functools.lru_cache(maxsize=4096)
def _normal(folder: str) -> bool:
    """Whether climbing ``depth`` levels from ``folder`` reaches the site's root (no
    ".", ".." or empty part, not absolute)."""
    if not folder:
        return True
    return posixpath.normpath(folder) == folder and folder.split("/")[0] not in ("", ".", "..")


# Every page links to every other in a theme's navigation: each address is taken apart
# once, and resolved once from each folder its leading '../'s reach.
@functools.lru_cache(maxsize=1 << 16)
def _relative(href: str) -> tuple[int, str, bool] | None:
    """A relative address as (levels up, the rest of its path, whether it names a
    folder); None when it leads off the site or to this page's own fragment."""
    href = unescape(href) if "&" in href else href
    if not href or "://" in href or href.startswith(("#", "/", "mailto:", "javascript:")):
        return None
    path = unquote(href.split("#", 1)[0].split("?", 1)[0])
    up = 0
    while path.startswith("../", 3 * up):
        up += 1
    if path.startswith("/", 3 * up):
        up = 0
    return up, path[3 * up :], path.endswith("/")


@functools.lru_cache(maxsize=4096)
def _up(folder: str, levels: int) -> str:
    return posixpath.normpath(posixpath.join(folder, "../" * levels)) if levels else folder


@functools.lru_cache(maxsize=1 << 16)
def _site_path(folder: str, path: str, folder_link: bool) -> str:
    target = posixpath.normpath(posixpath.join(folder, path))
    return posixpath.join(target, "index.html") if folder_link else target


def pages_at(paths: set[str], dest_to_src: dict[str, str]) -> set[str]:
    """The sources of the pages at ``paths`` (a path or the index.html inside it)."""
    out = set()
    for target in paths:
        src = dest_to_src.get(target) or dest_to_src.get(posixpath.join(target, "index.html"))
        if src is not None:
            out.add(src)
    return out
