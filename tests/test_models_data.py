"""The example-models data file (data/models.yml): every kind of bad data gets a one-line
message naming file, line and field; dates must come from a cited source; and the real
file loads, covers what the pages need, and is what the build renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from check_docs.errors import DataError
from fieldguide.model_pages import regions, short_citation
from fieldguide.models import Model, load_models, models_path
from fieldguide.sources import Source, load_sources
from tests.conftest import ROOT, assert_clean_failure, mkdocs_build

FIXTURES = ROOT / "tests" / "fixtures" / "models_data"
REGISTRY = load_sources(FIXTURES / "sources.yml")
VALID = (FIXTURES / "valid.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def real():
    return load_models(models_path(ROOT), load_sources(ROOT / "data" / "sources.yml"))


def test_valid_fixture_loads_with_derived_facts():
    data = load_models(FIXTURES / "valid.yml", REGISTRY)
    reader, writer = data.models
    assert (reader.id, reader.date, reader.line) == ("reader", "2018-10", 15)
    assert reader.line_of("summary") == 27
    assert not reader.generative and writer.generative
    assert reader.open_weights and not writer.open_weights
    assert reader.names == ("Reader", "Reader-1")
    assert [m.id for m in data.milestones] == ["an-idea"]
    assert data.classes["decoder"].problems(reader) == ["has architecture 'encoder'"]
    assert data.classes["generative-ai"].problems(reader) == ["is not generative"]
    assert data.classes["large-language-model"].problems(writer) == []


# Each case changes one line of the valid file; the error must name that line and field.
BAD = [
    ("    date: 2018-10", "    date: October 2018", "date", "must be a year (2018) or a year"),
    ("    date: 2018-10", "    date: 2018-13", "date", "must be a year"),
    ("    date: 2018-10", "    date: 2018-09", "date", "not given by any of its sources"),
    ("    date: 2022-11", "    date: 2022", "date", None),  # a year alone is supported
    ("    architecture: encoder", "    architecture: rnn", "architecture", "unknown architecture"),
    (
        "    inputs: [text]\n    generates: []",
        "    inputs: [sound]\n    generates: []",
        "inputs",
        "unknown inputs 'sound'",
    ),
    ("    generates: []", "    generates: text", "generates", "must be a list of ids"),
    (
        "    llm: true\n    foundation: true",
        "    llm: yes please\n    foundation: true",
        "llm",
        "must be true or false",
    ),
    ("    weights: open", "    weights: public", "weights", "unknown weights 'public'"),
    ("    sources: [paper-1810]", "    sources: []", "sources", "at least one id"),
    ("    sources: [paper-1810]", "    sources: [no-such-id]", "sources", "unknown source id"),
    (
        "    summary: Reads text and labels it.",
        "    summary: Reads **bold** text.",
        "summary",
        "plain sentence",
    ),
    (
        "    maker: A Lab\n    architecture: encoder",
        "    makr: A Lab\n    architecture: encoder",
        "makr",
        "unknown field 'makr'",
    ),
    ("  - id: writer", "  - id: Writer", "id", "lower-case words"),
    ("  - id: writer", "  - id: reader", "id", "duplicate id 'reader' (first on line 15)"),
    ("    name: Writer", "    name: Reader-1", "name", "already used by 'reader'"),
    (
        "    see: concepts/writer.md#writer",
        "    see: https://example.org",
        "see",
        "a page of the guide",
    ),
    (
        "  decoder: {architecture: decoder}",
        "  decoder: {architecture: lstm}",
        "classes",
        "must name ids from 'architectures'",
    ),
    (
        "  decoder: {architecture: decoder}",
        "  decoder: {size: large}",
        "classes",
        "unknown fact 'size'",
    ),
]


@pytest.mark.parametrize(("old", "new", "field", "words"), BAD, ids=[c[1].strip() for c in BAD])
def test_bad_data_names_file_line_and_field(tmp_path, old, new, field, words):
    assert old in VALID
    text = VALID.replace(old, new, 1)
    path = tmp_path / "models.yml"
    path.write_text(text, encoding="utf-8")
    if words is None:
        load_models(path, REGISTRY)
        return
    with pytest.raises(DataError) as caught:
        load_models(path, REGISTRY)
    error = caught.value
    line = VALID[: VALID.index(old)].count("\n") + 1  # where the changed text starts
    # Multi-line replacements put the bad value on their first or second line.
    assert error.line in (line, line + new.count("\n")), str(error)
    assert error.field == field, str(error)
    assert words in error.message, str(error)
    assert str(error).startswith(f"{path}:{error.line}: [{field}] ")
    assert "\n" not in str(error)


def test_invalid_yaml_and_wrong_shapes_are_named(tmp_path):
    path = tmp_path / "models.yml"
    path.write_text(VALID.replace("  - id: writer", "  - id: [writer"), encoding="utf-8")
    with pytest.raises(DataError, match="invalid YAML"):
        load_models(path)
    path.write_text("models: 3\n", encoding="utf-8")
    with pytest.raises(DataError, match="top-level 'models:' list"):
        load_models(path)
    path.write_text(VALID + "extra: 1\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown top-level key 'extra'"):
        load_models(path)


def test_source_dates_come_from_arxiv_ids_dates_and_years():
    from fieldguide.models import source_months

    assert source_months(REGISTRY["paper-1810"]) == {(2018, 10), (2018, None)}
    assert source_months(REGISTRY["announcement-2022"]) == {(2022, 11)}
    assert source_months(REGISTRY["year-only"]) == {(2019, None)}


# --- The real data ------------------------------------------------------------------


def test_real_data_loads_and_every_date_is_backed_by_a_source(real):
    # load_models checked each date against its sources; this guards the scope.
    assert len(real.models) >= 40
    assert min(m.year for m in real.models) == 2013
    assert max(m.year for m in real.models) >= 2025


def test_real_data_covers_the_models_the_brief_and_pages_need(real):
    needed = {
        "word2vec", "bert", "gpt-1", "gpt-2", "gpt-3", "chatgpt", "instructgpt", "t5",
        "clip", "dall-e", "dall-e-2", "dall-e-3", "stable-diffusion", "imagen", "palm",
        "llama", "llama-2", "llama-3", "mistral-7b", "mixtral", "gpt-4", "gpt-4o",
        "gemini", "claude", "o1", "deepseek-v3", "deepseek-r1", "qwen", "gpt-oss", "sora",
        "veo", "sam", "dinov2", "flamingo", "llava", "codex", "starcoder", "code-llama",
        "stylegan", "vit",
    }  # fmt: skip
    assert needed <= set(real.by_id)


def test_models_are_in_date_order(real):
    keys = [(m.year, m.month or 0) for m in real.models]
    assert keys == sorted(keys)


def test_every_model_falls_in_exactly_one_overlap_region(real):
    groups = regions(real, {
        "generative-ai": "generative AI",
        "large-language-model": "large language model",
        "foundation-model": "foundation model",
    })  # fmt: skip
    placed = [m.id for g in groups for m in g.models]
    assert sorted(placed) == sorted(m.id for m in real.models)
    for group in groups:
        for model in group.models:
            assert group.key == (model.generative, model.llm, model.foundation)
    labels = {g.label for g in groups}
    assert "All three" in labels and "Foundation model only" in labels


@pytest.mark.parametrize(
    ("author", "year", "date", "expected"),
    [
        ("Jacob Devlin et al.", 2018, None, "Devlin et al., 2018"),
        ("Diederik P. Kingma and Max Welling", 2013, None, "Kingma and Welling, 2013"),
        (
            "Tomas Mikolov, Kai Chen, Greg Corrado and Jeffrey Dean",
            2013,
            None,
            "Mikolov et al., 2013",
        ),
        ("Jinze Bai et al. (Qwen Team, Alibaba Group)", 2023, None, "Bai et al., 2023"),
        ("Gemini Team, Google", 2023, None, "Gemini Team, 2023"),
        ("OpenAI", None, "30 November 2022", "OpenAI, 2022"),
    ],
)
def test_short_citations(author, year, date, expected):
    source = Source(id="x", title="T", author=author, kind="paper", line=1, year=year, date=date)
    assert short_citation(source) == expected


# --- Bad data stops the build, in a subprocess on a copy of the project -------------


def test_bad_models_data_stops_the_build_naming_file_and_line(project_copy: Path):
    path = project_copy / "data" / "models.yml"
    text = path.read_text(encoding="utf-8")
    bad = text.replace(
        "    date: 2018-10\n    maker: Google", "    date: 2017-10\n    maker: Google"
    )
    assert bad != text
    path.write_text(bad, encoding="utf-8")
    line = bad[: bad.index("    date: 2017-10")].count("\n") + 1
    proc = mkdocs_build(project_copy, "-d", str(project_copy / "site"))
    assert_clean_failure(proc, f"data/models.yml:{line}: [date]", "'bert'")


def test_model_type_is_a_milestone_with_facts():
    # The timeline treats both kinds alike; a model only adds facts.
    fields = set(Model.__dataclass_fields__)
    assert {"maker", "architecture", "inputs", "generates", "llm", "foundation"} <= fields
