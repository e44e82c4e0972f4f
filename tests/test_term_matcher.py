"""The term matcher shared by the glossary extension, the glossary hook and the checker:
whole words, case-aware, plurals and possessives, longest match first, variants; and the
prose mask that keeps code, URLs and markup out of a Markdown scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from check_docs.glossary import load_terms
from check_docs.parse import prose_text
from check_docs.term_matcher import NAME_KINDS, Phrase, TermMatcher, plural_of
from check_docs.terms import TermIndex
from fieldguide.glossary import load_glossary
from tests.conftest import ROOT

GLOSSARY = load_glossary(ROOT / "tests" / "fixtures" / "glossary_terms" / "glossary.yml")
NAMES = TermMatcher.from_glossary(GLOSSARY)
VARIANTS = TermMatcher.from_glossary(GLOSSARY, kinds=("variant",))


def found(text: str, matcher: TermMatcher = NAMES) -> list[tuple[str, str]]:
    return [(m.text, m.key) for m in matcher.finditer(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A large language model.", [("large language model", "llm")]),
        ("Two LLMs talk.", [("LLMs", "llm")]),
        ("The GAN's generator.", [("GAN's", "gan")]),
        ("Foundation models are big.", [("Foundation models", "foundation-model")]),
        ("The foundation models' power.", [("foundation models", "foundation-model")]),
        ("Biases appear.", [("Biases", "bias")]),
        ("New capabilities.", [("capabilities", "capability")]),
        ("Generative AI is here.", [("Generative AI", "generative-ai")]),
        ("GPT-4 is a GPT.", [("GPT", "gpt")]),  # GPT-4 is a model's name
        ("a large\n  language model", [("large\n  language model", "llm")]),
    ],
)
def test_finds_terms_in_their_forms(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Gandalf and attentional.", []),  # inside longer words
        ("pre-training", ["pre-training"]),  # not 'training': it is joined by a hyphen
        ("Llm and gan", []),  # abbreviations are upper case
        ("generative ai", []),  # the 'AI' of the term is upper case
        ("self-attention", []),  # hyphenated on the left
        ("attention-grabbing", []),  # hyphenated on the right
    ],
)
def test_ignores_parts_of_words_and_wrong_case(text, keys):
    assert [key for _, key in found(text)] == keys


MODELS = TermMatcher(
    [
        Phrase("GPT", "gpt", "abbreviation"),
        Phrase("Llama", "llama", "term"),
        Phrase("DALL-E", "dall-e", "term"),
        Phrase("Gemini", "gemini", "term"),
        Phrase("token", "token", "term"),
    ]
)


@pytest.mark.parametrize(
    "text",
    [
        "GPT-4 answers.",
        "GPT-3.5 and GPT-4o",
        "Llama 2 and Llama\n3 have open weights.",
        "DALL-E 2 draws; DALL-E 3 too.",
        "Gemini 1.5 reads a long input.",
        "Llama 3.1",
    ],
)
def test_a_model_name_is_not_a_mention_of_the_term_it_starts_with(text):
    assert [m.text for m in MODELS.finditer(text)] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GPT and Llama.", ["GPT", "Llama"]),
        ("Llama, 2 of them", ["Llama"]),  # a comma between: not a name
        ("The GPT (2018).", ["GPT"]),
        ("DALL-E draws. 2 images", ["DALL-E"]),
        ("token 1 then token 2", ["token", "token"]),  # lower case: a mention
        ("GPT-4 was trained like GPT.", ["GPT"]),  # the next mention is found
    ],
)
def test_terms_beside_numbers_that_are_no_model_name_are_found(text, expected):
    assert [m.text for m in MODELS.finditer(text)] == expected


def test_longest_match_wins_and_matches_never_overlap():
    assert found("a large language model and a language model") == [
        ("large language model", "llm"),
        ("language model", "language-model"),
    ]
    assert found("generative pre-trained transformer") == [
        ("generative pre-trained transformer", "gpt")
    ]


def test_alias_and_abbreviation_report_their_kind():
    kinds = [m.phrase.kind for m in NAMES.finditer("LLM, generative artificial intelligence")]
    assert kinds == ["abbreviation", "alias"]


def test_offsets_point_into_the_text():
    text = "Before GANs after"
    (match,) = NAMES.finditer(text)
    assert text[match.start : match.end] == "GANs"
    assert match.plural


def test_variants_carry_their_replacement():
    matches = list(VARIANTS.finditer("Gen AI uses foundational models; GenAI needs pretraining."))
    assert [(m.text, m.phrase.replacement) for m in matches] == [
        ("Gen AI", "generative AI"),
        ("foundational models", "foundation model"),
        ("GenAI", "generative AI"),
        ("pretraining", "pre-training"),
    ]
    assert found("a large-language model", VARIANTS) == [("large-language model", "llm")]
    # The canonical spellings are not variants.
    assert found("generative AI, foundation model, pre-training", VARIANTS) == []


@pytest.mark.parametrize(
    ("text", "sentence_start", "suggestion"),
    [
        ("foundational model", False, "foundation model"),
        ("foundational models", False, "foundation models"),
        ("Foundational model's", False, "Foundation model's"),
        ("Pretraining", False, "Pre-training"),
        ("pretrained", False, "pre-trained"),
        ("Gen AI", False, "generative AI"),
        ("Gen AI", True, "Generative AI"),
        ("GenAI's", False, "generative AI's"),
    ],
)
def test_suggestion_keeps_the_writers_form(text, sentence_start, suggestion):
    (match,) = VARIANTS.finditer(text)
    assert match.suggestion(sentence_start=sentence_start) == suggestion


@pytest.mark.parametrize(
    ("phrase", "plural"),
    [("model", "models"), ("bias", "biases"), ("LLM", "LLMs"), ("capability", "capabilities")],
)
def test_plural_of(phrase, plural):
    assert plural_of(phrase) == plural


def test_empty_matcher_finds_nothing():
    assert list(TermMatcher([]).finditer("anything at all")) == []


def test_mask_keeps_length_and_lines_and_hides_non_prose():
    source = (
        "---\ntitle: LLM notes\n---\n\n"
        "An LLM [link text GAN](https://x.org/GAN) and `GAN code`.\n\n"
        "```python\nbias = 1\n```\n\n"
        '<span title="bias">attention</span> https://example.org/bias {: .bias }\n'
        "<!-- GPT in a comment -->\n"
    )
    masked = prose_text(source)
    assert len(masked) == len(source)
    assert [i for i, c in enumerate(masked) if c == "\n"] == [
        i for i, c in enumerate(source) if c == "\n"
    ]
    assert found(masked) == [("LLM", "llm"), ("GAN", "gan"), ("attention", "attention")]


def test_mask_hides_indented_and_unclosed_fences():
    source = "!!! note\n\n    ~~~\n    GPT\n    ~~~\n\nbias\n\n```\nLLM never closed\n"
    assert found(prose_text(source)) == [("bias", "bias")]


# -- one compiled pattern for the term links and the term rules -----------------------
SITE_GLOSSARY = ROOT / "data" / "glossary.yml"
FIXTURE_GLOSSARY = ROOT / "tests" / "fixtures" / "glossary_terms" / "glossary.yml"


def _spellings(path: Path) -> list[str]:
    glossary = load_terms(path)
    names = [n for e in glossary.entries for n in (*e.names, *e.avoid)]
    return sorted({form for n in names for form in (n, plural_of(n), n.upper(), n.title())})


@pytest.mark.parametrize("path", [SITE_GLOSSARY, FIXTURE_GLOSSARY], ids=["site", "fixture"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_names_of_the_checkers_matcher_find_what_a_names_matcher_finds(path, data):
    """The site's term links use the checker's compiled pattern (``only``): they must find
    exactly what a matcher of the names alone finds, on text thick with every spelling,
    variant, plural and case, joined by spaces, hyphens, digits and line breaks."""
    spellings = _spellings(path)
    pieces = st.one_of(
        st.sampled_from(spellings), st.sampled_from([" ", "-", "'s ", " 2 ", "\n", "-4", "x"])
    )
    text = "".join(data.draw(st.lists(pieces, max_size=30)))
    index = TermIndex.load(path)
    shared = index.matcher.only(NAME_KINDS)
    assert shared.pattern is index.matcher.pattern  # no variant starts with a name here
    own = TermMatcher.from_glossary(load_terms(path))
    assert list(shared.finditer(text)) == list(own.finditer(text))


def test_a_matcher_of_some_kinds_compiles_its_own_where_sharing_would_hide_a_name():
    # The variant starts with the term: the shared pattern would find the variant there
    # and refuse it, hiding the term ("model" in "model zoo").
    full = TermMatcher(
        [Phrase("model zoo", "zoo", "variant", "model hub"), Phrase("model", "model", "term")]
    )
    names = full.only(NAME_KINDS)
    assert found("A model zoo.", names) == [("model", "model")]
    assert names.pattern is not full.pattern
    assert found("A model zoo.", full) == [("model zoo", "zoo")]


# -- the titled scan of whole texts ----------------------------------------------------
TRICKY = [" ", "-", "'s ", "’s ", "'S ", "’S", " 2 ", "\n", "-4", ".5", "x", "é", "É", "·"]
TRICKY += ["\u00a0", "٣", "²", "_", "0", "\x01", "\x02", "ß", "İ", "K", "ﬁ", "—", "\x1c", "e"]
TRICKY += ["-٣", ".٣", "-é", "é-", "-²", "’"]


@pytest.mark.parametrize("path", [SITE_GLOSSARY, FIXTURE_GLOSSARY], ids=["site", "fixture"])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_titled_scan_finds_exactly_what_the_plain_scan_finds(path, data):
    """A whole text is scanned in title case, its non-ASCII characters replaced by ASCII
    stand-ins (``_Titled``): on text thick with every spelling in every case, beside
    letters, digits, spaces and signs inside and outside ASCII, possessives in both
    apostrophes and cases, and the stand-ins' own control characters, it finds what
    scanning the text as written finds (``endpos`` given: the plain scan)."""
    pieces = st.one_of(st.sampled_from(_spellings(path)), st.sampled_from(TRICKY))
    text = "".join(data.draw(st.lists(pieces, max_size=30)))
    matcher = TermIndex.load(path).matcher
    assert matcher.titled() is not None  # (the site's '·' and '’' have stand-ins)
    assert list(matcher.finditer(text)) == list(matcher.finditer(text, 0, len(text)))


def test_a_titled_scan_reads_possessives_and_model_names_as_written():
    matcher = TermMatcher([Phrase("GPT", "gpt", "abbreviation"), Phrase("bias", "bias", "term")])
    assert matcher.titled() is not None
    # A version in Arabic-Indic digits and a word going on in a non-ASCII letter hide
    # a mention; a hyphen beside a non-ASCII letter does not join words (ASCII's do).
    near = "GPT-٣, biasé, GPT-é, é-bias"
    assert [m.text for m in matcher.finditer(near)] == ["GPT", "bias"]
    assert list(matcher.finditer(near)) == list(matcher.finditer(near, 0, len(near)))
    text = "GPT'S 2 and bias’s, GPT’s run, Bias 3 and GPT 4."
    whole = [(m.text, m.possessive) for m in matcher.finditer(text)]
    assert whole == [("GPT", ""), ("bias’s", "’s"), ("GPT’s", "’s")]  # "Bias 3": a name
    assert list(matcher.finditer(text)) == list(matcher.finditer(text, 0, len(text)))
