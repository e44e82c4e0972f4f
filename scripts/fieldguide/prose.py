"""Blank out everything in a Markdown source that is not prose a reader reads.

Scanning the raw Markdown of every page (for the glossary's "Mentioned on" lists,
and for the checker's rules) must ignore front matter, code, URLs, link targets, HTML
tags and attribute lists. ``mask_non_prose`` replaces those characters with spaces
and keeps every newline, so an offset in the result is the same offset in the source
and line numbers stay true.
"""

from __future__ import annotations

import re

from check_docs.frontmatter import YAML_RE, same_length_lf

_FENCE_OPEN = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})", re.M)
_PATTERNS = [
    re.compile(r"<!--.*?-->", re.S),  # HTML comments
    re.compile(r"(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)", re.S),  # inline code
    # link and image targets, with a title in any of its three quotings
    re.compile(r"\]\((?:<[^>\n]*>|[^)\s]*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*\)"),
    re.compile(r"^[ \t]*\[[^\]\n]+\]:[^\n]*", re.M),  # reference definitions
    re.compile(r"^[ \t]*\*\[[^\]\n]+\]:[^\n]*", re.M),  # abbreviation definitions
    re.compile(r"<https?://[^>\s]+>|https?://[^\s)>\]]+"),  # URLs
    re.compile(r"</?[A-Za-z][^<>]*>"),  # HTML tags and their attributes
    re.compile(r"\{:?[ \t]*[.#][^}\n]*\}"),  # attribute lists
    re.compile(r"^[ \t]*-+8<-+.*$", re.M),  # snippet includes
]


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _mask_fences(text: str) -> str:
    out: list[str] = []
    pos = 0
    while True:
        opening = _FENCE_OPEN.search(text, pos)
        if not opening:
            out.append(text[pos:])
            return "".join(out)
        fence = opening.group("fence")
        closing = re.compile(rf"^[ \t>]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        line_end = text.find("\n", opening.end())
        body_start = len(text) if line_end < 0 else line_end + 1
        close = closing.search(text, body_start)
        # An unclosed fence runs to the end of the document, as in Markdown itself.
        stop = close.end() if close else len(text)
        out.append(text[pos : opening.start()])
        out.append(_blank(text[opening.start() : stop]))
        pos = stop


def mask_non_prose(markdown: str) -> str:
    """``markdown`` with non-prose characters replaced by spaces, same length and lines."""
    front = YAML_RE.match(same_length_lf(markdown))
    text = markdown
    if front:
        text = _blank(markdown[: front.end()]) + markdown[front.end() :]
    text = _mask_fences(text)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: _blank(m.group(0)), text)
    return text


# Reading speed for the guide's pages: adults read non-fiction silently at about
# 238 words a minute on average (Brysbaert 2019, doi:10.1016/j.jml.2019.104047);
# these pages are technical and dense, so the estimate assumes a little slower.
WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w[\w'’-]*")


def reading_minutes(markdown: str) -> int:
    """Whole minutes a reader needs for the prose of ``markdown`` (at least 1).

    Code, diagrams' source, URLs, markup and front matter are not read, so they
    are not counted (``mask_non_prose``).
    """
    words = len(_WORD.findall(mask_non_prose(markdown)))
    return max(1, -(-words // WORDS_PER_MINUTE))
