"""Lighthouse, run by node from node_modules against Debian's Chromium.

Each page is audited several times per preset and the median score of each
category is kept: single Lighthouse runs wobble by a few performance points.
``lighthouse_runs.mjs`` does every run in one node process and one browser.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
import threading
from collections.abc import Callable
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
    audited: frozenset[str] = frozenset()  # the audits that counted in this run (empty: all)


@dataclass
class LighthouseResult:
    runs: list[LighthouseRun] = field(default_factory=list)

    def median(self, category: str) -> int | None:
        values = [r.scores[category] for r in self.runs if category in r.scores]
        return round(statistics.median(values)) if values else None

    def failing_audits(self) -> dict[str, str]:
        """Audits that failed in a majority of the runs that ran them: the ones worth fixing
        (accessibility, best-practice and SEO audits run once, performance every run)."""
        counts: dict[str, int] = {}
        titles: dict[str, str] = {}
        for run in self.runs:
            for audit, title in run.failing.items():
                counts[audit] = counts.get(audit, 0) + 1
                titles[audit] = title

        def ran(audit: str) -> int:
            return sum(1 for r in self.runs if not r.audited or audit in r.audited)

        return {a: titles[a] for a, n in sorted(counts.items()) if n * 2 > ran(a)}


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
    return LighthouseRun(scores, failing, frozenset(weighted))


def audit_all(
    runner: Path,
    targets: list[tuple[str, str]],
    runs: int,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[tuple[str, str], LighthouseResult]:
    """``runs`` Lighthouse runs of each (url, preset), by ``lighthouse_runs.mjs`` in one
    node process and one Chromium; bounded by ``RUN_TIMEOUT_S`` a run."""
    job = {
        "chromePath": str(chromium_path()),
        "chromeFlags": ["--headless=new", *CHROMIUM_FLAGS],
        "categories": list(CATEGORIES),
        "runs": runs,
        "targets": [{"url": url, "preset": preset} for url, preset in targets],
    }
    results = {target: LighthouseResult() for target in targets}
    expected = len(targets) * runs
    # stderr goes to a file: a full pipe nobody reads would stall node.
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as errors,
        subprocess.Popen(
            ["node", str(runner)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        ) as proc,
    ):
        # The whole job's deadline: a hung run kills node, and the runs missing show it.
        timer = threading.Timer(RUN_TIMEOUT_S * expected, proc.kill)
        timer.start()
        try:
            assert proc.stdin and proc.stdout
            proc.stdin.write(json.dumps(job))
            proc.stdin.close()
            for line in proc.stdout:
                report = json.loads(line)
                where = f"{report['url']} ({report['preset']}) run {report['run']}/{runs}"
                if "error" in report:
                    proc.kill()
                    raise RuntimeError(f"Lighthouse failed on {where}: {report['error'][-2000:]}")
                run = parse(report)
                results[(report["url"], report["preset"])].runs.append(run)
                scores = ", ".join(f"{c} {v}" for c, v in run.scores.items())
                progress(f"{where}: {scores}")
        finally:
            timer.cancel()
        proc.wait()
        errors.seek(0)
        stderr = errors.read()
    done = sum(len(r.runs) for r in results.values())
    if done != expected:
        raise RuntimeError(
            f"Lighthouse finished {done} of {expected} runs (exit {proc.returncode}, "
            f"limit {RUN_TIMEOUT_S} s a run):\n{stderr.strip()[-2000:]}"
        )
    return results
