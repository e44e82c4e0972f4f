"""MkDocs hook: resolve each page's ``sources:`` front matter for the Sources block.

The registry lives in one YAML file (``extra.sources_file``); the block itself is
rendered by ``overrides/partials/sources.html``. Unknown ids stop the build with a
message naming the page and line, never a traceback.

A page holding the marker ``<!-- sources:registry -->`` (docs/sources.md) gets the
whole registry in its place, with the pages citing each source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from check_docs.errors import DataError
from fieldguide.anchors import source_anchor
from fieldguide.citations import PageSources, cited_by, read_page_sources
from fieldguide.locations import docs_prefix
from fieldguide.registry_page import MARKER, render_registry
from fieldguide.sources import Source, load_sources, resolve, sources_path

_registry: dict[str, Source] = {}
_cited_by: dict[str, list[PageSources]] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _registry
    try:
        root = Path(config.config_file_path).parent
        _registry = load_sources(sources_path(root, config.extra.get("sources_file")))
    except DataError as exc:
        raise PluginError(f"Sources registry: {exc}") from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # Every page's citations are needed before the first page is rendered, so read
    # them all here; this also checks every id once, with the line it is on.
    global _cited_by
    try:
        pages = [
            read_page_sources(f.content_string, f.src_uri, docs_prefix(config), _registry)
            for f in files.documentation_pages()
        ]
    except DataError as exc:
        raise PluginError(str(exc)) from None
    _cited_by = cited_by(pages)
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    # List citing pages in reading order (the nav), not in file-name order.
    order = {page.file.src_uri: index for index, page in enumerate(nav.pages)}
    for pages in _cited_by.values():
        pages.sort(key=lambda p: (order.get(p.src_uri, len(order)), p.src_uri))
    return nav


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, render_registry(_registry, _cited_by, page.file.src_uri))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    # The Sources block is rendered by the template, after MkDocs collected the
    # page's anchors; declare its `source-<id>` anchors so that inline citations
    # such as `[Goodfellow et al., 2014](#source-goodfellow-2014)` pass --strict.
    ids = page.meta.get("sources")
    if isinstance(ids, list) and page.present_anchor_ids is not None:
        page.present_anchor_ids.update(source_anchor(i) for i in ids if isinstance(i, str))
    return html


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any
) -> dict[str, Any]:
    try:
        # The template names each entry with the same function the checker uses.
        context["source_anchor"] = source_anchor
        context["page_sources"] = resolve(
            page.meta.get("sources"), _registry, docs_prefix(config) + page.file.src_uri
        )
    except DataError as exc:
        raise PluginError(str(exc)) from None
    return context
