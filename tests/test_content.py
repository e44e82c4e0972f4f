"""The content pages: every nav page is built; each has a title, a one-sentence
description, sources that resolve in data/sources.yml and a one-sentence opening
summary; the comparison table has at least ten rows and one column per concept; and at
375 px no page scrolls sideways (the table scrolling inside its box is in
test_reader_experience.py). Copied text is check_docs' copied-text rule."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from check_docs.frontmatter import parse_front_matter
from fieldguide.sources import load_sources, resolve
from tests.conftest import ROOT, built_pages

DOCS = ROOT / "docs"
# Pages with nothing to cite from the articles may say `sources: []`; the
# Sources page is the list itself.
MAY_CITE_NOTHING = {"contributing/writers-guide.md", "sources.md"}
CONCEPTS = ("Generative AI", "Large language models", "Foundation models")
MIN_ROWS = 10
PHONE = {"width": 375, "height": 800}


def nav_pages(nav: list) -> list[str]:
    """Every Markdown file named in mkdocs.yml's nav, in reading order."""
    pages: list[str] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            pages.extend(nav_pages(value))
        elif isinstance(value, str) and value.endswith(".md"):
            pages.append(value)
    return pages


def built_path(src_uri: str) -> str:
    """Where MkDocs writes a page with directory URLs, relative to the site root."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def sentences(text: str) -> list[str]:
    """Split prose into sentences: a full stop, ! or ? followed by a capital letter."""
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(text.split()))
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“(])", plain) if s]


def opening_paragraph(body: str) -> str:
    """The first paragraph after the page's `# ` heading."""
    lines = body.strip().splitlines()
    assert lines and lines[0].startswith("# "), "the page must start with a `# Title` heading"
    paragraph: list[str] = []
    for line in lines[1:]:
        if line.strip():
            paragraph.append(line)
        elif paragraph:
            break
    return " ".join(paragraph)


@pytest.fixture(scope="module")
def pages(mkdocs_config) -> list[str]:
    found = nav_pages(mkdocs_config["nav"])
    assert found, "mkdocs.yml has no nav pages"
    return found


def _front(src_uri: str):
    text = (DOCS / src_uri).read_text(encoding="utf-8")
    return parse_front_matter(text, f"docs/{src_uri}"), text


# --- Built with --strict ------------------------------------------------------


def test_every_nav_page_is_built(built_site, pages):
    missing = [p for p in pages if not (built_site.path / built_path(p) / "index.html").is_file()]
    assert not missing, f"nav pages without HTML: {missing}"


# --- Front matter and opening ---------------------------------------------------


def test_each_page_has_title_description_and_resolving_sources(pages):
    registry = load_sources(ROOT / "data" / "sources.yml")
    for src_uri in pages:
        front, _ = _front(src_uri)
        meta = front.meta
        assert isinstance(meta.get("title"), str) and meta["title"].strip(), src_uri
        description = meta.get("description")
        assert isinstance(description, str), f"{src_uri}: no description"
        assert len(sentences(description)) == 1, f"{src_uri}: description is not one sentence"
        assert description.rstrip().endswith((".", "?", "!")), src_uri
        resolved = resolve(meta.get("sources"), registry, f"docs/{src_uri}")
        if src_uri not in MAY_CITE_NOTHING:
            assert resolved, f"{src_uri}: lists no sources"


def test_each_page_opens_with_a_one_sentence_summary(pages):
    for src_uri in pages:
        front, text = _front(src_uri)
        opening = opening_paragraph(text[front.body_start :])
        assert not opening.startswith(("!!!", "???", "<", "|", "-", "*", "```")), (
            f"{src_uri}: the first paragraph must be prose, not {opening[:20]!r}"
        )
        found = sentences(opening)
        assert len(found) == 1 and found[0].endswith((".", "?", "!")), (
            f"{src_uri}: the opening paragraph has {len(found)} sentences: {opening[:200]!r}"
        )


