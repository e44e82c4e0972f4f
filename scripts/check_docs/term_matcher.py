"""Find glossary terms in text: the one matcher behind term links and the term rules.

The Markdown extension (``fieldguide.mdx.glossary_terms``), the glossary hook's
"Mentioned on" lists and the checker's terminology rules all call ``TermMatcher``,
so a spelling is recognised the same way everywhere.

Matching rules:

- Whole words: a match never starts or ends inside a word, and never next to a hyphen
  that joins it to another word ("training" is not found in "pre-training").
- Never part of a model's name: a term followed by a version number is the name of a
  model, not a mention of the term ("GPT-4", "GPT-3.5", "GPT-4o" are not mentions of GPT),
  and so is a capitalised term followed by a space and a number ("Llama 2", "DALL-E 2",
  "Gemini 1.5"). A lower-case term before a number is still a mention ("token 1").
- Case-aware: an upper-case letter in the glossary must be upper case in the text
  ("LLM", "generative AI"); a lower-case letter may be either case, so sentence starts
  and headings match ("Foundation models").
- Plurals and possessives: "LLMs", "GAN's", "foundation models", "biases".
- Spaces in a phrase match any run of white space, including a line break.
- Longest match first: "large language model" wins over "language model" at the same
  place, and matches never overlap.

``TermMatcher.from_glossary(glossary)`` matches terms, abbreviations and aliases; pass
``kinds=("variant",)`` to find the discouraged spellings in ``avoid`` instead, and
``Match.suggestion()`` gives the exact replacement text for each.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from check_docs.glossary import TermGlossary

NAME_KINDS = ("term", "abbreviation", "alias")

_LEFT = r"(?<!\w)(?<![A-Za-z]-)"
# A version after a term makes a model's name: "-4", ".5" after any term, a space and a
# number after a capitalised one ("Llama 2"; "token 1" still mentions "token").
_VERSION = re.compile(r"[-.]\d")
_NAME_NUMBER = re.compile(r"\s\d")
# Not before a hyphen that joins the next word, nor before a version.
_RIGHT = rf"(?!\w)(?!-[A-Za-z])(?!{_VERSION.pattern})"
_POSSESSIVE = r"(?:['’]s)?"
_SPACE = re.compile(r"\s+")
# Spellings remembered per matcher (each a few words): bounds memory on any input.
_MEMO_LIMIT = 100_000
# Texts scanned the usual way before a matcher builds its titled scan (``titled``).
_PLAIN_SCANS = 16


@dataclass(frozen=True)
class Phrase:
    """One spelling to look for and the entry it belongs to."""

    text: str
    key: str  # the entry id
    kind: str  # "term", "abbreviation", "alias" or "variant"
    replacement: str | None = None  # for variants: the spelling to use instead


class Match(NamedTuple):
    """One mention found (a named tuple: ``finditer`` makes one per mention, hundreds of
    thousands on a large site, and a tuple is the cheapest record to make)."""

    start: int
    end: int
    text: str  # exactly as written, including any plural or possessive ending
    phrase: Phrase
    plural: bool  # the text is the plural of the phrase
    possessive: str = ""  # the "'s" ending as written, if any

    @property
    def key(self) -> str:
        return self.phrase.key

    def suggestion(self, sentence_start: bool = False) -> str:
        """For a variant, the exact text to write instead, in the same form.

        Plural and possessive carry over ("foundational models'" -> "foundation models'"),
        and so does a capital the writer added ("Finetuning" -> "Fine-tuning"); pass
        ``sentence_start`` to capitalise a replacement the variant spelled with a capital
        anyway ("Gen AI is" at the start of a sentence -> "Generative AI is").
        """
        replacement = self.phrase.replacement or self.phrase.text
        if self.plural:
            replacement = plural_of(replacement)
        capitalised = self.text[:1].isupper() and self.phrase.text[:1].islower()
        if (sentence_start or capitalised) and replacement[:1].islower():
            replacement = replacement[:1].upper() + replacement[1:]
        return replacement + self.possessive


def plural_of(phrase: str) -> str:
    """The regular English plural of a phrase's last word ("LLM" -> "LLMs")."""
    last = phrase[-1]
    lower = phrase.lower()
    if not last.islower():
        return phrase + "s"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return phrase + "es"
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return phrase[:-1] + "ies"
    return phrase + "s"


