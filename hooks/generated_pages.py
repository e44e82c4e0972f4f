"""MkDocs hook: a page built from a data file is edited, and dated, by that file.

A page whose entries a hook generates (the Glossary from ``data/glossary.yml``, the
Sources from ``data/sources.yml``) names the file in its front matter::

    generated_from: data/glossary.yml

relative to ``mkdocs.yml``. Then the page's edit button opens that file instead of
the Markdown stub, and its "last updated" date (the git-revision-date-localized
plugin's, shown by ``overrides/partials/page-intro.html``) is the later of the
stub's and the data file's last commits. A name that is not a file in the
project stops the build with the page, the line and what to do.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

KEY = "generated_from"
DATE_PLUGIN = "git-revision-date-localized"
_KEY_LINE = re.compile(rf"^{KEY}\s*:", re.M)


def _data_file(page: Page, config: MkDocsConfig) -> Path | None:
    name = page.meta.get(KEY)
    if name is None:
        return None
    root = Path(config.config_file_path).parent.resolve()
    path = (root / str(name)).resolve() if isinstance(name, str) and name.strip() else None
    if path is None or not path.is_relative_to(root) or not path.is_file():
        match = _KEY_LINE.search(page.file.content_string)
        line = page.file.content_string.count("\n", 0, match.start()) + 1 if match else 1
        raise PluginError(
            f"{config.docs_dir}/{page.file.src_uri}:{line}: [front matter] {KEY}: "
            f"{name!r} is not a file in the project; give its path relative to mkdocs.yml"
        )
    return path


def _edit_url(page: Page, path: Path, config: MkDocsConfig) -> str | None:
    if not page.edit_url or not page.file.abs_src_path:
        return None
    # The data file's place relative to the page's source, applied to the page's
    # edit address: .../edit/main/docs/glossary.md -> .../edit/main/data/glossary.yml
    here = Path(page.file.abs_src_path).resolve().parent
    return urljoin(page.edit_url, Path(os.path.relpath(path, here)).as_posix())


def _later_date(page: Page, path: Path, config: MkDocsConfig) -> None:
    """Give the page the data file's commit date when it is the more recent."""
    plugin = config.plugins.get(DATE_PLUGIN)
    util = getattr(plugin, "util", None)
    if util is None or "git_revision_date_localized_raw_iso_datetime" not in page.meta:
        return
    _, stamp = util.get_git_commit_timestamp(str(path))
    locale = page.meta.get("locale") or plugin.config.get("locale")
    dates = util.get_date_formats_for_timestamp(stamp, locale=locale, add_spans=False)
    if dates["iso_datetime"] > page.meta["git_revision_date_localized_raw_iso_datetime"]:
        for kind, text in dates.items():
            page.meta[f"git_revision_date_localized_raw_{kind}"] = text


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    path = _data_file(page, config)
    if path is not None:
        page.edit_url = _edit_url(page, path, config) or page.edit_url
        _later_date(page, path, config)
    return markdown
