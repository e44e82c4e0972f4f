"""MkDocs hook: the pages drawn from ``data/models.yml`` (the example models).

- Load and validate ``extra.models_file`` once per build, against the sources registry
  and the glossary: bad data, or a glossary ``examples:`` list that contradicts the data,
  stops the build with file, line and field, never a traceback.
- Replace a marker line in a page with Markdown generated from the data, in the page's
  file before anything reads it, so term links, "Mentioned on" lists, the Mermaid pipeline
  and MkDocs' link checks all treat it as the page's own text:

  ``<!-- models:timeline -->``  every model and idea from 2013 to 2026, by year
  ``<!-- models:overlap -->``   the figure of which models are generative AI, LLMs and
                                foundation models, with its text version
  ``<!-- models:table -->``     one row of facts per model

- Check what each page says about named models (year, maker, table examples, diagram
  links; see ``fieldguide.model_claims``) against the data, and stop the build on a
  contradiction, naming the page and line.
- Add the ids the generated text cites to the page's ``sources`` so its Sources block
  lists them and its ``#source-<id>`` links resolve.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from check_docs.errors import DataError
from fieldguide.glossary import Glossary, glossary_path, load_glossary
from fieldguide.locations import docs_prefix
from fieldguide.model_claims import check_page
from fieldguide.model_pages import (
    CONCEPTS,
    cited_ids,
    models_table_markdown,
    overlap_markdown,
    timeline_markdown,
)
from fieldguide.models import ModelData, check_examples, load_models, models_path
from fieldguide.page_markers import has_markers, rewrite_pages, substitute
from fieldguide.sources import Source, load_sources, sources_path

PREFIX = "models"
TIMELINE_PAGE = "timeline.md"

_data: ModelData | None = None
_sources: dict[str, Source] = {}
_glossary: Glossary | None = None
_cited: dict[str, list[str]] = {}  # src_uri -> source ids its generated text cites


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _data, _sources, _glossary
    root = Path(config.config_file_path).parent
    try:
        # Each hook loads what it needs through the library, so hook order never matters.
        _sources = load_sources(sources_path(root, config.extra.get("sources_file")))
        _data = load_models(models_path(root, config.extra.get("models_file")), _sources)
        _glossary = load_glossary(glossary_path(root, config.extra.get("glossary_file")))
    except DataError as exc:
        raise PluginError(str(exc)) from None
    missing = [gid for gid, _ in CONCEPTS if gid not in _glossary.by_id]
    if missing:
        raise PluginError(
            f"{_glossary.path}: [models] the overlap figure needs glossary entries "
            f"{', '.join(missing)}"
        )
    problems = check_examples(_glossary, _data)
    if problems:
        raise PluginError("\n".join(str(p) for p in problems))
    return config


def _concepts() -> dict[str, str]:
    assert _glossary is not None
    return {gid: _glossary.by_id[gid].term for gid, _ in CONCEPTS}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Check every page's claims, then expand the markers in the page files themselves.

    Expanding here, before any page is read, means every later step sees the generated
    text as the page's own (see ``fieldguide.page_markers``). MkDocs runs every hook's
    ``on_files`` before any ``on_nav`` or page event, whatever the order of the hooks.
    """
    global _cited
    assert _data is not None and _glossary is not None
    data = _data
    terms = {entry.id: entry.term for entry in _glossary.entries}
    _cited = {}
    problems: list[str] = []

    def rewrite(text: str, src_uri: str) -> str:
        problems.extend(
            f"{docs_prefix(config)}{src_uri}:{c.line}: [models] {c.message}"
            for c in check_page(text, data, terms)
        )
        if not has_markers(text, PREFIX):
            return text
        cited: list[str] = []

        def render(name: str, argument: str | None, alone: bool) -> str:
            if not alone or argument is not None or name not in ("timeline", "overlap", "table"):
                raise KeyError(
                    f"'models:{name}' (use models:timeline, models:overlap or models:table, "
                    "each alone on its line)"
                )
            if name == "timeline":
                cited.extend(cited_ids(data))
                return timeline_markdown(data, _sources)
            if name == "overlap":
                return overlap_markdown(data, _concepts())
            return models_table_markdown(data, TIMELINE_PAGE)

        result = substitute(text, PREFIX, render, docs_prefix(config) + src_uri)
        _cited[src_uri] = cited
        return result

    try:
        rewrite_pages(files, rewrite)
    except DataError as exc:
        raise PluginError(str(exc)) from None
    if problems:
        raise PluginError("\n".join(problems))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    cited = _cited.get(page.file.src_uri)
    if cited:
        own = page.meta.get("sources") or []
        page.meta["sources"] = list(dict.fromkeys([*own, *cited]))
    return markdown
