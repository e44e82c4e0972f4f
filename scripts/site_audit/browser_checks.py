"""axe-core on every page in both palettes at a desktop's and a phone's width, and
what each page makes the browser fetch.

One fresh browser context per page and palette, so every load starts with an
empty cache (the weight is what a first-time reader downloads) and the palette
comes from Material's own localStorage entry, as if the reader had chosen it.
axe runs at each width in ``WIDTHS`` on the same load: the window is resized, as a
reader turning a tablet would, and Material's layout follows its media queries.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from devtools.browser import CHROMIUM_FLAGS, OPEN_SHADOW_ROOTS, chromium_path
from site_audit.pages import DIAGRAM_LIBRARY, NOT_FOUND

PAGE_TIMEOUT_MS = 30_000
WIDTHS = (1280, 375)  # px: a desktop, a phone (Material switches layout at 1220 and 960)
HEIGHTS = {1280: 800, 375: 812}
# Time for a lazy load, triggered by scrolling, to start (and be recorded).
LAZY_GRACE_MS = 500
SETTLED = (
    "() => document.getAnimations().every((a) => a.playState !== 'running'"
    " || a.effect?.getTiming().iterations === Infinity)"
)


@dataclass(frozen=True)
class Violation:
    width: int  # the window's width when axe found it
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]


@dataclass
class PageLoad:
    """One page in one palette: what axe found and what the browser fetched."""

    violations: list[Violation] = field(default_factory=list)
    widths: tuple[int, ...] = ()  # the widths axe ran at
    fetched: dict[str, int] = field(default_factory=dict)  # URL -> gzip size in bytes
    foreign: list[str] = field(default_factory=list)  # requests to another host

    def violations_at(self, width: int) -> list[Violation]:
        return [v for v in self.violations if v.width == width]

    @property
    def loaded_diagram_library(self) -> bool:
        return any(DIAGRAM_LIBRARY in urlsplit(u).path.lower() for u in self.fetched)

    @property
    def weight(self) -> int:
        """Everything the page made the browser fetch, diagrams (inline SVG) included."""
        return sum(self.fetched.values())


def palette_entry(palettes: list[dict[str, Any]], scheme: str) -> dict[str, Any]:
    """The value Material stores under ``__palette`` when the reader picks ``scheme``."""
    for index, option in enumerate(palettes):
        if option.get("scheme", "default") == scheme and "media" in option:
            return {
                "index": index,
                "color": {
                    "media": option["media"],
                    "scheme": scheme,
                    "primary": option.get("primary", "indigo"),
                    "accent": option.get("accent", "indigo"),
                },
            }
    raise ValueError(f"mkdocs.yml has no palette with scheme '{scheme}'")


def set_palette_script(prefix: str, entry: dict[str, Any]) -> str:
    # Material keys its storage by the site's path (``__md_scope``), e.g. /field-guide/.
    key = json.dumps(prefix + ".__palette")
    return f"localStorage.setItem({key}, {json.dumps(json.dumps(entry))});"


def gzip_size(body: bytes) -> int:
    """Bytes on the wire: GitHub Pages gzips text (level 6 is the usual server default)
    and sends already-compressed files, such as PNG, as they are."""
    return min(len(body), len(gzip.compress(body, compresslevel=6)))


@contextmanager
def launch() -> Iterator[Any]:
    exe = chromium_path()
    if not exe.exists():
        raise RuntimeError(f"no Chromium at {exe}: install Debian's 'chromium' package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(exe), headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def load_and_check(
    browser: Any, url: str, axe_js: Path, palette_script: str, site_host: str
) -> PageLoad:
    result = PageLoad()
    first = WIDTHS[0]
    context = browser.new_context(viewport={"width": first, "height": HEIGHTS[first]})
    context.add_init_script(OPEN_SHADOW_ROOTS)
    context.add_init_script(palette_script)
    responses: list[Any] = []
    context.on("response", lambda response: responses.append(response))
    try:
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.goto(url, wait_until="networkidle")
        # The whole page has been on screen: anything loaded lazily has been fetched.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(LAZY_GRACE_MS)
        page.evaluate("window.scrollTo(0, 0)")
        # Material fades the tabs and header title back in after a scroll, a frame
        # or two later; let the transitions start and end so axe measures colours,
        # not a frame of an animation.
        page.wait_for_timeout(LAZY_GRACE_MS)
        page.wait_for_function(SETTLED, timeout=PAGE_TIMEOUT_MS)
        page.add_script_tag(path=str(axe_js))
        for width in WIDTHS:
            if width != first:
                page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
                page.wait_for_timeout(LAZY_GRACE_MS)  # let a layout change start
                page.wait_for_function(SETTLED, timeout=PAGE_TIMEOUT_MS)
            result.violations += _axe(page, width)
        result.widths = WIDTHS
        for response in responses:
            req_url = response.url
            if req_url.startswith("data:"):
                continue
            if urlsplit(req_url).hostname != site_host:
                result.foreign.append(req_url)
                continue
            try:
                body = response.body()
            except Exception:  # a response the page abandoned has no body to weigh
                continue
            result.fetched[req_url] = gzip_size(body)
    finally:
        context.close()
    return result


def _axe(page: Any, width: int) -> list[Violation]:
    report = page.evaluate("async () => await axe.run(document, { resultTypes: ['violations'] })")
    return [
        Violation(
            width=width,
            rule=v["id"],
            impact=v.get("impact") or "unknown",
            help=v["help"],
            targets=tuple(" ".join(map(str, n["target"])) for n in v["nodes"]),
        )
        for v in report["violations"]
    ]


def page_url(root_url: str, page: str) -> str:
    # Any address the site lacks answers with the 404 page.
    return root_url + ("fieldguide-audit-no-such-page/" if page == NOT_FOUND else page)
