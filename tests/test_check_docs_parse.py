"""The standalone parse's shortcuts must never change what it finds.

- The quick reading of a block's inline text (plain prose, simple links, code spans)
  and markdown-it's inline parser agree on links, non-prose spans and code, wherever
  the quick reading claims to be sure.
- The quick first tests in front of markdown-it's block rules (a line refused by its
  first character, its indentation or the line after it) give the same tokens as the
  parser without them: on every page of the site and of the fixtures, and on random
  Markdown built from the characters that start blocks.
- The block state's line markers and the block parse built on them are markdown-it's
  own; a one-line block is placed as the general reading of a block places it.
- The fast reading of headings and plain paragraphs gives the page record markdown-it's
  reading gives (every field), on random pages of those blocks and of the near misses
  that must go to markdown-it, and on every page of the site and of the fixtures; the
  quick inline reading's two versions agree.
- A few of Python-Markdown's readings, each checked against Python-Markdown itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import slugify
from markdown_it.rules_block import StateBlock

from check_docs.parse import (
    COMMON_EXTENSIONS,
    FAST_HEADING,
    FAST_PARAGRAPH,
    ParseOptions,
    _Walk,
    block_parse,
    line_markers,
    make_parser,
    parse_markdown,
    parse_text,
    parsed_inline,
    quick_inline,
    quick_inline_runs,
)
from check_docs.record import PageRecord
from tests.check_docs_support import SITE_EXTENSIONS

ROOT = Path(__file__).resolve().parent.parent
OPTIONS = ParseOptions(slugify, "-", SITE_EXTENSIONS | {"pymdownx.tabbed"})
QUICK = make_parser(OPTIONS)
PLAIN = make_parser(OPTIONS, prechecks=False)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        elif start < end:
            out.append((start, end))
    return out


WORD = st.text(alphabet="abc xyz", max_size=6)
TARGET = st.sampled_from(
    ["a.md", "b.md#c", "x y", "(p)", "`q`", "", "<a b>", "c.md 'T'", "a*b.md", "a_b.md#c_d"]
)
INLINE = st.lists(
    st.one_of(
        st.sampled_from(
            [*("[", "]", "(", ")", "`", "``", " ", "\n", '"', "*", "_", "x", "!", "<", ">"),
             *("**", "***", "*a*", "**b**", "a*b", "~~"),
             *("\\", "&amp;", "<b>", "<http://x.y>", "[r]", "[^1]", "snake_case", "{: #i }"),
             "https://x.org/a", "a_b"]
        ),
        st.builds(lambda w, t: f"[{w}]({t})", WORD, TARGET),
        st.builds(lambda w, t: f'[{w}]({t} "{w}")', WORD, TARGET),
        st.builds(lambda w: f"`{w}`", WORD),
    ),
    max_size=25,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(content=INLINE)
# Found by Hypothesis: a bare address inside a code span, with a stray backtick after it
# (the parser's reading blanked the address on past the span's end).
@example(content="`https://x.org/a`a`")
def test_quick_inline_reading_agrees_with_the_parser(content):
    quick = quick_inline(content)
    if quick is None:
        return
    env = {"references": {"R": {"href": "ref.md", "title": ""}}}
    parsed = parsed_inline(QUICK, content, env)
    assert quick.links == parsed.links
    assert _merged(quick.blanks) == _merged(parsed.blanks)
    assert _merged(quick.code) == _merged(parsed.code)


@settings(max_examples=1000, deadline=None)
@given(content=INLINE)
@example(content="`a [b](c) d` [e](f) `g`")  # a link inside a code span, one outside
@example(content="a_`b`_c [d](e)*_")  # underscores and asterisks beside the ranges
def test_the_two_quick_readings_agree(content):
    """quick_inline's reading where every backtick run is one backtick is
    quick_inline_runs' (seen failing with a link inside a code span kept)."""
    assert quick_inline(content) == quick_inline_runs(content)


