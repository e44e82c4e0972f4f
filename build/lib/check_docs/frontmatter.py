"""Front matter, read exactly as MkDocs reads it (``mkdocs.utils.meta.get_data``).

The one reader of the project: the checker's page record, the site's hooks and the
tests all call :func:`parse_front_matter`, so they agree on what is front matter.

MkDocs' rules, which this follows:

- A YAML block: ``---`` on the first line, then at least one line, then ``---`` or
  ``...``. Only a block whose YAML is a mapping is front matter; an empty block, a list
  or a scalar stays in the page as text (rendered as rules and paragraphs).
- Without a YAML block, MultiMarkdown-style ``Key: value`` lines at the very top (and
  their indented continuation lines) are metadata, up to the first blank line or the
  first line of another shape; keys are lower-cased, values are text.
- Line ends: MkDocs reads pages in universal-newline mode, so CRLF and CR count as LF.

MkDocs silently renders an invalid YAML block as text, dropping the page's title and
metadata without a word; here it raises :class:`DataError` with the line to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from check_docs.errors import DataError

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

# mkdocs.utils.meta's patterns, applied to text whose line ends are LF.
YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")


@dataclass(frozen=True)
class FrontMatter:
    meta: dict[str, Any]
    body_start: int  # offset of the first character after the metadata (0: none)
    body_line: int  # 1-based line number where the body starts


NONE = FrontMatter({}, 0, 1)


def same_length_lf(text: str) -> str:
    """``text`` with every line end an LF and every offset unchanged (CRLF -> " \\n")."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", " \n").replace("\r", "\n")


def parse_front_matter(text: str, where: str) -> FrontMatter:
    """The page's metadata and where its body starts; raise DataError for invalid YAML.

    Offsets are into ``text`` as given (any line ends)."""
    view = same_length_lf(text)
    match = YAML_RE.match(view)
    if match is None:
        return _multimarkdown(view)
    block = text[match.start(1) : match.end(1)].replace("\r\n", "\n").replace("\r", "\n")
    try:
        meta = yaml.load(block, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        # An unclosed bracket or quote is only noticed at the end of the block;
        # the line where it was opened is the one the writer must fix.
        if exc.context_mark and (not mark or mark.line >= block.count("\n")):
            mark = exc.context_mark
        line = mark.line + 2 if mark else 1  # +1 for the opening `---`
        raise DataError(
            where,
            line,
            "front matter",
            f"invalid YAML front matter: {exc.problem}; fix or quote it",
        ) from None
    except yaml.YAMLError as exc:
        raise DataError(where, 1, "front matter", f"invalid YAML front matter: {exc}") from None
    if not isinstance(meta, dict):
        return NONE  # MkDocs leaves such a block in the page, as text
    return FrontMatter(meta, match.end(), view.count("\n", 0, match.end()) + 1)


# A block whose every line is `key: plain words` is a YAML mapping for certain: no
# quotes, brackets, anchors, tags or comments, and no colon in a value.
_SIMPLE_LINE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:(?:[ \t]+[^\s:#&*!|>'\"%@`{}\[\],?-][^:#\n]*)?")


def body_start(text: str, where: str) -> int:
    """Where the page's body starts (0: no front matter), as ``parse_front_matter``
    says; DataError for invalid YAML. The usual block of plain ``key: value`` lines is
    recognised without a YAML parse (a test checks the two agree)."""
    view = same_length_lf(text)
    match = YAML_RE.match(view)
    if match is not None:
        lines = match.group(1).splitlines()
        if any(lines) and all(_SIMPLE_LINE.fullmatch(line.rstrip()) for line in lines):
            return match.end()
    return parse_front_matter(text, where).body_start


def _multimarkdown(view: str) -> FrontMatter:
    meta: dict[str, Any] = {}
    key = None
    pos = 0
    while pos < len(view):
        end = view.find("\n", pos)
        end = len(view) if end < 0 else end
        line = view[pos:end]
        if not line.strip():
            if meta:
                pos = min(end + 1, len(view))
            break
        start = META_RE.match(line)
        if start:
            key = start.group("key").lower().strip()
            value = start.group("value").strip()
            meta[key] = f"{meta[key]} {value}" if key in meta else value
        else:
            more = META_MORE_RE.match(line)
            if not (more and key):
                break
            meta[key] += " " + more.group("value").strip()
        pos = min(end + 1, len(view))
    if not meta:
        return NONE
    return FrontMatter(meta, pos, view.count("\n", 0, pos) + 1)
