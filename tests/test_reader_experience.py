"""Reader experience (issues 8 and 14) in Debian's Chromium and in the built files:
palette memory, phone width, diagrams' accessible names, head metadata,
sitemap/llms.txt, print styles, keyboard order and focus ring, the
glossary's search results and tooltips (hover, focus, tap, Escape), and the
parts of a page that guide a reader: the home page's cards, the "In short" box,
reading time, "last updated" from Git, Key takeaways in one place, edit links."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

from check_docs.frontmatter import parse_front_matter
from fieldguide.prose import reading_minutes
from tests.conftest import (
    ROOT,
    assert_clean_failure,
    built_pages,
    copy_project,
    mkdocs_build,
    type_query,
)

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
    """A title would open a tooltip over each heading's ¶ (hooks/headerlink_labels.py)."""
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
        pg.locator("form[data-fg-palette] label:visible").first.click()
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
def test_printed_comparison_table_fits_the_page_unclipped(page, served_site):
    pg = page.page
    # A page narrower than the table on screen (30rem).
    pg.set_viewport_size({"width": 560, "height": 1000})
    pg.goto(served_site.root_url + "comparison/")
    pg.emulate_media(media="print")
    box = pg.locator(".fg-compare").first
    expect(box).to_be_visible()
    fit = box.evaluate(
        """b => { const t = b.querySelector('table'), a = b.closest('article');
          return {clipped: b.scrollWidth - b.clientWidth,
                  over: t.getBoundingClientRect().right - a.getBoundingClientRect().right,
                  sticky: getComputedStyle(t.querySelector('td')).position}; }"""
    )
    assert fit["clipped"] <= 1, f"the printed table is cut off by {fit['clipped']} px"
    assert fit["over"] <= 1, f"the printed table runs {fit['over']} px past the page"
    assert fit["sticky"] == "static", "row names stay sticky on paper"


@pytest.mark.browser
def test_print_hides_chrome_and_writes_out_only_other_sites_addresses(
    page, served_site, built_site
):
    rel = "concepts/large-language-models/"
    pg = page.page
    pg.goto(served_site.root_url + rel)
    term = pg.locator("article a.fg-term").first
    term.hover()  # a tooltip open when the reader prints must not be printed
    pg.emulate_media(media="print")
    for chrome in (
        ".md-header",
        ".md-tabs",
        ".md-path",
        ".md-sidebar--primary",
        ".md-footer",
        ".md-tooltip2",
        ".headerlink",
    ):
        shown = pg.locator(chrome).evaluate_all(
            "els => els.filter(e => e.checkVisibility()).length"
        )
        assert shown == 0, f"{chrome} is printed"
    assert pg.locator("article.md-content__inner").is_visible()
    after = "a => getComputedStyle(a, '::after').content"
    # Citations of the page's own Sources list and glossary terms: no address
    # (Material has made every href absolute by now, so the test cannot rely on "#").
    citation = pg.locator("article a[href*='#source-']").first
    assert citation.count() == 1, f"/{rel} cites nothing"
    for link in (citation, term):
        assert link.evaluate(after) in ("none", "normal"), link.evaluate("a => a.outerHTML")
    # A paper in the Sources list: its address is written out.
    paper = pg.locator(".fg-sources a.fg-external").first
    assert paper.count() == 1, f"/{rel}: no linked source"
    assert paper.get_attribute("href") in paper.evaluate(after)


def test_links_to_other_sites_and_only_those_are_marked_external(built_site, mkdocs_config):
    site_url = mkdocs_config["site_url"]
    checked = 0
    for rel in built_pages(built_site.path):
        html = _html(built_site.path, rel)
        article = html[html.index("<article") : html.index("</article>")]
        for tag in re.findall(r"<a\s[^>]*>", article):
            href = re.search(r'\shref="([^"]*)"', tag)
            if not href:
                continue
            external = href[1].startswith(("http://", "https://")) and not href[1].startswith(
                site_url
            )
            edit = 'rel="edit"' in tag
            marked = re.search(r'\sclass="[^"]*\bfg-external\b', tag) is not None
            assert marked == (external and not edit), f"/{rel}: {tag}"
            checked += external
    assert checked > 50, "too few links to other sites to trust this test"


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
    type_query(pg.locator("input.md-search__input"), entry["term"])
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
        type_query(field, word)
        pg.locator(".md-search-result__item").first.wait_for(state="visible")
        # Material slides the search in; measure it once it has arrived.
        pg.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
        box = pg.locator(".md-search__inner").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    finally:
        context.close()


