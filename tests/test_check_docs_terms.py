"""check_docs' term rules (term-variant, term-case, undefined-abbreviation, glossary-unused):
a planted fixture site found exactly, true and false cases of each rule, the output formats,
the allow-list setting and the suppression comment, driven through ``main(argv)``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from check_docs.finding import Finding
from check_docs.terms import ABBREVIATION_RE
from fieldguide.glossary import load_glossary
from tests.check_docs_support import FIXTURES, copy_fixture, page_findings, planted, run_cli

SITE = FIXTURES / "terms_site"
GLOSSARY = load_glossary(SITE / "data" / "glossary.yml")
TERM_RULES = "term-variant,term-case,undefined-abbreviation,glossary-unused"
VARIANT = "term-variant"


def scan(text: str) -> list[Finding]:
    """The term rules' findings on one page of the fixture site, checked on its own."""
    return page_findings(text, SITE, rules="term-variant,term-case,undefined-abbreviation")


def rules(text: str) -> list[str]:
    return [hit.rule for hit in scan(text)]


def fixed(text: str, hit: Finding) -> str:
    assert hit.edit is not None
    raw = text.encode()
    return (raw[: hit.edit.start] + hit.edit.replacement + raw[hit.edit.end :]).decode()


def test_planted_site_is_found_exactly(capsys):
    run = run_cli(capsys, "-f", str(SITE / "mkdocs.yml"), "--format", "json")
    unused = GLOSSARY.by_id["vae"].line
    assert run.found() == planted(SITE) | {("data/glossary.yml", unused, "glossary-unused")}
    assert run.code == 1  # term-variant is an error


# -- term-variant ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "written", "suggestion"),
    [
        ("We use a foundational model.", "foundational model", "foundation model"),
        ("Two foundational models' outputs.", "foundational models", "foundation models"),
        ("The foundational model’s size.", "foundational model’s", "foundation model’s"),
        ("Foundational models are big.", "Foundational models", "Foundation models"),
        ("Gen AI is big.", "Gen AI", "Generative AI"),
        ("We like Gen AI.", "Gen AI", "generative AI"),
        ("We like GenAI.", "GenAI", "generative AI"),
        ("Why? Gen-AI helps.", "Gen-AI", "Generative AI"),
        ("It was fine tuned.", "fine tuned", "fine-tuned"),
        ("- Finetuning works.", "Finetuning", "Fine-tuning"),
        ("Many text to image models.", "text to image", "text-to-image"),
        ("A large-language model.", "large-language model", "large language model"),
        ("| cell | pretraining |", "pretraining", "pre-training"),
    ],
)
def test_variant_suggests_the_exact_replacement(text, written, suggestion):
    [hit] = scan(text)
    assert hit.rule == VARIANT
    assert f"'{written}' is a spelling the glossary avoids" in hit.message
    assert hit.suggestion == suggestion
    assert scan(fixed(text, hit)) == []


def test_variant_split_over_two_lines_is_reported_but_not_joined():
    [hit] = scan("It is fine\ntuning.")
    assert "'fine tuning' is a spelling the glossary avoids" in hit.message
    assert "split over two lines: fix by hand" in hit.message
    assert hit.edit is None


@pytest.mark.parametrize(
    "text",
    [
        "Fine-tuning and pre-training are right, and so is text-to-image.",
        "A refinetuning or pretrainedness word, and pre-pretrained.",
        "Code: `a foundational model` and ``Gen AI``.",
        "```\na foundational model\n```",
        "~~~text\nfinetuning\n~~~",
        "Text:\n\n    an indented code block: pretrained\n",
        "A [link](https://example.org/foundational-model) and <https://example.org/pretrained>.",
        "A [link](pretrained.md#finetuning 'title') and ![image](finetuning.png).",
        '<span title="Gen AI pretrained">text</span>',
        "---\ntitle: A foundational model\n---\n\nBody.",
        "<!-- a foundational model in a comment -->",
        "[ref]: https://example.org/finetuning",
    ],
)
def test_variant_is_not_found_outside_prose(text):
    assert VARIANT not in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "- item\n\n    the item's second paragraph says finetuning.\n",
        "Term\n:   A definition.\n\n    Its second paragraph says finetuning.\n",
        '!!! note "Title"\n    An admonition says finetuning.\n',
    ],
)
def test_indented_prose_is_not_code(text):
    assert rules(text) == [VARIANT]


def test_variant_in_a_heading_is_fixed_only_when_its_anchor_survives():
    [changed] = scan("## Why pretrained models\n")
    assert changed.edit is None  # "why-pretrained-models" would become "why-pre-trained-models"
    assert "fix by hand and update links to its anchor" in changed.message
    [kept] = scan("## Fine tuning\n")  # "fine-tuning" either way
    assert kept.edit is not None
    [explicit] = scan("## Why pretrained models {#why}\n")
    assert explicit.edit is not None


