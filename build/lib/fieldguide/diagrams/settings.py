"""What a drawing depends on, and the key that names it.

A drawing is stored under a hash of everything that shapes it: the Mermaid
source, the Mermaid configuration below, the layout numbers below, the code that
cleans the SVG (``draw.js``) and the Mermaid version pinned in package-lock.json.
Change any of them and every affected diagram's key changes, so the build stops
finding its drawing and asks for ``make diagrams``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from check_docs.errors import DataError

DRAW_JS = Path(__file__).with_name("draw.js")

# Text is measured in DejaVu Sans while drawing (Debian's fonts-dejavu-core, which
# Chromium pulls in). It is wider than the system fonts readers' pages use
# (San Francisco, Segoe UI, Roboto, Arial), so labels laid out for it never
# overflow their boxes on a reader's screen; the page shows them in its own font.
MEASURE_FONT = "DejaVu Sans"
TEXT_PX = 16

# Mermaid draws with these colours and replaces nothing; draw.js swaps each for
# the CSS custom property of its role, so one drawing follows both palettes
# (docs/stylesheets/diagrams.css sets the properties per colour scheme). A colour
# Mermaid derives from them on its own would not be one of these values, and
# draw.js refuses it rather than bake it in.
COLOUR_ROLES: dict[str, tuple[str, str]] = {
    # role: (sentinel colour, fallback for the SVG file viewed on its own)
    "canvas": ("#000001", "#ffffff"),
    "node": ("#000002", "#e8eaf6"),
    "node-border": ("#000003", "#3f51b5"),
    "text": ("#000004", "#1f1f1f"),
    "line": ("#000005", "#5f5f5f"),
    "cluster": ("#000006", "#f5f5f5"),
    "cluster-border": ("#000007", "#8a8a8a"),
}
_C = {role: sentinel for role, (sentinel, _fallback) in COLOUR_ROLES.items()}

MERMAID_CONFIG: dict = {
    "startOnLoad": False,
    "securityLevel": "strict",
    "deterministicIds": True,
    "theme": "base",
    "fontFamily": MEASURE_FONT,
    # Real SVG <text>, not HTML in <foreignObject>: it prints, themes and
    # scales like the rest of the drawing.
    "htmlLabels": False,
    "flowchart": {"htmlLabels": False, "useMaxWidth": True},
    "themeVariables": {
        "fontFamily": MEASURE_FONT,
        "fontSize": f"{TEXT_PX}px",
        "darkMode": False,
        "background": _C["canvas"],
        "primaryColor": _C["node"],
        "mainBkg": _C["node"],
        "secondaryColor": _C["cluster"],
        "tertiaryColor": _C["cluster"],
        "primaryBorderColor": _C["node-border"],
        "secondaryBorderColor": _C["node-border"],
        "tertiaryBorderColor": _C["cluster-border"],
        "nodeBorder": _C["node-border"],
        "primaryTextColor": _C["text"],
        "secondaryTextColor": _C["text"],
        "tertiaryTextColor": _C["text"],
        "textColor": _C["text"],
        "nodeTextColor": _C["text"],
        "titleColor": _C["text"],
        "lineColor": _C["line"],
        "defaultLinkColor": _C["line"],
        "arrowheadColor": _C["line"],
        "clusterBkg": _C["cluster"],
        "clusterBorder": _C["cluster-border"],
        "edgeLabelBackground": _C["canvas"],
    },
}

# Legibility, as rendered: the smallest label at least this many CSS pixels.
MIN_TEXT_PX_DESKTOP = 14
MIN_TEXT_PX_PHONE = 12
# On paper, read from closer: the wide drawing is kept down to this size.
MIN_TEXT_PX_PRINT = 11
# Width of the article column (Material, body text 16 px): on a 1280 px desktop,
# on a 375 px phone, and on the narrowest screen we design for (320 px, WCAG's
# reflow width).
DESKTOP_COLUMN_PX = 688
PHONE_COLUMN_PX = 343
NARROWEST_COLUMN_PX = 288
# Where the smaller legible size starts (docs/stylesheets/diagrams.css says the same).
PHONE_MEDIA = "screen and (max-width: 44.9375em)"
WIDER_MEDIA = "not screen and (max-width: 44.9375em)"
# Flowchart labels wrap at this many pixels (Mermaid's flowchart.wrappingWidth);
# narrower wrapping is tried when a drawing is too wide for a column.
WRAP_WIDTHS = (200, 160, 120)
# For phones, also narrower wrapping and tighter spacing between boxes (Mermaid's
# defaults: 50 px between nodes and between ranks).
NARROW_WRAP_WIDTHS = (200, 160, 120, 100)
COMPACT_SPACING = {"nodeSpacing": 24, "rankSpacing": 36}

LAYOUT = {
    # devtools/diagram_drawing.py chooses between candidate drawings; bump when that changes.
    "policy": 3,
    "measure_font": MEASURE_FONT,
    "min_text_px": [MIN_TEXT_PX_DESKTOP, MIN_TEXT_PX_PHONE],
    "columns_px": [DESKTOP_COLUMN_PX, PHONE_COLUMN_PX],
    "wrap_widths": [WRAP_WIDTHS, NARROW_WRAP_WIDTHS],
    "compact_spacing": COMPACT_SPACING,
}

_FLOWCHART = re.compile(r"^\s*(?:flowchart|graph)\b", re.M)


def is_flowchart(source: str) -> bool:
    return bool(_FLOWCHART.search(source))


def normalise(source: str) -> str:
    """The source as it is keyed: no trailing spaces, no blank lines around it."""
    return "\n".join(line.rstrip() for line in source.strip("\n").splitlines()).strip("\n")


def mermaid_version(package_lock: Path) -> str:
    """The Mermaid version pinned in package-lock.json (no npm needed to read it)."""
    try:
        lock = json.loads(package_lock.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(
            package_lock,
            None,
            None,
            f"cannot read it ({exc.strerror}); the Mermaid version pinned there is part "
            "of every diagram's key",
        ) from None
    except json.JSONDecodeError as exc:
        raise DataError(package_lock, exc.lineno, None, f"not valid JSON: {exc.msg}") from None
    entry = (lock.get("packages") or {}).get("node_modules/mermaid") or {}
    version = entry.get("version")
    if not isinstance(version, str) or not version:
        raise DataError(
            package_lock,
            None,
            "node_modules/mermaid",
            "no Mermaid version: add mermaid to package.json",
        )
    return version


def settings_fingerprint() -> str:
    """A hash of everything besides the source and the Mermaid version that shapes a drawing."""
    digest = hashlib.sha256()
    digest.update(json.dumps([MERMAID_CONFIG, COLOUR_ROLES, LAYOUT], sort_keys=True).encode())
    digest.update(DRAW_JS.read_bytes())
    return digest.hexdigest()


def drawing_key(source: str, version: str, fingerprint: str) -> str:
    """The name of a diagram's drawing: 20 hex digits of a SHA-256 of what shapes it."""
    payload = json.dumps({"source": normalise(source), "mermaid": version, "settings": fingerprint})
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def render_id(key: str) -> str:
    """The id Mermaid draws a diagram under; every id inside the SVG starts with it."""
    return f"fgd-{key[:12]}"