def test_sentence_splitter_tells_one_sentence_from_two():
    # The rule above is only as good as this helper.
    assert len(sentences("One idea, with [a link](x.md), ends here.")) == 1
    assert len(sentences("One idea. Then another.")) == 2


# --- The comparison table -------------------------------------------------------


class _Tables(HTMLParser):
    """Rows of cell texts of every table inside a `div.fg-compare`."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # div nesting inside .fg-compare; 0 means outside
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and (self.depth or "fg-compare" in classes):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def test_comparison_table_has_ten_rows_and_one_column_per_concept(built_site):
    parser = _Tables()
    parser.feed((built_site.path / "comparison" / "index.html").read_text(encoding="utf-8"))
    assert parser.rows, "no table inside div.fg-compare on the comparison page"
    header, *body = parser.rows
    assert header[0] == "Dimension"
    assert header[1:] == list(CONCEPTS)
    assert len(body) >= MIN_ROWS, f"only {len(body)} rows"
    for row in body:
        assert len(row) == len(header), f"row {row[:1]} has {len(row)} cells"
        assert all(cell for cell in row), f"row {row[:1]} has an empty cell"
    dimensions = [row[0] for row in body]
    assert len(set(dimensions)) == len(dimensions), "a dimension appears twice"


# --- Sources and dated updates ----------------------------------------------------


def test_every_source_but_the_articles_has_a_link():
    # The three articles came to us without an address; everything else must be checkable.
    registry = load_sources(ROOT / "data" / "sources.yml")
    unlinked = [s.id for s in registry.values() if s.kind != "article" and not s.link]
    assert unlinked == []


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
SINCE_BOX = re.compile(r' *(?:!!!|\?\?\?\+?) (?P<kind>\S+) "Since the articles\b[^"]*"$')
AS_OF = re.compile(rf"^\*As of ({MONTHS}) (20\d\d)\.\*")


def since_boxes(text: str) -> list[tuple[int, str, str]]:
    """(line, admonition type, first line of the body) of every "Since the articles" box."""
    lines = text.splitlines()
    found = []
    fenced = False  # examples inside code fences (the writers' guide) are not boxes
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else SINCE_BOX.match(line)
        if match:
            body = next((b.strip() for b in lines[number:] if b.strip()), "")
            found.append((number, match["kind"], body))
    return found


def test_since_the_articles_boxes_share_one_style_and_carry_a_date():
    # The writers' guide fixes the style: a `note` box whose body opens "*As of Month Year.*"
    boxes = {
        f"{path.relative_to(DOCS)}:{line}": (kind, body)
        for path in sorted(DOCS.rglob("*.md"))
        for line, kind, body in since_boxes(path.read_text(encoding="utf-8"))
    }
    assert len(boxes) >= 8, "the concept pages should say where the field moved"
    wrong = {where: box for where, box in boxes.items() if box[0] != "note"}
    assert wrong == {}
    undated = {where: body for where, (_, body) in boxes.items() if not AS_OF.match(body)}
    assert undated == {}


def test_since_box_parser_finds_type_and_first_body_line():
    text = '!!! note "Since the articles: x"\n\n    *As of May 2025.* Body.\n'
    assert since_boxes(text) == [(1, "note", "*As of May 2025.* Body.")]
    assert since_boxes('!!! note "Not one"\n    text\n') == []
    assert since_boxes('```markdown\n!!! note "Since the articles: x"\n```\n') == []


# --- At phone width, in Chromium ------------------------------------------------------

PAGE_WIDTHS = (
    """() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"""
)


@pytest.mark.browser
def test_no_page_scrolls_sideways_at_375_px(page, served_site, built_site):
    pg = page.page
    pg.set_viewport_size(PHONE)
    wide = []
    for rel in built_pages(built_site.path):
        pg.goto(served_site.root_url + rel, wait_until="networkidle")
        scroll, client = pg.evaluate(PAGE_WIDTHS)
        if scroll > client:
            wide.append(f"{rel or '/'} ({scroll} > {client})")
    assert not wide, f"pages wider than the 375 px screen: {wide}"
