"""The glossary and the pages agree with data/models.yml.

- Every glossary entry with `examples:` lists models that fit its rule under `classes:`.
- Every claim a page makes about a named model in a fixed shape (year, maker, the
  comparison table's examples, the home page's diagram) matches the data.
- The tables and figures that state per-model facts are rendered from the data: the built
  timeline, overlap figure and model table say exactly what the file says.
Each check is shown to fail on a contradiction planted in a copy of the real text or data.
"""

from __future__ import annotations

import dataclasses
import re
from html import unescape
from pathlib import Path

import pytest

from fieldguide.glossary import glossary_path, load_glossary
from fieldguide.model_claims import check_page
from fieldguide.model_pages import CONCEPTS, month_year, regions
from fieldguide.models import ModelData, check_examples, load_models, models_path
from fieldguide.sources import load_sources
from tests.conftest import ROOT, assert_clean_failure, mkdocs_build

DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def data() -> ModelData:
    return load_models(models_path(ROOT), load_sources(ROOT / "data" / "sources.yml"))


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(glossary_path(ROOT))


@pytest.fixture(scope="module")
def terms(glossary) -> dict[str, str]:
    return {e.id: e.term for e in glossary.entries}


def _with_model(data: ModelData, model_id: str, **changes) -> ModelData:
    """A copy of the data with one model's facts changed (a planted contradiction)."""
    models = tuple(
        dataclasses.replace(m, **changes) if m.id == model_id else m for m in data.models
    )
    by_id = {**data.by_id, **{m.id: m for m in models}}
    return dataclasses.replace(data, models=models, by_id=by_id)


# --- The glossary's examples ------------------------------------------------------------


def test_glossary_examples_fit_the_data(glossary, data):
    assert [str(p) for p in check_examples(glossary, data)] == []
    assert sum(bool(e.examples) for e in glossary.entries) >= 10


def test_every_class_rule_names_a_glossary_entry(glossary, data):
    assert set(data.classes) <= set(glossary.by_id)


def test_a_contradicting_example_is_reported_with_the_glossary_line(glossary, data):
    # StyleGAN is an example of generative AI; plant "StyleGAN generates nothing".
    planted = _with_model(data, "stylegan", generates=())
    problems = check_examples(glossary, planted)
    entry = glossary.by_id["generative-ai"]
    hits = [
        p
        for p in problems
        if "'stylegan' is not generative, so it cannot illustrate 'generative AI'" in p.message
    ]
    assert hits and hits[0].line == entry.examples_line
    assert str(hits[0]).startswith(f"{glossary.path}:{entry.examples_line}: [examples]")
    # BERT is an LLM example; plant "BERT is not an LLM".
    assert any("'bert' is not an LLM" in p.message for p in check_examples(
        glossary, _with_model(data, "bert", llm=False)))  # fmt: skip


def test_an_unknown_example_or_an_entry_without_a_rule_is_reported(glossary, data):
    entry = glossary.by_id["large-language-model"]
    bad = dataclasses.replace(entry, examples=(*entry.examples, "no-such-model"))
    no_rule = dataclasses.replace(glossary.by_id["token"], examples=("bert",))
    entries = tuple({bad.id: bad, no_rule.id: no_rule}.get(e.id, e) for e in glossary.entries)
    messages = [
        p.message for p in check_examples(dataclasses.replace(glossary, entries=entries), data)
    ]
    assert any("'no-such-model' is not a model id" in m for m in messages)
    assert any("'token' lists examples but models.yml has no rule" in m for m in messages)


# --- What the pages say -----------------------------------------------------------------


def test_no_page_contradicts_the_data(data, terms):
    found = [
        f"{page.relative_to(ROOT)}:{claim.line}: {claim.message}"
        for page in sorted(DOCS.rglob("*.md"))
        for claim in check_page(page.read_text(encoding="utf-8"), data, terms)
    ]
    assert found == []


