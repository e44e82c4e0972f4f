"""What keeps pages light to load on a phone (issue 14, Lighthouse mobile performance).

extra.css lets Chromium skip the closed navigation drawer's layout below 76.25em;
Material's start-up makes the browser recompute the whole page several times, and the
drawer's links were a large part of each pass. Speed itself is measured by the audit
(``make audit``), never here.
"""

from __future__ import annotations

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