def names_a_version(name: str, term: str) -> bool:
    """Whether ``name`` is ``term`` followed by a version ("GPT-4", "GPT-3.5" of "GPT",
    "Llama 2" of "Llama"): a model's name, which the matcher never reads as a mention."""
    if not name.startswith(term):
        return False
    if _VERSION.match(name, len(term)):
        return True
    return term[:1].isupper() and _NAME_NUMBER.match(name, len(term)) is not None


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text)


def _char(ch: str) -> str:
    """A character of a lower-case form, in either case (the exact case is checked later)."""
    if ch == " ":
        return r"\s+"
    if ch.upper() != ch:
        return f"[{re.escape(ch)}{re.escape(ch.upper())}]"
    return re.escape(ch)


def _trie_regex(forms: Iterable[str], char: Callable[[str], str] = _char) -> str:
    """One regex for many lower-case forms, sharing prefixes so a search stays fast
    (``char``: a character's pattern)."""
    trie: dict[str, dict] = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [char(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # Optional after a complete form: the greedy `?` tries the longer phrase first.
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _compile(forms: Iterable[str]) -> re.Pattern[str]:
    """The pattern finding every lower-case form (in any case: capitals are checked later)."""
    forms = list(forms)
    body = _trie_regex(forms) if forms else r"(?!)"
    # Checking the first character before the look-behinds lets the search skip
    # most positions quickly; explicit [xX] classes are faster than IGNORECASE.
    first = "".join(sorted({_char(form[0]).strip("[]") for form in forms}))
    start = f"(?=[{first}])" if first else ""
    return re.compile(f"{start}{_LEFT}(?P<body>{body})(?P<possessive>{_POSSESSIVE}){_RIGHT}")


def glossary_phrases(glossary: TermGlossary, kinds: Iterable[str] = NAME_KINDS) -> list[Phrase]:
    """The spellings of ``kinds`` ("term", "abbreviation", "alias", "variant") of every
    entry, entry by entry."""
    wanted = set(kinds)
    phrases: list[Phrase] = []
    for entry in glossary.entries:
        if "term" in wanted:
            phrases.append(Phrase(entry.term, entry.id, "term"))
        if "abbreviation" in wanted and entry.abbreviation:
            phrases.append(Phrase(entry.abbreviation, entry.id, "abbreviation"))
        if "alias" in wanted:
            phrases.extend(Phrase(a, entry.id, "alias") for a in entry.aliases)
        if "variant" in wanted:
            phrases.extend(
                Phrase(v, entry.id, "variant", replacement=r) for v, r in entry.avoid.items()
            )
    return phrases


def _capitals(form: str) -> tuple[tuple[int, str], ...]:
    """Where a form has capitals: the only letters whose case the text must repeat."""
    return tuple((i, ch) for i, ch in enumerate(form) if ch.isupper())


# A lower-case form -> (its capitals, the phrase, whether it is the phrase's plural), for
# each phrase that has it; the phrase as written before a plural.
Forms = dict[str, list[tuple[tuple[tuple[int, str], ...], Phrase, bool]]]


def _forms_of(phrases: Iterable[Phrase]) -> Forms:
    forms: Forms = {}
    for phrase in phrases:
        base = _normal(phrase.text)
        for form, plural in ((base, False), (plural_of(base), True)):
            forms.setdefault(form.lower(), []).append((_capitals(form), phrase, plural))
    for candidates in forms.values():
        candidates.sort(key=lambda c: c[2])  # a phrase as written before a plural
    return forms


# Control characters (neither word, space nor digit) that stand in for the non-ASCII
# characters a titled scan must tell apart (``_Titled``).
_RESERVED = [chr(c) for c in (*range(0x01, 0x09), *range(0x0E, 0x1C), 0x7F)]


# What the re module's \w, \d and \s match in a str pattern, for one character.
def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class _Titled:
    """The same scan, faster: over the text in title case ("Foundation Model"), where
    only a word's first letter is a capital, so a pattern of the forms in title case
    (literal letters, not ``[xX]`` classes) is tried at word starts only. The text's
    characters outside ASCII are first replaced by ASCII ones the pattern cannot tell
    from them (``title()`` of ASCII keeps the length, so offsets stay): a space for a
    space, a digit for a digit, ``_`` for any other word character, a control character
    of its own for each one a form has (``·``) and for ``’`` (possessives), ``\\x00`` for
    the rest. ``None`` (``of``) where that is not exact: a form with a non-ASCII letter
    or a cased non-ASCII sign, a form using the stand-ins themselves. A text holding a
    reserved control character is scanned the usual way. Where a match ends in a
    possessive, the text as written decides whether it is one (``'S`` is not)."""

    def __init__(self, own: dict[str, str], digit: str, forms: Iterable[str]) -> None:
        self._own = own  # non-ASCII character -> its control character
        self._digit = digit
        self._stand_ins: dict[str, str] = {}
        # A name per table: the encoder calls it for each run of non-ASCII characters.
        name = "check_docs-titled-" + hashlib.sha256(repr((own, digit)).encode()).hexdigest()
        try:
            codecs.lookup_error(name)
        except LookupError:
            codecs.register_error(name, self._replace)
        self._errors = name
        reserved = [c for c in _RESERVED if c in own.values()]
        self._reserved = re.compile(f"[{''.join(reserved)}]") if reserved else None
        titled = [form.translate(str.maketrans(own)).title() for form in forms]
        body = _trie_regex(titled, lambda ch: r"\s+" if ch == " " else re.escape(ch))
        first = "".join(sorted({re.escape(form[0]) for form in titled}))
        start = f"(?=[{first}])" if first else ""
        apostrophes = re.escape("'" + own["’"])
        self.pattern = re.compile(
            f"{start}{_LEFT}(?P<body>{body})(?P<possessive>(?:[{apostrophes}]S)?){_RIGHT}"
        )

    @classmethod
    def of(cls, forms: Iterable[str]) -> _Titled | None:
        forms = list(forms)
        used = set("".join(forms))
        own: dict[str, str] = {}
        pool = iter(_RESERVED)
        for ch in [*sorted(c for c in used if not c.isascii()), "’"]:
            if ch in own:
                continue
            if _word(ch) or ch.isspace() or ch.upper() != ch or ch.lower() != ch:
                return None
            own[ch] = next(pool, "")
            if not own[ch]:
                return None
        digit = next((d for d in "0123456789" if d not in used), None)
        if digit is None or used & {"_", "\x00", *own.values()}:
            return None
        return cls(own, digit, forms)

    def _stand_in(self, ch: str) -> str:
        found = self._own.get(ch)
        if found is None:
            if ch.isspace():
                found = " "
            elif ch.isdecimal():
                found = self._digit
            else:
                found = "_" if _word(ch) else "\x00"
        self._stand_ins[ch] = found
        return found

    def _replace(self, error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeEncodeError):
            raise error
        stand_ins = self._stand_ins
        part = error.object[error.start : error.end]
        return "".join(stand_ins.get(ch) or self._stand_in(ch) for ch in part), error.end

    def text_of(self, text: str) -> str | None:
        """``text`` as the titled pattern reads it, or None (scan it the usual way)."""
        if self._reserved is not None and self._reserved.search(text):
            return None
        # bytes.title(): ASCII's rule alone, and three times faster than str.title().
        return text.encode("ascii", self._errors).title().decode("ascii")


class TermMatcher:
    """Compiled once per glossary; ``finditer`` scans any amount of text."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        forms = _forms_of(phrases)
        self._set_up(forms, _compile(forms))

    def _set_up(self, forms: Forms, pattern: re.Pattern[str]) -> None:
        """The one place a matcher's state is set: ``pattern`` finds every form."""
        self._forms = forms
        self._resolved: dict[str, tuple[Phrase, bool] | None] = {}
        self.pattern = pattern
        self._titled: _Titled | bool | None = False  # False: not built yet
        self._plain_scans = 0

    def titled(self) -> _Titled | None:
        """The faster scan of whole texts (``_Titled``): built before page workers
        start (``TermIndex.compile``), to share it, or once this matcher has scanned a
        few whole texts (compiling it costs as much as scanning a dozen pages: a run
        that reads one page does without)."""
        if self._titled is False:
            self._titled = _Titled.of(self._forms)
        return self._titled  # type: ignore[return-value]

    @classmethod
    def _of(cls, forms: Forms, pattern: re.Pattern[str]) -> TermMatcher:
        """A matcher of ``forms`` with an already compiled ``pattern``."""
        matcher = cls.__new__(cls)
        matcher._set_up(forms, pattern)
        return matcher

    @classmethod
    def from_glossary(
        cls, glossary: TermGlossary, kinds: Iterable[str] = NAME_KINDS
    ) -> TermMatcher:
        return cls(glossary_phrases(glossary, kinds))

    def only(self, kinds: Iterable[str]) -> TermMatcher:
        """A matcher of this one's phrases of ``kinds`` alone, finding exactly what one
        built from those phrases finds. It shares this one's compiled pattern (a large
        regular expression: one compile per glossary for the term rules and the site's
        term links in one build) when that is exact: the pattern then also finds the
        other phrases, each refused like a spelling in the wrong case, and a refusal
        hides a kept phrase only if the refused form starts with it ("model" in the
        variant "model zoo"); then it compiles its own."""
        wanted = set(kinds)
        forms = {
            form: kept
            for form, candidates in self._forms.items()
            if (kept := [c for c in candidates if c[1].kind in wanted])
        }
        dropped = [form for form in self._forms if form not in forms]
        if any(form[:end] in forms for form in dropped for end in range(1, len(form))):
            return TermMatcher._of(forms, _compile(forms))
        return TermMatcher._of(forms, self.pattern)

    def _resolve(self, written: str) -> tuple[Phrase, bool] | None:
        """The phrase (and whether plural) a spelling found by the pattern stands for,
        or None when its capitals differ from every form's ("Llm"); memoised, as a
        page repeats its words."""
        try:
            return self._resolved[written]
        except KeyError:
            pass
        normal = written
        if not written.isprintable() or "  " in written:
            normal = _normal(written)  # a line break or a run of spaces inside a phrase
        found = next(
            (
                (phrase, plural)
                for capitals, phrase, plural in self._forms.get(normal.lower(), ())
                if all(normal[i] == ch for i, ch in capitals)
            ),
            None,
        )
        if len(self._resolved) < _MEMO_LIMIT:
            self._resolved[written] = found
        return found

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Match]:
        """Matches in order, never overlapping, the longest at each place. A whole text
        (no ``pos``, no ``endpos``) is scanned titled once ``titled`` is built: the same
        matches, faster."""
        end = len(text) if endpos is None else endpos
        pattern, seen = self.pattern, text
        if pos == 0 and endpos is None and end:
            if self._titled is False and self._plain_scans < _PLAIN_SCANS:
                self._plain_scans += 1
            else:
                titled = self.titled()
                read = titled.text_of(text) if titled is not None else None
                if read is not None:
                    pattern, seen = titled.pattern, read  # type: ignore[union-attr]
        resolved = self._resolved
        new = tuple.__new__
        while pos < end:
            # One scan of the text; only a refused match starts a new one, just after
            # its first character (a shorter match may start inside it).
            for m in pattern.finditer(seen, pos, end):
                start, stop = m.span("body")
                written = text[start:stop]
                at = m.end()
                if at != stop and text[stop + 1] != "s":
                    at = stop  # "'S" (a titled scan found it): as written, no possessive
                found = resolved.get(written) or self._resolve(written)
                if found is None or (written[:1].isupper() and _NAME_NUMBER.match(text, at, end)):
                    # Right letters, wrong case ("Llm"), or the start of a model's name
                    # ("Llama 2"): not a mention; look further on.
                    pos = start + 1
                    break
                yield new(
                    Match,
                    (start, at, text[start:at], found[0], found[1], text[stop:at]),
                )
            else:
                return
