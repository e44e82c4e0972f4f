"""MkDocs hook: name each heading's permalink (¶) with aria-label instead of title.

The toc extension gives every permalink a ``title``: the site's tooltips
(overrides/main.html) would open one over the ¶ of every heading a reader points at,
and while Material's ``content.tooltips`` wired each title up on page load, they were
the largest piece of main-thread work a phone did on the glossary (one heading per
entry). As ``aria-label`` the same words still name the link for screen readers,
instead of "¶".
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

_PERMALINK_TITLE = re.compile(r'(<a class="headerlink" href="[^"]*") title="([^"]*)"')


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    return _PERMALINK_TITLE.sub(r'\1 aria-label="\2"', html)
