"""Where a diagram's source sits in a Markdown file, for messages that name a line."""

from __future__ import annotations


def line_in(source: str, text: str) -> int | None:
    """The 1-based line where ``source`` starts in ``text`` (indentation ignored), or None."""
    wanted = [line.strip() for line in source.splitlines()]
    lines = [line.strip() for line in text.splitlines()]
    if not wanted:
        return None
    for i in range(len(lines) - len(wanted) + 1):
        if lines[i] == wanted[0] and lines[i : i + len(wanted)] == wanted:
            return i + 1
    return None
