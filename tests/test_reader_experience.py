"""Reader experience (issue 8) in Debian's Chromium and in the built files:
palette memory, phone width, diagrams' accessible names, head metadata,
sitemap/llms.txt, print styles, keyboard order and focus ring, and the
glossary's search results and tooltips (hover, focus, tap, Escape)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

from check_docs.frontmatter import parse_front_matter
from tests.conftest import ROOT, built_pages

PHONE = {"width": 375, "height": 667}


# --- helpers -----------------------------------------------------------------


def _source_of(rel: str) -> Path:
    """The Markdown file a built page comes from."""
    if rel == "":
        return ROOT / "docs" / "index.md"
    flat = ROOT / "docs" / (rel.rstrip("/") + ".md")
    return flat if flat.is_file() else ROOT / "docs" / rel / "index.md"


def _nav_files(items: list) -> list[str]:
    files: list[str] = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            files += _nav_files(value)
        elif isinstance(value, str) and value.endswith(".md"):
            files.append(value)
    return files


def _url_of(md: str, site_url: str) -> str:
    path = md.removesuffix(".md")
    path = "" if path == "index" else path.removesuffix("/index") + "/"
    return urljoin(site_url, path)


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.title = ""
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and ("name" in a or "property" in a):
            self.meta[a.get("name") or a["property"]] = a.get("content", "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _head(site: Path, rel: str) -> _Head:
    parser = _Head()
    parser.feed((site / rel / "index.html").read_text(encoding="utf-8"))
    return parser


def _scheme(pg) -> str:
    return pg.evaluate("document.body.getAttribute('data-md-color-scheme')")


def _glossary(site: Path) -> list[dict]:
    path = site / "glossary.json"
    if not path.is_file():
        pytest.skip("the glossary has not landed (no glossary.json in the build)")
    return json.loads(path.read_text(encoding="utf-8"))["entries"]


def _page_with_term(site: Path) -> str:
    for rel in built_pages(site):
        if 'class="fg-term"' in (site / rel / "index.html").read_text(encoding="utf-8"):
            return rel
    pytest.skip("the glossary has not landed (no page links a term)")


# --- files the build writes ----------------------------------------------------


def test_every_page_has_unique_title_description_canonical_og_and_lang(built_site, mkdocs_config):
    site_url = mkdocs_config["site_url"]
    titles: dict[str, str] = {}
    for rel in built_pages(built_site.path):
        head = _head(built_site.path, rel)
        where = f"/{rel}"
        assert head.lang, f"{where}: <html> has no lang"
        title = head.title.strip()
        assert title, f"{where}: empty <title>"
        assert title not in titles, f"{where} and /{titles[title]} share the title {title!r}"
        titles[title] = rel
        front = parse_front_matter(_source_of(rel).read_text(encoding="utf-8"), where).meta
        assert front.get("description"), f"{_source_of(rel)}: front matter has no description"
        assert head.meta.get("description") == " ".join(str(front["description"]).split())
        assert head.canonical == urljoin(site_url, rel), f"{where}: canonical {head.canonical}"
        assert head.meta.get("og:title"), f"{where}: no og:title"
        assert head.meta.get("og:description") == head.meta["description"], where
        assert head.meta.get("og:url") == head.canonical, where


def test_sitemap_lists_every_page(built_site, mkdocs_config):
    site_url = mkdocs_config["site_url"]
    tree = ElementTree.parse(built_site.path / "sitemap.xml")
    locs = {el.text for el in tree.iter() if el.tag.endswith("loc")}
    expected = {urljoin(site_url, rel) for rel in built_pages(built_site.path)}
    assert expected <= locs, f"missing from sitemap.xml: {sorted(expected - locs)}"


def test_no_robots_txt_where_no_crawler_reads_it(built_site, mkdocs_config):
    """Crawlers read robots.txt only at a host's root; a project site under a path
    (here /field-guide/) cannot serve it, so shipping one would only mislead."""
    if urlsplit(mkdocs_config["site_url"]).path.strip("/"):
        assert not (built_site.path / "robots.txt").exists()


def test_llms_txt_lists_every_nav_page(built_site, mkdocs_config):
    site_url = mkdocs_config["site_url"]
    index = (built_site.path / "llms.txt").read_text(encoding="utf-8")
    full = (built_site.path / "llms-full.txt").read_text(encoding="utf-8")
    assert index.startswith(f"# {mkdocs_config['site_name']}\n")
    pages = _nav_files(mkdocs_config["nav"])
    assert pages, "mkdocs.yml has no nav"
    for md in pages:
        url = _url_of(md, site_url)
        assert re.search(rf"^- \[[^\]]+\]\({re.escape(url)}\)", index, re.M), (
            f"{md} not in llms.txt"
        )
        assert f"Source: {url}\n" in full, f"{md} not in llms-full.txt"


def test_permalinks_are_named_by_aria_label_not_title(built_site):
    """A title would make Material wire a tooltip per heading (hooks/headerlink_labels.py)."""
    links = 0
    for rel in built_pages(built_site.path):
        html = (built_site.path / rel / "index.html").read_text(encoding="utf-8")
        for tag in re.findall(r'<a class="headerlink"[^>]*>', html):
            links += 1
            assert "aria-label=" in tag and " title=" not in tag, f"/{rel}: {tag}"
    assert links, "no page has a heading permalink"


# --- in the browser ---------------------------------------------------------------


@pytest.mark.browser
def test_palette_choice_survives_navigation(page, served_site):
    pg = page.page
    pg.emulate_media(color_scheme="light")
    pg.goto(served_site.root_url)
    for _ in range(3):  # system -> light -> dark
        if _scheme(pg) == "slate":
            break
        pg.locator("form[data-md-component=palette] label:visible").first.click()
    assert _scheme(pg) == "slate"
    # Instant navigation (a click), then a full page load elsewhere.
    pg.locator(".md-tabs__link").nth(1).click()
    pg.wait_for_load_state()
    assert _scheme(pg) == "slate"
    pg.goto(served_site.root_url + "glossary/")
    assert _scheme(pg) == "slate"


@pytest.mark.browser
def test_phone_width_comparison_table_scrolls_inside_its_box(page, served_site):
    pg = page.page
    pg.set_viewport_size(PHONE)
    pg.goto(served_site.root_url + "comparison/")
    table = pg.locator("article table").first
    assert table.count() == 1, "the comparison page has no table"
    # The scrolling box: the table's nearest ancestor that scrolls sideways.
    box = table.evaluate(
        """t => {
          for (let e = t.parentElement; e && e.tagName !== 'ARTICLE'; e = e.parentElement) {
            const o = getComputedStyle(e).overflowX;
            if ((o === 'auto' || o === 'scroll') && e.scrollWidth > e.clientWidth) {
              const before = e.scrollLeft;
              e.scrollLeft = 80;
              return { moved: e.scrollLeft > before, right: e.getBoundingClientRect().right };
            }
          }
          return null;
        }"""
    )
    assert box, "no box around the table scrolls sideways at 375 px (or the table fits)"
    assert box["moved"], "the table's box does not scroll"
    assert box["right"] <= PHONE["width"], "the table's box is wider than the screen"
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.browser
def test_print_hides_navigation_and_shows_link_targets(page, served_site, built_site):
    rel = next(r for r in built_pages(built_site.path) if r.startswith("concepts/"))
    pg = page.page
    pg.goto(served_site.root_url + rel)
    pg.emulate_media(media="print")
    for chrome in (".md-header", ".md-tabs", ".md-path", ".md-sidebar--primary", ".md-footer"):
        assert not pg.locator(chrome).first.is_visible(), f"{chrome} is printed"
    assert pg.locator("article.md-content__inner").is_visible()
    link = pg.locator("article p a[href^='http']:not(.headerlink, .fg-term)").first
    assert link.count() == 1, f"/{rel} has no external link to check"
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert link.get_attribute("href") in after, f"print shows no link target: {after}"


_FOCUS = """() => {
  const e = document.activeElement;
  // Material's palette radios are invisible; the ring is drawn on their label.
  const s = getComputedStyle(e.matches('.md-option') ? e.nextElementSibling : e);
  return {
    search: e.matches('.md-search__input, label[for="__search"]'),
    nav: !!e.closest('.md-tabs, .md-nav--primary'),
    content: !!e.closest('article'),
    ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
    what: e.outerHTML.slice(0, 90),
  };
}"""


@pytest.mark.browser
def test_keyboard_reaches_search_then_navigation_with_a_visible_ring(page, served_site):
    pg = page.page
    pg.set_viewport_size({"width": 1280, "height": 800})
    pg.goto(served_site.root_url)
    seen = []
    for _ in range(40):
        pg.keyboard.press("Tab")
        focus = pg.evaluate(_FOCUS)
        seen.append(focus)
        assert focus["ring"], f"no visible focus ring on {focus['what']}"
        if focus["nav"] or focus["content"]:
            break
    order = [("search" if f["search"] else "nav" if f["nav"] else "other") for f in seen]
    assert "search" in order, f"Tab never reached the search: {[f['what'] for f in seen]}"
    assert "nav" in order, f"Tab never reached the navigation: {[f['what'] for f in seen]}"
    assert order.index("search") < order.index("nav"), "navigation comes before the search"


# --- the glossary -----------------------------------------------------------------


@pytest.mark.browser
def test_search_for_a_term_finds_its_entry_and_the_pages_using_it(page, served_site, built_site):
    entries = [e for e in _glossary(built_site.path) if e["mentioned_on"]]
    assert entries, "no glossary entry is used by any page"
    entry = max(entries, key=lambda e: (len(e["term"]) >= 6, len(e["mentioned_on"])))
    pg = page.page
    pg.goto(served_site.root_url)
    pg.locator(".md-search__input").first.click()
    pg.locator("input.md-search__input").press_sequentially(entry["term"], delay=30)
    pg.locator(".md-search-result__item").first.wait_for()
    more = pg.locator(".md-search-result__more summary")
    for i in range(min(more.count(), 20)):  # open "N more on this page"
        more.nth(i).click()
    hrefs = {
        urlsplit(h).path
        for h in pg.locator(".md-search-result a").evaluate_all("as => as.map(a => a.href)")
    }
    # The server mirrors site_url's path, so the published URLs' paths match.
    glossary = urlsplit(entry["url"]).path
    assert glossary in hrefs, f"no glossary result for {entry['term']!r}: {sorted(hrefs)}"
    users = {urlsplit(u).path for u in entry["mentioned_on"]}
    assert hrefs & users, f"no page using {entry['term']!r} in the results: {sorted(hrefs)}"


# Material's tooltip for the element in focus or under the pointer; while it opens and
# closes, its opacity runs between 0 and 1. Playwright's assertions retry until they hold.
OPEN_TOOLTIP = ".md-tooltip2--active"


def _expect_open(pg, text: str = "") -> None:
    tip = pg.locator(OPEN_TOOLTIP)
    expect(tip).to_be_visible()
    expect(tip).to_have_css("opacity", "1")
    if text:
        expect(tip).to_contain_text(text)


def _expect_closed(pg) -> None:
    expect(pg.locator(f"{OPEN_TOOLTIP}:visible")).to_have_count(0)


@pytest.mark.browser
def test_term_tooltip_opens_on_hover_and_focus_and_closes_on_escape(page, served_site, built_site):
    rel = _page_with_term(built_site.path)
    pg = page.page
    pg.goto(served_site.root_url + rel)
    term = pg.locator("a.fg-term").first
    definition = term.get_attribute("title") or term.get_attribute("data-fg-definition") or ""
    term.scroll_into_view_if_needed()
    term.hover()
    _expect_open(pg, definition[:40])  # hover opens it
    pg.keyboard.press("Escape")
    _expect_closed(pg)
    pg.mouse.move(0, 0)
    pg.locator("body").focus()
    term.focus()
    _expect_open(pg)  # so does keyboard focus
    pg.keyboard.press("Escape")
    _expect_closed(pg)


@pytest.mark.browser
def test_term_tooltip_opens_on_tap_and_second_tap_follows_the_link(
    browser, served_site, built_site
):
    rel = _page_with_term(built_site.path)
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        pg.goto(served_site.root_url + rel)
        term = pg.locator("a.fg-term").first
        term.scroll_into_view_if_needed()
        term.tap()
        _expect_open(pg)
        assert urlsplit(pg.url).path.endswith("/" + rel), "the first tap left the page"
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        term.tap()
        pg.wait_for_url(re.compile(r"/glossary/"))
    finally:
        context.close()


@pytest.mark.browser
def test_phone_drawer_and_search_work_by_touch(browser, served_site, built_site):
    word = "glossary"
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        pg.goto(served_site.root_url)
        # The drawer: the menu button opens it, a section opens its pages, a link
        # goes to its page.
        pg.locator("label.md-header__button[for='__drawer']").tap()
        nav = pg.locator(".md-nav--primary")
        nav.locator(
            ".md-nav__item--nested:has(a[href*='glossary/']) > label.md-nav__link"
        ).first.tap()
        link = nav.locator("a.md-nav__link[href*='glossary/']").first
        link.wait_for(state="visible")
        link.tap()
        pg.wait_for_url(re.compile(r"/glossary/$"))
        # Search: the magnifier opens it, typing lists results.
        pg.locator("label.md-header__button[for='__search']").tap()
        field = pg.locator("input.md-search__input")
        field.wait_for(state="visible")
        field.press_sequentially(word, delay=30)
        pg.locator(".md-search-result__item").first.wait_for(state="visible")
        # Material slides the search in; measure it once it has arrived.
        pg.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
        box = pg.locator(".md-search__inner").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    finally:
        context.close()
