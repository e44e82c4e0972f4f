"""check_docs: the writers' safety net for the Generative AI Field Guide.

Collect (read and parse every page once) → check (each rule in ``rules/``
reads the collected project) → report (text, JSON or GitHub annotations).
The CLI, the MkDocs hook (``hooks/check_docs.py``) and the tests all go
through :func:`check_docs.engine.run_checks`, so there is one code path.
"""

from __future__ import annotations

__all__ = ["__version__"]

# Part of every cache key: bump when parsing or rules change what they record.
__version__ = "1.0.0"
