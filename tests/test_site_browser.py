"""The built site in Debian's Chromium: home, search, palette, 404, and
that no page ever requests anything from a host other than 127.0.0.1."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import built_pages, type_query

pytestmark = pytest.mark.browser


def test_home_has_title_nav_and_search(page, served_site):
    pg = page.page
    pg.goto(served_site.root_url)
    assert "Generative AI Field Guide" in pg.title()
    assert pg.locator("nav.md-nav--primary").count() >= 1
    assert pg.locator("input.md-search__input").count() == 1


def _word_on_one_page(site) -> tuple[str, str]:
    """A word that the search index holds for exactly one page, and that page's location."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages: dict[str, set[str]] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        for word in re.findall(r"[a-z]{9,}", (doc["title"] + " " + doc["text"]).lower()):
            pages.setdefault(word, set()).add(page)
    word, where = min((w, p) for w, p in pages.items() if len(p) == 1)
    return word, next(iter(where))


def test_search_finds_a_word_on_a_page(page, served_site, built_site):
    word, location = _word_on_one_page(built_site.path)
    pg = page.page
    pg.goto(served_site.root_url)
    pg.locator(".md-search__input").first.click()
    type_query(pg.locator("input.md-search__input"), word)
    result = pg.locator(".md-search-result__item a").first
    result.wait_for()
    expected = urlsplit(served_site.root_url + location).path
    assert urlsplit(result.get_attribute("href")).path == expected


def _scheme(pg) -> str:
    return pg.evaluate("document.body.getAttribute('data-md-color-scheme')")


def test_palette_toggle_switches_and_survives_reload(page, served_site):
    pg = page.page
    pg.emulate_media(color_scheme="light")
    pg.goto(served_site.root_url)
    seen = {_scheme(pg)}
    # Three palettes (system, light, dark): cycling through reaches both schemes.
    for _ in range(3):
        pg.locator("form[data-fg-palette] label:visible").first.click()
        seen.add(_scheme(pg))
        if _scheme(pg) == "slate":
            break
    assert {"default", "slate"} <= seen
    pg.reload()
    assert _scheme(pg) == "slate"


def test_missing_url_shows_the_sites_404_page(page, served_site):
    pg = page.page
    response = pg.goto(served_site.root_url + "no/such/page/")
    assert response.status == 404
    assert pg.locator("h1#page-not-found").inner_text() == "Page not found"
    assert pg.locator("header.md-header").count() == 1  # the site's own chrome, styled
    # Its home link leads home (it once led to /field-guide//).
    pg.get_by_role("link", name="Go to the home page").click()
    expect(pg).to_have_url(served_site.root_url)


def test_every_page_requests_only_our_own_host(page, served_site, built_site):
    pg = page.page
    pages = built_pages(built_site.path)
    assert pages, "the build produced no pages"
    for rel in pages:
        pg.goto(served_site.root_url + rel, wait_until="networkidle")
    hosts = {urlsplit(url).hostname for url in page.requests if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"}, f"requests left the site: {sorted(hosts)}"