def _plant(path: str, old: str, new: str) -> str:
    text = (DOCS / path).read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer on {path}; update the planted example"
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("path", "old", "new", "words"),
    [
        ("concepts/foundation-models.md", "**T5** (2019)", "**T5** (2018)",
         "'T5 (2018)' but data/models.yml dates 't5' 2019-10"),
        ("concepts/foundation-models.md", "**T5** (2019) from Google", "**T5** (2019) from Meta",
         "'T5' from Meta, but data/models.yml gives the maker of 't5' as Google"),
        ("concepts/kinds-of-generative-models.md", "DALL-E 2 (2022)", "DALL-E 2 (2021)",
         "dates 'dall-e-2' 2022-04"),
        ("comparison.md", "| GPT-3, BERT, T5, CLIP, SAM |", "| GPT-3, BERT, T5, CLIP, StyleGAN |",
         "lists StyleGAN as an example of 'Foundation models'"),
        ("index.md", "  CLIP --> FM\n", "  CLIP --> FM\n  CLIP --> GAI\n",
         "joins CLIP to 'Generative AI"),
        ("index.md", "  BERT --> LLM\n", "",
         "leaves BERT out of 'Large language models"),
    ],
)  # fmt: skip
def test_a_planted_page_contradiction_is_found_on_its_line(data, terms, path, old, new, words):
    text = _plant(path, old, new)
    claims = check_page(text, data, terms)
    assert any(words in c.message for c in claims), claims
    # The claim points at the changed line (or, for a diagram, at the model's node).
    changed = text.index(new) if new else text.index("BERT([")
    assert any(c.line == text.count("\n", 0, changed) + 1 for c in claims) or path == "index.md"


def test_code_and_comments_are_not_read_as_claims(data, terms):
    text = "`T5 (1999)` and\n<!-- T5 (1999) -->\n```\nT5 (1999)\n```\n"
    assert check_page(text, data, terms) == []
    assert check_page("T5 (1999)\n", data, terms) != []


def test_a_planted_page_contradiction_stops_the_build(project_copy: Path):
    page = project_copy / "docs" / "concepts" / "foundation-models.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("**T5** (2019)", "**T5** (2018)", 1), encoding="utf-8")
    line = text[: text.index("**T5** (2019)")].count("\n") + 1
    proc = mkdocs_build(project_copy, "-d", str(project_copy / "site"))
    assert_clean_failure(proc, f"docs/concepts/foundation-models.md:{line}: [models]", "T5 (2018)")


# --- What the built pages show is the data -----------------------------------------------


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def test_the_built_timeline_lists_every_entry_with_its_date_and_sources(built_site, data):
    html = (built_site.path / "timeline" / "index.html").read_text(encoding="utf-8")
    for entry in (*data.models, *data.milestones):
        item = re.search(
            rf'<li class="fg-timeline__entry[^"]*" id="{entry.id}">(.*?)</li>', html, re.S
        )
        assert item, entry.id
        assert f'<time datetime="{entry.date}">{month_year(entry)}</time>' in item.group(1)
        for sid in entry.sources:
            assert f'href="#source-{sid}"' in item.group(1), (entry.id, sid)
            assert f'id="source-{sid}"' in html, f"Sources block lacks {sid}"
    years = re.findall(r'<h2 id="year-(\d{4})"', html)
    assert years == [str(y) for y in range(2013, 2027)]


def test_the_built_model_table_states_the_data(built_site, data):
    html = (built_site.path / "comparison" / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<div class="fg-model-table">(.*?)</div>', html, re.S)
    assert table
    rows = [
        [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    ]
    rows = [r for r in rows if r]
    assert [r[0] for r in rows] == [m.name for m in data.models]
    yes_no = {True: "yes", False: "no"}
    for row, model in zip(rows, data.models, strict=True):
        assert row[1] == str(model.year)
        assert (row[4], row[5], row[6]) == (
            yes_no[model.llm],
            yes_no[model.foundation],
            model.weights,
        )
        assert (row[3] == "—") == (not model.generative)


def test_the_built_overlap_figure_and_text_version_follow_the_data(built_site, data, terms):
    html = (built_site.path / "comparison" / "index.html").read_text(encoding="utf-8")
    concepts = {gid: terms[gid] for gid, _ in CONCEPTS}
    text = _text(html)
    for group in regions(data, concepts):
        names = ", ".join(m.name for m in group.models)
        assert f"{group.label} ({len(group.models)}): {names}." in text, group.label


def test_the_timeline_never_offers_code_and_weights_for_a_closed_model(built_site, data):
    # A maker's web documentation used to be labelled "code and weights" like a repository,
    # which told readers a closed model (Claude Opus 4.6) could be downloaded.
    html = (built_site.path / "timeline" / "index.html").read_text(encoding="utf-8")
    closed = [m for m in data.models if m.weights == "closed"]
    assert closed
    for model in closed:
        item = re.search(
            rf'<li class="fg-timeline__entry[^"]*" id="{model.id}">(.*?)</li>', html, re.S
        )
        assert item, model.id
        assert ">code and weights<" not in item.group(1), model.id
    opus = re.search(r'id="claude-opus-4-6">(.*?)</li>', html, re.S)
    assert opus and ">documentation<" in opus.group(1)
