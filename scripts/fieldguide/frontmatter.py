"""Front matter: the YAML block between `---` lines at the top of a page.

MkDocs silently treats an invalid block as body text, so a writer's typo would
drop the page's title, description and sources without a word. Both the build
(hooks/front_matter.py) and the checker parse it here and report the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from fieldguide.errors import DataError

# The same delimiters MkDocs accepts (mkdocs.utils.meta): `---` then `---` or `...`.
_BLOCK = re.compile(r"\A-{3}[ \t]*\r?\n(.*?\r?\n)?(?:-{3}|\.{3})[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True)
class FrontMatter:
    meta: dict[str, Any]
    body_start: int  # offset of the first character after the block
    body_line: int  # 1-based line number where the body starts


def parse_front_matter(text: str, where: str) -> FrontMatter:
    """Split ``text`` into metadata and body; raise DataError for an invalid block."""
    match = _BLOCK.match(text)
    if not match:
        return FrontMatter({}, 0, 1)
    block = match.group(1) or ""
    try:
        meta = yaml.safe_load(block)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        # An unclosed bracket or quote is only noticed at the end of the block;
        # the line where it was opened is the one the writer must fix.
        if exc.context_mark and (not mark or mark.line >= block.count("\n")):
            mark = exc.context_mark
        line = mark.line + 2 if mark else 1  # +1 for the opening `---`
        raise DataError(
            where, line, "front matter", f"invalid YAML: {exc.problem}; fix or quote the value"
        ) from None
    except yaml.YAMLError as exc:
        raise DataError(where, 1, "front matter", f"invalid YAML: {exc}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise DataError(where, 2, "front matter", "front matter must be `key: value` lines")
    return FrontMatter(meta, match.end(), text.count("\n", 0, match.end()) + 1)
