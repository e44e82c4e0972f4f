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
from tests.conftest import ROOT, assert_clean_failure, built_pages, copy_project, mkdocs_build

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
