"""copied-text (error): a run of ten or more words that a source text holds.

On when ``copied_text_fingerprints`` under ``[tool.check_docs]`` names a fingerprint
file (``check_docs.fingerprints``: hashed ten-word shingles of the sources, never
their words). Every page's words are compared, wherever they stand: prose, headings,
lists, tables, quotations (a quotation must stay under ten words too), code and the
front matter. Markup is not words: emphasis, link and image addresses (the link
text counts), bare URLs, HTML tags, entities and attribute lists, footnote and
reference labels and ordered-list numbers are blanked first, so a copied sentence
is found across line breaks and markup. One finding per run, at its first word,
with the run's length.

A missing or corrupt fingerprint file is a configuration error (exit 2), never a
silent pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from check_docs.config import Config, ConfigError
from check_docs.context import PageContext
from check_docs.finding import Finding
from check_docs.fingerprints import (
    SHINGLE,
    FingerprintError,
    copied_runs,
    normal_words,
    read_fingerprints,
    words_of,
)
from check_docs.glossary import per_file_version
from check_docs.record import PageRecord
from check_docs.registry import rule

NAME = "copied-text"
SETTING = "copied_text_fingerprints"
# The run's first words, quoted in the message so the writer sees what matched.
QUOTED_WORDS = 8

_MARKUP = [
    # a link's or image's address and title: `](url "title")`; the text before stays
    re.compile(r"\]\((?:<[^>\n]*>|[^)\s]*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*\)"),
    re.compile(r"(?<=\])\[[^\]\n]*\]"),  # a reference link's label: `[text][label]`
    re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.M),  # reference definitions
    re.compile(r"\[\^[^\]\s]+\]:?"),  # footnote labels
    re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>|\b(?:https?|ftp)://[^\s)>\]]+"),  # URLs
    re.compile(r"</?[A-Za-z][^<>]*>"),  # HTML tags and their attributes (not the text between)
    re.compile(r"&#?[A-Za-z0-9]+;"),  # character references
    re.compile(r"\{:?[ \t]*[.#][^}\n]*\}"),  # attribute lists
    re.compile(r"^[ \t>]*\d{1,9}[.)](?=[ \t])", re.M),  # ordered-list numbers
]


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(match: re.Match[str]) -> str:
    """The match as spaces, its line breaks kept (most matches are on one line)."""
    found = match.group()
    return _NOT_NEWLINE.sub(" ", found) if "\n" in found else " " * len(found)


def mask_markup(text: str) -> str:
    """``text`` with markup replaced by spaces: same length, same lines."""
    for pattern in _MARKUP:
        text = pattern.sub(_blank, text)
    return text


def _fingerprints(config: Config) -> frozenset[bytes] | None:
    """The configured fingerprints, read once per version of the file."""
    setting = config.settings.copied_text_fingerprints
    if not setting:
        return None
    try:
        return per_file_version(config.root / setting, read_fingerprints)
    except FingerprintError as exc:
        raise ConfigError(
            f"[tool.check_docs] {SETTING}: {exc} (regenerate it with "
            "`python -m check_docs.fingerprints SOURCE_DIR -o FILE`)"
        ) from None


def page_findings(path: str, text: str, known: frozenset[bytes]) -> Iterator[Finding]:
    """The copied runs of one page's ``text``, as findings at their first word."""
    masked = mask_markup(text)
    words = words_of(masked)
    runs = copied_runs(words, known)
    found = normal_words(masked) if runs else []  # the words' offsets, for the findings
    for run in runs:
        offset = found[run.start][1]
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        quoted = " ".join(words[run.start : run.start + QUOTED_WORDS])
        more = " …" if run.length > QUOTED_WORDS else ""
        yield Finding(
            path,
            line,
            column,
            NAME,
            "error",
            f'{run.length} words in a row are in a source text ("{quoted}{more}"): '
            f"say it in your own words; a quotation stays under {SHINGLE} words",
        )


@rule(NAME, "error", "a run of ten or more words copied from a source text", scope="page")
def check(page: PageRecord, context: PageContext) -> Iterator[Finding]:
    known = _fingerprints(context.config)
    if known is None or page.text is None:
        return
    text = page.text.replace("\r\n", " \n").replace("\r", "\n") if "\r" in page.text else page.text
    yield from page_findings(context.display(page.path), text, known)
