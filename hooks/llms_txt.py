"""MkDocs hook: write ``llms.txt`` and ``llms-full.txt`` for language-model tools.

``llms.txt`` (https://llmstxt.org) is a Markdown index of the guide: the site name,
its description, then one section per nav section with a link and the front-matter
description of each page. ``llms-full.txt`` holds every page's Markdown in nav
order, so a tool can read the whole guide in one request. Both follow the nav, so
a page added to ``mkdocs.yml`` appears in them without any other change.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

_nav: Navigation | None = None


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    global _nav
    _nav = nav
    return nav


def _title(page: Page) -> str:
    return str(page.meta.get("title") or page.title or page.file.src_uri)


def _url(page: Page, config: MkDocsConfig) -> str:
    # Absolute when site_url is set (the published address), else site-relative.
    return page.canonical_url or "/" + page.url


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _groups(nav: Navigation) -> list[tuple[str, list[Page]]]:
    """Top-level pages go under "Guide"; each top-level section keeps its own heading."""
    groups: list[tuple[str, list[Page]]] = [("Guide", [])]
    for item in nav.items:
        if isinstance(item, Page):
            groups[0][1].append(item)
        elif isinstance(item, Section):
            pages = [p for p in _walk(item) if isinstance(p, Page)]
            if pages:
                groups.append((str(item.title), pages))
    return [g for g in groups if g[1]]


def _walk(section: Section) -> list[object]:
    out: list[object] = []
    for child in section.children:
        out.extend(_walk(child) if isinstance(child, Section) else [child])
    return out


def llms_index(nav: Navigation, config: MkDocsConfig) -> str:
    lines = [f"# {config.site_name}", ""]
    if config.site_description:
        lines += [f"> {_one_line(config.site_description)}", ""]
    for heading, pages in _groups(nav):
        lines += [f"## {heading}", ""]
        for page in pages:
            entry = f"- [{_title(page)}]({_url(page, config)})"
            if page.meta.get("description"):
                entry += f": {_one_line(page.meta['description'])}"
            lines.append(entry)
        lines.append("")
    return "\n".join(lines)


def llms_full(nav: Navigation, config: MkDocsConfig) -> str:
    parts = [f"# {config.site_name}", ""]
    if config.site_description:
        parts += [f"> {_one_line(config.site_description)}", ""]
    for _heading, pages in _groups(nav):
        for page in pages:
            parts += ["---", "", f"Source: {_url(page, config)}", ""]
            parts += [(page.markdown or "").strip(), ""]
    return "\n".join(parts)


def on_post_build(config: MkDocsConfig) -> None:
    if _nav is None:
        return
    site = Path(config.site_dir)
    (site / "llms.txt").write_text(llms_index(_nav, config), encoding="utf-8")
    (site / "llms-full.txt").write_text(llms_full(_nav, config), encoding="utf-8")
