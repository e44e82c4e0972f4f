"""``scripts/audit_site.py``: build, serve, audit, write ``site-audit.md``, exit 1 on a miss."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from devtools.browser import chromium_path
from devtools.site_config import load_site_config
from devtools.site_server import serve_site, site_prefix
from site_audit import browser_checks, html_check, lighthouse
from site_audit.goals import PALETTES, AuditData, missed_goals
from site_audit.pages import NOT_FOUND, built_pages, has_diagram, lighthouse_targets
from site_audit.report import render

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_RUNNER = Path(__file__).with_name("lighthouse_runs.mjs")
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
SCHEMES = {"light": "default", "dark": "slate"}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="audit_site.py",
        description="Audit the built site in Debian's Chromium: Lighthouse, axe-core, "
        "the Nu HTML Checker and page weight. Writes a Markdown table and exits 1 "
        "when a goal of issue 8 is missed.",
    )
    p.add_argument(
        "--runs", type=int, default=5, help="Lighthouse runs per page and preset (median kept)"
    )
    p.add_argument(
        "--site", type=Path, help="audit this already-built site instead of building one"
    )
    p.add_argument(
        "--output", type=Path, default=ROOT / "site-audit.md", help="where to write the table"
    )
    # A performance score is a timing: on a shared CI machine it moves with the load, so
    # CI reports it and does not fail on it (speed goals live in reports, never in timed
    # tests). The recorded site-audit.md, made on a quiet machine, judges it.
    p.add_argument(
        "--speed-advisory",
        action="store_true",
        help="report Lighthouse performance scores but do not fail on them",
    )
    return p


def _say(message: str) -> None:
    print(f"audit: {message}", flush=True)


def _load_config() -> Any:
    return load_site_config(ROOT / "mkdocs.yml")


def _build(out: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"the strict build failed:\n{proc.stdout}{proc.stderr}")


def _missing_tools() -> list[str]:
    problems = []
    if not LIGHTHOUSE_CLI.is_file() or not AXE_JS.is_file():
        problems.append("lighthouse or axe-core is not installed: run `npm ci`")
    if not chromium_path().exists():
        problems.append(f"no Chromium at {chromium_path()}: apt-get install chromium")
    return problems


def _versions() -> dict[str, str]:
    import json

    def npm_version(name: str) -> str:
        meta = NODE_MODULES / name / "package.json"
        return json.loads(meta.read_text(encoding="utf-8"))["version"]

    chromium = subprocess.run(
        [str(chromium_path()), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "Lighthouse": npm_version("lighthouse"),
        "axe-core": npm_version("axe-core"),
        "Browser": chromium or str(chromium_path()),
    }


def audit(site: Path, config: Any, runs: int) -> tuple[AuditData, dict[str, float]]:
    timings: dict[str, float] = {}
    pages = built_pages(site)
    diagram_pages = {p for p in pages if has_diagram(site, p)}
    all_pages = [*pages, NOT_FOUND]

    start = time.monotonic()
    _say("Nu HTML Checker on every page")
    html = html_check.check_html(site)
    timings["Nu HTML Checker"] = time.monotonic() - start

    prefix = site_prefix(config.site_url)
    palettes = config.theme.get("palette") or []
    loads = {}
    start = time.monotonic()
    with (
        serve_site(site, config.site_url, compress=True) as served,
        browser_checks.launch() as browser,
    ):
        for palette in PALETTES:
            entry = browser_checks.palette_entry(palettes, SCHEMES[palette])
            script = browser_checks.set_palette_script(prefix, entry)
            _say(
                f"axe-core at {' and '.join(map(str, browser_checks.WIDTHS))} px and page "
                f"weight, {palette} palette, {len(all_pages)} pages"
            )
            for page in all_pages:
                url = browser_checks.page_url(served.root_url, page)
                loads[(page, palette)] = browser_checks.load_and_check(
                    browser, url, AXE_JS, script, served.host
                )
    timings["axe-core and page weight"] = time.monotonic() - start

    targets = lighthouse_targets(site)
    pages_audited = [t.page for t in targets if t.page is not None]
    start = time.monotonic()
    # Lighthouse reads robots.txt at the origin's root, so it gets the site served
    # at "/" (a custom domain); everything else is served under the project path.
    with serve_site(site, "/", compress=True) as served:
        urls = {served.root_url + page: page for page in pages_audited}
        _say(f"Lighthouse, {len(urls)} pages x {len(lighthouse.PRESETS)} presets x {runs} runs")
        by_url = lighthouse.audit_all(
            LIGHTHOUSE_RUNNER,
            [(url, preset) for url in urls for preset in lighthouse.PRESETS],
            runs,
            progress=lambda where: _say(f"Lighthouse {where}"),
        )
    results = {(urls[url], preset): result for (url, preset), result in by_url.items()}
    timings["Lighthouse"] = time.monotonic() - start

    data = AuditData(
        pages=all_pages,
        diagram_pages=diagram_pages,
        lighthouse=results,
        lighthouse_roles={t.role: t.page for t in targets},
        loads=loads,
        html=html,
    )
    return data, timings


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.runs < 1:
        print("audit: --runs must be at least 1", file=sys.stderr)
        return 2
    problems = _missing_tools()
    if problems:
        print("audit: cannot run:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    began = time.monotonic()
    config = _load_config()
    try:
        with tempfile.TemporaryDirectory(prefix="fieldguide-audit-") as tmp:
            site = args.site
            if site is None:
                site = Path(tmp) / "site"
                _say("strict build")
                _build(site)
            data, timings = audit(site.resolve(), config, args.runs)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    missed = missed_goals(data)
    wall = time.monotonic() - began
    facts = {
        **_versions(),
        "Pages audited": str(len(data.pages)),
        "Lighthouse runs per page and preset": str(args.runs),
        **{f"Time: {k}": f"{v:.0f} s" for k, v in timings.items()},
        "Wall time, build included": f"{wall:.0f} s",
    }
    args.output.write_text(render(data, missed, facts), encoding="utf-8")
    _say(f"wrote {args.output} in {wall:.0f} s")
    gating = missed_goals(data, speed=not args.speed_advisory)
    for m in missed:
        note = "" if m in gating else " (speed, advisory here)"
        print(f"  - {m}{note}", file=sys.stderr)
    if gating:
        print(f"audit: {len(gating)} goal(s) missed", file=sys.stderr)
        return 1
    _say("every goal met" if not missed else "every gating goal met; speed goals missed above")
    return 0
