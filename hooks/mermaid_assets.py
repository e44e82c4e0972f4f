"""MkDocs hook: serve the Mermaid library from the site itself.

Material fetches Mermaid from a CDN (unpkg) whenever ``window.mermaid`` is
undefined. The guide makes no third-party requests, so when the version pinned in
package-lock.json is installed (``npm ci``) we copy it into the built site and
set ``extra.mermaid_library``; ``overrides/partials/mermaid-loader.html`` then
defines ``window.mermaid`` as a stand-in that loads our copy when a diagram comes
near the screen. Without npm the build still succeeds with Material's own CDN
loader, and we say so once.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.hooks.mermaid_assets")

MERMAID_DIST = Path("node_modules/mermaid/dist/mermaid.min.js")
SITE_COPY = "assets/javascripts/mermaid/mermaid.min.js"

_said_fallback = False


def source_file(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent / MERMAID_DIST


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _said_fallback
    if source_file(config).is_file():
        config.extra["mermaid_library"] = SITE_COPY
    else:
        config.extra.pop("mermaid_library", None)
        if not _said_fallback:
            # `mkdocs serve` rebuilds often; one notice is enough.
            log.info(
                "Mermaid is not installed (npm missing or `npm ci` not run): "
                "diagrams will load Mermaid from Material's default CDN."
            )
            _said_fallback = True
    return config


def on_post_build(config: MkDocsConfig) -> None:
    if not config.extra.get("mermaid_library"):
        return
    dest = Path(config.site_dir) / SITE_COPY
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source_file(config), dest)