# -- term-case ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("In running text, Foundation Models are big.", "foundation models"),
        ("Large Language Models write.", "Large language models"),
        ("We like Text-To-Image work.", "text-to-image"),
        ("The Sentiment Analysis step.", "sentiment analysis"),
    ],
)
def test_title_case_mid_sentence_is_reported(text, suggestion):
    [hit] = scan(text)
    assert hit.rule == "term-case"
    assert hit.suggestion == suggestion


@pytest.mark.parametrize(
    "text",
    [
        "# Foundation Models\n",
        "Foundation Models\n=================\n",
        '!!! note "Foundation Models"\n    Body.\n',
        "| Foundation Models | x |\n|---|---|\n| a | b |\n",
        "Foundation models start the sentence.",
        "Ends. Foundation models start the next.",
        "The Center for Research on Foundation Models named them.",
        "In *On the Opportunities and Risks of Foundation Models* they wrote.",
        "A foundation model and a Foundation model and Generative AI.",
        "`Foundation Models` in code.",
    ],
)
def test_title_case_where_it_belongs_is_fine(text):
    assert "term-case" not in rules(text)


def test_a_spelling_the_glossary_avoids_wins_over_a_title_case_form(tmp_path):
    """One spelling, two readings: "Foundation Models" is the plural of the title-case
    form of the term "foundation model" (a term-case warning) and, here, a spelling
    another entry's ``avoid`` lists (a term-variant error). The avoid list wins: a
    writer wrote that exact spelling into the glossary with its replacement, while the
    title-case form and its plural are derived by the checker; the error names the
    replacement and can be fixed. It wins because a spelling as written goes before a
    derived plural, whatever order the index lists the phrases in (a variant equal to
    an accepted name in any case is refused when the glossary loads, so the two can
    meet only so). Broken on purpose by dropping that order from the matcher: a
    term-case warning instead."""
    site = copy_fixture("terms_site", tmp_path)
    glossary = site / "data" / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(
            "entries:\n",
            "entries:\n"
            "  - id: base-model\n"
            "    term: base model\n"
            "    definition: A model before any tuning.\n"
            "    explanation: Some text.\n"
            "    avoid:\n"
            "      Foundation Models: base models\n"
            "    category: concept\n",
            1,
        ),
        encoding="utf-8",
    )
    [hit] = page_findings("We trained two Foundation Models last year.\n", site, rules=TERM_RULES)
    assert (hit.rule, hit.suggestion) == ("term-variant", "base models")
    # Where the glossary avoids nothing of the kind, the title-case form is still found.
    [hit] = page_findings("We trained two Foundation Models last year.\n", SITE, rules=TERM_RULES)
    assert hit.rule == "term-case"


# -- undefined-abbreviation ----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "word"),
    [("RLHF tunes it.", "RLHF"), ("Many TPUs.", "TPUs"), ("A CNN's layers.", "CNN")],
)
def test_unknown_abbreviation_is_reported(text, word):
    [hit] = scan(text)
    assert hit.rule == "undefined-abbreviation"
    assert f"abbreviation '{word}' has no glossary entry" in hit.message


@pytest.mark.parametrize(
    "text",
    [
        "The LLM and LLMs, a GPU and GPUs, BERT, a VAE's decoder.",
        "Generative AI has the AI of its term.",
        "The UI is allowed.",
        "*[RAG]: retrieval-augmented generation\n\nRAG is defined here.",
        "A single capital: I, A. Mixed case: ReLU, LoRA. Too long: ABCDEFG.",
        "Hyphenated: GPT-4, RLHF-tuned. Code: `RLHF`.",
        "```\nRLHF\n```",
    ],
)
def test_known_or_non_abbreviations_are_fine(text):
    assert "undefined-abbreviation" not in rules(text)


def test_allow_list_comes_from_pyproject(capsys, tmp_path):
    site = copy_fixture("terms_site", tmp_path)
    (site / "pyproject.toml").write_text(
        '[tool.check_docs]\nabbreviations_allow = ["UI", "NASA", "TPU", "RLHF"]\n'
    )
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--select", "undefined-abbreviation")
    assert run.code == 0
    assert run.out == "No problems found in 4 pages.\n"


def test_allow_list_of_the_wrong_type_is_a_configuration_error(capsys, tmp_path):
    site = copy_fixture("terms_site", tmp_path)
    (site / "pyproject.toml").write_text('[tool.check_docs]\nabbreviations_allow = "UI"\n')
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"))
    assert run.code == 2
    assert "abbreviations_allow: got a string ('UI'); it must be a list of strings" in run.err


# -- glossary-unused -----------------------------------------------------------------
def test_unused_entry_is_reported_at_its_line(capsys):
    run = run_cli(capsys, "-f", str(SITE / "mkdocs.yml"), "--select", "glossary-unused")
    line = GLOSSARY.by_id["vae"].line
    assert run.out == (
        f"data/glossary.yml:{line}:1: glossary-unused entry 'vae' ('variational autoencoder') "
        "is mentioned on no page: use it on a page or remove the entry\n"
        "Found 0 errors and 1 warning in 4 pages.\n"
    )
    assert run.code == 0  # a warning