# --- pages that guide (issue 14) ----------------------------------------------------


def _html(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def _front_of(rel: str) -> dict:
    source = _source_of(rel)
    return parse_front_matter(source.read_text(encoding="utf-8"), str(source)).meta


EXPLAINER_SECTIONS = ("Concepts", "Compare", "Guides")


def _explainers(mkdocs_config: dict) -> list[str]:
    """The pages read start to finish, which carry a summary: the nav's Concepts,
    Compare and Guides sections."""
    sections = [
        value
        for item in mkdocs_config["nav"]
        for key, value in item.items()
        if key in EXPLAINER_SECTIONS
    ]
    return _nav_files([{"_": section} for section in sections])


def _rel_of(md: str) -> str:
    return _url_of(md, "/")[1:]


def test_every_explainer_shows_its_summary_and_reading_time_under_its_title(
    built_site, mkdocs_config
):
    pages = _explainers(mkdocs_config)
    assert len(pages) >= 6, pages
    for md in pages:
        rel = _rel_of(md)
        meta = _front_of(rel)
        summary = meta.get("summary")
        assert isinstance(summary, str) and len(summary.split()) >= 12, (
            f"docs/{md}: front matter needs a `summary:` of two or three sentences"
        )
        html = _html(built_site.path, rel)
        # Title, then the facts line, then the box, before any of the page's own text.
        intro = re.search(
            r"</h1>\s*<p class=\"fg-page-facts\">(?P<facts>.*?)</p>\s*"
            r"<div class=\"fg-summary\"[^>]*>\s*<p>(?P<box>.*?)</p>",
            html,
            re.S,
        )
        assert intro, f"/{rel}: no facts line and summary box right under the title"
        box = re.sub(r"<[^>]+>", "", intro["box"])
        assert box == "In short: " + " ".join(summary.split()), f"/{rel}: {box!r}"
        shown = re.search(r"(\d+) min read", intro["facts"])
        assert shown, f"/{rel}: no reading time in {intro['facts']!r}"
        # What the reader reads: the article's text, less code, drawings and the
        # Sources list, at the hook's 200 words a minute (give or take a minute:
        # the hook counts Markdown, including anything generated into it).
        article = html[html.index("</h1>") : html.find('<aside class="fg-sources"')]
        article = re.sub(r"<(pre|code|svg|script|style)\b.*?</\1>", " ", article, flags=re.S)
        words = len(re.findall(r"\w[\w'’-]*", re.sub(r"<[^>]+>", " ", article)))
        assert abs(int(shown[1]) - words / 200) <= 1.5, f"/{rel}: {shown[0]} for {words} words"


def test_reading_time_counts_prose_not_code_or_markup():
    prose = " ".join(["word"] * 450)
    code = "```python\n" + "token " * 5000 + "\n```\n"
    link = "[a link](https://example.com/" + "x/" * 500 + ")"
    assert reading_minutes(f"---\ntitle: T\n---\n{prose}\n\n{code}\n{link}\n") == 3
    assert reading_minutes("") == 1


def test_pages_without_a_summary_show_no_box_or_reading_time(built_site):
    for rel in ("glossary/", "sources/", ""):
        html = _html(built_site.path, rel)
        assert "fg-summary" not in html and "min read" not in html, f"/{rel}"


def _committed_date(*paths: Path) -> str | None:
    """The UTC date of the last commit touching any of ``paths`` (author date, as
    the git-revision-date-localized plugin reads it), or None outside Git."""
    proc = subprocess.run(
        ["git", "log", "-1", "--format=%at", "--", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        return None
    return datetime.fromtimestamp(int(proc.stdout), UTC).date().isoformat()


_UPDATED = re.compile(r'Last updated <time datetime="(\d{4}-\d{2}-\d{2})">([^<]+)</time>')


def test_every_page_says_when_it_last_changed_from_git_history(built_site):
    today = datetime.now(UTC).date().isoformat()
    for rel in built_pages(built_site.path):
        source = _source_of(rel)
        shown = _UPDATED.findall(_html(built_site.path, rel))
        assert len(shown) == 1, f"/{rel}: {len(shown)} 'Last updated' dates"
        iso, text = shown[0]
        paths = [source]
        data_file = _front_of(rel).get("generated_from")
        if data_file:
            paths.append(ROOT / data_file)
        # The later of the page's and its data file's commits; a page never
        # committed falls back to the build date.
        dates = [d for d in (_committed_date(p) for p in paths) if d]
        expected = max(dates) if dates else today
        assert iso == expected, f"/{rel}: shows {iso}, Git says {expected}"
        assert datetime.fromisoformat(iso).strftime("%-d %B %Y") == text, text


def _git(cwd: Path, *args: str, date: str = "") -> str:
    env = {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "HOME": str(cwd),
        "PATH": "/usr/bin:/bin",
    }
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_build_dates_pages_outside_git_and_in_a_shallow_clone(tmp_path):
    """A downloaded archive (no .git) and a CI checkout of depth 1 both build strictly."""
    project = copy_project(tmp_path / "project")
    proc = mkdocs_build(project, "-d", str(tmp_path / "no-git-site"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (tmp_path / "no-git-site" / "glossary" / "index.html").read_text(encoding="utf-8")
    today = datetime.now(UTC).date().isoformat()
    assert _UPDATED.search(page)[1] == today, "outside Git the date is the build date"

    # Two commits on different days; a shallow clone knows only the second.
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "first", date="2023-01-02T12:00:00Z")
    (project / "docs" / "sources.md").write_text(
        (project / "docs" / "sources.md").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    _git(project, "commit", "-q", "-am", "second", date="2024-05-06T12:00:00Z")
    shallow = tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", "--depth", "1", project.as_uri(), str(shallow))
    assert _git(shallow, "rev-parse", "--is-shallow-repository").strip() == "true"
    proc = mkdocs_build(shallow, "-d", str(tmp_path / "shallow-site"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (tmp_path / "shallow-site" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert _UPDATED.search(page)[1] == "2024-05-06", "the one commit a shallow clone has"


def test_generated_pages_edit_button_opens_their_data_file(built_site, mkdocs_config):
    edit_base = mkdocs_config["repo_url"].rstrip("/") + "/" + mkdocs_config["edit_uri"]
    checked = 0
    for rel in built_pages(built_site.path):
        data_file = _front_of(rel).get("generated_from")
        edit = re.search(r'<a href="([^"]+)" title="Edit this page"', _html(built_site.path, rel))
        assert edit, f"/{rel}: no edit button"
        if data_file:
            checked += 1
            # .../edit/main/docs/ -> .../edit/main/data/glossary.yml
            assert edit[1] == urljoin(edit_base, "../" + data_file), f"/{rel}: {edit[1]}"
            assert (ROOT / data_file).is_file()
        else:
            src = _source_of(rel).relative_to(ROOT / "docs").as_posix()
            assert edit[1] == edit_base + src, f"/{rel}: {edit[1]}"
    assert checked >= 2, "the Glossary and Sources pages should name their data files"


def test_a_missing_generated_from_file_stops_the_build_naming_page_and_line(project_copy):
    page = project_copy / "docs" / "glossary.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace("generated_from: data/glossary.yml", "generated_from: data/nope.yml"),
        encoding="utf-8",
    )
    line = text[: text.index("generated_from:")].count("\n") + 1
    proc = mkdocs_build(project_copy, "-d", str(project_copy / "out"))
    assert_clean_failure(proc, f"glossary.md:{line}:", "data/nope.yml")


_TAKEAWAYS = re.compile(r'^!!! abstract "Key takeaways"\n((?:[ \t]+\S.*\n|[ \t]*\n)*)', re.M)


def test_key_takeaways_close_every_explainer_followed_only_by_links_onward(mkdocs_config):
    for md in _explainers(mkdocs_config):
        if md == "comparison.md":
            continue  # a reference table, not a page read start to finish
        text = (ROOT / "docs" / md).read_text(encoding="utf-8")
        boxes = list(_TAKEAWAYS.finditer(text))
        assert len(boxes) == 1, f"docs/{md}: {len(boxes)} Key takeaways boxes, expected one"
        after = text[boxes[0].end() :]
        assert not re.search(r"^(?:!!!|\?\?\?|```|<figure|### )", after, re.M), (
            f"docs/{md}: Key takeaways must be the page's last box, after its last section"
        )
        headings = re.findall(r"^## (.+)$", after, re.M)
        assert set(headings) <= {"Related pages", "Where to read more"}, (
            f"docs/{md}: sections after Key takeaways: {headings}"
        )
        paragraphs = [p for p in re.split(r"\n\s*\n", after) if p.strip()]
        for para in paragraphs:
            first = para.strip().splitlines()[0]
            assert first.startswith(("**Next:**", "## ", "- [")), (
                f"docs/{md}: only links onward may follow Key takeaways, not {first[:60]!r}"
            )


def test_no_admonition_title_shows_a_backslash(built_site):
    for rel in built_pages(built_site.path):
        titles = re.findall(
            r'<p class="admonition-title">(.*?)</p>|<summary>(.*?)</summary>',
            _html(built_site.path, rel),
            re.S,
        )
        for title in ("".join(t) for t in titles):
            assert "\\" not in title, f"/{rel}: admonition title {title!r}"


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["375", "1280"])
def test_home_first_screen_shows_the_three_concept_cards_and_a_start(page, served_site, viewport):
    pg = page.page
    pg.set_viewport_size(viewport)
    pg.goto(served_site.root_url)
    cards = pg.locator(".fg-concept-cards > ul > li")
    assert cards.count() == 3, "the home page should have one card per concept"
    hrefs = []
    for i in range(3):
        box = cards.nth(i).bounding_box()
        assert box and box["y"] + box["height"] <= viewport["height"], (
            f"card {i + 1} is below the fold"
        )
        hrefs.append(urlsplit(cards.nth(i).locator("a").first.get_attribute("href")).path)
    assert [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs] == [
        "generative-ai",
        "large-language-models",
        "foundation-models",
    ]
    start = pg.locator("a.md-button--primary").first
    box = start.bounding_box()
    assert box and box["y"] + box["height"] <= viewport["height"], (
        "the Start button is below the fold"
    )
    assert box["height"] >= 44, "the Start button is smaller than a 44 px touch target"
    # The whole card is the link: a tap on its text opens the concept page.
    # (Playwright's click() refuses a covered element; the mouse does what a reader does.)
    text = cards.nth(1).locator("p").last.bounding_box()
    assert text
    pg.mouse.click(text["x"] + text["width"] / 2, text["y"] + text["height"] / 2)
    # Instant navigation changes the address without a "load" event: poll the URL.
    expect(pg).to_have_url(re.compile(r"/concepts/large-language-models/$"))


# --- search, tooltips, term links, phones (issue 14) ---------------------------------

# What a reader types, and the page and section that must come first: a glossary
# term (or one of its other spellings) finds its entry, whose "Mentioned on" leads
# on to the pages; a model name finds the section about it.
SEARCHES = [
    ("RLHF", "glossary/", "reinforcement-learning-from-human-feedback"),
    ("LLM", "glossary/", "large-language-model"),
    ("finetuning", "glossary/", "fine-tuning"),
    ("GPT-4", "glossary/", "generative-pre-trained-transformer"),  # one of its examples
    ("context window", "glossary/", "context-window"),
    # other names and spellings from data/glossary.yml lead to their entry
    ("model weights", "glossary/", "parameter"),
    ("GenAI", "glossary/", "generative-ai"),
    ("deep fake", "glossary/", "deepfake"),
    ("memorization", "glossary/", "memorisation"),
    ("foundation model", "glossary/", "foundation-model"),
    # a model named as a version of a glossary entry leads to the entry
    ("GPT-3.5", "glossary/", "generative-pre-trained-transformer"),
    ("Llama 3", "glossary/", "llama"),
]


def test_search_index_leaves_out_the_glossary_lines_that_point_elsewhere(built_site):
    docs = json.loads((built_site.path / "search" / "search_index.json").read_text("utf-8"))["docs"]
    entries = [
        d for d in docs if d["location"].startswith("glossary/#") and "Examples:" in d["text"]
    ]
    assert entries, "no glossary entry with its examples in the search index"
    pointing = [
        d["location"]
        for d in docs
        for line in ("Related:", "Sources:", "Mentioned on:")
        if d["location"].startswith("glossary/") and line in d["text"]
    ]
    assert not pointing, f"indexed glossary lines that only point elsewhere: {pointing[:5]}"
    page = (built_site.path / "glossary" / "index.html").read_text("utf-8")
    assert "Mentioned on:" in page and "Related:" in page, "the page itself lost the lines"


# How long a test waits for Material's worker to fetch and build the search index (a
# bound, not a speed goal: the page-speed audit measures speed).
_INDEX_BUILT = 30_000


def _index_request(request) -> bool:
    return urlsplit(request.url).path.endswith("/search/search_index.json")


@pytest.mark.browser
def test_search_index_loads_when_the_reader_reaches_for_search(page, served_site):
    pg = page.page
    fetched: list[str] = []
    pg.on("request", lambda r: fetched.append(r.url) if _index_request(r) else None)
    pg.goto(served_site.root_url + "glossary/", wait_until="load")
    pg.wait_for_timeout(1000)  # Material's script has run and set its search up
    assert not fetched, "the search index was fetched before the reader reached for search"
    with pg.expect_request(_index_request):
        pg.keyboard.press("/")  # Material's shortcut focuses the search field
    type_query(pg.locator("input.md-search__input"), "RLHF")
    # The index is fetched and built only now: on a loaded machine (the test suite's
    # browsers side by side) that took longer than expect's 5 s default.
    first = pg.locator(".md-search-result__item").first
    expect(first).to_contain_text("reinforcement", timeout=_INDEX_BUILT)


@pytest.mark.browser
def test_a_query_typed_before_the_index_arrives_is_answered_when_it_does(page, served_site):
    """A reader who types at once must not be left with an empty list: Material runs the
    query typed while the index was on its way once the index is ready."""
    pg = page.page
    held = []
    pg.route("**/search/search_index.json", lambda route: held.append(route))  # held below
    pg.goto(served_site.root_url + "glossary/", wait_until="load")
    pg.keyboard.press("/")
    type_query(pg.locator("input.md-search__input"), "RLHF")
    for _ in range(100):  # the request reaches the route a moment after the key press
        if held:
            break
        pg.wait_for_timeout(50)
    assert held, "the search index was not requested when the reader reached for search"
    expect(pg.locator(".md-search-result__item")).to_have_count(0)
    held[0].continue_()
    first = pg.locator(".md-search-result__item").first
    expect(first).to_contain_text("reinforcement", timeout=_INDEX_BUILT)


@pytest.mark.browser
def test_a_shared_search_loads_the_index_at_once(page, served_site):
    pg = page.page
    with pg.expect_request(_index_request):
        pg.goto(served_site.root_url + "?q=RLHF")
    first = pg.locator(".md-search-result__item").first
    expect(first).to_contain_text("reinforcement", timeout=_INDEX_BUILT)


_RESULT_LINKS = """() => {
  const first = document.querySelector('.md-search-result__item');
  return first ? [...first.querySelectorAll('a')].map(a => a.href) : [];
}"""


def _first_result(pg, query: str) -> list[str]:
    """Type ``query`` into Material's search; the links of the first result, in order."""
    field = pg.locator("input.md-search__input")
    items = pg.locator(".md-search-result__item")
    # An empty query clears the list, so the results read below are this query's,
    # not the last one's still on screen.
    field.fill("x")
    field.press("Backspace")
    expect(items).to_have_count(0)
    type_query(field, query)
    expect(items.first).to_be_visible()
    # Results re-render after each keystroke: read them until two reads agree.
    links: list[str] = []
    for _ in range(25):  # at most 5 s
        pg.wait_for_timeout(200)
        now = pg.evaluate(_RESULT_LINKS)
        if now and now == links:
            break
        links = now
    return links


@pytest.mark.browser
def test_search_lists_the_right_page_and_section_first(page, served_site):
    pg = page.page
    pg.goto(served_site.root_url)
    pg.locator(".md-search__input").first.click()
    base = urlsplit(served_site.root_url).path
    wrong = []
    for query, page_path, section in SEARCHES:
        links = [urlsplit(link) for link in _first_result(pg, query)]
        sections = [link.fragment for link in links if link.fragment]
        if links[0].path != base + page_path or (section and sections[:1] != [section]):
            wrong.append(f"{query!r}: {links[0].path} {sections[:2]}")
    assert not wrong, "first results: " + "; ".join(wrong)


@pytest.mark.browser
def test_tooltip_is_body_size_normal_weight_and_starts_with_the_term(page, served_site):
    pg = page.page
    pg.goto(served_site.root_url + "concepts/large-language-models/")
    term = pg.locator("article a.fg-term").first
    entry = urlsplit(term.get_attribute("href")).fragment
    glossary = {
        e["id"]: e
        for e in json.loads(pg.request.get(served_site.root_url + "glossary.json").text())[
            "entries"
        ]
    }
    term.hover()
    tip = pg.locator(".md-tooltip2--active .md-tooltip2__inner")
    expect(tip).to_be_visible()
    style = tip.evaluate(
        "t => { const s = getComputedStyle(t); return [parseFloat(s.fontSize), s.fontWeight]; }"
    )
    assert style[0] >= 14, f"tooltip text is {style[0]} px"
    assert style[1] in ("400", "normal"), f"tooltip text weight {style[1]}"
    assert tip.inner_text().startswith(glossary[entry]["term"]), tip.inner_text()


def _row_labels(table: str) -> list[str]:
    """A table's header cells and the first cell of each row: its labels."""
    labels = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<(t[hd])\b[^>]*>(.*?)</t[hd]>", row, re.S)
        labels += [text for i, (tag, text) in enumerate(cells) if tag == "th" or i == 0]
    return labels


def test_term_links_skip_table_headers_and_row_labels(built_site):
    tables = 0
    for rel in built_pages(built_site.path):
        for table in re.findall(r"<table>.*?</table>", _html(built_site.path, rel), re.S):
            tables += 1
            for label in _row_labels(table):
                assert 'class="fg-term"' not in label, f"/{rel}: a term link in {label[:80]!r}"
    assert tables >= 3, "the site should have tables to check"


# A term link and the characters after it: "-4", ".5" or " 2" would make it the start
# of a model's name ("GPT-4", "GPT-3.5", "Llama 2", "DALL-E 2").
_TERM_LINK_AND_AFTER = re.compile(r'<a [^>]*class="fg-term"[^>]*>([^<]*)</a>(?=([-.]\d|\s\d)?)')


def test_term_links_never_split_a_model_name(built_site):
    split, linked_names = [], 0
    for rel in built_pages(built_site.path):
        for term, number in _TERM_LINK_AND_AFTER.findall(_html(built_site.path, rel)):
            if number and (number[0] in "-." or term[:1].isupper()):
                split.append(f"/{rel}: {term}{number}")
        linked_names += len(
            re.findall(r"\b(?:GPT-[34]|Llama [234]|DALL-E [23])\b", _html(built_site.path, rel))
        )
    assert linked_names >= 5, "the pages should name such models for this test to mean much"
    assert not split, "term links that split a model's name: " + "; ".join(split)


@pytest.mark.browser
def test_comparison_at_375_keeps_row_labels_in_view_and_says_it_scrolls(page, served_site):
    pg = page.page
    pg.set_viewport_size(PHONE)
    pg.goto(served_site.root_url + "comparison/")
    box = pg.locator(".fg-compare")
    hint = pg.locator(".fg-compare__caption").evaluate(
        "c => { const s = getComputedStyle(c, '::after');"
        " return s.display !== 'none' ? s.content : ''; }"
    )
    assert "sideways" in hint, f"no scroll cue at 375 px: {hint!r}"
    label = pg.locator(".fg-compare tbody tr td").first
    before = label.bounding_box()
    box.evaluate("b => { b.scrollLeft = 250; }")
    assert box.evaluate("b => b.scrollLeft") > 100, "the table does not scroll sideways"
    after = label.bounding_box()
    left = box.bounding_box()
    # The first column starts at the box's edge and stays there (a pixel of border aside).
    assert before and after and left and abs(after["x"] - before["x"]) <= 2, (
        "the row labels scrolled away"
    )
    assert after["x"] <= left["x"] + 2
    # Where the whole table fits, no cue.
    pg.set_viewport_size({"width": 1280, "height": 800})
    hint = pg.locator(".fg-compare__caption").evaluate(
        "c => getComputedStyle(c, '::after').content"
    )
    assert hint in ("none", "normal"), hint


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["375", "1280"])
def test_glossary_letter_bar_is_sticky_with_44px_targets(page, served_site, viewport):
    pg = page.page
    pg.set_viewport_size(viewport)
    pg.goto(served_site.root_url + "glossary/")
    bar = pg.locator("nav.fg-letter-index")
    top = bar.bounding_box()
    assert top and top["y"] + top["height"] <= viewport["height"], "the A–Z bar is below the fold"
    letters = bar.locator("a")
    assert letters.count() >= 10
    sizes = letters.evaluate_all(
        "as => as.map(a => { const r = a.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert all(w >= 44 and h >= 44 for w, h in sizes), f"targets under 44 × 44 px: {sizes[:3]}"
    # Scrolled far down, the bar sits right under the header.
    pg.mouse.wheel(0, 4000)
    header = pg.locator("header.md-header").bounding_box()
    expect(bar).to_be_in_viewport()
    stuck = bar.bounding_box()
    assert header and stuck and abs(stuck["y"] - (header["y"] + header["height"])) < 2, stuck
    # A letter takes the reader to its heading, below the bar rather than under it.
    target = letters.nth(letters.count() // 2)
    anchor = urlsplit(target.get_attribute("href")).fragment
    target.click()
    heading = pg.locator(f"h2#{anchor}")
    expect(heading).to_be_in_viewport()
    # Smooth scrolling has come to rest: the same scroll position two frames running.
    pg.wait_for_function(
        "() => { const was = window.fgLastY; window.fgLastY = scrollY; return was === scrollY; }",
        polling="raf",
    )
    landed = heading.bounding_box()
    stuck = bar.bounding_box()
    assert landed and stuck and landed["y"] >= stuck["y"] + stuck["height"] - 1, (landed, stuck)


def test_definition_list_terms_are_bold(built_site):
    css = (ROOT / "docs" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert re.search(r"\.md-typeset dt\s*\{[^}]*font-weight:\s*(?:700|bold)", css)
    assert any("<dt>" in _html(built_site.path, rel) for rel in built_pages(built_site.path))


_SCROLLERS = """() => [...document.querySelectorAll('article *')].filter(e => {
  const s = getComputedStyle(e);
  const scroll = (o) => o === 'auto' || o === 'scroll';
  const scrolls = scroll(s.overflowX) || scroll(s.overflowY);
  if (!scrolls || e.checkVisibility() === false) return false;
  if (e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1) return false;
  const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
  return !(e.tabIndex >= 0 || e.querySelector(focusable));
}).map(e => e.outerHTML.slice(0, 100))"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_every_region_that_scrolls_can_be_reached_by_keyboard(page, served_site, built_site, width):
    pg = page.page
    pg.set_viewport_size({"width": width, "height": 800})
    stuck = {}
    for rel in built_pages(built_site.path):
        pg.goto(served_site.root_url + rel)
        pg.wait_for_load_state("networkidle")
        found = pg.evaluate(_SCROLLERS)
        if found:
            stuck[rel] = found
    assert not stuck, f"scrolling regions no keyboard can reach at {width} px: {stuck}"
