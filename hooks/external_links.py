"""MkDocs hook: mark each link to another site with the class ``fg-external``.

Printed pages write the address after such a link, and only after such a link
(``docs/stylesheets/extra.css``, print section). CSS could tell them apart by
``href`` only while no script rewrites links (Material's instant navigation, when a site
turns it on, makes every link absolute on load), and a link to the site's own address
is not external either: links to ``site_url`` get no class.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

CLASS = "fg-external"
_TAG = re.compile(r"<a\s[^>]*>")
_HREF = re.compile(r'\shref="(https?://[^"]*)"')
_CLASS_ATTR = re.compile(r'\sclass="([^"]*)"')


def mark_external(html: str, site_url: str = "") -> str:
    """``html`` with ``class="fg-external"`` on every ``<a>`` to another site."""

    def mark(tag: re.Match[str]) -> str:
        text = tag.group(0)
        href = _HREF.search(text)
        if not href or (site_url and href.group(1).startswith(site_url)):
            return text
        existing = _CLASS_ATTR.search(text)
        if existing is None:
            return text[:2] + f' class="{CLASS}"' + text[2:]
        if CLASS in existing.group(1).split():
            return text
        start = existing.start(1)
        return text[:start] + CLASS + " " + text[start:]

    return _TAG.sub(mark, html)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    return mark_external(html, config.site_url or "")
