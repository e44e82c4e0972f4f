"""Diagrams as readers get them, in Debian's Chromium: inline SVG with a name, legible
at 1280 and 375 px (or in a named scroll box with a visible cue), no Mermaid script,
nothing that moves, there with JavaScript off, on paper, and in both palettes."""

from __future__ import annotations

import pytest

from tests.conftest import pages_with_diagrams

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}

# For each diagram box: the SVG shown, its accessible name, its smallest label as
# rendered (font size x the drawing's scale), and whether the box scrolls.
DIAGRAMS = """() => [...document.querySelectorAll('.fg-diagram__box')].map((box) => {
  const shown = [...box.querySelectorAll(':scope > svg')]
    .filter((s) => getComputedStyle(s).display !== 'none');
  const svg = shown[0];
  if (!svg) return { shown: 0 };
  const rect = svg.getBoundingClientRect();
  const scale = rect.width / svg.viewBox.baseVal.width;
  const labels = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim());
  const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  const hint = box.querySelector('.fg-diagram__hint');
  return {
    shown: shown.length,
    role: svg.getAttribute('role'),
    name: ids.map((id) => document.getElementById(id)?.textContent.trim() || '').join(' ').trim(),
    title: svg.querySelector(':scope > title')?.textContent.trim(),
    width: rect.width,
    height: rect.height,
    labels: labels.length,
    smallest: Math.min(...labels.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)),
    scrolls: box.scrollWidth > box.clientWidth + 1,
    tabindex: box.getAttribute('tabindex'),
    region: box.getAttribute('role'),
    label: box.getAttribute('aria-label'),
    hint: !!hint && getComputedStyle(hint).display !== 'none',
  };
})"""


@pytest.fixture(scope="module")
def diagram_pages(built_site) -> list[str]:
    pages = pages_with_diagrams(built_site.path)
    assert pages, "no page of the site has a diagram"
    return pages


def _boxes(pg, url: str) -> list[dict]:
    pg.goto(url)
    boxes = pg.evaluate(DIAGRAMS)
    assert boxes, f"{url}: no diagram box"
    return boxes


def test_every_diagram_is_one_named_inline_svg(page, served_site, diagram_pages):
    pg = page.page
    for rel in diagram_pages:
        for i, box in enumerate(_boxes(pg, served_site.root_url + rel)):
            where = f"/{rel} diagram {i + 1}"
            assert box["shown"] == 1, f"{where}: {box['shown']} drawings shown"
            assert box["role"] == "img", where
            assert box["name"] and box["name"] == box["title"], f"{where}: no name (accTitle)"
            assert box["labels"] > 0 and box["width"] > 100, where
        text = pg.locator("article").inner_text()
        assert "accTitle" not in text and "-->" not in text, f"/{rel}: Mermaid source shows"


@pytest.mark.parametrize(
    ("viewport", "min_px"), [(DESKTOP, 14), (PHONE, 12)], ids=["1280px", "375px"]
)
def test_labels_are_legible_or_the_box_scrolls_with_a_cue(
    browser, served_site, diagram_pages, viewport, min_px
):
    context = browser.new_context(viewport=viewport)
    pg = context.new_page()
    try:
        for rel in diagram_pages:
            for i, box in enumerate(_boxes(pg, served_site.root_url + rel)):
                where = f"/{rel} diagram {i + 1} at {viewport['width']} px"
                assert box["smallest"] >= min_px - 0.05, f"{where}: labels {box['smallest']:.1f} px"
                if box["scrolls"]:
                    assert box["tabindex"] == "0" and box["region"] == "region", where
                    assert box["label"] and "scroll sideways" in box["label"], where
                    assert box["hint"], f"{where}: scrolls with no visible hint"
                else:
                    assert not box["hint"], f"{where}: a scroll hint on a box that fits"
    finally:
        context.close()


def test_no_mermaid_script_is_requested(page, served_site, diagram_pages):
    pg = page.page
    for rel in diagram_pages:
        pg.goto(served_site.root_url + rel, wait_until="networkidle")
        pg.mouse.wheel(0, 20_000)  # nothing lazy may wake up on the way down either
        pg.wait_for_timeout(200)
    assert page.requests, "no request was recorded"
    fetched = [u for u in page.requests if "mermaid" in u.lower()]
    assert not fetched, f"Mermaid requested: {fetched}"


