"""MkDocs hook: the build's side of the diagrams (fieldguide.mdx.diagrams).

- Point the extension at ``data/diagrams`` and ``package-lock.json`` by absolute
  path, so the build works from any working directory, and stop the build early,
  with one clear line, when the extension or the lock file is missing.
- Warn, naming the page and line, for every diagram that has no drawing (or whose
  drawing cannot be used): ``make serve`` shows a placeholder, and
  ``mkdocs build --strict`` fails until someone runs ``make diagrams``.
- After a build, say which stored drawings no page used; ``make diagrams`` removes them.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from check_docs.errors import DataError
from fieldguide.diagrams import markup
from fieldguide.diagrams.locate import line_in
from fieldguide.diagrams.settings import mermaid_version
from fieldguide.diagrams.store import DrawingStore

log = logging.getLogger("mkdocs.hooks.diagrams")

EXTENSION = "fieldguide.mdx.diagrams"
FORMATTER = "fieldguide.mdx.diagrams.format_mermaid"

_USED = re.compile(r'data-fg-diagram="([0-9a-f]+)"')
_MISSING = re.compile(
    r'<div class="fg-diagram__missing" data-fg-diagram-(missing|problem)="([^"]*)">.*?'
    r"<pre><code>(.*?)</code></pre>",
    re.S,
)

_store: DrawingStore | None = None
_used: set[str] = set()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _store
    root = Path(config.config_file_path).parent
    if EXTENSION not in config.markdown_extensions:
        raise PluginError(
            f"hooks/diagrams.py: add {EXTENSION} to markdown_extensions in mkdocs.yml"
        )
    options = config.mdx_configs.setdefault(EXTENSION, {})
    folder = root / options.get("drawings_dir", "data/diagrams")
    lock = root / options.get("package_lock", "package-lock.json")
    try:
        mermaid_version(lock)
    except DataError as exc:
        raise PluginError(str(exc)) from None
    options["drawings_dir"] = str(folder)
    options["package_lock"] = str(lock)
    _store = DrawingStore(folder)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    _used.clear()


def _line_of(source: str, page: Page, config: MkDocsConfig) -> str:
    """``path:line`` of the fence's first line, or the path alone (a generated diagram)."""
    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir)
    path = (docs.relative_to(root) if docs.is_relative_to(root) else docs) / page.file.src_uri
    try:
        line = line_in(source, Path(page.file.abs_src_path or "").read_text(encoding="utf-8"))
    except OSError:
        line = None
    return f"{path}:{line}" if line else f"{path} (a generated diagram)"


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    _used.update(_USED.findall(html_text))
    for kind, detail, code in _MISSING.findall(html_text):
        source = html.unescape(code)
        where = _line_of(source, page, config)
        if kind == "missing":
            _used.add(detail)
            log.warning(f"{where}: {markup.NOT_DRAWN}: {markup.RUN_MAKE_DIAGRAMS}")
        else:
            log.warning(f"{where}: diagram cannot be shown: {html.unescape(detail)}")
    return html_text


def on_post_build(config: MkDocsConfig) -> None:
    if _store is None:
        return
    unused = sorted(_store.keys() - _used)
    stray = _store.stray_files()
    if unused or stray:
        names = [f"{key}.svg" for key in unused] + [p.name for p in stray]
        log.info(
            f"{len(names)} file(s) in {_store.folder.name}/ that no page uses "
            f"({', '.join(names[:5])}{', …' if len(names) > 5 else ''}): "
            "`make diagrams` removes them"
        )
