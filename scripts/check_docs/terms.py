"""Scan every page once for the terminology rules (term-variant, term-case,
undefined-abbreviation, glossary-unused).

The glossary (``data/glossary.yml``) is the only source of the rules, and the words
are found by the one matcher the site uses for term links
(``check_docs.term_matcher``) on the prose mask the glossary hook uses
(``fieldguide.prose``): code, URLs, link targets, front matter and HTML tags are
blanked first, so nothing in them is ever reported or rewritten.

Each page is scanned by the same worker, from the same read, as its links are
parsed (``check_docs.project``): the scan takes the raw bytes, so a fix is a byte
range of the file exactly as it is on disk, and the digest the fix compares is the
one of those very bytes.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from check_docs.errors import DataError
from check_docs.term_matcher import Match, Phrase, TermMatcher, plural_of
from fieldguide.prose import mask_non_prose

if TYPE_CHECKING:
    from collections.abc import Callable

    from check_docs.config import Config
    from check_docs.project import Project
    from fieldguide.glossary import Glossary

VARIANT = "term-variant"
CASE = "term-case"
ABBREVIATION = "undefined-abbreviation"

# All-caps words of 2-6 letters, then digits, then a plural "s" ("RLHF", "GPUs", "GPT4").
ABBREVIATION_RE = re.compile(r"(?<![\w-])([A-Z]{2,6}[0-9]*)(s?)(?![\w-])")
# `*[HTML]: Hyper Text Markup Language`: the abbr extension defines it on the page.
ABBR_DEFINITION_RE = re.compile(r"^[ \t]*\*\[([^\]\n]+)\]:", re.M)
# Small words title case leaves in lower case ("Text-to-Image").
MINOR_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the"})
MINOR_WORDS |= {"to", "with"}
_WORD_SPLIT = re.compile(r"[\s\-]+")
# What may stand before the first word of a sentence on its line.
_LINE_PREFIX = re.compile(
    r"[ \t]*(?:(?P<block>(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*|#{1,6}[ \t]+|\|[ \t]*)"
    r"|[*_\[(\"'“‘~]+[ \t]*)*"
)
_OPENERS = " \t*_[(\"'“‘~"
_CLOSERS = "*_)\"'”’~]"
_SENTENCE_END = ".!?:"
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r"^[ \t]{0,3}(?:=+|-+)[ \t]*$")
_ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]")
_TABLE_DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
_EXPLICIT_ID = re.compile(r"\{[^}\n]*#[^}\n]*\}[ \t]*$")


class Hit(NamedTuple):
    """One finding of a term rule on a page, before it becomes a ``Finding``."""

    rule: str
    line: int
    column: int
    message: str
    suggestion: str | None
    start: int  # byte range in the file for an automatic fix (-1: none)
    end: int
    replacement: bytes


@dataclass
class PageTerms:
    hits: list[Hit] = field(default_factory=list)
    # Glossary entry ids this page is the first to mention (in its worker process): a
    # scanner stops looking for an entry once it is seen, so only the union over all
    # pages means anything (every entry some page mentions).
    mentioned: frozenset[str] = frozenset()
    digest: str = ""


@dataclass
class TermScan:
    glossary: Glossary | None
    pages: dict[str, PageTerms] = field(default_factory=dict)


@functools.cache
def _block_parser() -> MarkdownIt:
    """Block structure as the site has it: admonition and definition bodies are indented
    four spaces, and they are prose, not code."""
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    return parser.use(admon_plugin).use(deflist_plugin).use(footnote_plugin)


class _Lines:
    """Line numbers and line texts of a masked page, looked up only for hits."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text  # masked
        self.source = source  # as written (same length, same lines)
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self._code: set[int] | None = None

    def code_lines(self) -> set[int]:
        """0-based indexes of indented code block lines (Markdown parses the page once)."""
        if self._code is None:
            self._code = set()
            for token in _block_parser().parse(self.source):
                if token.type == "code_block" and token.map is not None:
                    self._code.update(range(*token.map))
        return self._code

    def index(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def line(self, index: int) -> str:
        if index < 0 or index >= len(self.starts):
            return ""
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index] : end]


def _words(form: str) -> set[str]:
    return set(_WORD_SPLIT.split(form.lower()))


def title_case(phrase: str) -> str:
    """``phrase`` with every significant lower-case word capitalised."""
    words = re.split(r"([\s\-]+)", phrase)
    return "".join(
        w[:1].upper() + w[1:] if w[:1].islower() and w.lower() not in MINOR_WORDS else w
        for w in words
    )


