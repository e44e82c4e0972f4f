"""Close-match suggestions shared by the rules ("did you mean …")."""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.8)
    return matches[0] if matches else None


def relative_link(from_page: str, target: str, fragment: str = "") -> str:
    """How ``from_page`` should write a link to docs-relative ``target``."""
    rel = posixpath.relpath(target, posixpath.dirname(from_page) or ".")
    return rel + (f"#{fragment}" if fragment else "")
