"""Diagrams without a browser: the build looks drawings up by key, never draws.

The key covers the Mermaid source, the drawing settings and the pinned Mermaid
version; a fence whose drawing is missing or stale shows a placeholder, fails the
strict build naming its line, and `make diagrams` is the fix. Unused drawings are
reported and pruned.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from check_docs.errors import DataError
from fieldguide.diagrams import markup, settings
from fieldguide.diagrams.store import Drawing, DrawingStore, StoredDiagram
from fieldguide.diagrams.variants import direction_variants
from fieldguide.mdx import diagrams as mdx_diagrams
from tests.conftest import ROOT, assert_clean_failure, built_pages, mkdocs_build

STORE = ROOT / "data" / "diagrams"
USED = re.compile(r'data-fg-diagram="([0-9a-f]+)"')
RUN = "run `make diagrams`"

SOURCE = """flowchart LR
  accTitle: Three steps
  accDescr: Pre-training, then fine-tuning, then deployment.
  A["Pre-training"] --> B["Fine-tuning"] --> C["Deployment"]"""


def fake_svg(key: str, width: float = 600, text_px: float = 16, title: str = "Three steps") -> str:
    """A stored drawing as `make diagrams` writes one, minus the picture."""
    rid = settings.render_id(key)
    return (
        f'<svg id="{rid}" xmlns="http://www.w3.org/2000/svg" class="flowchart" '
        f'viewBox="0 0 {width} 200" aria-labelledby="chart-title-{rid}" role="img" '
        f'data-fg-text-px="{text_px}"><title id="chart-title-{rid}">{title}</title>'
        f"<style>#{rid}{{fill:var(--fg-diagram-text)}}</style>"
        f'<g><text x="10" y="20">Pre-training</text></g></svg>'
    )


def render(text: str, store: Path, lock: Path = ROOT / "package-lock.json", **options) -> str:
    md = markdown.Markdown(
        extensions=["pymdownx.superfences", "fieldguide.mdx.diagrams"],
        extension_configs={
            "pymdownx.superfences": {
                "custom_fences": [
                    {
                        "name": "mermaid",
                        "class": "fg-diagram",
                        "format": mdx_diagrams.format_mermaid,
                    }
                ]
            },
            "fieldguide.mdx.diagrams": {
                "drawings_dir": str(store),
                "package_lock": str(lock),
                **options,
            },
        },
    )
    return md.convert(text)


def fence(source: str) -> str:
    return f"```mermaid\n{source}\n```\n"


def key_of(source: str, lock: Path = ROOT / "package-lock.json") -> str:
    return settings.drawing_key(
        source, settings.mermaid_version(lock), settings.settings_fingerprint()
    )


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "diagrams"
    DrawingStore(folder).put(key_of(SOURCE), fake_svg(key_of(SOURCE)), None)
    return folder


# --- the site's own drawings ------------------------------------------------------


def test_every_diagram_on_the_site_has_its_drawing_and_every_drawing_is_used(built_site):
    used: set[str] = set()
    for rel in built_pages(built_site.path):
        page = (built_site.path / rel / "index.html").read_text(encoding="utf-8")
        assert "fg-diagram__missing" not in page, f"/{rel}: a diagram has no drawing: {RUN}"
        used.update(USED.findall(page))
    assert used, "no page of the site has a diagram"
    stored = DrawingStore(STORE)
    assert not used - stored.keys(), f"diagrams with no drawing: {RUN}"
    unused = sorted(stored.keys() - used)
    assert not unused, f"drawings no page uses: {unused}: {RUN} (it removes them)"
    assert not stored.stray_files(), f"not drawings: {stored.stray_files()}: {RUN}"


def test_no_mermaid_source_or_script_reaches_a_page(built_site):
    for rel in built_pages(built_site.path):
        page = (built_site.path / rel / "index.html").read_text(encoding="utf-8")
        assert 'class="mermaid"' not in page, f"/{rel}: a Mermaid block left for JavaScript"
        assert not re.search(r"<script[^>]*mermaid", page, re.I), f"/{rel}: loads Mermaid"
        assert "accTitle:" not in page.replace("accTitle: Short title", ""), (
            f"/{rel}: Mermaid source in the page"
        )


# --- the key: source, settings, Mermaid version --------------------------------------


def test_a_fence_with_its_drawing_becomes_inline_svg(store):
    html = render(fence(SOURCE), store)
    assert f'data-fg-diagram="{key_of(SOURCE)}"' in html
    assert 'class="fg-diagram__svg fg-diagram__only flowchart"' in html
    assert "fg-diagram__missing" not in html
    assert "<pre" not in html and "accTitle" not in html


def test_a_changed_source_needs_a_new_drawing(store):
    html = render(fence(SOURCE.replace("Deployment", "Deployed")), store)
    assert "data-fg-diagram-missing" in html and "make diagrams" in html
    # Layout-free edits (trailing spaces, blank lines around) keep the drawing.
    assert "<svg" in render(fence("\n" + SOURCE.replace("\n", "  \n") + "\n\n"), store)


def test_a_new_mermaid_version_needs_a_new_drawing(store, tmp_path):
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    lock["packages"]["node_modules/mermaid"]["version"] = "99.0.0"
    newer = tmp_path / "package-lock.json"
    newer.write_text(json.dumps(lock), encoding="utf-8")
    assert "<svg" in render(fence(SOURCE), store)
    assert "data-fg-diagram-missing" in render(fence(SOURCE), store, lock=newer)


def test_changed_drawing_settings_or_code_need_new_drawings(store, tmp_path, monkeypatch):
    before = settings.settings_fingerprint()
    config = copy.deepcopy(settings.MERMAID_CONFIG)
    config["themeVariables"]["fontSize"] = "18px"
    monkeypatch.setattr(settings, "MERMAID_CONFIG", config)
    assert settings.settings_fingerprint() != before
    mdx_diagrams._fingerprint.cache_clear()
    try:
        assert "data-fg-diagram-missing" in render(fence(SOURCE), store)
        monkeypatch.undo()
        mdx_diagrams._fingerprint.cache_clear()
        assert "<svg" in render(fence(SOURCE), store)
        code = tmp_path / "draw.js"
        code.write_text(settings.DRAW_JS.read_text(encoding="utf-8") + "\n// changed\n")
        monkeypatch.setattr(settings, "DRAW_JS", code)
        assert settings.settings_fingerprint() != before
    finally:
        mdx_diagrams._fingerprint.cache_clear()


def test_the_lock_file_must_name_a_mermaid_version(tmp_path):
    lock = tmp_path / "package-lock.json"
    lock.write_text('{"packages": {}}', encoding="utf-8")
    with pytest.raises(DataError, match="node_modules/mermaid"):
        settings.mermaid_version(lock)
    with pytest.raises(DataError, match="cannot read it"):
        settings.mermaid_version(tmp_path / "missing.json")
    lock.write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match=r":1: .*not valid JSON"):
        settings.mermaid_version(lock)


# --- what a page gets ------------------------------------------------------------


def test_a_fence_without_a_drawing_shows_a_note_with_the_source_folded_away(tmp_path):
    html = render(fence(SOURCE), tmp_path / "empty")
    assert html.startswith('<div class="fg-diagram__missing"')
    assert markup.MISSING_TEXT in html and "make diagrams" in html
    before_details = html.split("<details>")[0]
    assert "accTitle" not in before_details, "the source shows outside <details>"
    assert "<summary>Mermaid source</summary><pre><code>flowchart LR" in html
    assert 'class="mermaid"' not in html


def test_a_damaged_drawing_is_reported_in_the_page_not_raised(store):
    path = store / f"{key_of(SOURCE)}.svg"
    path.write_text("<svg>half a file", encoding="utf-8")
    html = render(fence(SOURCE), store)
    assert 'data-fg-diagram-problem="' in html
    assert f"{path}: not a drawing made by `make diagrams`" in html


def test_the_same_diagram_twice_on_a_page_gets_ids_of_its_own(store):
    html = render(fence(SOURCE) + "\ntext\n\n" + fence(SOURCE), store)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) >= 4 and len(set(ids)) == len(ids), ids
    labelled = re.findall(r'aria-labelledby="([^"]+)"', html)
    assert set(labelled) <= set(ids) and len(set(labelled)) == 2


def _stored(wide_width: float, narrow_width: float | None) -> StoredDiagram:
    key = "ab" * 10

    def drawing(width: float, suffix: str) -> Drawing:
        svg = fake_svg(key, width=width).replace(settings.render_id(key), f"fgd-{key[:12]}{suffix}")
        return Drawing.parse(svg, Path("test.svg"))

    return StoredDiagram(
        key, drawing(wide_width, ""), None if narrow_width is None else drawing(narrow_width, "-n")
    )


def test_a_wide_and_a_narrow_drawing_switch_by_the_boxs_width():
    html = markup.diagram_html(_stored(900, 300))
    wide, narrow = re.findall(r"<svg\b[^>]*>", html)
    assert "fg-diagram__wide" in wide and 'style="--fg-w:900px;--fg-t:16"' in wide
    assert "fg-diagram__narrow" in narrow and "data-search-exclude" in narrow
    # Below the width at which the wide drawing's labels would drop under 14 px
    # (11 px on paper), the narrow one takes its place:
    for media, px in (("screen", 14), ("print", 11)):
        assert f"@media {media}{{@container (max-width: {900 * px / 16 - 0.01:.2f}px)" in html
    assert "tabindex" not in html, "a box that never scrolls is no tab stop"


def test_a_drawing_too_wide_for_a_small_phone_scrolls_in_a_named_focusable_box():
    html = markup.diagram_html(_stored(900, 600))
    box = re.match(r"<div ([^>]*)>", html)[1]
    assert 'tabindex="0"' in box and 'role="region"' in box
    assert 'aria-label="Three steps (diagram; scroll sideways to see all of it)"' in box
    assert f">{markup.HINT}</p>" in html and "#fgd-abababababab-hint{display:block}" in html


def test_flowcharts_are_tried_in_the_other_direction_for_phones():
    mixed = "flowchart TB\n  subgraph S\n    direction LR\n    A --> B\n  end\n  S --> C"
    assert direction_variants(mixed) == [
        mixed.replace("direction LR", "direction TB"),
        mixed.replace("flowchart TB", "flowchart LR"),
    ]
    assert direction_variants("graph LR\n  A --> B") == ["graph TB\n  A --> B"]
    assert direction_variants("sequenceDiagram\n  A->>B: hi") == []


# --- the build and `make diagrams` -------------------------------------------------


def test_a_strict_build_fails_on_a_diagram_not_drawn_naming_its_line(project_copy):
    assert not (project_copy / "node_modules").exists(), "the build must need no npm"
    page = project_copy / "docs" / "concepts" / "generative-ai.md"
    text = page.read_text(encoding="utf-8")
    line = text.count("\n") + 3
    page.write_text(text + "\n" + fence(SOURCE), encoding="utf-8")
    unused = project_copy / "data" / "diagrams" / ("0" * 20 + ".svg")
    unused.write_text(fake_svg("0" * 20), encoding="utf-8")
    proc = mkdocs_build(project_copy)
    assert_clean_failure(proc, f"docs/concepts/generative-ai.md:{line}: {markup.NOT_DRAWN}: {RUN}")
    assert f"{'0' * 20}.svg" in proc.stdout + proc.stderr, "the unused drawing is not reported"


def draw_diagrams(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(project / "scripts" / "draw_diagrams.py"), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        # Nothing needs drawing here: were Chromium started, it would fail loudly.
        env={"CHROMIUM_PATH": "/nonexistent/chromium", "PATH": "/usr/bin:/bin"},
    )


def test_make_diagrams_reports_then_removes_unused_drawings(project_copy):
    folder = project_copy / "data" / "diagrams"
    kept = sorted(p.name for p in folder.iterdir())
    unused = folder / ("f" * 20 + ".svg")
    unused.write_text(fake_svg("f" * 20), encoding="utf-8")
    stray = folder / "notes.txt"
    stray.write_text("not a drawing", encoding="utf-8")

    check = draw_diagrams(project_copy, "--check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert f"{unused}: no page uses it: {RUN}" in check.stdout
    assert f"{stray}: not a drawing: {RUN}" in check.stdout
    assert unused.exists() and stray.exists(), "--check changed files"

    prune = draw_diagrams(project_copy)
    assert prune.returncode == 0, prune.stdout + prune.stderr
    assert "0 drawn" in prune.stdout and "2 unused file(s) removed" in prune.stdout
    assert sorted(p.name for p in folder.iterdir()) == kept
