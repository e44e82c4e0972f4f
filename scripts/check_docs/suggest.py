"""Close-match suggestions shared by the rules ("did you mean …").

Only a few candidates are compared (difflib is quadratic in string length and
linear in candidates): the target's own folder and a case-insensitive match,
so a suggestion stays cheap on a site of ten thousand pages.
"""

from __future__ import annotations

import difflib
import posixpath
from collections import defaultdict
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.8)
    return matches[0] if matches else None


class PathIndex:
    """Files grouped by folder and by lower-cased path, for suggesting a link target."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.by_folder: dict[str, list[str]] = defaultdict(list)
        self.by_lower: dict[str, str] = {}
        for path in sorted(paths):
            self.by_folder[posixpath.dirname(path)].append(path)
            self.by_lower.setdefault(path.lower(), path)
        # target -> its suggestion: the same missing page is often linked from many
        # pages, and each answer costs a difflib pass over its folder.
        self._answers: dict[str, str | None] = {}

    def closest(self, target: str) -> str | None:
        try:
            return self._answers[target]
        except KeyError:
            pass
        same_case = self.by_lower.get(target.lower())
        if same_case is None:
            same_case = closest(target, self.by_folder.get(posixpath.dirname(target), ()))
        self._answers[target] = same_case
        return same_case


def relative_link(from_page: str, target: str, fragment: str = "") -> str:
    """How ``from_page`` should write a link to docs-relative ``target``."""
    rel = posixpath.relpath(target, posixpath.dirname(from_page) or ".")
    return rel + (f"#{fragment}" if fragment else "")
