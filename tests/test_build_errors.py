"""A writer's mistakes stop `mkdocs build --strict` with a message naming the file,
and never with a Python traceback from our own code (hooks, extensions)."""

from __future__ import annotations

import pytest

from tests.conftest import assert_clean_failure, mkdocs_build


def test_the_project_copy_builds(project_copy):
    proc = mkdocs_build(project_copy)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_broken_link_fails_naming_the_page(project_copy):
    page = project_copy / "docs" / "sources.md"
    page.write_text(page.read_text() + "\nSee [this](no-such-page.md).\n")
    assert_clean_failure(mkdocs_build(project_copy), "sources.md", "no-such-page.md")


def test_broken_anchor_fails_naming_the_page(project_copy):
    page = project_copy / "docs" / "sources.md"
    page.write_text(page.read_text() + "\nSee [this](index.md#no-such-heading).\n")
    assert_clean_failure(mkdocs_build(project_copy), "sources.md", "no-such-heading")


def test_nav_entry_to_a_missing_page_fails(project_copy):
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text() + "  - Missing: not-written-yet.md\n")
    assert_clean_failure(mkdocs_build(project_copy), "not-written-yet.md")


@pytest.mark.parametrize(
    "front_matter",
    ["---\ntitle: [unclosed\n---\n", "---\ntitle: a: b: c\n---\n"],
    ids=["unclosed-list", "bad-mapping"],
)
def test_malformed_front_matter_fails_naming_the_page(project_copy, front_matter):
    page = project_copy / "docs" / "sources.md"
    body = page.read_text().split("---\n", 2)[2]
    page.write_text(front_matter + body)
    assert_clean_failure(mkdocs_build(project_copy), "docs/sources.md:2", "invalid YAML")


def test_unknown_source_id_fails_naming_the_page(project_copy):
    page = project_copy / "docs" / "comparison.md"
    text = page.read_text()
    assert "\nsources:\n" in text
    page.write_text(text.replace("\nsources:\n", "\nsources:\n  - no-such-source\n", 1))
    assert_clean_failure(mkdocs_build(project_copy), "docs/comparison.md", "no-such-source")


def test_bad_sources_registry_names_file_and_line(project_copy):
    registry = project_copy / "data" / "sources.yml"
    registry.write_text(
        registry.read_text() + "  - id: vaswani-2017\n    title: Again\n"
        "    author: Someone\n    kind: paper\n"
    )
    assert_clean_failure(mkdocs_build(project_copy), "data/sources.yml:", "duplicate id")


PLANTED_IN_CONTENT = {
    # hooks/sources.py, reading every page's citations
    "unknown source id": (
        "comparison.md",
        lambda text: text.replace("\nsources:\n", "\nsources:\n  - no-such-source\n", 1),
        "content/comparison.md:",
    ),
    # hooks/front_matter.py and the citations reader
    "invalid front matter": (
        "sources.md",
        lambda text: "---\ntitle: [unclosed\n---\n" + text.split("---\n", 2)[2],
        "content/sources.md:2",
    ),
    # hooks/glossary.py, rendering a page
    "bad glossary flag": (
        "comparison.md",
        lambda text: text.replace("---\n", "---\nglossary: maybe\n", 1),
        "content/comparison.md: [glossary] front matter 'glossary' must be true or false",
    ),
}


@pytest.mark.parametrize(
    "page, plant, message", PLANTED_IN_CONTENT.values(), ids=PLANTED_IN_CONTENT
)
def test_errors_name_the_configured_docs_dir(project_copy, page, plant, message):
    """A site whose pages live in content/ hears content/page.md, never docs/page.md."""
    (project_copy / "docs").rename(project_copy / "content")
    config = project_copy / "mkdocs.yml"
    config.write_text("docs_dir: content\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    target = project_copy / "content" / page
    target.write_text(plant(target.read_text(encoding="utf-8")), encoding="utf-8")
    proc = mkdocs_build(project_copy)
    assert_clean_failure(proc, message)
    assert "docs/" + page not in proc.stdout + proc.stderr
