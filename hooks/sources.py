"""MkDocs hook: resolve each page's ``sources:`` front matter for the Sources block.

The registry lives in one YAML file (``extra.sources_file``); the block itself is
rendered by ``overrides/partials/sources.html``. Unknown ids stop the build with a
message naming the page, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from fieldguide.errors import DataError
from fieldguide.sources import Source, load_sources, resolve

_registry: dict[str, Source] = {}


def registry_path(config: MkDocsConfig) -> Path:
    root = Path(config.config_file_path).parent
    return root / config.extra.get("sources_file", "data/sources.yml")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _registry
    try:
        _registry = load_sources(registry_path(config))
    except DataError as exc:
        raise PluginError(f"Sources registry: {exc}") from None
    # Templates and other hooks read the registry from here.
    config.extra["source_registry"] = _registry
    return config


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    # The Sources block is rendered by the template, after MkDocs collected the
    # page's anchors; declare its `source-<id>` anchors so that inline citations
    # such as `[Goodfellow et al., 2014](#source-goodfellow-2014)` pass --strict.
    ids = page.meta.get("sources")
    if isinstance(ids, list) and page.present_anchor_ids is not None:
        page.present_anchor_ids.update(f"source-{i}" for i in ids if isinstance(i, str))
    return html


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any
) -> dict[str, Any]:
    try:
        context["page_sources"] = resolve(
            page.meta.get("sources"), _registry, f"docs/{page.file.src_uri}"
        )
    except DataError as exc:
        raise PluginError(str(exc)) from None
    return context
