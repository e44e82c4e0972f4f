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


def substitute(text: str, prefix: str, render: Render, where: str) -> str:
    """``text`` with every ``<!-- prefix:... -->`` marker replaced by ``render``'s Markdown."""

    def replace(match: re.Match[str]) -> str:
        alone = match.group("indent") is not None and match.group("alone") is not None
        try:
            return (match.group("indent") or "") + render(
                match.group("name"), match.group("argument"), alone
            )
        except KeyError as exc:
            line = text.count("\n", 0, match.start()) + 1
            what = exc.args[0] if exc.args else match.group("name")
            raise DataError(where, line, prefix, f"unknown marker {what}") from None

    return _pattern(prefix).sub(replace, text)


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
