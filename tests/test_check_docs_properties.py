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
