"""--fix changes prose only (issue 12 item 4), as a property (hypothesis) and per construct.

Generated pages mix every construct a fix must never touch — code spans, fenced and
indented code, <code>/<kbd>/<pre>/<samp>, attribute lists and HTML attribute values,
link and image targets and titles, reference labels and their definitions, footnote
labels, HTML comments, URLs, front matter — each holding a planted term variant, with
variants in the prose around them. After --fix the page must be exactly the page with
the prose variants replaced (nothing else changed, nothing prose missed), and a second
--fix must change nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from check_docs.config import load_config
from check_docs.engine import run_checks
from check_docs.fix import fix_findings
from tests.check_docs_support import copy_fixture

# (variant, its fix) from tests/fixtures/terms_site/data/glossary.yml
VARIANTS = [
    ("foundational model", "foundation model"),
    ("fine tuning", "fine-tuning"),
    ("finetuning", "fine-tuning"),
    ("Gen AI", "generative AI"),
    ("pretrained", "pre-trained"),
    ("text to image", "text-to-image"),
]
# Variants without spaces, for places where a space would end the construct.
WORDS = [v for v in VARIANTS if " " not in v[0]]


def _prose(variant: tuple[str, str]) -> tuple[str, str]:
    return variant


# Inline constructs: (name, template); {v} is a planted variant, {w} one without spaces.
# Each becomes (planted, expected) with nothing in it fixed.
KEPT_INLINE = {
    "code span": "`{v}`",
    "double-backtick code span": "``{v}``",
    "<code>": "<code>{v}</code>",
    "<kbd>": "<kbd>{v}</kbd>",
    "<samp>": "<samp>{v}</samp>",
    "attribute list": '[see](index.md){{ title="{v}" }}',
    "<abbr title>": '<abbr title="{v}">FT</abbr>',
    "HTML attribute": '<span title="{v}" data-x="{w}">x</span>',
    "link target": "[see]({w}.md)",
    "link title": '[see](https://example.org/ "{v}")',
    "image target": "![chart]({w}.png)",
    "autolink": "<https://example.org/{w}>",
    "bare URL": "https://example.org/{w}/",
    "HTML comment": "<!-- {v} -->",
    "collapsed reference link": "[{w}][]",
    "shortcut reference link": "[{w}]",
    "footnote reference": "[^{w}]",
}
# Blocks kept as they are, variants and all.
KEPT_BLOCKS = {
    "backtick fence": "```\n{v} and {w}\n```",
    "tilde fence": "~~~text\n{v}\n~~~",
    # After a paragraph: right after a footnote definition an indented block is the
    # footnote's next paragraph (prose), as Python-Markdown renders it.
    "indented code": "Code:\n\n    {v} in code",
    "<pre>": "<pre>{v}\n{w}</pre>",
    "reference definition": '[{w}]: https://example.org/{w} "{v}"',
}


def _fill(template: str, v: tuple[str, str], w: tuple[str, str]) -> str:
    return template.format(v=v[0], w=w[0])


def _definitions(text: str) -> str:
    """Reference and footnote definitions for the labels a paragraph uses (kept: labels;
    a footnote's text is prose and is written in the paragraph's own terms)."""
    out = []
    for _variant, _fixed in WORDS:
        if f"[{_variant}]" in text or f"[{_variant}][]" in text:
            out.append(f"[{_variant}]: https://example.org/{_variant}")
    return "\n".join(out)


@st.composite
def inline_part(draw: st.DrawFn) -> tuple[str, str]:
    """(planted, expected) for one piece of a paragraph."""
    v, w = draw(st.sampled_from(VARIANTS)), draw(st.sampled_from(WORDS))
    kind = draw(st.sampled_from(["prose", "linked prose", "full reference", *KEPT_INLINE]))
    if kind == "prose":
        return v
    if kind == "linked prose":  # link text is prose, the target is not
        return f"[{v[0]}](https://example.org/{w[0]})", f"[{v[1]}](https://example.org/{w[0]})"
    if kind == "full reference":  # the text is prose, the label is not
        return f"[{v[0]}][{w[0]}]", f"[{v[1]}][{w[0]}]"
    text = _fill(KEPT_INLINE[kind], v, w)
    return text, text


@st.composite
def block(draw: st.DrawFn) -> tuple[str, str]:
    if draw(st.integers(0, 2)) == 0:
        v, w = draw(st.sampled_from(VARIANTS)), draw(st.sampled_from(WORDS))
        text = _fill(KEPT_BLOCKS[draw(st.sampled_from(sorted(KEPT_BLOCKS)))], v, w)
        return text, text
    parts = draw(st.lists(inline_part(), min_size=1, max_size=5))
    planted = "Then " + " ".join(p for p, _ in parts) + "."
    expected = "Then " + " ".join(e for _, e in parts) + "."
    if "[^" in planted:  # footnote definitions: label kept, text prose
        labels = sorted({w for w, _ in WORDS if f"[^{w}]" in planted})
        for label in labels:
            v = draw(st.sampled_from(VARIANTS))
            planted += f"\n\n[^{label}]: A note on {v[0]}."
            expected += f"\n\n[^{label}]: A note on {v[1]}."
    definitions = _definitions(planted.split("\n\n")[0])
    if definitions:
        planted += "\n\n" + definitions
        expected += "\n\n" + definitions
    return planted, expected


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, str]:
    blocks = draw(st.lists(block(), min_size=1, max_size=5))
    planted = "\n\n".join(b for b, _ in blocks) + "\n"
    expected = "\n\n".join(e for _, e in blocks) + "\n"
    if draw(st.booleans()):
        v = draw(st.sampled_from(VARIANTS))
        front = f"---\ntitle: {v[0]}\ndescription: On {v[0]}.\n---\n\n"
        planted, expected = front + planted, front + expected
    return planted, expected


def _fix_once(root: Path) -> int:
    config = load_config(root / "mkdocs.yml")
    report = run_checks(config, select=["term-variant"])
    digests = {report.project.display(r): p.digest for r, p in report.project.pages.items()}
    return len(fix_findings(config.root, report.findings, digests, write=True).fixed)


def _site(folder: Path, page: str) -> Path:
    root = copy_fixture("terms_site", folder)
    for name in ("traps.md", "quotes.md"):
        (root / "docs" / name).unlink()
    (root / "docs" / "index.md").write_text(page, encoding="utf-8")
    return root


def assert_fixes_prose_only(planted: str, expected: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = _site(Path(tmp), planted)
        _fix_once(root)
        assert (root / "docs" / "index.md").read_text(encoding="utf-8") == expected
        assert _fix_once(root) == 0  # a second run finds nothing left to change
        assert (root / "docs" / "index.md").read_text(encoding="utf-8") == expected


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(page=pages())
def test_fix_changes_prose_only_and_is_idempotent(page):
    assert_fixes_prose_only(*page)


CONSTRUCTS = {
    **{f"inline {k}": f"Then {t} and a foundational model." for k, t in KEPT_INLINE.items()},
    **{f"block {k}": f"{t}\n\nThen a foundational model." for k, t in KEPT_BLOCKS.items()},
    "front matter": "---\ntitle: {v}\n---\n\nThen a foundational model.",
    "full reference label": "Then [{v}][{w}] and a foundational model.",
    "footnote label": "Then a note[^{w}].\n\n[^{w}]: On {v}.",
}


def _construct_case(name: str) -> tuple[str, str]:
    v, w = ("fine tuning", "fine-tuning"), ("finetuning", "fine-tuning")
    planted = CONSTRUCTS[name].format(v=v[0], w=w[0]) + "\n"
    expected = planted.replace("Then a foundational model", "Then a foundation model").replace(
        "and a foundational model", "and a foundation model"
    )
    if name == "full reference label":
        expected = expected.replace("[fine tuning][", "[fine-tuning][")
    if name == "footnote label":
        expected = expected.replace("On fine tuning.", "On fine-tuning.")
    if "[finetuning]" in planted and "]: https" not in planted:
        planted += "\n[finetuning]: https://example.org/finetuning\n"
        expected += "\n[finetuning]: https://example.org/finetuning\n"
    if "[^finetuning]" in planted and "[^finetuning]:" not in planted:
        planted += "\n[^finetuning]: A note.\n"
        expected += "\n[^finetuning]: A note.\n"
    return planted, expected


@pytest.mark.parametrize("name", list(CONSTRUCTS))
def test_each_construct_keeps_its_text(name):
    assert_fixes_prose_only(*_construct_case(name))