# Bytes to words, fast: letters and digits kept (or lower-cased), everything else a
# space, so a phrase's words are whole tokens of the page wherever the phrase is.
_KEEP = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_CASE_WORDS = bytes(b if b in _KEEP else 32 for b in range(256))
# Where an abbreviation can be ("GPUs", "GPT4"): found from any capital at C speed.
_CAPITALS = re.compile(rb"[A-Z]{2,}[A-Z0-9]*s?")
# Lower-case, and a hyphen kept: "fine-tuning" is one word, "fine tuning" two...
_LOWER_WORDS = bytes(
    b | 32 if 65 <= b <= 90 else 45 if b == 45 else c for b, c in enumerate(_CASE_WORDS)
)
# ...but only between letters, where the matcher treats it as part of a word ("GPT-4"
# mentions GPT; "pre-training" does not mention training).
_LOOSE_HYPHEN = re.compile(rb"-(?:(?![a-z])|(?<![a-z]-))")

# Two or more capitalised words, perhaps joined by short words ("Text-to-Image"): where
# a term in title case can be. Bytes from 0x80 are letters; a no-break space separates.
_SEPARATOR = rb"(?:[\s\-]|\xc2\xa0)+"
_CAPITALISED_RUN = re.compile(
    rb"[A-Z][A-Za-z0-9\x80-\xff]*(?:"
    + _SEPARATOR
    + rb"(?:[A-Za-z]{1,4}"
    + _SEPARATOR
    + rb")*?[A-Z][A-Za-z0-9\x80-\xff]*)+"
)


def lower_words(text: bytes) -> list[bytes]:
    """The lower-case words of ``text``, as the needles see them."""
    lowered = text.translate(_LOWER_WORDS)
    if b"-" in lowered:
        lowered = _LOOSE_HYPHEN.sub(b" ", lowered)
    return lowered.split()


def word_sequence(text: bytes) -> bytes:
    """Lower-case words of ``text`` (bytes), one space between and around them."""
    return b" " + b" ".join(lower_words(text)) + b" "


class Needles:
    """Which phrases could occur in a page, judged from its words alone.

    A quick test before the exact scan. Words are split the same way for phrases and
    pages (any byte but a letter or digit separates), so no phrase on the page is
    missed; some pages pass that have none. A phrase passes when all its words are on
    the page, then when it occurs as a run of words outside the longer phrases that
    contain it ("language model" inside "large language model": the matcher takes the
    longest). Title-case forms pass on the words of the page's runs of capitalised words.
    """

    def __init__(self, longer: dict[bytes, tuple[bytes, ...]]) -> None:
        # Word sequence of every spelling in the glossary -> the longer ones containing it.
        self.longer = longer
        self.lower: dict[bytes, list[tuple[frozenset[bytes], bytes, tuple[bytes, ...]]]] = {}
        self.case: dict[bytes, list[frozenset[bytes]]] = {}

    def add(self, form: str, *, exact_case: bool) -> None:
        raw = form.encode("utf-8")
        if exact_case:  # title case: the small words may be in either case
            words = {
                w
                for w in raw.translate(_CASE_WORDS).split()
                if w.lower().decode() not in MINOR_WORDS
            }
            if words:
                self.case.setdefault(min(words), []).append(frozenset(words))
            return
        sequence = word_sequence(raw)
        words = frozenset(sequence.split())
        if words:
            self.lower.setdefault(min(words), []).append(
                (words, sequence, self.longer.get(sequence, ()))
            )

    def any_title(self, words: set[bytes]) -> bool:
        """Whether all the words of a title-case form are among ``words``."""
        for first in self.case.keys() & words:
            if any(needed <= words for needed in self.case[first]):
                return True
        return False

    def any_in(self, page_words: list[bytes]) -> bool:
        """Whether a lower-case needle occurs in ``page_words`` (lower-cased, in order)."""
        present = set(page_words)
        text = b""
        for first in self.lower.keys() & present:
            for needed, sequence, longer in self.lower[first]:
                if needed <= present:
                    text = text or b" " + b" ".join(page_words) + b" "
                    if _outside(text, sequence, longer):
                        return True
        return False


def _containing(forms: set[bytes]) -> dict[bytes, tuple[bytes, ...]]:
    """Each word sequence -> the other sequences it occurs in. Only sequences sharing its
    first word can hold it (it starts with " word "): a few, not all of them."""
    by_word: dict[bytes, list[bytes]] = {}
    for form in forms:
        for word in set(form.split()):
            by_word.setdefault(word, []).append(form)
    out = {}
    for form in forms:
        words = form.split()
        candidates = by_word[words[0]] if words else forms
        out[form] = tuple(other for other in candidates if other != form and form in other)
    return out


