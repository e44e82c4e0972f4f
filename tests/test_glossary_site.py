"""The glossary in the built site: every entry's anchor on the Glossary page, term links
on content pages (once per term, right anchor, definition as title), glossary.json,
the tooltip in Chromium on hover and on keyboard focus, and a strict build that stops
with file, line and field (no traceback) on bad glossary data."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from check_docs.term_matcher import TermMatcher
from fieldguide.glossary import glossary_anchors, glossary_path, load_glossary, tooltip
from tests.conftest import ROOT, assert_clean_failure, built_pages, mkdocs_build

GLOSSARY = load_glossary(glossary_path(ROOT))


class _Page(HTMLParser):
    """The ids of a built page and its term links (href, title, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.terms: list[dict[str, str]] = []
        self._open: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.ids.append(values["id"])
        if tag == "a" and "fg-term" in values.get("class", "").split():
            self._open = {"href": values.get("href", ""), "title": values.get("title", "")}
            self._open["text"] = ""
            self.terms.append(self._open)

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._open = None


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(page_rel: str, href: str) -> tuple[str, str]:
    """The site-relative folder and the anchor a relative href from ``page_rel`` points at."""
    url = urlsplit(urljoin("http://site/" + page_rel, href))
    return posixpath.normpath(url.path.lstrip("/")) + "/", url.fragment


def test_every_entry_and_letter_has_its_anchor_on_the_glossary_page(built_site):
    page = parse(built_site.path / "glossary" / "index.html")
    assert set(glossary_anchors(GLOSSARY)) <= set(page.ids)
    entry_ids = [i for i in page.ids if i in GLOSSARY.by_id]
    assert entry_ids == [e.id for e in GLOSSARY.entries]  # alphabetical, each once
    assert page.terms == []  # the glossary page does not link terms to itself


def test_term_links_on_every_page_are_unique_and_point_at_their_entry(built_site):
    matcher = TermMatcher.from_glossary(GLOSSARY)
    total = 0
    for rel in built_pages(built_site.path):
        if rel == "glossary/":
            continue
        links = parse(built_site.path / rel / "index.html").terms
        total += len(links)
        targets = [_target(rel, link["href"]) for link in links]
        assert len({anchor for _, anchor in targets}) == len(targets), f"{rel}: a term linked twice"
        for link, (folder, anchor) in zip(links, targets, strict=True):
            entry = GLOSSARY.by_id[anchor]
            assert folder == "glossary/", link
            assert link["title"] == tooltip(entry)
            assert [m.key for m in matcher.finditer(link["text"])] == [entry.id], link
    assert total > 0, "no page links any glossary term"


def test_glossary_json_holds_every_entry_and_where_it_is_used(built_site, mkdocs_config):
    data = json.loads((built_site.path / "glossary.json").read_text(encoding="utf-8"))
    records = {r["id"]: r for r in data["entries"]}
    assert data["count"] == len(GLOSSARY.entries) == len(records)
    base = mkdocs_config["site_url"] + "glossary/"
    for entry in GLOSSARY.entries:
        record = records[entry.id]
        assert record["url"] == f"{base}#{entry.id}"
        assert (record["term"], record["definition"]) == (entry.term, entry.definition)
        assert record["avoid"] == entry.avoid and record["sources"] == list(entry.sources)
    # A page that links a term must be listed as mentioning it.
    for rel in built_pages(built_site.path):
        if rel == "glossary/":
            continue
        for link in parse(built_site.path / rel / "index.html").terms:
            _, anchor = _target(rel, link["href"])
            assert mkdocs_config["site_url"] + rel in records[anchor]["mentioned_on"], (rel, anchor)


def _plant(project: Path, name: str, text: str) -> None:
    (project / "docs" / name).write_text(text, encoding="utf-8")
    config = project / "mkdocs.yml"
    nav = config.read_text(encoding="utf-8")
    assert "\nnav:\n" in nav
    title = name.removesuffix(".md")
    config.write_text(nav.replace("\nnav:\n", f"\nnav:\n  - {title}: {name}\n", 1), "utf-8")


def test_planted_page_links_first_mentions_and_opt_outs_hold(project_copy):
    _plant(
        project_copy,
        "planted.md",
        "# A foundation model page\n\nA foundation model, then foundation models.\n\n"
        "`GAN` in code, then [a GAN link](index.md).\n\n"
        "<!-- glossary: off -->\n\nA LLM here stays plain.\n\n<!-- glossary: on -->\n\n"
        "Two GANs and an LLM.\n",
    )
    _plant(project_copy, "planted-off.md", "---\nglossary: false\n---\n\n# Off\n\nA GAN.\n")
    proc = mkdocs_build(project_copy)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = project_copy / "site"
    links = parse(site / "planted" / "index.html").terms
    assert [(link["href"], link["text"]) for link in links] == [
        ("../glossary/#foundation-model", "foundation model"),
        ("../glossary/#generative-adversarial-network", "GANs"),
        ("../glossary/#large-language-model", "LLM"),
    ]
    assert parse(site / "planted-off" / "index.html").terms == []
    records = json.loads((site / "glossary.json").read_text(encoding="utf-8"))["entries"]
    gan = next(r for r in records if r["id"] == "generative-adversarial-network")
    # Opting out of links does not hide that the page uses the term.
    assert any(u.endswith("/planted-off/") for u in gan["mentioned_on"])


def _append_entry(project: Path, entry: str) -> int:
    """Append ``entry`` to the copy's glossary; return the line its first line lands on."""
    path = project / "data" / "glossary.yml"
    text = path.read_text(encoding="utf-8")
    text = text if text.endswith("\n") else text + "\n"
    path.write_text(text + entry, encoding="utf-8")
    return text.count("\n") + 1


ENTRY = (
    "  - id: {id}\n    term: {term}\n    definition: {definition}\n"
    "    explanation: Text.\n    category: basics\n{extra}"
)


@pytest.mark.parametrize(
    ("fields", "offset", "field", "message"),
    [
        ({"id": "bias", "term": "new term"}, 0, "id", "duplicate id 'bias'"),
        ({"term": "Bias"}, 1, "term", "duplicate term 'Bias'"),
        ({"definition": "x" * 170 + "."}, 2, "definition", "definition is 171 characters"),
        ({"extra": "    related: [no-such-entry]\n"}, 5, "related", "'no-such-entry'"),
        ({"extra": "    sources: [no-such-source]\n"}, 5, "sources", "'no-such-source'"),
        ({"extra": "    avoid: [large language model]\n"}, 5, "avoid", "variant 'large language"),
    ],
    ids=["duplicate-id", "duplicate-term", "long-definition", "related", "sources", "avoid"],
)
def test_bad_glossary_stops_the_build_with_file_line_and_field(
    project_copy, fields, offset, field, message
):
    values = {"id": "planted", "term": "planted term", "definition": "Planted.", "extra": ""}
    line = _append_entry(project_copy, ENTRY.format(**{**values, **fields})) + offset
    proc = mkdocs_build(project_copy)
    assert_clean_failure(proc, f"data/glossary.yml:{line}: [{field}]", message)


def test_missing_definition_stops_the_build(project_copy):
    line = _append_entry(
        project_copy,
        "  - id: planted\n    term: planted\n    explanation: X.\n    category: basics\n",
    )
    assert_clean_failure(
        mkdocs_build(project_copy), f"data/glossary.yml:{line}: [definition]", "missing"
    )


def test_non_boolean_glossary_front_matter_stops_the_build(project_copy):
    _plant(project_copy, "planted.md", "---\nglossary: maybe\n---\n\n# Planted\n")
    assert_clean_failure(
        mkdocs_build(project_copy), "docs/planted.md", "'glossary' must be true or false"
    )


def test_glossary_page_without_its_marker_stops_the_build(project_copy):
    page = project_copy / "docs" / "glossary.md"
    page.write_text(re.sub(r"<!-- glossary:entries -->", "", page.read_text("utf-8")), "utf-8")
    assert_clean_failure(mkdocs_build(project_copy), "docs/glossary.md", "<!-- glossary:entries")


@pytest.mark.browser
@pytest.mark.parametrize("how", ["hover", "focus"])
def test_tooltip_shows_the_definition_on_hover_and_on_focus(page, served_site, built_site, how):
    rel, link = next(
        (rel, links[0])
        for rel in built_pages(built_site.path)
        if (links := parse(built_site.path / rel / "index.html").terms)
    )
    pg = page.page
    pg.goto(served_site.root_url + rel)
    term = pg.locator("article a.fg-term").first
    assert term.inner_text() == link["text"]
    tooltip_box = pg.locator(".md-tooltip2--active")
    assert tooltip_box.count() == 0
    if how == "hover":
        term.hover()
    else:
        pg.keyboard.press("Tab")  # move focus into the page first, as a keyboard user would
        term.focus()
    tooltip_box.wait_for(state="visible")
    assert tooltip_box.inner_text().strip() == link["title"]
    host = urlsplit(served_site.root_url).hostname
    assert all(urlsplit(u).hostname == host for u in page.requests if u.startswith("http"))