def test_the_quick_reading_is_taken_for_ordinary_prose():
    text = 'See [a](a.md) and `[b](b.md)` or [c](c.md#x "T").\nMore [d](d.md) of fine_tuning.'
    quick = quick_inline(text)
    assert quick is not None
    assert [url for _pos, _syntax, url in quick.links] == ["a.md", "c.md#x", "d.md"]
    assert quick_inline("An image ![i](i.png) needs the parser.") is None
    assert quick_inline("A [ref][r] needs the parser.") is None
    assert quick_inline("Some ~~struck~~ text needs it too.") is None
    # Asterisks are delimiters, paired or not: blanked, never prose.
    emphasis = quick_inline('Some *emphasis*, **strong** and a lone * in [a](a.md "*x*").')
    assert emphasis is not None
    assert emphasis.blanks == [(5, 6), (14, 15), (17, 19), (25, 27), (39, 40), (44, 45), (46, 59)]


# -- block prechecks ----------------------------------------------------------------------
def tokens(md, text: str) -> list[tuple[object, ...]]:
    return [
        (t.type, t.tag, t.nesting, t.level, t.map, t.content, t.markup, t.info, t.block)
        for t in md.parse(text, {})
    ]


def test_the_prechecks_are_in_place():
    """Without them the comparisons below would compare a parser with itself."""
    names = {rule.name: rule.fn.__qualname__ for rule in QUICK.block.ruler.__rules__}
    plain = {rule.name: rule.fn.__qualname__ for rule in PLAIN.block.ruler.__rules__}
    changed = {name for name in names if names[name] != plain[name]}
    assert {"table", "code", "fence", "list", "blockquote", "reference"} <= changed


PAGES = sorted([*(ROOT / "docs").rglob("*.md"), *(ROOT / "tests" / "fixtures").rglob("*.md")])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_same_tokens_on_every_page(page: Path):
    text = page.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
    assert tokens(QUICK, text) == tokens(PLAIN, text)


LINE_START = st.sampled_from(
    ["", " ", "  ", "   ", "    ", "\t", "> ", ">", "- ", "-", "* ", "+ ", "1. ", "2) ", "10. ",
     "# ", "## ", "#", "```", "~~~", "``` python", "<div>", "<div markdown>", "</div>", "<!--",
     "-->", "<p>", "[a]: x.md", "[^1]: ", "[x]", "!!! note", "??? tip", "???+ tip", "---", "***",
     "___", "===", '=== "Tab"', "| a | b |", "|---|---|", ":--", ": ", "- [ ] ", "1.",
     "{: #id }", "\\", "*[A]: b"]
)  # fmt: skip
LINE_REST = st.text(alphabet="ab |-*#>`~<[]!?:=_1.", max_size=10)
MARKDOWN = st.lists(
    st.builds(lambda *parts: "".join(parts), LINE_START, LINE_START, LINE_REST), max_size=25
).map("\n".join)
# As an md_in_html block's Markdown is parsed: after empty lines that keep its lines in place.
PADDED = st.builds(lambda lead, text: "\n" * lead + text, st.integers(0, 30), MARKDOWN)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_same_tokens_on_random_markdown(text: str):
    assert tokens(QUICK, text) == tokens(PLAIN, text)


# -- the block state and the one-line reading ---------------------------------------------
def _fields(found: list) -> list[tuple[object, ...]]:
    return [(t.type, t.tag, t.nesting, t.level, t.map, t.content, t.markup, t.info) for t in found]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PADDED)
@example("\t a\n  \t\n \t")  # tabs in an indent; a last line of only spaces and tabs
@example("\n\n\n")  # nothing but empty lines
@example("\n\n  \n- a")  # empty lines, then one of only spaces
def test_line_markers_are_markdown_its_own(text: str):
    state = StateBlock(text, QUICK, {}, [])
    assert line_markers(text) == (state.bMarks, state.eMarks, state.tShift, state.sCount)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PADDED)
@example("\n\n\n")
@example("\n\n  \n    code\n- a")
def test_block_parse_gives_markdown_its_tokens(text: str):
    theirs = QUICK.block.parse(text, QUICK, {"references": {}}, []) or []
    assert _fields(block_parse(QUICK, text, {"references": {}})) == _fields(theirs)


def test_an_empty_page_parses_without_a_problem():
    # markdown-it's block parse gives None for empty text: the page was reported as
    # "cannot parse page (TypeError)".
    assert parse_text("").problems == []


def _record(text: str) -> tuple[object, ...]:
    found = parse_text(text)
    return found.links, found.blocks, found.code, found.anchors, found.headings, found.problems


def _general(self, found, content, source, kind):
    self.lines(found, content, [source], kind)


