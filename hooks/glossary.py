"""MkDocs hook: the parts of the glossary only a build can do.

- Load and validate ``extra.glossary_file`` (with the sources registry) once per
  build; bad data stops the build with the file, line and field, no traceback.
- Point the ``fieldguide.mdx.glossary_terms`` extension at that file by absolute
  path, so the build works from any working directory.
- Before any page renders, find which pages mention each entry ("Mentioned on").
- Fill the Glossary page's marker with the entries, and switch term links off on
  that page and on any page whose front matter says ``glossary: false``.
- List only the letters in the Glossary page's table of contents (below).
- Write ``glossary.json`` (every entry, the URL of its anchor, the pages using it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from check_docs.errors import DataError
from fieldguide.glossary import GLOSSARY_PAGE, Glossary, as_record, glossary_path, load_glossary
from fieldguide.glossary_page import MARKER, PageRef, mentions, render_glossary
from fieldguide.locations import docs_prefix
from fieldguide.mdx.glossary_terms import OFF_MARKER, glossary_and_matcher
from fieldguide.models import load_models, models_path
from fieldguide.sources import Source, load_sources, sources_path

EXTENSION = "fieldguide.mdx.glossary_terms"
JSON_FILE = "glossary.json"

_glossary: Glossary | None = None
_sources: dict[str, Source] = {}
_model_names: dict[str, str] = {}  # model id -> name, for entries' examples
_all_model_names: list[str] = []  # every model's names and aliases, for versions
_mentioned: dict[str, list[PageRef]] = {}
_urls: dict[str, str] = {}  # src_uri -> page URL relative to the site root


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _glossary, _sources, _model_names, _all_model_names
    root = Path(config.config_file_path).parent
    path = glossary_path(root, config.extra.get("glossary_file"))
    try:
        # Each hook loads what it needs through the library, so hook order never matters.
        _sources = load_sources(sources_path(root, config.extra.get("sources_file")))
        _glossary = load_glossary(path, _sources)
        models = models_path(root, config.extra.get("models_file"))
        if models.is_file():
            loaded = load_models(models, _sources).models
            _model_names = {m.id: m.name for m in loaded}
            _all_model_names = [n for m in loaded for n in m.names]
    except DataError as exc:
        raise PluginError(str(exc)) from None
    if EXTENSION in config.mdx_configs or EXTENSION in config.markdown_extensions:
        config.mdx_configs.setdefault(EXTENSION, {})["glossary_file"] = str(path)
    return config


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    global _mentioned, _urls
    assert _glossary is not None
    # Pages in reading order (the nav), then any page left out of it.
    ordered = [p.file for p in nav.pages]
    ordered += [f for f in files.documentation_pages() if f not in ordered]
    _urls = {f.src_uri: f.url for f in ordered}
    try:
        _mentioned = mentions(
            ((f.src_uri, f.content_string) for f in ordered),
            glossary_and_matcher(_glossary.path)[1],
            skip=GLOSSARY_PAGE,
            docs_prefix=docs_prefix(config),
        )
    except DataError as exc:
        raise PluginError(str(exc)) from None
    return nav


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _glossary is not None
    where = docs_prefix(config) + page.file.src_uri
    flag = page.meta.get("glossary", True)
    if not isinstance(flag, bool):
        raise PluginError(f"{where}: [glossary] front matter 'glossary' must be true or false")
    if page.file.src_uri == GLOSSARY_PAGE:
        if MARKER not in markdown:
            raise PluginError(
                f"{where}: [glossary] the page must contain the line {MARKER} where the entries go"
            )
        entries = render_glossary(
            _glossary, _sources, _mentioned, page.file.src_uri, _model_names, _all_model_names
        )
        markdown = markdown.replace(MARKER, entries)
        flag = False  # the page defines the terms; linking them to itself helps nobody
    return markdown if flag else f"{OFF_MARKER}\n\n{markdown}"


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    """The Glossary's table of contents lists its letters, not its 121 entries.

    Material draws the table of contents twice (the sidebar, and the phone drawer), so
    the entries made up a third of the page's elements and of the links every style
    pass goes through. The page's own A-Z bar and site search lead to an entry; its
    heading ids are unchanged. Material's search (an earlier plugin) has indexed the
    page by then, and indexes a heading that is not in the table of contents under its
    id all the same.
    """
    if page.file.src_uri == GLOSSARY_PAGE and page.toc is not None:
        for title in page.toc:
            for letter in title.children:
                letter.children = []
    return context


def _absolute(config: MkDocsConfig, url: str) -> str:
    site_url = config.site_url or "/"
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", url)


def on_post_build(config: MkDocsConfig) -> None:
    assert _glossary is not None
    page_url = _absolute(config, _urls.get(GLOSSARY_PAGE, "glossary/"))
    records: list[dict[str, Any]] = []
    for entry in _glossary.entries:
        record = as_record(entry)
        record["url"] = f"{page_url}#{entry.id}"
        record["mentioned_on"] = [
            _absolute(config, _urls[p.src_uri]) for p in _mentioned.get(entry.id, [])
        ]
        records.append(record)
    data = {"glossary": page_url, "count": len(records), "entries": records}
    out = Path(config.site_dir) / JSON_FILE
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
