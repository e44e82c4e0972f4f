"""Where the glossary's spellings occur in a page's prose: what the term rules share.

The glossary (``[tool.check_docs] glossary``, read by ``check_docs.glossary``) gives
every accepted name of every entry, the spellings to avoid, and, for names of two or
more lower-case words, the same name in Title Case. One matcher
(``check_docs.term_matcher``, the one the site's term links use too) finds them all in
the page's prose: the text of the record's prose ranges, everything else blanked, so
nothing in code, markup, URLs or attribute values is ever seen. Which of those
matches is a finding is each rule's own decision (``rules/term_*.py``,
``rules/undefined_abbreviation.py``, ``rules/glossary_unused.py``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from check_docs.frontmatter import same_length_lf
from check_docs.glossary import TermGlossary, load_terms, per_file_version
from check_docs.parse import masked_prose
from check_docs.term_matcher import NAME_KINDS, Match, Phrase, TermMatcher, glossary_phrases

if TYPE_CHECKING:
    from check_docs.record import PageRecord, TextBlock

# All-caps words of 2-6 letters, then digits, then a plural "s" ("RLHF", "GPUs", "GPT4").
# The first capital read before the look-behind behind it (not a word's character nor a
# hyphen): a pattern that starts with a character class lets the search skip in C to the
# next capital, twice as fast over prose as testing each position.
ABBREVIATION_RE = re.compile(r"([A-Z](?<![\w-].)[A-Z]{1,5}[0-9]*)(s?)(?![\w-])")
# Small words title case leaves in lower case ("Text-to-Image").
MINOR_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
)
_WORD_SPLIT = re.compile(r"[\s\-]+")
_OPENERS = " \t*_[(\"'“‘~"
_CLOSERS = "*_)\"'”’~]"
_SENTENCE_END = ".!?:"


def title_case(phrase: str) -> str:
    """``phrase`` with every significant lower-case word capitalised."""
    words = re.split(r"([\s\-]+)", phrase)
    return "".join(
        w[:1].upper() + w[1:] if w[:1].islower() and w.lower() not in MINOR_WORDS else w
        for w in words
    )


@dataclass(frozen=True)
class TermIndex:
    """Everything the term rules need from the glossary, built once per its version."""

    glossary: TermGlossary
    phrases: tuple[Phrase, ...]  # what the matcher finds, in the order it prefers them
    known_abbreviations: frozenset[str]  # an entry's abbreviation, all-caps names

    @cached_property
    def matcher(self) -> TermMatcher:
        """Compiled on first use (a large regular expression): a warm run or a build
        that parses no page, and the rules that read only the entries, never need it.
        The site's term links use it too (``TermMatcher.only``): one compile a build."""
        return TermMatcher(self.phrases)

    def compile(self) -> None:
        """Compile the matcher now: before forking page workers, so that they share it."""
        self.matcher.titled()

    @classmethod
    def load(cls, path: Path) -> TermIndex:
        """Read the glossary (DataError when it is invalid); cached per file version."""
        return per_file_version(path, cls._build)

    @classmethod
    def _build(cls, path: Path) -> TermIndex:
        return cls.of(load_terms(path))

    @classmethod
    def of(cls, glossary: TermGlossary) -> TermIndex:
        """The index of a glossary already read (``config_cache.load_glossary``)."""
        phrases: list[Phrase] = []
        known: set[str] = set()
        for entry in glossary.entries:
            # "LLM", "BERT", and the "AI" of "generative AI": the glossary writes them so.
            known.update(m.group(1) for name in entry.names for m in ABBREVIATION_RE.finditer(name))
            kinds = (
                ("term", (entry.term,)),
                ("abbreviation", (entry.abbreviation,) if entry.abbreviation else ()),
                ("alias", entry.aliases),
            )
            for kind, names in kinds:
                for name in names:
                    significant = [
                        w
                        for w in _WORD_SPLIT.split(name)
                        if w[:1].islower() and w.lower() not in MINOR_WORDS
                    ]
                    if kind != "abbreviation" and len(significant) >= 2:
                        # Upper-case letters must match exactly: only title case finds it.
                        phrases.append(Phrase(title_case(name), entry.id, "title", name))
        # Title-case forms and variants first: where one is written, it is what matched.
        phrases += glossary_phrases(glossary, ("variant",))
        phrases += glossary_phrases(glossary, NAME_KINDS)
        return cls(glossary, tuple(phrases), frozenset(known))


@dataclass
class PageProse:
    """One page's prose, blanked elsewhere, and the term matches in it."""

    text: str  # the page's text (line ends as "\n", same offsets as the file's text)
    prose: str  # ``text`` with everything but prose blanked (newlines kept)
    blocks: list[TextBlock]
    block_starts: list[int]
    matches: list[Match]

    def block_at(self, pos: int) -> TextBlock | None:
        index = bisect.bisect_right(self.block_starts, pos) - 1
        if index < 0:
            return None
        block = self.blocks[index]
        return block if block.prose and pos < block.prose[-1][1] else None

    def in_one_range(self, start: int, end: int) -> bool:
        """Whether ``start:end`` is prose from end to end (no markup, no line break)."""
        block = self.block_at(start)
        return block is not None and any(a <= start and end <= b for a, b in block.prose)

    def sentence_start(self, pos: int) -> bool:
        """Whether the word at ``pos`` starts a sentence, a heading, a list item or a cell."""
        block = self.block_at(pos)
        if block is None:
            return False
        before = self.prose[block.prose[0][0] : pos].rstrip(_OPENERS + "\n")
        if not before.strip():
            return True
        return before.rstrip(_CLOSERS).endswith(tuple(_SENTENCE_END))

    def line_column(self, pos: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, pos)
        return line + 1, pos - (self.text.rfind("\n", 0, pos) + 1) + 1


def page_prose(record: PageRecord, index: TermIndex) -> PageProse:
    """The page's prose and its term matches (``PageContext.prose`` keeps it per page)."""
    text = same_length_lf(record.text or "")
    prose = masked_prose(record, text)
    blocks = sorted((b for b in record.blocks if b.prose), key=lambda b: b.prose[0][0])
    matches = list(index.matcher.finditer(prose))
    return PageProse(text, prose, blocks, [b.prose[0][0] for b in blocks], matches)


def in_capitalised_run(text: str, start: int, end: int) -> bool:
    """Whether the nearest word before or after (small words skipped) is capitalised too."""
    pos = start
    for _ in range(4):
        before = _WORD_BEFORE.search(text, max(0, pos - 60), pos)
        if before is None:
            break
        word = before.group(1)
        if word.lower() not in MINOR_WORDS:
            if word[:1].isupper():
                return True
            break
        pos = before.start()
    pos = end
    for _ in range(4):
        after = _WORD_AFTER.match(text, pos)
        if after is None:
            break
        word = after.group(1)
        if word.lower() not in MINOR_WORDS:
            return word[:1].isupper()
        pos = after.end()
    return False


_WORD_BEFORE = re.compile(r"([A-Za-z][\w'’]*)[^\w\n]*\Z")
_WORD_AFTER = re.compile(r"[^\w\n]*([A-Za-z][\w'’]*)")
