"""check_docs: a checker for MkDocs sites (links, anchors, nav, terminology).

Collect (read and parse every page once into its record) → check (each rule in
``rules/`` reads the records) → report (text, JSON or GitHub annotations). The CLI
(``check-docs``, ``python -m check_docs``) and the MkDocs plugin (``check_docs.plugin``)
both go through :mod:`check_docs.engine`, so there is one code path.
"""

from __future__ import annotations

__all__ = ["__version__"]

# The package version. The warm cache (check_docs.cache) keys everything on it, so a
# cache written by another version is never used.
__version__ = "1.0.0"
