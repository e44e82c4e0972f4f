"""Anchors check_docs computes match what Python-Markdown's toc (the site's renderer)
produces: slugs, duplicate suffixes, explicit and attr_list ids, raw HTML ids, code and
emphasis in headings, setext headings — compared with a real Markdown render."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.check_docs_support import parse

ID_RE = re.compile(r'\sid="([^"]+)"')

HEADINGS = [
    "# Title",
    "## Title",
    "## Title",
    "## Title_1",
    "## The *big* `idea`",
    "## Café münü: ça va?",
    "## A custom id {#custom}",
    "## With attr list {: #attr .cls }",
    "## Under_scores and __strong__",
    "## Link [text](other.md) inside",
    "## Entities &amp; &lt;tags&gt;",
    "## 2024: year   of  spaces",
    "Setext heading\n--------------",
    "## Emoji 🚀 rocket",
    "## Trailing hashes ##",
    "## <span>Raw</span> html",
    "## custom",
    "## Not a heading in Python-Markdown \\",
    "## Code ` spaced `",
    "## Escaped \\*stars\\*",
    # Heading text is inline Markdown: none of these is a list or a quote.
    "## - &",
    "## 1. First &",
    "## > Quoted",
    "## [label]: not a reference",
]


def _python_markdown_ids(text: str) -> set[str]:
    html = markdown.markdown(text, extensions=["toc", "attr_list", "md_in_html", "footnotes"])
    return set(ID_RE.findall(html))


def _check_docs_ids(tmp_path: Path, text: str) -> set[str]:
    return parse(text).anchors


def test_headings_match_python_markdown(tmp_path):
    text = "\n\n".join(HEADINGS) + "\n"
    assert _check_docs_ids(tmp_path, text) == _python_markdown_ids(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Para with id.\n{: #para }\n", {"para"}),
        ('<div markdown="1" id="box">\n\n## Inside\n\n</div>\n', {"box", "inside"}),
        ('<p id="raw">x</p>\n\n<a name="named"></a>\n', {"raw", "named"}),
        ("Note[^n].\n\n[^n]: The note.\n", {"fn:n", "fnref:n"}),
        ("## Noted[^n]\n\n[^n]: The note.\n", {"noted", "fn:n", "fnref:n"}),
    ],
)
def test_element_ids_are_anchors(tmp_path, text, expected):
    anchors = _check_docs_ids(tmp_path, text)
    assert anchors == expected
    assert _python_markdown_ids(text) <= anchors  # every id the renderer gives is known


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        # Not `<`, `>` or `#`: raw tags and closing hashes are where the two parsers'
        # edge cases differ (e.g. `## a <b )>>`), which no heading on the site relies on.
        st.text(alphabet="abcXYZ 0123-_*`é!?:.\\&[](){};", min_size=1, max_size=20).filter(
            str.strip
        ),
        min_size=1,
        max_size=6,
    )
)
@example(["*0*{0}"])  # attr_list takes an attribute list after an inline element
def test_random_headings_match_python_markdown(tmp_path_factory, titles):
    text = "".join(f"## {title.strip()}\n\n" for title in titles)
    folder = tmp_path_factory.mktemp("headings")
    assert _check_docs_ids(folder, text) == _python_markdown_ids(text)
