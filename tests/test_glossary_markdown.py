"""The glossary_terms Markdown extension on small inputs, through markdown.Markdown alone
(no MkDocs): the first mention of each term is linked once to the right anchor with its
definition as title; nothing is linked in code, headings, links, abbr or admonition
titles; aliases and abbreviations count; the passage and page opt-outs work."""

from __future__ import annotations

import re

import markdown
import pytest

from fieldguide.glossary import glossary_path
from fieldguide.mdx.glossary_terms import GlossaryTermsExtension
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "glossary_terms" / "glossary.yml"
EXTENSIONS = ["abbr", "admonition", "attr_list", "md_in_html", "toc", "pymdownx.superfences"]
LINK = re.compile(r'<a class="fg-term" href="([^"]*)" title="([^"]*)">([^<]*)</a>')


def render(text: str, *extra: str, **options: str) -> str:
    ext = GlossaryTermsExtension(glossary_file=str(FIXTURE), **options)
    return markdown.Markdown(extensions=[*EXTENSIONS, *extra, ext]).convert(text)


def links(html: str) -> list[tuple[str, str]]:
    """(href, link text) of every term link."""
    return [(href, text) for href, _, text in LINK.findall(html)]


def test_first_mention_is_linked_once_with_its_definition():
    html = render("A foundation model here. Another foundation model there.\n\nFoundation models.")
    (link,) = LINK.findall(html)
    assert link == (
        "/glossary.md#foundation-model",
        "foundation model: A model many others build on.",
        "foundation model",
    )
    text = re.sub(r'title="[^"]*"', "", html)  # the tooltip names the term too
    assert text.count("foundation model") == 2 and "Foundation models." in html


def test_each_term_gets_its_own_first_link_in_document_order():
    html = render("Bias in a GAN.\n\n- a large language model\n- bias again\n- an LLM again")
    assert links(html) == [
        ("/glossary.md#bias", "Bias"),
        ("/glossary.md#gan", "GAN"),
        ("/glossary.md#llm", "large language model"),
    ]


def test_abbreviations_show_their_expansion():
    html = render("Two LLMs.")
    assert LINK.findall(html) == [
        ("/glossary.md#llm", "large language model (LLM): A big model of language.", "LLMs")
    ]


def test_aliases_and_abbreviations_count_as_the_first_mention():
    html = render("Generative artificial intelligence, then generative AI.\n\nGAN, then GAN.")
    assert links(html) == [
        ("/glossary.md#generative-ai", "Generative artificial intelligence"),
        ("/glossary.md#gan", "GAN"),
    ]


@pytest.mark.parametrize(
    "source",
    [
        "# A GAN heading",
        "Some `GAN` code.",
        "```\nGAN in a fence\n```",
        "    GAN in an indented block",
        "A [GAN link](https://example.org/) here.",
        '!!! note "A GAN title"\n\n    Body without the term.',
        "A GAN here.\n\n*[GAN]: Generative adversarial network",
        "# A *GAN* heading with emphasis",
        "A [link with **GAN** inside](https://example.org/).",
    ],
    ids=[
        "heading",
        "inline-code",
        "fence",
        "indented-code",
        "link",
        "admonition-title",
        "abbr-title",
        "nested-in-heading",
        "nested-in-link",
    ],
)
def test_never_links_inside_code_headings_links_or_titles(source):
    assert links(render(source)) == []


def test_skipped_mention_leaves_the_next_one_to_be_linked():
    html = render("# The GAN\n\nSee `GAN`. A GAN at last.")
    assert links(html) == [("/glossary.md#gan", "GAN")]
    assert "<code>GAN</code>" in html and 'id="the-gan"' in html


def test_text_around_a_link_and_nested_inline_markup_are_kept():
    html = render("Before *a GAN and* **bias** after.")
    assert "<p>Before <em>a <a" in html
    assert '">GAN</a> and</em> <strong><a' in html and "</strong> after.</p>" in html


def test_passage_markers_switch_linking_off_and_on():
    source = "<!-- glossary: off -->\n\nA GAN.\n\n<!-- glossary: on -->\n\nA GAN and bias."
    html = render(source)
    assert links(html) == [("/glossary.md#gan", "GAN"), ("/glossary.md#bias", "bias")]
    assert "<p>A GAN.</p>" in html


def test_inline_marker_inside_a_paragraph():
    html = render("A GAN <!-- glossary: off -->bias<!-- glossary: on --> and attention.")
    assert links(html) == [("/glossary.md#gan", "GAN"), ("/glossary.md#attention", "attention")]


def test_no_glossary_class_on_a_block_or_div():
    html = render(
        'A GAN.\n{: .no-glossary }\n\n<div markdown class="no-glossary">\n\nSome bias.\n\n</div>'
        "\n\nA GAN and bias."
    )
    assert links(html) == [("/glossary.md#gan", "GAN"), ("/glossary.md#bias", "bias")]


def test_meta_extension_front_matter_turns_the_page_off():
    assert links(render("glossary: false\n\nA GAN.", "meta")) == []
    assert links(render("glossary: true\n\nA GAN.", "meta")) == [("/glossary.md#gan", "GAN")]


def test_glossary_url_option_sets_the_link_target():
    html = render("A GAN.", glossary_url="https://example.org/glossary/")
    assert links(html) == [("https://example.org/glossary/#gan", "GAN")]


def test_each_conversion_starts_fresh():
    ext = GlossaryTermsExtension(glossary_file=str(FIXTURE))
    md = markdown.Markdown(extensions=[ext])
    first = md.convert("A GAN.")
    md.reset()
    assert links(md.convert("A GAN.")) == links(first) == [("/glossary.md#gan", "GAN")]


def test_definitions_are_escaped_in_the_title(tmp_path):
    data = FIXTURE.read_text(encoding="utf-8").replace(
        "Two networks in a contest.", 'Two "networks" & a contest.'
    )
    path = tmp_path / "glossary.yml"
    path.write_text(data, encoding="utf-8")
    ext = GlossaryTermsExtension(glossary_file=str(path))
    html = markdown.Markdown(extensions=[ext]).convert("A GAN.")
    assert 'title="generative adversarial network (GAN): Two &quot;networks&quot; &amp; a' in html


def test_skip_classes_option_adds_classes_whose_contents_stay_plain():
    source = '<ul class="fg-registry" markdown>\n<li markdown>A GAN paper.</li>\n</ul>\n\nA GAN.'
    assert '<li>A <a class="fg-term"' in render(source)
    html = render(source, skip_classes=["fg-registry"])
    assert links(html) == [("/glossary.md#gan", "GAN")]
    assert "<li>A GAN paper.</li>" in html


def test_real_pages_lose_nothing_but_gain_links():
    """Every page of docs/ renders to the same HTML with and without the extension,
    once the term links are unwrapped: no text is lost, moved or duplicated."""
    real = str(glossary_path(ROOT))
    unwrap = re.compile(r'<a class="fg-term" href="[^"]*" title="[^"]*">([^<]*)</a>')
    exts = [*EXTENSIONS, "tables", "footnotes", "def_list", "pymdownx.details"]
    pages = sorted((ROOT / "docs").rglob("*.md"))
    linked = 0
    for page in pages:
        text = page.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        plain = markdown.Markdown(extensions=exts).convert(text)
        ext = GlossaryTermsExtension(glossary_file=real)
        html = markdown.Markdown(extensions=[*exts, ext]).convert(text)
        linked += len(LINK.findall(html))
        assert unwrap.sub(r"\1", html) == plain, page
    assert pages and linked > 0
