"""What keeps pages light to load on a phone (issue 14, Lighthouse mobile performance).

Material's start-up made the browser restyle the whole page about five times: its
palette component four times, its swap of the root's "no-js" class (and the
focus-visible polyfill's class) once more. The palette is now applied while the header
is parsed (overrides/partials/javascripts/palette.html) and the classes are set in the
head (overrides/main.html). extra.css lets Chromium skip the closed navigation drawer's
layout below 76.25em. Speed itself is measured by the audit (``make audit``), never
here: these tests count work (elements restyled), not time.
"""

from __future__ import annotations

import json

import pytest

# Lighthouse's phone.
PHONE = {"width": 412, "height": 823}


@pytest.mark.browser
def test_closed_phone_drawer_is_not_laid_out_and_opens_drawn(page, served_site):
    """Below 76.25em the navigation drawer is skipped while closed (its glossary table of
    contents was half of what Material restyled), drawn as soon as it opens, and kept
    drawn while it slides out."""
    pg = page.page
    pg.set_viewport_size(PHONE)
    pg.goto(served_site.root_url + "glossary/")
    link = pg.locator(".md-sidebar--primary a.md-nav__link").first
    # checkVisibility is false inside a subtree whose layout is skipped.
    drawn = "e => e.checkVisibility()"
    assert not link.evaluate(drawn), "the closed drawer's links are laid out"
    pg.locator("label.md-header__button[for='__drawer']").click()
    assert link.evaluate(drawn)
    pg.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    box = pg.locator(".md-sidebar--primary").bounding_box()
    assert box and box["x"] >= 0, "the drawer did not slide in"
    # Closing: still drawn while it slides out, skipped once it is out of sight.
    pg.locator("label.md-overlay").click(position={"x": 390, "y": 400})
    assert link.evaluate(drawn), "the drawer emptied before sliding out"
    pg.wait_for_function("link => !link.checkVisibility()", arg=link.element_handle())


def _restyled(browser, url: str, scheme: str) -> tuple[int, int]:
    """Elements the browser restyled while ``url`` loaded (all style passes summed, from
    Chromium's trace), and how many elements the page has."""
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    try:
        pg = context.new_page()
        browser.start_tracing(page=pg, categories=["devtools.timeline"])
        pg.goto(url, wait_until="load")
        # Material's start-up work runs in the tasks after load; let them finish.
        pg.wait_for_timeout(1500)
        elements = pg.evaluate("document.getElementsByTagName('*').length")
        events = json.loads(browser.stop_tracing())["traceEvents"]
    finally:
        context.close()
    restyled = sum(
        e["args"].get("elementCount", 0)
        for e in events
        if e.get("name") == "UpdateLayoutTree" and e.get("ph") == "X"
    )
    return restyled, elements


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "glossary/"])
def test_start_up_restyles_the_page_about_once(browser, served_site, path, scheme):
    """Styling every element once is the floor. With Material's palette component and
    the late class swaps, the home page restyled 3.4 times its elements and the glossary
    4.7 times (5 whole-page passes); now 1.1 and 2.0 (what is left on the glossary is
    instant navigation rewriting its 1,300 links). A count, not a timing: it does not
    move with the machine's load."""
    restyled, elements = _restyled(browser, served_site.root_url + path, scheme)
    assert restyled <= 3 * elements, (
        f"/{path} ({scheme}): {restyled} elements restyled while loading, "
        f"{restyled / elements:.1f} times the page's {elements}"
    )


def _palette(pg) -> dict:
    return pg.evaluate(
        """() => {
          const all = selector => [...document.querySelectorAll(selector)];
          return {
            scheme: document.body.getAttribute('data-md-color-scheme'),
            media: document.body.getAttribute('data-md-color-media'),
            colorScheme: all('meta[name=color-scheme]').map(m => m.content),
            themeColor: all('meta[name=theme-color]').map(m => m.content),
            shown: all('form[data-fg-palette] label').map(l => !l.hidden),
          };
        }"""
    )


@pytest.mark.browser
def test_palette_follows_the_system_from_the_first_paint(page, served_site):
    """No choice stored: a dark system gets the dark palette as the page is parsed (Material
    switched after loading), with one color-scheme and one theme-color tag, the "system"
    button shown, and a later change of the system's preference is followed."""
    pg = page.page
    pg.emulate_media(color_scheme="dark")
    pg.goto(served_site.root_url)
    state = _palette(pg)
    assert state["scheme"] == "slate"
    assert state["media"] == "(prefers-color-scheme)"
    assert state["colorScheme"] == ["dark"]
    assert len(state["themeColor"]) == 1 and state["themeColor"][0].startswith("#")
    assert state["shown"] == [True, False, False], "the 'system' button is not the one shown"
    # Readers without a stored choice see the palette before Material's script runs.
    html = pg.request.get(served_site.root_url).text()
    assert html.index("data-fg-palette") < html.index("bundle."), "palette applied too late"
    pg.emulate_media(color_scheme="light")
    pg.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert _palette(pg)["colorScheme"] == ["light"]


@pytest.mark.browser
def test_palette_switches_by_keyboard_and_is_remembered(page, served_site):
    """Enter on the focused option moves to the next palette, as in Material; the choice is
    stored under Material's key, so the next page starts with it."""
    pg = page.page
    pg.emulate_media(color_scheme="light")
    pg.goto(served_site.root_url)
    pg.locator("#__palette_0").focus()
    pg.keyboard.press("Enter")  # system -> light
    pg.keyboard.press("Enter")  # light -> dark
    state = _palette(pg)
    assert state["scheme"] == "slate" and state["colorScheme"] == ["dark"]
    assert state["shown"] == [False, False, True]
    stored = pg.evaluate("JSON.parse(localStorage.getItem('/field-guide/.__palette'))")
    assert stored["index"] == 2 and stored["color"]["scheme"] == "slate"
    pg.goto(served_site.root_url + "glossary/")
    assert _palette(pg)["scheme"] == "slate"
