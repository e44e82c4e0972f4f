"""The Sources page generated from data/sources.yml (hooks/sources.py): articles first,
primary sources grouped by kind with `ref-<id>` anchors and the pages citing them; and
bad registry or front-matter data stopping the build with file, line and no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from check_docs.errors import DataError
from check_docs.frontmatter import parse_front_matter
from fieldguide.citations import PageSources, cited_by, read_page_sources
from fieldguide.registry_page import MARKER, render_registry
from fieldguide.sources import load_sources
from tests.conftest import ROOT, mkdocs_build

FIXTURES = Path(__file__).parent / "fixtures" / "sources_registry"


@pytest.fixture
def small_registry():
    return load_sources(FIXTURES / "sources.yml")


# --- Rendering, in-process ----------------------------------------------------


def test_articles_come_first_then_primary_sources_by_kind_and_year(small_registry):
    md = render_registry(small_registry, {}, "sources.md")
    order = [m.group(1) for m in re.finditer(r'id="ref-([\w-]+)"', md)]
    assert order == ["an-article", "early-paper", "later-paper", "a-report"]
    assert md.index("## The articles") < md.index("## Primary sources")
    assert md.index("### Research papers") < md.index("### Technical reports")


def test_entries_show_registry_fields_escaped_and_linked(small_registry):
    md = render_registry(small_registry, {}, "sources.md")
    assert r"An \*Article\* about \[things\]" in md  # shown as written, not as Markdown
    assert "What the guide draws from it: The overview of things." in md
    assert "[arXiv:2001.00001](https://arxiv.org/abs/2001.00001)" in md
    assert "[DOI 10.1000/example](https://doi.org/10.1000/example)" in md
    assert "Date: not stated" in md  # an unknown date is said, not left out silently


def test_cited_by_links_are_relative_to_the_listing_page(small_registry):
    pages = [
        PageSources("concepts/a.md", "Page A", ("early-paper", "a-report")),
        PageSources("b.md", "Page B", ("early-paper",)),
        PageSources("reference/sources.md", "Sources", ("early-paper",)),
    ]
    md = render_registry(small_registry, cited_by(pages), "reference/sources.md")
    early = md[md.index('id="ref-early-paper"') : md.index('id="ref-later-paper"')]
    assert "Cited by: [Page A](../concepts/a.md), [Page B](../b.md)." in early
    assert "Sources" not in early  # the listing page does not cite itself
    later = md[md.index('id="ref-later-paper"') :]
    assert "Not yet cited by any page." in later.split("</li>")[0]


def test_unknown_front_matter_id_names_file_and_line(small_registry):
    text = (FIXTURES / "page_with_unknown_id.md").read_text(encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_page_sources(text, "concepts/page.md", "docs/", small_registry)
    assert str(info.value).startswith("docs/concepts/page.md:6:")
    assert "no-such-paper" in str(info.value)


def test_sources_that_are_not_a_list_are_reported():
    text = "---\ntitle: T\nsources: early-paper\n---\n# T\n"
    with pytest.raises(DataError) as info:
        read_page_sources(text, "t.md", "docs/")
    assert str(info.value).startswith("docs/t.md:3:")


# --- The real site ------------------------------------------------------------


def _sources_html(built_site) -> str:
    return (built_site.path / "sources" / "index.html").read_text(encoding="utf-8")


def test_sources_page_holds_the_marker_and_the_build_replaces_it(built_site):
    assert MARKER in (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    assert "sources:registry" not in _sources_html(built_site)


def test_every_registry_entry_is_listed_once_with_its_anchor(built_site):
    registry = load_sources(ROOT / "data" / "sources.yml")
    html = _sources_html(built_site)
    listed = re.findall(r'<li id="ref-([^"]+)"', html)
    assert sorted(listed) == sorted(registry)
    articles = [sid for sid, s in registry.items() if s.kind == "article"]
    assert listed[: len(articles)] == articles


def _entry_html(html: str, sid: str) -> str:
    start = html.index(f'<li id="ref-{sid}"')
    return html[start : html.index("</li>", start)]


def _built_url(src_uri: str) -> str:
    """Where MkDocs puts a page (directory URLs), relative to the site root."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def test_each_entry_links_exactly_the_pages_whose_front_matter_cites_it(built_site):
    registry = load_sources(ROOT / "data" / "sources.yml")
    docs = ROOT / "docs"
    citing: dict[str, set[str]] = {}
    for md in docs.rglob("*.md"):
        rel = md.relative_to(docs).as_posix()
        if rel == "sources.md":
            continue
        meta = parse_front_matter(md.read_text(encoding="utf-8"), rel).meta
        for sid in meta.get("sources") or []:
            citing.setdefault(sid, set()).add(_built_url(rel))
    html = _sources_html(built_site)
    for sid in registry:
        entry = _entry_html(html, sid)
        links = {href.removeprefix("../") for href in re.findall(r'<a href="(\.\./[^"#]*)"', entry)}
        assert links == citing.get(sid, set()), sid
        if sid not in citing:
            assert "Not yet cited by any page." in entry


# --- Bad data stops the build, in a subprocess on a copy of the project -------


def _assert_fails_cleanly(proc, *needles: str) -> None:
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "Traceback" not in output, output
    for needle in needles:
        assert needle in proc.stderr, f"{needle!r} not in stderr:\n{proc.stderr}"


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_duplicate_registry_id_fails_naming_file_and_line(project_copy):
    registry = project_copy / "data" / "sources.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8")
        + "\n  - id: bommasani-2021\n    title: Again\n    author: Someone\n    kind: paper\n",
        encoding="utf-8",
    )
    line = len(registry.read_text(encoding="utf-8").splitlines()) - 3
    _assert_fails_cleanly(
        mkdocs_build(project_copy), f"data/sources.yml:{line}:", "duplicate id 'bommasani-2021'"
    )


def test_missing_title_fails_naming_file_and_line(project_copy):
    registry = project_copy / "data" / "sources.yml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace("    title: Attention Is All You Need\n", "", 1), encoding="utf-8"
    )
    line = _line_of(registry, "  - id: vaswani-2017")
    _assert_fails_cleanly(
        mkdocs_build(project_copy), f"data/sources.yml:{line}:", "missing or empty 'title'"
    )


def test_unknown_front_matter_id_fails_naming_page_and_line(project_copy):
    page = project_copy / "docs" / "concepts" / "foundation-models.md"
    text = page.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    page.write_text(
        f"{first}\nsources: [not-in-the-registry]\n" + rest.replace("sources:", "old_sources:", 1),
        encoding="utf-8",
    )
    _assert_fails_cleanly(
        mkdocs_build(project_copy),
        "docs/concepts/foundation-models.md:2:",
        "unknown source id 'not-in-the-registry'",
    )
