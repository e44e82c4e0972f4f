"""MkDocs hook: serve the Mermaid library from the site itself.

Material loads Mermaid lazily, only on a page that has a diagram, from a CDN
(unpkg). The guide makes no third-party requests, so after the build we copy
the version pinned in package-lock.json (installed by `npm ci`) into the site
and point Material's loader at that copy. If npm was not available the build
still succeeds with Material's own loader, and we say so once.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.hooks.mermaid_assets")

MERMAID_DIST = Path("node_modules/mermaid/dist/mermaid.min.js")
SITE_COPY = "assets/javascripts/mermaid/mermaid.min.js"
# The CDN address Material's bundle uses when `window.mermaid` is undefined.
CDN_PATTERN = re.compile(r'"https://unpkg\.com/mermaid@[^"]*/mermaid\.min\.js"')
# __md_scope is Material's absolute URL of the site root, set on the first page
# load and stable across instant navigation, so the path is right on every page.
LOCAL_EXPR = f'new URL("{SITE_COPY}",__md_scope).href'

_warned = False


def source_file(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent / MERMAID_DIST


def on_post_build(config: MkDocsConfig) -> None:
    global _warned
    src = source_file(config)
    if not src.is_file():
        if not _warned:
            log.info(
                "Mermaid is not installed (run `npm ci`; npm may be missing): "
                "diagrams will load Mermaid from Material's default CDN."
            )
            _warned = True
        return
    site = Path(config.site_dir)
    dest = site / SITE_COPY
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    bundles = sorted((site / "assets/javascripts").glob("bundle.*.min.js"))
    patched = 0
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        new, count = CDN_PATTERN.subn(LOCAL_EXPR, text)
        if count:
            bundle.write_text(new, encoding="utf-8")
            patched += count
    if not patched:
        # A Material upgrade moved the loader: fail loudly rather than ship a CDN call.
        log.warning(
            "mermaid_assets: Material's Mermaid loader was not found in %s; "
            "diagrams would load from a CDN. Update CDN_PATTERN in hooks/mermaid_assets.py.",
            ", ".join(b.name for b in bundles) or "assets/javascripts",
        )
