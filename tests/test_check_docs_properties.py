"""Property-based tests (hypothesis): random Markdown, random text and random bytes never
crash check_docs, exit codes are only 0 or 1, every finding points inside the page, and
nothing inside a fenced code block is ever reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.check_docs_support import LINK_RULES, copy_fixture, run_cli

FAST = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

WORD = st.text(alphabet="abcxyz-_ ", min_size=0, max_size=8)
TARGET = st.sampled_from(
    ["other.md", "other.md#details", "missing.md", "#home", "#nope", "../x.md", "folder/",
     "javascript:alert(1)", "https://example.invalid/", "other.md?q=1", "<other.md>", ""]
)  # fmt: skip
PIECE = st.one_of(
    st.builds(lambda w, t: f"[{w}]({t})", WORD, TARGET),
    st.builds(lambda w, t: f"![{w}]({t})", WORD, TARGET),
    st.builds(lambda w, t: f"[{w}]\n\n[{w}]: {t}\n", WORD, TARGET),
    st.builds(lambda w: f"\n#{'#' * (len(w) % 6)} {w}\n", WORD),
    st.builds(lambda w: f"`{w}`", WORD),
    st.builds(lambda t: f'<a href="{t}" id="x">', TARGET),
    st.sampled_from(["\n", "\n\n", "```\n", "~~~\n", "    ", "> ", "- ", "1. ", "| a |\n|---|\n",
                     "!!! note\n    ", "{: #id }", "<div markdown>\n", "</div>\n", "\\", "*", "_",
                     "<!--", "-->", "---\n", "[^1]", "[^1]: ", "\t", "\r\n", "&amp;"]),
    WORD,
)  # fmt: skip
MARKDOWN = st.lists(PIECE, max_size=40).map("".join)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_fixture("check_docs_small", tmp_path_factory.mktemp("props"))


def _check(capsys, project: Path, content: bytes) -> list[dict[str, object]]:
    (project / "docs" / "random.md").write_bytes(content)
    run = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--format", "json")
    assert run.code in (0, 1), run.err
    assert "Traceback" not in run.err
    findings = run.json()
    lines = max(1, content.count(b"\n") + content.count(b"\r") + 1)
    for f in findings:
        if f["path"] == "docs/random.md":
            assert 1 <= f["line"] <= lines  # type: ignore[operator]
            assert f["column"] >= 1  # type: ignore[operator]
    return findings


@FAST
@given(text=MARKDOWN)
def test_random_markdown_never_crashes(capsys, project, text):
    _check(capsys, project, text.encode("utf-8"))


@FAST
@given(text=st.text(max_size=300))
def test_random_text_never_crashes(capsys, project, text):
    _check(capsys, project, text.encode("utf-8", "surrogatepass"))


@FAST
@given(data=st.binary(max_size=300))
def test_random_bytes_never_crash(capsys, project, data):
    _check(capsys, project, data)


@FAST
@given(text=MARKDOWN)
def test_nothing_inside_a_fenced_block_is_reported(capsys, project, text):
    # A tilde fence longer than anything inside it cannot be closed early.
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("~"))
    body = body.replace("\r", "")
    page = "# Random\n\n~~~~~~~~~~~~\n" + body + "\n~~~~~~~~~~~~\n\nAfter.\n"
    findings = _check(capsys, project, page.encode("utf-8"))
    on_page = [f for f in findings if f["path"] == "docs/random.md"]
    # The page itself is an orphan (line 1); nothing else of the link rules may show.
    link_rules = set(LINK_RULES.split(",")) - {"orphan-page"}
    assert [f for f in on_page if f["rule"] in link_rules] == []


INLINE = st.lists(
    st.one_of(
        st.sampled_from(["[", "]", "(", ")", "`", "``", " ", "\n", '"', "*", "_", "x", "a.md"]),
        st.builds(lambda w, t: f"[{w}]({t})", WORD, TARGET),
        st.builds(lambda w, t: f'[{w}]({t} "{w}")', WORD, TARGET),
    ),
    max_size=25,
).map("".join)


def _plain_markdown_it():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True
    md.normalizeLink = lambda url: url
    return md


PLAIN = _plain_markdown_it()


@settings(max_examples=300, deadline=None)
@given(content=INLINE)
def test_shortcut_link_scan_agrees_with_markdown_it(content):
    """Where the shortcut claims to be sure, stock markdown-it finds the same links."""
    from check_docs.collect import simple_links

    found = simple_links(content)
    if found is None:
        return
    tokens = PLAIN.parseInline(content)
    hrefs = [c.attrs.get("href") for c in tokens[0].children or [] if c.type == "link_open"]
    assert [m.group(2) for m in found] == hrefs


def test_shortcut_is_taken_for_ordinary_prose():
    from check_docs.collect import simple_links

    text = 'See [a](a.md) and `[b](b.md)` or [c](c.md#x "T").\nMore [d](d.md).'
    assert [m.group(2) for m in simple_links(text) or []] == ["a.md", "c.md#x", "d.md"]
    assert simple_links("An image ![i](i.png) needs the parser.") is None
    assert simple_links("A [ref][r] needs the parser.") is None


RICH_INLINE = st.lists(
    st.one_of(
        st.sampled_from(
            [
                *("[", "]", "(", ")", "`", " ", "\n", '"', "*", "_", "x", "!", "<", ">", "\\"),
                *("&amp;", "<b>", "<http://x.y>", "[r]", "[^1]"),
            ]
        ),
        st.builds(
            lambda w, t: f"[{w}]({t})",
            st.text("ab `*_[]()!", max_size=5),
            st.sampled_from(["a.md", "b.md#c", "x y", "(p)", "`q`", "", "<a b>"]),
        ),
    ),
    max_size=25,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(content=RICH_INLINE)
def test_link_parser_finds_what_stock_markdown_it_finds(content):
    """The cut-down inline parser (with its fast rule for plain links) and stock
    markdown-it agree on every link and image."""
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from check_docs.collect import LINK_MD

    stock = MarkdownIt("commonmark", {"html": True})
    stock.validateLink = lambda url: True
    stock.normalizeLink = lambda url: url
    env = {"references": {"R": {"href": "ref.md", "title": ""}}}

    def targets(tokens: list[Token]) -> list[tuple[str, object]]:
        return [
            (t.type, t.attrs.get("href") or t.attrs.get("src"))
            for t in tokens
            if t.type in ("link_open", "image")
        ]

    mine: list[Token] = []
    LINK_MD.inline.parse(content, LINK_MD, dict(env), mine)
    theirs = stock.parseInline(content, dict(env))[0].children or []
    assert targets(mine) == targets(theirs)
