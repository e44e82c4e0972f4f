"""Markers in a page that a build hook replaces with generated Markdown.

A marker is an HTML comment, ``<!-- prefix:name -->`` or ``<!-- prefix:name argument -->``,
so an unprocessed page still reads cleanly. Hooks expand their markers in the page files
themselves, before MkDocs or any other hook reads a page, so that the generated text is
treated exactly like the writer's own: term links and the glossary's "Mentioned on" lists,
Mermaid drawing, and MkDocs' link and anchor checks all see it.

``substitute(text, prefix, render, where)`` replaces one page's markers; ``render`` gets
the name, the argument (or None) and whether the marker stands alone on its line, and
raises ``KeyError`` for an unknown one, which becomes a DataError naming the page's line.
``rewrite_pages(files, rewrite)`` applies a rewrite to every page file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from check_docs.errors import DataError

Render = Callable[[str, str | None, bool], str]


def _pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<indent>^[ \t]*)?<!--\s*{re.escape(prefix)}:(?P<name>[a-z][a-z-]*)"
        r"(?:\s+(?P<argument>[^\s>]+))?\s*-->(?P<alone>[ \t]*$)?",
        re.MULTILINE,
    )


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def _outside_code(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` outside fenced code blocks, where markers count."""
    spans: list[tuple[int, int]] = []
    start, fence, pos = 0, None, 0
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if match and fence is None:
            spans.append((start, pos))
            fence = match.group(1)[0] * len(match.group(1))
        elif match and fence is not None and match.group(1).startswith(fence):
            fence, start = None, pos + len(line)
        pos += len(line)
    if fence is None:
        spans.append((start, len(text)))
    return spans


def substitute(text: str, prefix: str, render: Render, where: str) -> str:
    """``text`` with every ``<!-- prefix:... -->`` marker replaced by ``render``'s Markdown.

    Markers shown as code, in a fenced block or between backticks, are left as they are,
    so a page can explain the markers themselves.
    """

    def replace(match: re.Match[str]) -> str:
        if match.start() > 0 and text[match.start() - 1] == "`":
            return match.group(0)
        alone = match.group("indent") is not None and match.group("alone") is not None
        try:
            return (match.group("indent") or "") + render(
                match.group("name"), match.group("argument"), alone
            )
        except KeyError as exc:
            line = text.count("\n", 0, match.start()) + 1
            what = exc.args[0] if exc.args else match.group("name")
            raise DataError(where, line, prefix, f"unknown marker {what}") from None

    pattern = _pattern(prefix)
    pieces: list[str] = []
    pos = 0
    for start, end in _outside_code(text):
        # Search the whole text between span bounds, so `^`, `$`, line numbers and the
        # backtick check all see a marker's real surroundings.
        for match in pattern.finditer(text, start, end):
            pieces += [text[pos : match.start()], replace(match)]
            pos = match.end()
    pieces.append(text[pos:])
    return "".join(pieces)


def has_markers(text: str, prefix: str) -> bool:
    return f"{prefix}:" in text and _pattern(prefix).search(text) is not None


def rewrite_pages(files: Any, rewrite: Callable[[str, str], str]) -> list[str]:
    """Apply ``rewrite(text, src_uri)`` to every page; return the pages it changed.

    ``files`` is MkDocs' ``Files``. Setting a file's content makes MkDocs forget the file
    on disk; it is put back, because "last updated" dates and edit links still belong to
    what the writer wrote.
    """
    changed: list[str] = []
    for file in files.documentation_pages():
        text = file.content_string
        new = rewrite(text, file.src_uri)
        if new != text:
            source = file.abs_src_path
            file.content_string = new
            file.abs_src_path = source
            changed.append(file.src_uri)
    return changed
