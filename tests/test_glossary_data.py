"""The glossary data file: every kind of bad data gets a message naming file, line and
field (fixtures in tests/fixtures/glossary_bad/), and the real data/glossary.yml is
complete: the required terms, the canonical spellings and their banned variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from check_docs.errors import DataError
from fieldguide.glossary import (
    DEFINITION_LIMIT,
    glossary_anchors,
    glossary_path,
    letter_anchor,
    load_glossary,
    tooltip,
)
from fieldguide.sources import load_sources
from tests.conftest import ROOT

BAD = ROOT / "tests" / "fixtures" / "glossary_bad"
REGISTRY = load_sources(BAD / "sources.yml")


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(glossary_path(ROOT), load_sources(ROOT / "data" / "sources.yml"))


def test_valid_fixture_loads():
    g = load_glossary(BAD / "valid.yml", REGISTRY)
    assert [e.id for e in g.entries] == ["llm", "transformer"]
    llm = g.by_id["llm"]
    assert llm.line == 3
    assert llm.related == ("transformer",)
    assert tooltip(llm) == "large language model (LLM): A big model of language."
    assert tooltip(g.by_id["transformer"]) == "transformer: An architecture."


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [
        ("duplicate_id", 11, "id", "duplicate id 'llm' (first on line 3)"),
        ("duplicate_term", 12, "term", "already the term of entry 'llm'"),
        ("duplicate_alias", 13, "aliases", "already the abbreviation of entry 'llm'"),
        ("missing_definition", 11, "definition", "'definition' missing or empty"),
        ("long_definition", 13, "definition", f"at most {DEFINITION_LIMIT}"),
        ("markup_definition", 13, "definition", "plain text"),
        ("unknown_related", 8, "related", "'no-such-entry' is not an entry id"),
        ("self_related", 8, "related", "is the entry itself"),
        ("unknown_source", 9, "sources", "unknown source id 'no-such-source'"),
        ("avoid_is_term", 13, "avoid", "is the term of entry 'llm'"),
        ("avoid_is_alias", 14, "avoid", "'language model' is an alias of entry 'llm'"),
        ("unknown_field", 15, "definiton", "unknown field 'definiton'"),
        ("wrong_type_aliases", 6, "aliases", "must be a list"),
        ("wrong_type_avoid", 13, "avoid", "must be a list of variants or a mapping"),
        ("wrong_type_term", 12, "term", "'term' must be text"),
        ("unknown_category", 10, "category", "unknown category 'concepts'"),
        ("bad_id", 11, "id", "lower-case words joined by hyphens"),
        ("no_entries", 1, "entries", "top-level 'entries:' list"),
    ],
)
def test_bad_data_names_file_line_and_field(name, line, field, words):
    path = BAD / f"{name}.yml"
    with pytest.raises(DataError) as caught:
        load_glossary(path, REGISTRY)
    error = caught.value
    assert (error.line, error.field) == (line, field)
    assert words in error.message
    assert str(error).startswith(f"{path}:{line}: [{field}] ")


def test_invalid_yaml_names_file_and_line():
    with pytest.raises(DataError) as caught:
        load_glossary(BAD / "invalid_yaml.yml")
    assert caught.value.line == 14
    assert "invalid YAML" in str(caught.value)


def test_source_ids_are_only_checked_against_a_registry():
    # Without a registry (the Markdown extension's case) unknown ids are not its concern.
    assert load_glossary(BAD / "unknown_source.yml").by_id["llm"].sources[-1] == "no-such-source"


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_glossary(tmp_path / "glossary.yml")


def test_avoid_list_means_replace_with_term_and_mapping_keeps_its_replacement(glossary):
    assert glossary.by_id["generative-ai"].avoid == {
        "Gen AI": "generative AI",
        "Gen-AI": "generative AI",
        "GenAI": "generative AI",
    }
    assert glossary.by_id["pre-training"].avoid["pretrained"] == "pre-trained"


# The terms issue 5 requires, by any accepted name (term, abbreviation or alias).
REQUIRED = """generative AI; discriminative model; generative model; joint distribution;
conditional distribution; GAN; generator; discriminator; VAE; autoencoder; latent space; RNN;
LSTM; diffusion model; transformer; attention; self-attention; encoder; decoder; GPT; BERT; T5;
LLM; foundation model; pre-training; fine-tuning; transfer learning; few-shot learning;
zero-shot; emergent capabilities; multimodal model; representation learning;
self-supervised learning; unsupervised learning; supervised learning; labelled data; parameter;
text-to-text; text-to-image; text-to-video; text-to-3D; text-to-task; prompt; bias;
interpretability; inference; token; training data; sentiment analysis; classification;
regression; deep learning; neural network; NLP; hallucination; deepfake; scaling;
tokenizer; context window; in-context learning; chain of thought; RAG; sampling; temperature;
reasoning model; open weights; normalizing flow; autoregressive model; flow matching; MoE;
likelihood; contrastive learning; image-to-image"""


def test_real_glossary_has_every_required_term(glossary):
    assert len(glossary.entries) >= 45
    names = {name for entry in glossary.entries for name in entry.names}
    missing = [t.strip() for t in REQUIRED.split(";") if t.strip() not in names]
    assert missing == []


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("Gen AI", "generative AI"),
        ("Gen-AI", "generative AI"),
        ("GenAI", "generative AI"),
        ("foundational model", "foundation model"),
        ("fine tuning", "fine-tuning"),
        ("finetuning", "fine-tuning"),
        ("pretraining", "pre-training"),
        ("pre training", "pre-training"),
        ("large-language model", "large language model"),
        ("sentimental analysis", "sentiment analysis"),
        ("text to image", "text-to-image"),
        ("text to video", "text-to-video"),
        ("text to 3D", "text-to-3D"),
        ("text to task", "text-to-task"),
        ("text to text", "text-to-text"),
        ("image to image", "image-to-image"),
    ],
)
def test_real_glossary_bans_the_variants_the_site_never_uses(glossary, variant, canonical):
    replacements = {v: r for e in glossary.entries for v, r in e.avoid.items()}
    assert replacements[variant] == canonical
    assert canonical in {e.term for e in glossary.entries}


def test_real_glossary_definitions_fit_a_tooltip(glossary):
    for entry in glossary.entries:
        assert len(entry.definition) <= DEFINITION_LIMIT, entry.id
        assert entry.definition.endswith("."), entry.id
        assert entry.explanation.strip(), entry.id


def test_entries_are_sorted_by_term_and_anchors_are_unique(glossary):
    terms = [e.term.casefold() for e in glossary.entries]
    assert terms == sorted(terms)
    anchors = glossary_anchors(glossary)
    assert len(anchors) == len(set(anchors))
    assert letter_anchor("A") in anchors and "generative-ai" in anchors


def test_glossary_path_defaults_to_the_data_folder():
    assert glossary_path(Path("/x")) == Path("/x/data/glossary.yml")
    assert glossary_path(Path("/x"), "other.yml") == Path("/x/other.yml")


def test_a_changed_file_is_read_again_and_sources_are_checked_on_every_call(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text((BAD / "valid.yml").read_text(encoding="utf-8"), encoding="utf-8")
    assert load_glossary(path, REGISTRY).by_id["transformer"].definition == "An architecture."
    with pytest.raises(DataError, match="unknown source id 'known-source'"):
        load_glossary(path, {})  # same file, parsed once, but another registry
    path.write_text(
        path.read_text(encoding="utf-8").replace("An architecture.", "A changed one."),
        encoding="utf-8",
    )
    assert load_glossary(path, REGISTRY).by_id["transformer"].definition == "A changed one."


def test_ideas_the_pages_keep_apart_have_entries_of_their_own(glossary):
    # Issue 15: the glossary once merged these, contradicting the pages: a tokenizer is not a
    # token, and in-context learning is wider than few-shot learning (zero-shot is in it too).
    owner = {name: e.id for e in glossary.entries for name in e.names}
    assert owner["tokenizer"] != owner["token"]
    assert owner["in-context learning"] not in (owner["few-shot"], owner["zero-shot"])
    for setting in ("few-shot-learning", "zero-shot-learning"):
        assert "in-context-learning" in glossary.by_id[setting].related
