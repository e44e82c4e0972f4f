"""The HTML a page gets for a diagram: its stored drawings inline, or a placeholder.

A drawn diagram becomes one box holding one or two inline SVGs::

    <div class="fg-diagram__box" data-fg-diagram="KEY">
      <svg class="fg-diagram__svg fg-diagram__wide" role="img" aria-labelledby=…>…</svg>
      <svg class="fg-diagram__svg fg-diagram__narrow" data-search-exclude …>…</svg>
    </div>

The stylesheet (docs/stylesheets/diagrams.css) shows each SVG at its natural size,
shrinking it only as far as its smallest label stays legible (``--fg-w`` and
``--fg-t`` below). A container query in the first SVG's own ``<style>`` switches to
the narrow drawing when the box is narrower than the wide one can shrink to. When
even the narrow drawing can be wider than a small phone's column, the box scrolls
sideways and is a named, focusable region, so a keyboard can scroll it too.
"""

from __future__ import annotations

import html
import re

from fieldguide.diagrams import settings
from fieldguide.diagrams.store import Drawing, StoredDiagram

_ROOT_CLASS = re.compile(r'^(<svg\b[^>]*?\bclass=")')
_ROOT_OPEN = re.compile(r"^<svg\b")
_STYLE_END = "</style>"

MISSING_TEXT = "This diagram has not been drawn yet, or has changed since it was drawn."
RUN_MAKE_DIAGRAMS = "run `make diagrams`"
HINT = "Scroll sideways to see the whole diagram →"
NOT_DRAWN = "diagram not drawn yet, or changed since it was drawn"


def _dimension(value: float) -> str:
    return f"{value:g}"


def _svg(drawing: Drawing, svg: str, role: str, extra: str = "") -> str:
    """The drawing's root tag given our classes, its natural size and its sizing variables."""
    attrs = (
        f' width="{_dimension(drawing.width)}" height="{_dimension(drawing.height)}"'
        f' style="--fg-w:{_dimension(drawing.width)}px;--fg-t:{_dimension(drawing.text_px)}"'
        f"{extra}"
    )
    classes = f"fg-diagram__svg fg-diagram__{role} "
    if _ROOT_CLASS.search(svg):
        svg = _ROOT_CLASS.sub(lambda m: m.group(1) + classes, svg, count=1)
    else:
        svg = _ROOT_OPEN.sub(f'<svg class="{classes.strip()}"', svg, count=1)
    return _ROOT_OPEN.sub("<svg" + attrs, svg, count=1)


def _switch_rules(stored: StoredDiagram, unique: str) -> str:
    """CSS that picks what a box shows, by the box's own width (a container query).

    The narrow drawing replaces the wide one where the wide one could not keep its
    labels legible; the hint shows where even the drawing shown must scroll.
    """
    rules = ""
    if stored.narrow is not None:
        for media, text_px in (
            ("screen", settings.MIN_TEXT_PX_DESKTOP),
            ("print", settings.MIN_TEXT_PX_PRINT),
        ):
            wide_fits = stored.wide.min_width(text_px)
            rules += (
                f"@media {media}{{@container (max-width: {wide_fits - 0.01:.2f}px)"
                f"{{#{unique}{{display:none}}#{unique}-n{{display:block}}}}}}"
            )
    shown = stored.narrow or stored.wide
    for media, text_px in (
        (settings.PHONE_MEDIA, settings.MIN_TEXT_PX_PHONE),
        (settings.WIDER_MEDIA, settings.MIN_TEXT_PX_DESKTOP),
    ):
        rules += (
            f"@media {media}{{@container (max-width: {shown.min_width(text_px) - 0.01:.2f}px)"
            f"{{#{unique}-hint{{display:block}}}}}}"
        )
    return rules


def may_scroll(stored: StoredDiagram) -> bool:
    """Whether the box can be narrower than its drawing on a small phone (then it scrolls)."""
    shown = stored.narrow or stored.wide
    return shown.min_width(settings.MIN_TEXT_PX_PHONE) > settings.NARROWEST_COLUMN_PX


def diagram_html(stored: StoredDiagram, occurrence: int = 1) -> str:
    """A stored diagram, inline; ``occurrence`` > 1 renames its ids (the same diagram again)."""
    base = settings.render_id(stored.key)
    unique = base if occurrence == 1 else f"{base}-{occurrence}"
    scrolls = may_scroll(stored)
    first = stored.wide.svg.strip().replace(base, unique)
    if stored.narrow is not None or scrolls:
        first = first.replace(_STYLE_END, _switch_rules(stored, unique) + _STYLE_END, 1)
    if stored.narrow is None:
        parts = [_svg(stored.wide, first, "only")]
    else:
        narrow_svg = stored.narrow.svg.strip().replace(base, unique)
        # Indexed once: the narrow drawing repeats the wide one's words.
        parts = [
            _svg(stored.wide, first, "wide"),
            _svg(stored.narrow, narrow_svg, "narrow", " data-search-exclude"),
        ]
    box = f'class="fg-diagram__box" data-fg-diagram="{stored.key}"'
    if scrolls:
        label = html.escape(f"{stored.wide.title} (diagram; scroll sideways to see all of it)")
        box += f' tabindex="0" role="region" aria-label="{label}"'
        parts.append(
            f'<p class="fg-diagram__hint" id="{unique}-hint" aria-hidden="true">{HINT}</p>'
        )
    return f"<div {box}>{''.join(parts)}</div>"


def _placeholder(key: str, source: str, attribute: str, value: str, message: str) -> str:
    return (
        f'<div class="fg-diagram__missing" {attribute}="{html.escape(value)}">'
        f"<p><strong>{html.escape(message)}</strong> Writers: {RUN_MAKE_DIAGRAMS.replace('`', '')}"
        " to draw it (see the writers' guide).</p>"
        "<details><summary>Mermaid source</summary>"
        f"<pre><code>{html.escape(source)}</code></pre></details></div>"
    )


def missing_html(key: str, source: str) -> str:
    """What `make serve` shows for a diagram with no drawing: a note, the source folded away."""
    return _placeholder(key, source, "data-fg-diagram-missing", key, MISSING_TEXT)


def problem_html(key: str, source: str, problem: str) -> str:
    """A diagram whose drawing cannot be used (a damaged file, a misconfigured build)."""
    return _placeholder(key, source, "data-fg-diagram-problem", problem, problem)
