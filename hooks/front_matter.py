"""MkDocs hook: stop the build when a page's front matter is not valid YAML.

MkDocs would otherwise render the broken block as text and drop the page's
title, description and sources silently.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from check_docs.errors import DataError
from check_docs.frontmatter import parse_front_matter
from fieldguide.locations import docs_prefix


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    source = page.file.content_string
    try:
        parse_front_matter(source, docs_prefix(config) + page.file.src_uri)
    except DataError as exc:
        raise PluginError(str(exc)) from None
    return markdown