PAGE = st.lists(INLINE, min_size=1, max_size=6).map(
    lambda parts: "\n\n".join([f"# T {parts[0]}", *parts, f"| a | {parts[-1]} |\n|---|---|"])
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAGE)
@example("# T [a](a.md)\n\nSee `x` and [b](b.md#c 'T').\n\n| a | <a href='x.md'>x</a> |\n|---|---|")
def test_the_one_line_reading_agrees_with_the_general_one(text: str):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Walk, "one_line", _general)
        general = _record(text)
    assert _record(text) == general


def test_the_one_line_reading_is_taken_for_ordinary_blocks():
    taken = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Walk, "one_line", lambda self, *args: taken.append(args[1]))
        parse_text("# Title\n\nSee [a](a.md).\n\nTwo\nlines.")
    assert taken == ["Title", "See [a](a.md)."]


# -- the fast reading of headings and plain paragraphs -----------------------------------
FAST_OPTIONS = ParseOptions(
    slugify, "-", SITE_EXTENSIONS | {"pymdownx.tabbed", "pymdownx.snippets"}
)
FEW_OPTIONS = ParseOptions(slugify, "-", frozenset({"toc", "fenced_code"}))


def _full_record(text: str, options: ParseOptions, fast: bool) -> tuple[object, ...]:
    found = parse_markdown(text, PageRecord("page.md"), options, fast=fast)
    return (
        found.links,
        sorted(found.anchors),
        found.headings,
        found.blocks,
        found.code,
        found.suppressions,
        found.problems,
        sorted(found.abbreviations),
        found.titles,
        found.includes,
    )


# What the fast reading claims (headings, paragraphs of lines starting with a letter) and
# what must go to markdown-it: lines a rule could start or end a block at, lazy and
# indented lines, setext underlines, definitions, fences, tables, containers, raw HTML.
FAST_LINE = st.one_of(
    st.sampled_from(
        ["", "", "", "# Title", "## Part {#part}", "### T ###", "#No space", "#", "####### 7",
         "## A `c` and [l](a.md#x)", "# T {: .c #h }", "# a | b", "## &amp; *em* <b>x</b>",
         "Plain text.", "See [a](a.md) and `c` **b**.", "Über [x][r] and [r].", "Tail  ",
         "Tab\tinside", "A snake_case <span id=\"s\">x</span>", "Ref [^1] and *[AB]*",
         "Text {: #pid }", "A line\\", "x &copy; y", "Words <!-- check_docs: ignore -->",
         "    indented [i](i.md)", "  two [t](t.md)", "\tTab start", "[r]: r.md",
         "[^1]: A note [n](n.md).", "*[AB]: An abbreviation", "===", "---", "- item",
         "* star", "1. one", "2) two", "> quote", "<div>", '<div markdown="1">', "</div>",
         "<!--", "-->", "```", "~~~", "``` {#fid .py}", "!!! note", '!!! tip "T [a](a.md)"',
         '=== "Tab"', "??? info", "    body [b](b.md)", "| a | b |", "|---|---|", "a | b",
         "-|-", ": def [d](d.md)", "~ def", ":", "___", "***", "--8<-- \"snip.md\"",
         "<a href=\"h.md\">h</a>", "Text\r"]
    ),
    st.builds(lambda w, t: f"{w} [{w}]({t}) `{w}`", WORD, TARGET),
    st.builds(lambda w: f"## {w}", WORD),
    INLINE,
)  # fmt: skip
FAST_PAGE = st.lists(FAST_LINE, max_size=30).map("\n".join)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FAST_PAGE)
@example("# a | b\n|---|---|")  # a heading as a table's header row
@example("Term\n\n: def")  # a definition list after an empty line
@example("Para\n===\nmore")  # a setext underline under a paragraph of two lines
@example("Para\n    lazy\n  [r]: x.md")  # lazy and indented continuation lines
@example("<div>\n\n# Inside\n\n</div>\n\nAfter [a](a.md)")  # raw HTML across blanks
@example('<div markdown="1">\n\n# In\n\nText [b](b.md)\n\n</div>')  # md_in_html
@example("!!! note\n    Body\n\n    # In\nOut")  # a container's body is markdown-it's
@example("A [x][r]\n\n[r]: r.md")  # a definition after its use
def test_the_fast_reading_gives_markdown_its_record(text: str):
    for options in (FAST_OPTIONS, FEW_OPTIONS):
        assert _full_record(text, options, True) == _full_record(text, options, False)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_fast_reading_gives_markdown_its_record_on_every_page(page: Path):
    text = page.read_bytes().decode("utf-8", errors="replace")
    assert _full_record(text, FAST_OPTIONS, True) == _full_record(text, FAST_OPTIONS, False)


