"""The built site as readers get it: which files exist at which URL.

MkDocs writes each page of ``docs_dir`` to a file of its own (``guide/setup.md`` to
``guide/setup/index.html`` under ``use_directory_urls``), copies every other file as
is, and adds the theme's files. A browser resolves a link against the URL of the
page it is on. Links are judged against this map: in a build, the map is the site
folder MkDocs wrote; standalone, it is predicted from ``docs_dir`` and the theme,
plus whatever the last build record says plugins made.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

# What MkDocs renders as pages (mkdocs.utils.markdown_extensions).
PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


def is_page(src: str) -> bool:
    return src.lower().endswith(PAGE_SUFFIXES)


def _stem(src: str) -> tuple[str, str]:
    """(folder, file name without its suffix; README read as index), as
    ``posixpath.split`` and ``splitext`` give them (a leading dot is not a suffix)."""
    parent, _slash, filename = src.rpartition("/")
    dot = filename.rfind(".")
    stem = filename[:dot] if dot > 0 and filename[:dot].strip(".") else filename
    return parent, "index" if stem == "README" else stem


def dest_of(src: str, use_directory_urls: bool) -> str:
    """Where MkDocs writes ``src`` (relative to site_dir); mkdocs.structure.files.File."""
    if not is_page(src):
        return src
    parent, name = _stem(src)
    folder = parent + "/" if parent else ""
    if not use_directory_urls or name == "index":
        return f"{folder}{name}.html"
    return f"{folder}{name}/index.html"


def url_of(dest: str, use_directory_urls: bool) -> str:
    """The page's URL relative to the site root, unquoted ("" for the home page)."""
    dirname, filename = posixpath.split(dest)
    if use_directory_urls and filename == "index.html":
        return dirname + "/" if dirname else ""
    return dest


def drop_conflicts(pages: Iterable[str]) -> list[str]:
    """Pages without the README.md that an index.md in the same folder replaces
    (MkDocs excludes it, with a warning)."""
    pages = list(pages)
    present = set(pages)
    out = []
    for src in pages:
        if "README" in src:  # the rare case: look closer
            parent, filename = posixpath.split(src)
            if posixpath.splitext(filename)[0] == "README":
                siblings = (posixpath.join(parent, "index" + s) for s in PAGE_SUFFIXES)
                if any(s in present for s in siblings):
                    continue
        out.append(src)
    return out


@dataclass
class Site:
    """Output files, and the page each documentation page became."""

    use_directory_urls: bool
    # site path (relative to site_dir, unquoted) -> docs-relative source page, or ""
    # for a file that is not a page (an image, a theme's stylesheet, a file a plugin wrote)
    outputs: dict[str, str] = field(default_factory=dict)
    # docs-relative source page -> its URL relative to the site root
    urls: dict[str, str] = field(default_factory=dict)
    # Path of site_url (e.g. "/field-guide/"): absolute links under it are in the site.
    # None without a site_url: where the site is served is not known.
    base_path: str | None = None
    _dirs: set[str] | None = None

    @classmethod
    def predicted(
        cls,
        files: Iterable[str],
        use_directory_urls: bool,
        extra_outputs: Iterable[str] = (),
        site_url: str | None = None,
    ) -> Site:
        files = list(files)
        pages = drop_conflicts(f for f in files if is_page(f))
        site = cls(use_directory_urls, base_path=base_path_of(site_url))
        for src in files:
            if not is_page(src):
                site.outputs[src] = ""
        for src in pages:
            dest = dest_of(src, use_directory_urls)
            site.outputs[dest] = src
            site.urls[src] = url_of(dest, use_directory_urls)
        site.add_outputs(extra_outputs)
        return site

    def add_outputs(self, extra: Iterable[str]) -> None:
        """Files the theme or plugins add, where no page or docs file is (as
        ``predicted`` with ``extra_outputs`` has them)."""
        self.outputs = {**dict.fromkeys(extra, ""), **self.outputs}
        self._dirs = None

    def dirs(self) -> set[str]:
        if self._dirs is None:
            dirs: set[str] = set()
            for path in self.outputs:
                parent = posixpath.dirname(path)
                while parent and parent not in dirs:
                    dirs.add(parent)
                    parent = posixpath.dirname(parent)
            self._dirs = dirs
        return self._dirs

    def page_url(self, src: str) -> str:
        url = self.urls.get(src)
        if url is None:
            url = url_of(dest_of(src, self.use_directory_urls), self.use_directory_urls)
        return url

    def resolve(self, page: str, href: str, *, clamp: bool = True) -> tuple[str | None, str] | None:
        """Where a browser on ``page`` (docs-relative source) goes for a relative or
        site-absolute ``href``: (site path of the file it gets, or None when there is
        none; the fragment). None when the address leaves the site (another path on the
        host), which nothing here can judge. More ``../`` than the page's address has
        folders stop at the host's root (RFC 3986 remove_dot_segments): on a site served
        there (site_url's path is ``/``, or no site_url: as MkDocs previews it) that is
        the site's root; ``clamp=False`` calls such an address missing instead."""
        parts = urlsplit(href)
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        if path.startswith("/"):
            if self.base_path is None or not path.startswith(self.base_path):
                return None
            joined = path[len(self.base_path) :]
        else:
            base = self.page_url(page)
            folder = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
            if folder == "/":
                folder = ""
            joined = folder + path if path else base
        trailing = joined.endswith("/") or joined == ""
        normal = posixpath.normpath(joined) if joined else ""
        if normal in (".", ""):
            normal = ""
        elif normal == ".." or normal.startswith("../"):
            if not clamp:
                return (None, fragment)
            if self.base_path not in (None, "/"):
                return None  # above the site's folder on its host: not the site's to judge
            while normal == ".." or normal.startswith("../"):
                normal = normal[3:]
            if not normal:
                trailing = True
        if not trailing and normal in self.outputs:
            return (normal, fragment)
        index = posixpath.join(normal, "index.html") if normal else "index.html"
        if index in self.outputs and (trailing or normal in self.dirs() or not normal):
            return (index, fragment)
        return (None, fragment)

    def page_at(self, site_path: str) -> str | None:
        """The docs-relative source page written to ``site_path``, if it is a page."""
        return self.outputs.get(site_path) or None


def base_path_of(site_url: str | None) -> str | None:
    if not site_url:
        return None
    path = urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"
