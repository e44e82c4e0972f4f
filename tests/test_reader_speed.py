"""What keeps pages light to load on a phone (issue 14, Lighthouse mobile performance).

Material's start-up made the browser restyle the whole page about five times: its
palette component four times, its swap of the root's "no-js" class (and the
focus-visible polyfill's class) once more. The palette is now applied right after the
header is parsed (overrides/partials/palette-script.html) and the classes are set in the
head (overrides/main.html). extra.css lets Chromium skip the closed navigation drawer's
layout below 76.25em, and the layout of article blocks far below the first screen
(``content-visibility: auto``): these tests check the skipping is in effect where it
pays, that the first screen does not move while the page loads, that every block lands
exactly where it would without skipping, and that paper gets everything. The A–Z bar
test in test_reader_experience.py checks that a jump to an anchor still lands right.
Speed itself is measured by the audit (``make audit``), never here: these tests count
work (elements restyled, blocks skipped), not time.
"""

from __future__ import annotations

import json
import re

import pytest

from devtools.site_server import built_pages

# Lighthouse's phone.
PHONE = {"width": 412, "height": 823}


def test_no_script_inside_the_header(built_site):
    """The browser may draw the page when its parser reaches a script: one in the middle
    of the header (Material puts its palette script there) drew the header without the
    search button on a phone, and the palette toggle moved left when the button arrived,
    a layout shift in every page's load (Lighthouse: 0.0008)."""
    for rel in built_pages(built_site.path):
        html = (built_site.path / rel / "index.html").read_text(encoding="utf-8")
        header = re.search(r"<header\b.*?</header>", html, re.S)
        assert header, f"/{rel}: no header"
        assert "<script" not in header.group(0), f"/{rel}: a script inside the header"


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
    # Closing: still drawn while it slides out, skipped once it is out of sight. Looked
    # at in the page, in the frame after the click: the slide takes 0.25 s, which a round
    # trip from the test can outlast on a busy machine.
    pg.evaluate(
        """link => document.querySelector("label.md-overlay").addEventListener("click", () => {
          requestAnimationFrame(() => { window.fgDrawnClosing = link.checkVisibility(); });
        }, {once: true})""",
        link.element_handle(),
    )
    pg.locator("label.md-overlay").click(position={"x": 390, "y": 400})
    pg.wait_for_function("window.fgDrawnClosing !== undefined")
    assert pg.evaluate("window.fgDrawnClosing"), "the drawer emptied before sliding out"
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
    4.7 times (5 whole-page passes); then 1.1 and 2.0 (the rest on the glossary was
    instant navigation rewriting its 1,300 links, now off; blocks far below the first
    screen are skipped). A count, not a timing: it does not move with the machine's load."""
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
# Shifts of anything in the article. (The header has one of its own, 0.0008 on a phone,
# with or without skipping: the browser may paint after the palette's script, before the
# search button after it is parsed, which then pushes the palette button aside.)
WATCH_SHIFTS = """
window.fgShifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    const nodes = e.sources.map(s => s.node && (s.node.closest ? s.node : s.node.parentElement));
    if (nodes.some(n => n && n.closest("article"))) window.fgShifts.push(e.value);
  }
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