def _outside(text: bytes, sequence: bytes, longer: tuple[bytes, ...]) -> bool:
    """Whether ``sequence`` occurs in ``text`` somewhere not inside one of ``longer``."""
    spans = []
    for other in longer:
        at = text.find(other)
        while at >= 0:
            spans.append((at, at + len(other)))
            at = text.find(other, at + 1)
    at = text.find(sequence)
    while at >= 0:
        if not any(a <= at and at + len(sequence) <= b for a, b in spans):
            return True
        at = text.find(sequence, at + 1)
    return False


class Scanner:
    """Everything a page scan needs, built once per run from the glossary and settings.

    Speed matters (10,000 pages in a few seconds with the link rules), and most of the
    cost would be the many ordinary mentions of terms. So a page is first searched,
    unmasked, for what could matter only: a variant, a term in title case, an entry not
    yet seen mentioned on any page, an unknown abbreviation. Only a page with such a
    candidate is masked and scanned in full. Names of entries already seen stay in the
    full scan only where they can overlap a name still looked for, so the longest match
    wins exactly as with the whole glossary (and as the Glossary page counts mentions).
    """

    def __init__(
        self, glossary: Glossary, allow: tuple[str, ...], slugify: Callable[[str, str], str]
    ) -> None:
        self.glossary = glossary
        self.slugify = slugify
        known = set(allow)
        for entry in glossary.entries:
            # "LLM", "BERT", and the "AI" of "generative AI": the glossary writes them so.
            known.update(m.group(0) for name in entry.names for m in ABBREVIATION_RE.finditer(name))
        self.known_abbreviations = frozenset(known)
        self.known_abbreviations_bytes = frozenset(k.encode() for k in known)
        self.fixed: list[Phrase] = []  # variants and title-case forms: always looked for
        self.names: dict[str, list[Phrase]] = {}  # entry id -> its names
        for entry in glossary.entries:
            for kind, names in (
                ("term", (entry.term,)),
                ("abbreviation", (entry.abbreviation,) if entry.abbreviation else ()),
                ("alias", entry.aliases),
            ):
                for name in names:
                    self.names.setdefault(entry.id, []).append(Phrase(name, entry.id, kind))
                    significant = [
                        w
                        for w in _WORD_SPLIT.split(name)
                        if w[:1].islower() and w.lower() not in MINOR_WORDS
                    ]
                    if kind != "abbreviation" and len(significant) >= 2:
                        # Upper-case letters must match exactly: only title case finds it.
                        self.fixed.append(Phrase(title_case(name), entry.id, "title", name))
            self.fixed.extend(
                Phrase(v, entry.id, "variant", replacement=r) for v, r in entry.avoid.items()
            )
        all_forms = {
            word_sequence(form.encode("utf-8"))
            for phrase in [*self.fixed, *(p for ps in self.names.values() for p in ps)]
            if phrase.kind != "title"
            for form in (phrase.text, plural_of(phrase.text))
        }
        # Computed once: the scanner is rebuilt each time an entry is first seen.
        self.longer = _containing(all_forms)
        self.unseen = set(self.names)
        self._build()

    def _build(self) -> None:
        unseen_names = [p for key in self.unseen for p in self.names[key]]
        self.needles = Needles(self.longer)
        for phrase in [*self.fixed, *unseen_names]:
            for form in (phrase.text, plural_of(phrase.text)):
                self.needles.add(form, exact_case=phrase.kind == "title")
        words: set[str] = set()
        for phrase in unseen_names:
            words |= _words(phrase.text) | _words(plural_of(phrase.text))
        overlapping = [
            p
            for key in set(self.names) - self.unseen
            for p in self.names[key]
            if words & (_words(p.text) | _words(plural_of(p.text)))
        ]
        # Title-case forms first: for "Foundation Models" the title form wins.
        self.matcher = TermMatcher([*self.fixed, *unseen_names, *overlapping])

    def seen(self, keys: set[str]) -> None:
        """Entries now known to be mentioned: stop looking for them where it is safe."""
        if keys & self.unseen:
            self.unseen -= keys
            self._build()

    # -- one page -------------------------------------------------------------
    def scan(
        self, raw: bytes, *, is_glossary_page: bool = False, digest: str | None = None
    ) -> PageTerms:
        """The term hits and new mentions of one page; ``digest`` is ``raw``'s sha256
        when the caller has it already."""
        result = PageTerms(digest=digest or hashlib.sha256(raw).hexdigest())
        if b"\0" in raw:
            return result  # invalid-file reports it
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return result
        if not self._candidate(raw):
            return result
        bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        ascii_only = len(raw) - bom == len(text)
        # Same length as the file's text, so offsets carry over; CRLF becomes " \n"
        # because the mask's patterns (and Markdown) end lines at "\n".
        source = text.replace("\r\n", " \n").replace("\r", "\n")
        lines = _Lines(mask_non_prose(source), source)

        def byte_at(pos: int) -> int:
            return bom + (pos if ascii_only else len(text[:pos].encode("utf-8")))

        mentioned: set[str] = set()
        taken: list[tuple[int, int]] = []
        for match in self.matcher.finditer(lines.text):
            kind = match.phrase.kind
            if kind == "variant":
                hit = self._variant(match, lines, byte_at)
                if hit is not None:
                    result.hits.append(hit)
                taken.append((match.start, match.end))
                continue
            mentioned.add(match.key)
            if kind == "title":
                hit = self._case(match, lines)
                if hit is not None:
                    result.hits.append(hit)
        result.hits.extend(self._abbreviations(text, lines.text, lines, taken))
        if not is_glossary_page:  # the glossary page lists every entry by design
            result.mentioned = frozenset(mentioned & self.unseen)
            self.seen(mentioned)
        return result

    def _candidate(self, raw: bytes) -> bool:
        """Whether the page, unmasked, may have anything a term rule reports or counts."""
        if self.needles.case:
            runs = b" ".join(_CAPITALISED_RUN.findall(raw))
            if runs and self.needles.any_title(set(runs.translate(_CASE_WORDS).split())):
                return True
        if self.needles.any_in(lower_words(raw)):
            return True
        known = self.known_abbreviations_bytes
        return any(
            word not in known and word[:-1] not in known for word in set(_CAPITALS.findall(raw))
        )

    def _where(self, lines: _Lines, pos: int) -> tuple[int, int, str]:
        index = lines.index(pos)
        return index + 1, pos - lines.starts[index] + 1, lines.line(index)

    def _variant(self, match: Match, lines: _Lines, byte_at: Callable[[int], int]) -> Hit | None:
        line, column, line_text = self._where(lines, match.start)
        index = line - 1
        if in_code_block(lines, index):
            return None
        entry = self.glossary.by_id[match.key]
        # A capital the writer typed is kept anyway; this adds one where the variant has
        # one of its own ("Gen AI is..." -> "Generative AI is...").
        start_of_sentence = match.text[:1].isupper() and sentence_start(lines, match.start)
        suggestion = match.suggestion(start_of_sentence)
        written = " ".join(match.text.split())  # a phrase may run over a line break
        message = (
            f"'{written}' is a spelling the glossary avoids (entry '{entry.term}'): "
            f"write '{suggestion}'"
        )
        start, end = byte_at(match.start), byte_at(match.end)
        if lines.source[match.start : match.end] != lines.text[match.start : match.end]:
            # Markup inside the phrase ("fine <!-- x --> tuning"): a rewrite would drop it.
            message += " (markup inside it: fix by hand)"
            start = end = -1
        written_line = lines.source[lines.starts[index] : lines.starts[index] + len(line_text)]
        if start >= 0 and is_heading(lines, index) and not _EXPLICIT_ID.search(written_line):
            offset = match.start - lines.starts[index]
            fixed = line_text[:offset] + suggestion + line_text[offset + len(match.text) :]
            if self._slug(line_text) != self._slug(fixed):
                # Rewriting it would change the heading's anchor and break links to it.
                message += " (in a heading: fix by hand and update links to its anchor)"
                start = end = -1
        replacement = suggestion.encode("utf-8") if start >= 0 else b""
        return Hit(VARIANT, line, column, message, suggestion, start, end, replacement)

    def _slug(self, heading: str) -> str:
        return self.slugify(heading.strip().strip("#").strip(), "-")

    def _case(self, match: Match, lines: _Lines) -> Hit | None:
        """A title-case form matched: every significant word has a capital."""
        index = lines.index(match.start)
        if is_heading(lines, index) or is_table_header(lines, index):
            return None
        if in_capitalised_run(lines.text, match.start, match.end):
            return None  # part of a name or a title: "Center for Research on Foundation Models"
        if in_code_block(lines, index):
            return None
        line, column, _text = self._where(lines, match.start)
        wanted = match.phrase.replacement or match.phrase.text
        written = " ".join(match.text.split())
        return Hit(
            CASE,
            line,
            column,
            f"'{written}' is in title case in running text: the glossary writes '{wanted}'",
            match.suggestion(sentence_start(lines, match.start)),
            -1,
            -1,
            b"",
        )

    def _abbreviations(
        self, text: str, prose: str, lines: _Lines, taken: list[tuple[int, int]]
    ) -> list[Hit]:
        defined = {m.group(1).strip() for m in ABBR_DEFINITION_RE.finditer(text)}
        hits = []
        for match in ABBREVIATION_RE.finditer(prose):
            word, plural = match.group(1), match.group(2)
            if word + plural in self.known_abbreviations or word in self.known_abbreviations:
                continue
            if word + plural in defined or word in defined:
                continue
            if any(a <= match.start() < b for a, b in taken):
                continue  # part of a variant, reported as that
            index = lines.index(match.start())
            if in_code_block(lines, index):
                continue
            line, column, _text = self._where(lines, match.start())
            hits.append(
                Hit(
                    ABBREVIATION,
                    line,
                    column,
                    f"abbreviation '{match.group(0)}' has no glossary entry: add one with "
                    f"'abbreviation: {word}' to the glossary, or list it in "
                    "abbreviations_allow under [tool.check_docs]",
                    None,
                    -1,
                    -1,
                    b"",
                )
            )
        return hits


