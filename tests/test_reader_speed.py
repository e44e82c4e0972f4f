"""What keeps long pages light to load on a phone, and proof that it changes nothing a
reader sees (issue 14, Lighthouse mobile performance).

extra.css lets Chromium skip the layout of article blocks far below the first screen
(``content-visibility: auto``); Material's start-up makes the browser recompute the
whole page several times, and on the glossary that was most of a throttled phone's
work. These tests check the skipping is in effect where it pays, that the first screen
does not move while the page loads, that every block lands exactly where it would
without skipping, and that paper gets everything. The A–Z bar test in
test_reader_experience.py checks that a jump to an anchor still lands right. Speed
itself is measured by the audit (``make audit``), never here.
"""

from __future__ import annotations

import pytest

# Lighthouse's phone.
PHONE = {"width": 412, "height": 823}
LONG_PAGES = ("glossary/", "concepts/foundation-models/")

BLOCKS = "Array.from(document.querySelectorAll('.md-content__inner > *'))"
# Chromium tells each block whose layout it starts or stops skipping.
WATCH_SKIPPING = """
window.fgSkipped = new Set();
document.addEventListener("contentvisibilityautostatechange", (event) => {
  if (event.skipped) window.fgSkipped.add(event.target);
  else window.fgSkipped.delete(event.target);
}, true);
"""
DRAWN = f"{BLOCKS}.map(e => !window.fgSkipped.has(e))"
WATCH_SHIFTS = """
window.fgShifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.fgShifts.push(e.value);
}).observe({type: "layout-shift", buffered: true});
"""
TWO_FRAMES = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.mark.browser
@pytest.mark.parametrize("rel", LONG_PAGES)
def test_long_pages_skip_blocks_far_below_the_first_screen_without_moving_it(
    page, served_site, rel
):
    pg = page.page
    pg.set_viewport_size(PHONE)
    pg.add_init_script(WATCH_SKIPPING + WATCH_SHIFTS)
    pg.goto(served_site.root_url + rel)
    pg.wait_for_load_state("load")
    pg.wait_for_timeout(500)
    drawn = pg.evaluate(DRAWN)
    assert all(drawn[:20]), "a block of the first screen was skipped"
    skipped = drawn.count(False)
    assert skipped > len(drawn) // 2, f"only {skipped} of {len(drawn)} blocks skipped on {rel}"
    # Nothing on the first screen moved while blocks were skipped and drawn.
    assert pg.evaluate("window.fgShifts") == []
    # Paper gets every block: nothing is skipped in print.
    pg.emulate_media(media="print")
    skipping = pg.evaluate(
        f"{BLOCKS}.filter(e => getComputedStyle(e).contentVisibility !== 'visible').length"
    )
    assert skipping == 0, f"{skipping} blocks may be skipped in print"


@pytest.mark.browser
@pytest.mark.parametrize(
    "rel", ["concepts/foundation-models/", "comparison/", "contributing/writers-guide/"]
)
def test_skipped_blocks_take_the_place_they_would_have_when_drawn(page, served_site, rel):
    """Containment must not change a margin: each block (paragraphs, lists, figures,
    admonitions, the comparison's tables, code, the Sources block) is where it is, and
    as tall as it is, when nothing is skipped."""
    pg = page.page
    pg.set_viewport_size({"width": 375, "height": 800})
    pg.add_init_script(WATCH_SKIPPING)
    pg.goto(served_site.root_url + rel)
    boxes = f"""{BLOCKS}.map(e => {{
      const box = e.getBoundingClientRect();
      return [Math.round(box.top + scrollY), Math.round(box.height)];
    }})"""
    # Scroll through once, so every block has been drawn and keeps its real height
    # (the page grows as guessed heights become real ones; bounded steps).
    for step in range(400):
        y = step * 600
        if y > pg.evaluate("document.documentElement.scrollHeight"):
            break
        pg.evaluate(f"window.scrollTo(0, {y})")
        pg.evaluate(TWO_FRAMES)
    skipping = pg.evaluate(boxes)
    assert not all(pg.evaluate(DRAWN)), "nothing is skipped: the comparison proves nothing"
    pg.evaluate("document.documentElement.classList.add('fg-laid-out')")
    assert pg.evaluate(f"{BLOCKS}.every(e => getComputedStyle(e).contentVisibility === 'visible')")
    assert pg.evaluate(boxes) == skipping


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
