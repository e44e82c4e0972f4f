"""Where a page is, as messages name it: the configured ``docs_dir`` relative to the
folder of ``mkdocs.yml``, then the page's path in it (``docs/concepts/llm.md``).

Hooks take the folder from the configuration MkDocs passes, never the literal
``docs/``: a site whose pages live in ``content/`` must hear ``content/page.md``.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig


def docs_prefix(config: MkDocsConfig) -> str:
    """``docs_dir`` as written before a page's path, e.g. ``docs/`` ("" for ".")."""
    docs = Path(config.docs_dir)
    root = Path(config.config_file_path).parent
    try:
        shown = docs.relative_to(root).as_posix()
    except ValueError:  # docs_dir outside the configuration's folder
        shown = docs.as_posix()
    return "" if shown == "." else shown + "/"