# -- where a word stands --------------------------------------------------------
def is_heading(lines: _Lines, index: int) -> bool:
    line = lines.line(index)
    if _HEADING.match(line) or _ADMONITION.match(line):
        return True
    following = lines.line(index + 1)
    return bool(line.strip()) and bool(_SETEXT.match(following)) and "-" not in line[:1]


def is_table_header(lines: _Lines, index: int) -> bool:
    return "|" in lines.line(index) and bool(_TABLE_DELIMITER.match(lines.line(index + 1)))


_WORD_BEFORE = re.compile(r"([A-Za-z][\w'’]*)[^\w\n]*\Z")
_WORD_AFTER = re.compile(r"[^\w\n]*([A-Za-z][\w'’]*)")


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


def in_code_block(lines: _Lines, index: int) -> bool:
    """True for an indented code block line (fenced code is already masked).

    Only a line indented by four columns can be one, and most such lines are list
    or admonition content, so Markdown decides, for the few lines with a hit.
    """
    start = lines.starts[index]
    # The line as written: in the mask, a blanked HTML tag would look like indentation.
    if not lines.source.startswith(("    ", "\t"), start):
        return False
    return index in lines.code_lines()


def sentence_start(lines: _Lines, pos: int) -> bool:
    """Whether the word at ``pos`` starts a sentence (or a heading, list item, cell)."""
    index = lines.index(pos)
    line_start = lines.starts[index]
    prefix = lines.text[line_start:pos]
    at_line_start = _LINE_PREFIX.fullmatch(prefix)
    if at_line_start is None:
        before = prefix.rstrip(_OPENERS)
        if before.endswith("|"):
            return True
        return before.rstrip(_CLOSERS).endswith(tuple(_SENTENCE_END))
    if at_line_start.group("block") is not None or index == 0:
        return True
    previous = lines.line(index - 1)
    if not previous.strip() or _HEADING.match(previous) or _ADMONITION.match(previous):
        return True
    if is_table_header(lines, index - 1) or _SETEXT.match(previous):
        return True
    return previous.rstrip().rstrip(_CLOSERS).endswith(tuple(_SENTENCE_END))


# -- the whole project ----------------------------------------------------------
def load_term_glossary(config: Config) -> Glossary | None:
    """The site's glossary, or None when it has none or it is invalid (invalid-file says so)."""
    from fieldguide import glossary as fg_glossary

    path = fg_glossary.glossary_path(config.root, config.extra.get("glossary_file"))
    if not path.is_file():
        return None
    try:
        return fg_glossary.load_glossary(path)
    except DataError:
        return None


def glossary_page(config: Config) -> str:
    from fieldguide.glossary import GLOSSARY_PAGE

    return str(config.extra.get("glossary_page") or GLOSSARY_PAGE)


def scan_project(project: Project) -> TermScan:
    """Every page's term hits and mentions, collected with the pages themselves."""
    if project.terms is None:
        raise RuntimeError("the term scan runs only when a rule declared with uses_terms runs")
    return project.terms


def hit_findings(project: Project, rule: str) -> list[tuple[str, Hit]]:
    """(display path, hit) for one rule, page by page."""
    scan = scan_project(project)
    return [
        (project.display(rel), hit)
        for rel, page in scan.pages.items()
        for hit in page.hits
        if hit.rule == rule
    ]
