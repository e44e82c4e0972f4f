"""Lighthouse, run by node from node_modules against Debian's Chromium.

Each page is audited several times per preset and the median score of each
category is kept: single Lighthouse runs wobble by a few performance points.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from devtools.browser import CHROMIUM_FLAGS, chromium_path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PRESETS = ("desktop", "mobile")
RUN_TIMEOUT_S = 180


@dataclass
class LighthouseRun:
    scores: dict[str, int]  # category -> 0..100
    failing: dict[str, str]  # audit id -> title, for audits below full marks that count


@dataclass
class LighthouseResult:
    runs: list[LighthouseRun] = field(default_factory=list)

    def median(self, category: str) -> int | None:
        values = [r.scores[category] for r in self.runs if category in r.scores]
        return round(statistics.median(values)) if values else None

    def failing_audits(self) -> dict[str, str]:
        """Audits that failed in a majority of runs: the ones worth fixing."""
        counts: dict[str, int] = {}
        titles: dict[str, str] = {}
        for run in self.runs:
            for audit, title in run.failing.items():
                counts[audit] = counts.get(audit, 0) + 1
                titles[audit] = title
        return {a: titles[a] for a, n in sorted(counts.items()) if n * 2 > len(self.runs)}


def command(cli: Path, url: str, preset: str, output: Path) -> list[str]:
    flags = ["--headless=new", *CHROMIUM_FLAGS]
    cmd = [
        "node",
        str(cli),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(flags)}",
        "--disable-full-page-screenshot",
    ]
    # Lighthouse's default configuration is the mobile one.
    if preset == "desktop":
        cmd.append("--preset=desktop")
    return cmd


def parse(report: dict) -> LighthouseRun:
    scores = {}
    for cat in CATEGORIES:
        score = report.get("categories", {}).get(cat, {}).get("score")
        if score is not None:
            scores[cat] = round(score * 100)
    failing = {}
    weighted = {
        ref["id"]
        for cat in report.get("categories", {}).values()
        for ref in cat.get("auditRefs", [])
        if ref.get("weight", 0) > 0
    }
    for audit_id, audit in report.get("audits", {}).items():
        score = audit.get("score")
        if audit_id in weighted and score is not None and score < 1:
            failing[audit_id] = str(audit.get("title", audit_id))
    return LighthouseRun(scores, failing)


def run_once(cli: Path, url: str, preset: str) -> LighthouseRun:
    with tempfile.TemporaryDirectory(prefix="fieldguide-lighthouse-") as tmp:
        output = Path(tmp) / "report.json"
        env = {**os.environ, "CHROME_PATH": str(chromium_path())}
        proc = subprocess.run(
            command(cli, url, preset, output),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
            env=env,
            check=False,
        )
        if proc.returncode != 0 or not output.is_file():
            raise RuntimeError(
                f"Lighthouse failed on {url} ({preset}), exit {proc.returncode}:\n"
                f"{(proc.stderr or proc.stdout).strip()[-2000:]}"
            )
        return parse(json.loads(output.read_text(encoding="utf-8")))


def audit(cli: Path, url: str, preset: str, runs: int) -> LighthouseResult:
    return LighthouseResult([run_once(cli, url, preset) for _ in range(runs)])
