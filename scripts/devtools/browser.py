"""Launch Debian's Chromium through Playwright, never a downloaded browser.

The browser tests and the audit script share these settings: the flags keep a
headless Chromium from reaching for Google's services on a machine with no network.
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> Path:
    """Debian's Chromium, or the browser in $CHROMIUM_PATH (e.g. Chrome on GitHub's runners)."""
    return Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


# Material draws each Mermaid diagram in a *closed* shadow root, which neither a
# test nor axe can look inside; this init script opens it. Nothing else changes.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attach.call(this, { ...init, mode: "open" });
};
"""
