"""`make diagrams` itself: Mermaid in Debian's Chromium, cleaned into SVG the site can
theme, named, small; refusals for what the site could not show; messages by line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.browser import chromium_path
from devtools.diagram_drawing import MERMAID_JS, Drawer, DrawError, drawer
from fieldguide.diagrams.store import Drawing
from tests.conftest import ROOT, require_tool

pytestmark = pytest.mark.browser

CHAIN = """flowchart LR
  accTitle: A long chain
  accDescr: Five steps in a row.
  A["Collect a broad dataset"] --> B["Pre-train a transformer"] --> C["Fine-tune on a task"]
  C --> D["Evaluate against held-out data"] --> E["Deploy behind an interface"]"""
# Fits a desktop column left to right, not a phone's.
SHORT_CHAIN = """flowchart LR
  accTitle: A short chain
  A["Collect a broad dataset"] --> B["Pre-train a transformer"] --> C["Fine-tune on a task"]"""


@pytest.fixture(scope="module")
def pen(browser) -> Iterator[Drawer]:
    require_tool((ROOT / MERMAID_JS).is_file(), "Mermaid is not installed: run `npm ci`")
    # The session's browser: a second Playwright in one process would refuse to start.
    with drawer(ROOT / MERMAID_JS, browser) as d:
        yield d


def _outside_vars(svg: str) -> str:
    """The SVG with every var(...) (and the fallback colour inside it) taken out."""
    return re.sub(r"var\(--[\w-]+(?:, ?[^()]*(?:\([^()]*\))?[^()]*)?\)", "", svg)


def test_a_drawing_is_named_themable_and_free_of_editor_baggage(pen):
    wide, narrow = pen.draw("1" * 20, CHAIN)
    root = re.match(r"<svg\b[^>]*>", wide)[0]
    assert 'role="img"' in root and 'aria-labelledby="chart-title-fgd-111111111111"' in root
    assert '<title id="chart-title-fgd-111111111111">A long chain</title>' in wide
    assert "<desc" in wide
    assert "var(--fg-diagram-node," in wide and "var(--fg-diagram-text," in wide
    colours = re.findall(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(", _outside_vars(wide))
    assert not colours, f"colours the palette cannot reach: {colours}"
    for baggage in ("foreignObject", "data-points", "trebuchet", 'DejaVu Sans";'):
        assert baggage not in wide, baggage
    # Five boxes left to right cannot keep 14 px labels in a 688 px column at any
    # wrapping: the desktop gets the chain top-down, which fits a phone as well.
    drawn = Drawing.parse(wide, Path("wide"))
    assert drawn.height > drawn.width and drawn.min_width(14) <= 688 and narrow is None


def test_a_chart_too_wide_for_a_phone_gets_a_narrow_drawing_too(pen):
    wide, narrow = pen.draw("4" * 20, SHORT_CHAIN)
    desktop = Drawing.parse(wide, Path("wide"))
    assert desktop.width > desktop.height, "the desktop keeps the writer's direction"
    assert desktop.min_width(14) <= 688 and desktop.min_width(12) > 343
    assert narrow is not None and "fgd-444444444444-n" in narrow
    phone = Drawing.parse(narrow, Path("narrow"))
    assert phone.min_width(12) <= 343 < desktop.min_width(12)


def test_rounded_shapes_stay_small(pen):
    wide, _ = pen.draw(
        "2" * 20,
        'flowchart TB\n  accTitle: Two\n  A(["Generative AI"]) --> B(["Foundation models"])',
    )
    # Mermaid traces each rounded outline as ~200 curves (30 KB); draw.js thins them.
    assert len(wide) < 6_000, len(wide)
    assert max(len(d) for d in re.findall(r' d="([^"]*)"', wide)) < 1_000


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("flowchart TB\n  accTitle: T\n  A --> B\n  style A fill:#f96", "colours"),
        ("flowchart TB\n  A --> B", "accTitle"),
        ("flowchart TB\n  accTitle: T\n  A -->", "Parse error"),
    ],
    ids=["own colours", "no accTitle", "syntax error"],
)
def test_what_the_site_could_not_show_is_refused(pen, source, message):
    with pytest.raises(DrawError, match=message):
        pen.draw("3" * 20, source)


def test_make_diagrams_names_the_line_it_cannot_draw(project_copy):
    require_tool(chromium_path().exists(), f"no Chromium at {chromium_path()}")
    require_tool((ROOT / MERMAID_JS).is_file(), "Mermaid is not installed: run `npm ci`")
    (project_copy / "node_modules").symlink_to(ROOT / "node_modules")
    page = project_copy / "docs" / "concepts" / "generative-ai.md"
    text = page.read_text(encoding="utf-8")
    line = text.count("\n") + 3
    page.write_text(text + "\n```mermaid\nflowchart TB\n  accTitle: T\n  A -->\n```\n")
    before = sorted(p.name for p in (project_copy / "data" / "diagrams").iterdir())
    proc = subprocess.run(
        [sys.executable, "scripts/draw_diagrams.py"],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"docs/concepts/generative-ai.md:{line}: Parse error" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "0 drawn" in proc.stdout and "1 could not be drawn" in proc.stdout
    assert sorted(p.name for p in (project_copy / "data" / "diagrams").iterdir()) == before
