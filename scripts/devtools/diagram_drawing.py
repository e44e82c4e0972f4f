"""Draw diagrams in Debian's Chromium with the pinned npm Mermaid (``make diagrams``).

Mermaid lays a diagram out in a real DOM (it measures its labels), so drawing needs
a browser; the build does not, because it only reads what this stores. One blank
page, no network: the Mermaid build from node_modules and draw.js are injected as
scripts, and each diagram is drawn, cleaned and checked there (draw.js).

Each diagram gets its drawing as written, and, when that is too wide for a phone
at a legible size, the narrowest of its other directions (variants.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from devtools.browser import CHROMIUM_FLAGS, chromium_path
from fieldguide.diagrams import settings
from fieldguide.diagrams.store import Drawing
from fieldguide.diagrams.variants import direction_variants

MERMAID_JS = Path("node_modules/mermaid/dist/mermaid.min.js")
DRAW_TIMEOUT_MS = 60_000  # one diagram; Mermaid takes well under a second


class DrawError(Exception):
    """A diagram Mermaid could not draw, or drew in a way the site cannot use."""


class Drawer:
    """One browser page that draws diagrams, one at a time."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.words: dict[str, set[str]] = {}  # drawing -> the words its labels show

    def splits_words(self, drawing: Drawing, reference: Drawing) -> bool:
        """Whether ``drawing`` shows a word ``reference`` does not: a word broken across lines."""
        return not self.words[drawing.svg] <= self.words[reference.svg]

    def _draw(self, render_id: str, source: str, wrap: int, compact: bool = False) -> Drawing:
        config = json.loads(json.dumps(settings.MERMAID_CONFIG))
        config["flowchart"]["wrappingWidth"] = wrap
        if compact:
            config["flowchart"].update(settings.COMPACT_SPACING)
        result = self.page.evaluate(
            """async ([id, source, config, options, timeout]) => {
                 mermaid.initialize(config);
                 return Promise.race([
                   fgDraw(id, source, options),
                   new Promise((resolve) => setTimeout(
                     () => resolve({ error: `no drawing after ${timeout / 1000} s` }), timeout)),
                 ]);
               }""",
            [
                render_id,
                source,
                config,
                {"roles": settings.COLOUR_ROLES, "measureFont": settings.MEASURE_FONT},
                DRAW_TIMEOUT_MS,
            ],
        )
        if "error" in result:
            raise DrawError(result["error"])
        drawing = Drawing.parse(result["svg"], Path(render_id))
        self.words[drawing.svg] = {
            w for label in result["rows"] for row in label for w in row.split()
        }
        return drawing

    def draw(self, key: str, source: str) -> tuple[str, str | None]:
        """The drawing for wide screens and, when it helps a phone, a narrower one (else None).

        Wide: the direction the writer chose, labels wrapped as wide as still fits the
        desktop column at a legible size; if no wrapping fits, whichever direction and
        wrapping suits that column best. Narrow: whichever direction and wrapping suits
        a phone best. Changing this choice changes drawings: bump
        ``settings.LAYOUT["policy"]`` so every key changes with it.
        """
        rid = settings.render_id(key)
        flowchart = settings.is_flowchart(source)
        wraps = settings.WRAP_WIDTHS if flowchart else settings.WRAP_WIDTHS[:1]
        turned = direction_variants(source)
        reference = self._draw(rid, source, wraps[0])

        def whole(drawing: Drawing) -> bool:
            return not self.splits_words(drawing, reference)

        wide = reference
        for wrap in wraps[1:]:
            if desktop_fit(wide)[0] == 0:
                break
            tighter = self._draw(rid, source, wrap)
            if whole(tighter) and desktop_fit(tighter) < desktop_fit(wide):
                wide = tighter
        if desktop_fit(wide)[0] > 0 and turned:
            others = [d for v in turned for w in wraps if whole(d := self._draw(rid, v, w))]
            wide = min([wide, *others], key=desktop_fit)
        if phone_fit(wide)[0] == 0:
            return wide.svg, None
        candidates = [
            drawing
            for variant in [source, *turned]
            for wrap in (settings.NARROW_WRAP_WIDTHS if flowchart else wraps)
            if whole(drawing := self._draw(rid + "-n", variant, wrap, compact=flowchart))
        ]
        best = min(candidates, key=phone_fit, default=wide)
        if phone_fit(best) >= phone_fit(wide):
            return wide.svg, None
        return wide.svg, best.svg


def column_fit(drawing: Drawing, column: float, min_text_px: float) -> tuple[int, float, int]:
    """How well a drawing suits a column; smaller is better.

    First, how far it overflows the column at the smallest legible size (0 when it
    fits); then how small its labels are when fitted to the column (larger labels
    first, up to their natural size); then how tall it stands there.
    """
    overflow = max(0.0, drawing.min_width(min_text_px) - column)
    scale = min(1.0, column / drawing.width)
    return (round(overflow), -round(drawing.text_px * scale, 1), round(drawing.height * scale))


def desktop_fit(drawing: Drawing) -> tuple[int, float, int]:
    return column_fit(drawing, settings.DESKTOP_COLUMN_PX, settings.MIN_TEXT_PX_DESKTOP)


def phone_fit(drawing: Drawing) -> tuple[int, float, int]:
    return column_fit(drawing, settings.PHONE_COLUMN_PX, settings.MIN_TEXT_PX_PHONE)


def font_is_installed(page: Any, family: str) -> bool:
    """Whether Chromium has ``family``: text set in it measures unlike the generic fallbacks."""
    return page.evaluate(
        """(family) => {
          const ctx = document.createElement("canvas").getContext("2d");
          const width = (font) => { ctx.font = font; return ctx.measureText("mmmmllllii").width; };
          return ["monospace", "serif"].some((generic) =>
            width(`32px "${family}", ${generic}`) !== width(`32px ${generic}`));
        }""",
        family,
    )


@contextmanager
def drawer(mermaid_js: Path, browser: Any = None) -> Iterator[Drawer]:
    """A Drawer on Debian's Chromium (or on ``browser``, one already launched);
    DrawError when Chromium, Mermaid or the font is missing."""
    if not mermaid_js.is_file():
        raise DrawError(f"{mermaid_js} is missing: run `npm ci` (make diagrams does)")
    if browser is not None:
        page = browser.new_page()
        try:
            yield _prepared(page, mermaid_js)
        finally:
            page.close()
        return
    exe = chromium_path()
    if not exe.exists():
        raise DrawError(
            f"no Chromium at {exe}: install Debian's 'chromium' package (or set CHROMIUM_PATH)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(exe), headless=True, args=CHROMIUM_FLAGS)
        try:
            yield _prepared(launched.new_page(), mermaid_js)
        finally:
            launched.close()


def _prepared(page: Any, mermaid_js: Path) -> Drawer:
    """A blank page with Mermaid and draw.js loaded, and the measuring font checked."""
    page.set_default_timeout(DRAW_TIMEOUT_MS)
    page.set_content("<!doctype html><html lang='en'><body></body></html>")
    if not font_is_installed(page, settings.MEASURE_FONT):
        raise DrawError(
            f"the font {settings.MEASURE_FONT!r} is not installed: install "
            "fonts-dejavu-core, so labels are measured as on every other machine"
        )
    page.add_script_tag(path=str(mermaid_js))
    page.add_script_tag(path=str(settings.DRAW_JS))
    return Drawer(page)
