"""MkDocs hook: name each heading's permalink (¶) with aria-label instead of title.

The toc extension gives every permalink a ``title``; with Material's
``content.tooltips`` each title becomes a tooltip wired up on page load, which on
the glossary (one heading per entry) is the largest piece of main-thread work a
phone does there (Lighthouse mobile, scripts/audit_site.py). As ``aria-label``
the same words still name the link for screen readers, instead of "¶".
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

_PERMALINK_TITLE = re.compile(r'(<a class="headerlink" href="[^"]*") title="([^"]*)"')


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    return _PERMALINK_TITLE.sub(r'\1 aria-label="\2"', html)