def test_the_fast_reading_is_taken_for_headings_and_plain_paragraphs():
    """Without it the comparisons above would compare markdown-it with itself."""
    text = "# Title {#t}\n\nSee [a](a.md).\nTwo lines.\n\n- item\n\nTerm\n\n: def\n"
    found = block_parse(make_parser(FAST_OPTIONS), text, {"references": {}}, fast=True)
    fast = [item for item in found if item.__class__ is tuple]
    assert fast == [
        (FAST_HEADING, 0, 1, "Title {#t}"),
        (FAST_PARAGRAPH, 2, 4, "See [a](a.md).\nTwo lines."),
    ]
    kinds = [item.type for item in found if item.__class__ is not tuple]
    assert "bullet_list_open" in kinds and "dl_open" in kinds


# -- Python-Markdown's readings -----------------------------------------------------------
HREF_RE = re.compile(r'<a href="([^"]+)"')


def python_markdown_links(text: str) -> list[str]:
    html = markdown.markdown(text, extensions=sorted(COMMON_EXTENSIONS - {"pymdownx.tabbed"}))
    return HREF_RE.findall(html)


@pytest.mark.parametrize(
    "text",
    [
        "<div>x</div> tail [a](a.md)\nNext [b](b.md).",  # the tail after an end tag is Markdown
        "Para\n<!-- c --> and [a](a.md).",  # a comment at a line's start ends the paragraph
        "<div>\n\n[not a link](x.md)\n\n</div>\n\n[after](y.md)",  # raw to its end tag
        '<div markdown="1">\n\n[inside](in.md)\n\n</div>',  # md_in_html
        "<figure markdown>\n<figcaption markdown>A [caption](c.md).</figcaption>\n</figure>",
        "[Usage]\n\n[Usage]: first.md\n[Usage]: last.md",  # the last definition wins
        "!!! note\n    An [admonition](a.md) body.",
        "Term\n:   A [definition](d.md).",
    ],
)
def test_links_are_those_python_markdown_makes(text):
    record = parse_text(text)
    assert [link.url for link in record.links if link.syntax != "html"] == python_markdown_links(
        text
    )


# -- front matter -------------------------------------------------------------------------
VALUE = st.text(alphabet="ab 1:#-'\"[]{}&*!|>%@`,?.\t", max_size=12)
KEY = st.sampled_from(["title", "description", "a_b", "x-y", "1a", "-k", ""])
BLOCK = st.lists(st.builds(lambda k, v: f"{k}:{v}", KEY, VALUE), max_size=5).map("\n".join)


@settings(max_examples=400, deadline=None)
@given(BLOCK)
def test_quick_front_matter_end_agrees_with_the_yaml_parse(block):
    from check_docs.errors import DataError
    from check_docs.frontmatter import body_start, parse_front_matter

    text = f"---\n{block}\n---\n\n# Body\n"
    try:
        expected: object = parse_front_matter(text, "page.md").body_start
    except DataError:
        expected = DataError
    try:
        found: object = body_start(text, "page.md")
    except DataError:
        found = DataError
    assert found == expected


# Markdown < 3.6 has no toc.strip_tags (MkDocs' own docs pin 3.5.1): check_docs and its
# plugin must still load there and read headings the same way.
HEADINGS = [
    "Plain",
    "A <code>tag</code> and <!-- a <b>comment</b> --> text",
    '<span title="a > b">x</span>  spaced\n out',
    "&amp; entities <em>stay</em>",
    "<!-- unclosed comment",
    "<!-- a <!-- b --> c --> d",
]


def test_without_tocs_strip_tags_the_fallback_reads_headings_the_same(tmp_path):
    """Seen failing with the fallback's comment loop removed (the last heading)."""
    from markdown.extensions.toc import strip_tags

    probe = (
        "import json, sys\n"
        "import markdown.extensions.toc as toc\n"
        "del toc.strip_tags\n"
        "import check_docs.parse as parse, check_docs.plugin\n"
        "print(json.dumps([parse.toc_strip_tags(t) for t in json.load(sys.stdin)]))\n"
    )
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", probe],
        input=json.dumps(HEADINGS),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [strip_tags(t) for t in HEADINGS]