@pytest.mark.parametrize("mention", ["A VAE decodes.", "Two variational autoencoders."])
def test_a_mention_on_any_page_counts(capsys, tmp_path, mention):
    site = copy_fixture("terms_site", tmp_path)
    with (site / "docs" / "traps.md").open("a", encoding="utf-8") as page:
        page.write(f"\n{mention}\n")
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--select", "glossary-unused")
    assert run.out == "No problems found in 4 pages.\n"


def test_a_mention_in_code_does_not_count(capsys, tmp_path):
    site = copy_fixture("terms_site", tmp_path)
    with (site / "docs" / "traps.md").open("a", encoding="utf-8") as page:
        page.write("\n`VAE` and `variational autoencoder`\n")
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--select", "glossary-unused")
    assert "glossary-unused entry 'vae'" in run.out


def test_longest_match_decides_a_mention_as_on_the_glossary_page(capsys, tmp_path):
    """'large language model' mentions the LLM entry, not a shorter one inside it."""
    site = copy_fixture("terms_site", tmp_path)
    glossary = site / "data" / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + "  - id: language-model\n    term: language model\n    definition: Predicts words.\n"
        "    explanation: Some text.\n    category: concept\n",
        encoding="utf-8",
    )
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--select", "glossary-unused")
    assert "entry 'language-model'" in run.out


# -- formats, selection, suppression -------------------------------------------------
def test_text_and_github_formats_carry_the_term_rules(capsys):
    text = run_cli(capsys, "-f", str(SITE / "mkdocs.yml"), "--select", TERM_RULES).out
    assert (
        "docs/index.md:8:3: term-variant 'foundational model' is a spelling the glossary "
        "avoids (entry 'foundation model'): write 'foundation model' (fix: foundation model)\n"
    ) in text
    assert text.endswith("Found 11 errors and 5 warnings in 4 pages.\n")
    github = run_cli(capsys, "-f", str(SITE / "mkdocs.yml"), "--format", "github").out
    assert "::error file=docs/index.md,line=8,col=3,title=term-variant::" in github
    assert "::warning file=docs/index.md,line=21,col=18,title=term-case::" in github
    assert "title=undefined-abbreviation::" in github
    assert "::warning file=data/glossary.yml," in github


def test_json_suggestion_is_the_replacement(capsys):
    data = run_cli(capsys, "-f", str(SITE / "mkdocs.yml"), "--format", "json").json()
    first = next(d for d in data if d["rule"] == "term-variant")
    assert first == {
        "path": "docs/index.md",
        "line": 8,
        "column": 3,
        "rule": "term-variant",
        "severity": "error",
        "message": "'foundational model' is a spelling the glossary avoids "
        "(entry 'foundation model'): write 'foundation model'",
        "suggestion": "foundation model",
        "cause": None,
    }


def test_ignore_switches_a_term_rule_off(capsys):
    run = run_cli(capsys, "-f", str(SITE / "mkdocs.yml"), "--ignore", "term-variant")
    assert "term-variant" not in run.out
    assert run.code == 0


def test_quoted_wording_needs_its_suppression_comment(capsys, tmp_path):
    site = copy_fixture("terms_site", tmp_path)
    quotes = site / "docs" / "quotes.md"
    quotes.write_text(
        quotes.read_text(encoding="utf-8").replace(
            "    <!-- check_docs: ignore term-variant -->\n", ""
        ),
        encoding="utf-8",
    )
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--select", "term-variant")
    assert "docs/quotes.md:5:6: term-variant 'foundational models'" in run.out


def test_site_without_a_glossary_gets_no_term_findings(capsys, tmp_path):
    site = copy_fixture("terms_site", tmp_path)
    (site / "data" / "glossary.yml").unlink()
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--select", TERM_RULES)
    assert run.out == "No problems found in 4 pages.\n"


def test_the_real_site_has_no_term_errors(capsys):
    root = Path(__file__).resolve().parent.parent
    run = run_cli(capsys, "-f", str(root / "mkdocs.yml"), "--select", TERM_RULES)
    assert run.code == 0
    assert "term-variant" not in run.out
    assert "term-case" not in run.out
    assert "undefined-abbreviation" not in run.out


# The abbreviation pattern as its rule reads: a look-behind before the first capital.
PLAIN_ABBREVIATION_RE = re.compile(r"(?<![\w-])([A-Z]{2,6}[0-9]*)(s?)(?![\w-])")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="AB-xé s9_\n’Z", max_size=40))
@example("AB")  # at the very start
@example("xAB -AB _AB éAB AB")  # after a word's character or a hyphen: none but the last
def test_abbreviation_pattern_is_the_plain_reading(text):
    """ABBREVIATION_RE reads the first capital before its look-behind (so the search can
    skip to capitals in C): it must find exactly what the plain pattern finds."""
    fast = [(m.span(), m.groups()) for m in ABBREVIATION_RE.finditer(text)]
    assert fast == [(m.span(), m.groups()) for m in PLAIN_ABBREVIATION_RE.finditer(text)]
