"""The built site in Debian's Chromium: home, search, palette, 404, Mermaid, and
that no page ever requests anything from a host other than 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import built_pages

pytestmark = pytest.mark.browser


def test_home_has_title_nav_and_search(page, served_site):
    pg = page.page
    pg.goto(served_site.root_url)
    assert "Generative AI Field Guide" in pg.title()
    assert pg.locator("nav.md-nav--primary").count() >= 1
    assert pg.locator("input.md-search__input").count() == 1


def test_search_finds_a_word_on_a_page(page, served_site):
    pg = page.page
    pg.goto(served_site.root_url)
    pg.locator("label.md-search__icon, .md-search__input").first.click()
    pg.locator("input.md-search__input").press_sequentially("zygomorphic", delay=30)
    result = pg.locator(".md-search-result__item a").first
    result.wait_for()
    assert "generative-ai" in result.get_attribute("href")


def _scheme(pg) -> str:
    return pg.evaluate("document.body.getAttribute('data-md-color-scheme')")


def test_palette_toggle_switches_and_survives_reload(page, served_site):
    pg = page.page
    pg.emulate_media(color_scheme="light")
    pg.goto(served_site.root_url)
    seen = {_scheme(pg)}
    # Three palettes (system, light, dark): cycling through reaches both schemes.
    for _ in range(3):
        pg.locator("form[data-md-component=palette] label:visible").first.click()
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


def test_mermaid_diagram_renders_as_svg(page, served_site):
    pg = page.page
    pg.goto(served_site.root_url + "generative-ai/")
    svg = pg.locator(".mermaid svg").first
    svg.wait_for(state="attached")
    text = pg.locator(".mermaid").first.inner_text()
    assert "Syntax error" not in text
    assert any("mermaid.min.js" in url for url in page.requests)


def test_every_page_requests_only_our_own_host(page, served_site, built_site):
    pg = page.page
    pages = built_pages(built_site.path)
    assert pages, "the build produced no pages"
    for rel in pages:
        pg.goto(served_site.root_url + rel, wait_until="networkidle")
    hosts = {urlsplit(url).hostname for url in page.requests if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"}, f"requests left the site: {sorted(hosts)}"
