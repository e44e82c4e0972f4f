"""MkDocs hook: each page's reading time, for the line under its title.

Sets ``page.meta["reading_time"]`` (whole minutes) from the words of the page's
prose, not its code or markup (``fieldguide.prose.reading_minutes``).
``overrides/partials/page-intro.html`` shows it on pages with a ``summary``.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from fieldguide.prose import reading_minutes


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    page.meta["reading_time"] = reading_minutes(markdown)
    return markdown
