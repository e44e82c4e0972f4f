"""The collector's quick block-rule tests (check_docs.collect.make_parser): a line is
refused by its first character, its indentation or the line after it before
markdown-it's own rule is asked. They must never change what markdown-it finds, so
the tokens are compared with those of the same parser without them: on every page
of the site and of the test fixtures, and on random Markdown built from the
characters that start blocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from check_docs.collect import BLOCK_MD, make_parser

ROOT = Path(__file__).resolve().parent.parent
PLAIN = make_parser(link_only=False, prechecks=False)
PAGES = sorted([*(ROOT / "docs").rglob("*.md"), *(ROOT / "tests" / "fixtures").rglob("*.md")])


def tokens(md, text: str) -> list[tuple[object, ...]]:
    env: dict[str, object] = {}
    return [
        (t.type, t.tag, t.nesting, t.level, t.map, t.content, t.markup, t.info, t.block)
        for t in md.parse(text, env)
    ]


def test_the_prechecks_are_in_place():
    """Without them the comparisons below would compare a parser with itself."""
    names = {rule.name: rule.fn.__qualname__ for rule in BLOCK_MD.block.ruler.__rules__}
    plain = {rule.name: rule.fn.__qualname__ for rule in PLAIN.block.ruler.__rules__}
    changed = {name for name in names if names[name] != plain[name]}
    assert {"table", "code", "fence", "heading", "list", "html_block"} <= changed


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_same_tokens_on_every_page(page: Path):
    text = page.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
    assert tokens(BLOCK_MD, text) == tokens(PLAIN, text)


LINE_START = st.sampled_from(
    ["", " ", "  ", "   ", "    ", "\t", "> ", ">", "- ", "-", "* ", "+ ", "1. ", "2) ", "10. ",
     "# ", "## ", "#", "```", "~~~", "``` python", "<div>", "<div markdown>", "</div>", "<!--",
     "-->", "<p>", "[a]: x.md", "[^1]: ", "[x]", "!!! note", "??? tip", "???+ tip", "---", "***",
     "___", "===", "| a | b |", "|---|---|", ":--", "- [ ] ", "1.", "{: #id }", "\\"]
)  # fmt: skip
LINE_REST = st.text(alphabet="ab |-*#>`~<[]!?:=_1.", max_size=10)
MARKDOWN = st.lists(
    st.builds(lambda *parts: "".join(parts), LINE_START, LINE_START, LINE_REST), max_size=25
).map("\n".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_same_tokens_on_random_markdown(text: str):
    assert tokens(BLOCK_MD, text) == tokens(PLAIN, text)
