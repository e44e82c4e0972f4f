"""The Glossary page's Markdown (fieldguide.glossary_page) without a build: letter index
and headings, entry anchors, related and source links, grouped variants, and the
"Mentioned on" pages found in the pages' Markdown (never in code or front matter)."""

from __future__ import annotations

from check_docs.term_matcher import TermMatcher
from fieldguide.glossary import load_glossary
from fieldguide.glossary_page import PageRef, mentions, page_title, render_glossary
from fieldguide.sources import load_sources
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
GLOSSARY = load_glossary(FIXTURES / "glossary_terms" / "glossary.yml")
BAD = FIXTURES / "glossary_bad"
MATCHER = TermMatcher.from_glossary(GLOSSARY)


def test_letters_and_entries_in_order_with_anchors():
    text = render_glossary(GLOSSARY, {}, {}, "glossary.md")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[:4] == [
        "## A { #letter-a }",
        "### attention { #attention .fg-entry }",
        "## B { #letter-b }",
        "### bias { #bias .fg-entry }",
    ]
    assert (
        "### large language model (LLM) "
        '<span class="fg-search-only" aria-hidden="true">(also: LLMs, large-language model)</span> '
        "{ #llm .fg-entry }"
    ) in headings
    assert text.startswith(
        '<nav class="fg-letter-index" aria-label="Glossary letters" markdown="span">'
        "[A](#letter-a) [B](#letter-b) [C](#letter-c)"
    )


def test_other_spellings_are_listed_for_readers_and_in_the_heading_for_search():
    text = render_glossary(GLOSSARY, {}, {}, "glossary.md")
    assert "Also written: “Gen AI”, “GenAI”." in text
    assert "Also written: “pretraining”, “pretrained”." in text
    heading = next(line for line in text.splitlines() if "{ #generative-ai " in line)
    assert heading == (
        '### generative AI <span class="fg-search-only" aria-hidden="true">'
        "(also: generative artificial intelligence, Gen AI, GenAI)</span> "
        "{ #generative-ai .fg-entry }"
    )


def test_models_named_as_versions_of_an_entry_lead_search_to_it():
    names = ["GPT-2", "ChatGPT", "GPT-3.5", "InstructGPT", "GPT-4o", "GPT-2"]
    text = render_glossary(GLOSSARY, {}, {}, "glossary.md", {}, names)
    heading = next(line for line in text.splitlines() if "{ #gpt " in line)
    # ChatGPT and InstructGPT are other models that contain the name, not versions. No
    # "GPTs" among the names: the entry's own text never writes that plural (the LLM
    # entry's does, and its heading lists "LLMs").
    assert heading.startswith(
        "### generative pre-trained transformer (GPT) "
        '<span class="fg-search-only" aria-hidden="true">'
        "(versions: GPT-2, GPT-3.5, GPT-4o)</span>"
    )
    assert text.count("versions:") == 1


def test_related_sources_and_mentions_link_relative_to_the_page():
    glossary = load_glossary(BAD / "valid.yml")
    sources = load_sources(BAD / "sources.yml")
    refs = {"llm": [PageRef("concepts/llm.md", "LLMs [explained]")]}
    text = render_glossary(glossary, sources, refs, "reference/glossary.md")
    assert "Related: [transformer](#transformer)." in text
    assert "Sources: [A known source](../sources.md#ref-known-source)." in text
    assert r"Mentioned on: [LLMs \[explained\]](../concepts/llm.md)." in text
    assert "Mentioned on: no page yet." in text  # the transformer entry


def test_lines_pointing_elsewhere_are_kept_out_of_site_search():
    glossary = load_glossary(BAD / "valid.yml")
    sources = load_sources(BAD / "sources.yml")
    refs = {"llm": [PageRef("concepts/llm.md", "LLMs")]}
    text = render_glossary(glossary, sources, refs, "glossary.md")
    text += render_glossary(GLOSSARY, {}, {}, "glossary.md")  # other names too
    items = [line for line in text.splitlines() if line.startswith("<li ")]
    excluded = [i for i in items if "data-search-exclude" in i]
    assert excluded and all(
        i.split(">", 1)[1].startswith(("Related:", "Sources:", "Mentioned on:")) for i in excluded
    ), excluded
    # Other names and examples are what readers search by: indexed.
    kept = [i for i in items if "data-search-exclude" not in i]
    assert kept and all(i.split(">", 1)[1].startswith(("Also", "Examples:")) for i in kept), kept


def test_mentions_skip_the_glossary_code_and_front_matter():
    pages = [
        ("glossary.md", "A GAN."),
        ("a.md", "---\ntitle: Page A\n---\n\nA GAN and `bias`.\n"),
        ("b.md", "# Page B\n\n```\nGAN\n```\n\nSome bias, some GANs.\n"),
        ("c.md", "---\ntitle: LLM\n---\n\nNothing here.\n"),
    ]
    found = mentions(pages, MATCHER, skip="glossary.md", docs_prefix="docs/")
    assert found == {
        "gan": [PageRef("a.md", "Page A"), PageRef("b.md", "Page B")],
        "bias": [PageRef("b.md", "Page B")],
    }


def test_page_title_prefers_front_matter_then_heading_then_file():
    assert page_title("---\ntitle: T\n---\n# H\n", "x.md", "docs/") == "T"
    assert page_title("```\n# not a heading\n```\n# Heading\n", "x.md", "docs/") == "Heading"
    assert page_title("No heading.\n", "dir/x.md", "docs/") == "dir/x.md"
