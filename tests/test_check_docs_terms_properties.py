"""Property tests (hypothesis) of term-variant's fixes on generated Markdown: --fix turns
every planted variant in prose into its exact replacement and leaves every other byte as it
was (code, URLs, HTML attributes, line endings, byte order mark, final newline); a second
fix changes nothing; checking after fixing finds no variant; --diff writes nothing. And the
term scan never fails on arbitrary text, with every edit inside the file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from check_docs.config import load_config
from check_docs.engine import run_checks
from check_docs.fix import apply_edits, fix_findings
from tests.check_docs_support import FIXTURES, copy_fixture, page_findings

FAST = settings(max_examples=100, deadline=None)

# (as planted mid-sentence, as --fix must leave it)
VARIANTS = [
    ("foundational model", "foundation model"),
    ("foundational models", "foundation models"),
    ("foundational model’s", "foundation model’s"),
    ("Gen AI", "generative AI"),
    ("GenAI's", "generative AI's"),
    ("finetuning", "fine-tuning"),
    ("fine tuned", "fine-tuned"),
    ("pretrained", "pre-trained"),
    ("pretraining", "pre-training"),
    ("text to image", "text-to-image"),
    ("large-language models", "large language models"),
    ("sentimental analysis", "sentiment analysis"),
]
# Never prose: kept byte for byte, variants and all.
KEPT = [
    "`a foundational model`",
    "``Gen AI``",
    "<https://example.org/finetuning>",
    "https://example.org/pretrained",
    "the data",
    "naïve café",
    "pre-trained",
    "fine-tuning",
    "**bold**",
    "works,",
]
LINKED = [  # (planted, fixed): link text is prose, the target is not
    (
        "[a foundational model](https://example.org/pretrained)",
        "[a foundation model](https://example.org/pretrained)",
    ),
    (
        "[finetuning](other.md#finetuning 'pretrained')",
        "[fine-tuning](other.md#finetuning 'pretrained')",
    ),
    ('<span title="Gen AI">pretrained</span>', '<span title="Gen AI">pre-trained</span>'),
]
FENCES = [
    "```\na foundational model, finetuning\n```",
    "~~~text\nGen AI pretrained\n~~~",
    "    indented code: text to image",
]

inline = st.one_of(
    st.sampled_from(VARIANTS),
    st.sampled_from(LINKED),
    st.sampled_from(KEPT).map(lambda k: (k, k)),
)
paragraph = st.lists(inline, min_size=1, max_size=8).map(
    lambda parts: (
        "Then " + " ".join(p for p, _ in parts) + ".",
        "Then " + " ".join(f for _, f in parts) + ".",
    )
)
block = st.one_of(paragraph, st.sampled_from(FENCES).map(lambda f: (f, f)))


@st.composite
def documents(draw: st.DrawFn) -> tuple[bytes, bytes]:
    blocks = draw(st.lists(block, min_size=1, max_size=6))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    end = draw(st.sampled_from(["", newline]))
    planted = bom + (newline * 2).join(b for b, _ in blocks).replace("\n", newline) + end
    fixed = bom + (newline * 2).join(f for _, f in blocks).replace("\n", newline) + end
    return planted.encode("utf-8"), fixed.encode("utf-8")


def _check_and_fix(root: Path, *, write: bool) -> tuple[int, int]:
    config = load_config(root / "mkdocs.yml")
    report = run_checks(config, select=["term-variant"])
    digests = {report.project.display(r): p.digest for r, p in report.project.pages.items()}
    result = fix_findings(config.root, report.findings, digests, write=write)
    return len(report.findings), len(result.fixed)


@FAST
@given(documents())
def test_fix_replaces_exactly_the_variants(document):
    planted, fixed = document
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_fixture("terms_site", Path(tmp))
        for page in ("index.md", "traps.md", "quotes.md"):
            (root / "docs" / page).unlink()
        page = root / "docs" / "index.md"
        page.write_bytes(planted)
        found, _ = _check_and_fix(root, write=False)  # --diff
        assert page.read_bytes() == planted
        _, changed = _check_and_fix(root, write=True)  # --fix
        assert changed == found
        assert page.read_bytes() == fixed
        assert _check_and_fix(root, write=True) == (0, 0)  # clean, and nothing to do
        assert page.read_bytes() == fixed


MARKDOWN_ALPHABET = st.sampled_from(
    [*"abc AI-'’`<>[]()#*_|!\n\r\t:.\"=/", "foundational model", "Gen AI", "finetuning",
     "Foundation Models", "RLHF", "```", "    ", "https://x.org/", "é", "\ufeff", "<!--", "-->"]
)  # fmt: skip


@FAST
@given(st.lists(MARKDOWN_ALPHABET, max_size=60).map("".join))
def test_scan_never_fails_and_edits_stay_in_the_file(text):
    raw = text.encode("utf-8")
    text = raw.decode("utf-8-sig")
    bom = len(raw) - len(text.encode("utf-8"))
    hits = page_findings(text, FIXTURES / "terms_site", bom=bom)
    edits = [h.edit for h in hits if h.edit is not None]
    for edit in edits:
        assert 0 <= edit.start < edit.end <= len(raw)
        assert raw[edit.start : edit.end].decode("utf-8").split() != []
    fixed = apply_edits(raw, edits)
    again = fixed.decode("utf-8-sig")  # still valid UTF-8
    assert [h for h in page_findings(again, FIXTURES / "terms_site", bom=bom) if h.edit] == []