# Layout shifts count only inside the viewport, and these diagrams sit below a
# phone's first screen: the test makes the viewport as tall as a page, so a shift
# anywhere counts. Only shifts a diagram causes count (one that changes size);
# a diagram merely pushed down by something above it is another part's business.
LAYOUT_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    for (const source of entry.sources || []) {
      const box = source.node && source.node.closest && source.node.closest(".fg-diagram__box");
      const [a, b] = [source.previousRect, source.currentRect];
      if (box && (a.width !== b.width || a.height !== b.height)) window.__shifts.push(entry.value);
    }
  }
}).observe({ type: "layout-shift", buffered: true });
document.addEventListener("DOMContentLoaded", () => {
  window.__boxes = [...document.querySelectorAll(".fg-diagram__box")].map((box) => {
    const r = box.getBoundingClientRect();
    return [Math.round(r.width), Math.round(r.height)];
  });
});
"""
BOXES_NOW = """() => [...document.querySelectorAll(".fg-diagram__box")].map((box) => {
  const r = box.getBoundingClientRect();
  return [Math.round(r.width), Math.round(r.height)];
})"""


def test_nothing_moves_while_a_page_with_diagrams_loads(browser, served_site, diagram_pages):
    context = browser.new_context(viewport={"width": PHONE["width"], "height": 16_000})
    context.add_init_script(LAYOUT_SHIFTS)
    pg = context.new_page()
    try:
        for rel in diagram_pages:
            pg.goto(served_site.root_url + rel, wait_until="load")
            pg.wait_for_timeout(500)
            first = pg.evaluate("window.__boxes")
            assert first and all(h > 50 for _w, h in first), f"/{rel}: {first}"
            assert pg.evaluate(BOXES_NOW) == first, f"/{rel}: a diagram changed size"
            shifts = pg.evaluate("window.__shifts")
            assert sum(shifts) == 0, f"/{rel}: layout shift from a diagram {sum(shifts):.3f}"
    finally:
        context.close()


def test_diagrams_are_there_with_javascript_off(browser, served_site, diagram_pages):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    pg = context.new_page()
    try:
        for rel in diagram_pages:
            boxes = _boxes(pg, served_site.root_url + rel)
            assert all(b["shown"] == 1 and b["height"] > 50 and b["labels"] for b in boxes), (
                f"/{rel}: {boxes}"
            )
    finally:
        context.close()


PRINTED_COLOURS = """() => {
  const svg = [...document.querySelectorAll('.fg-diagram__box > svg')]
    .find((s) => getComputedStyle(s).display !== 'none');
  const lum = (c) => { const [r, g, b] = c.match(/[\\d.]+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };
  return { node: lum(getComputedStyle(svg.querySelector('.node rect, .node path')).fill),
           text: lum(getComputedStyle(svg.querySelector('.node text')).fill) };
}"""


def test_printed_pages_hold_each_whole_drawing(browser, served_site, diagram_pages):
    # Printed from the dark palette: paper is white, so the drawing must be dark on light.
    context = browser.new_context(color_scheme="dark")
    pg = context.new_page()
    try:
        for rel in diagram_pages:
            on_screen = len(_boxes(pg, served_site.root_url + rel))
            pg.emulate_media(media="print")
            printed = pg.evaluate(DIAGRAMS)
            assert len(printed) == on_screen, f"/{rel}: diagrams missing from print"
            for i, box in enumerate(printed):
                where = f"/{rel} diagram {i + 1} in print"
                assert box["shown"] == 1 and box["labels"] and box["height"] > 50, where
                assert not box["scrolls"] and not box["hint"], f"{where}: cut off"
            colours = pg.evaluate(PRINTED_COLOURS)
            assert colours["node"] > 0.7 and colours["text"] < 0.3, f"/{rel} printed: {colours}"
            pdf = pg.pdf(format="A4")
            assert pdf.startswith(b"%PDF") and len(pdf) > 20_000, f"/{rel}: empty PDF"
            pg.emulate_media(media="screen")
    finally:
        context.close()


# Contrast of each painted role against what it sits on, as rendered.
CONTRAST = """() => {
  const rgba = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return [...m, 1].slice(0, 4); };
  const over = (fg, bg) => fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
  const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  const svg = [...document.querySelectorAll('.fg-diagram__box > svg')]
    .find((s) => getComputedStyle(s).display !== 'none');
  const node = svg.querySelector('.node rect, .node path');
  const nodeFill = over(rgba(getComputedStyle(node).fill), page);
  const label = svg.querySelector('.node text');
  const text = over(rgba(getComputedStyle(label).fill), nodeFill);
  const edge = svg.querySelector('.flowchart-link');
  const line = over(rgba(getComputedStyle(edge).stroke), page);
  return { node: getComputedStyle(node).fill, text: ratio(text, nodeFill),
           line: ratio(line, page), scheme: document.body.dataset.mdColorScheme };
}"""


def test_diagrams_follow_the_palette_with_readable_contrast(browser, served_site, diagram_pages):
    seen = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport=DESKTOP)
        pg = context.new_page()
        try:
            pg.goto(served_site.root_url + diagram_pages[0])
            result = pg.evaluate(CONTRAST)
        finally:
            context.close()
        assert result["scheme"] == {"light": "default", "dark": "slate"}[scheme]
        assert result["text"] >= 4.5, f"{scheme}: label contrast {result['text']:.2f}"
        assert result["line"] >= 3, f"{scheme}: arrow contrast {result['line']:.2f}"
        seen[scheme] = result["node"]
    assert seen["light"] != seen["dark"], "the drawing ignores the palette"
