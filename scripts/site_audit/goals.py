"""The goals of issue 8, and the list of those a run missed."""

from __future__ import annotations

from dataclasses import dataclass, field

from site_audit.browser_checks import PageLoad
from site_audit.html_check import HtmlResult
from site_audit.lighthouse import CATEGORIES, LighthouseResult
from site_audit.pages import label

LIGHTHOUSE_MINIMUM = {
    "desktop": {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100},
    "mobile": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100},
}
# Compressed, all of it (diagrams are inline SVG). 150 KB until 2026-11-30; then 200 KB:
# Material's search fetches the whole index on every page's load, and the index grew to
# 94 KB compressed with the timeline, the guides and 121 glossary entries (the glossary
# alone is half of it), so the home page transferred 185 KB. Smaller again needs a
# lazily loaded index, which Material does not offer.
HOME_BUDGET_BYTES = 200 * 1024
PALETTES = ("light", "dark")


@dataclass
class AuditData:
    """Everything one run measured; the report and the goal check both read it."""

    pages: list[str]
    diagram_pages: set[str]
    lighthouse: dict[tuple[str, str], LighthouseResult]  # (page, preset) -> runs
    lighthouse_roles: dict[str, str | None]  # role -> page (None: the site lacks it)
    loads: dict[tuple[str, str], PageLoad]  # (page, palette) -> load
    html: HtmlResult
    notes: list[str] = field(default_factory=list)


def missed_goals(data: AuditData, *, speed: bool = True) -> list[str]:
    """Every goal the run missed; ``speed=False`` leaves out Lighthouse's performance
    scores, which depend on how busy the machine is (see ``--speed-advisory``)."""
    missed: list[str] = []
    for role, page in data.lighthouse_roles.items():
        if page is None:
            missed.append(f"Lighthouse: the site has no {role} page to audit")
    for (page, preset), result in sorted(data.lighthouse.items()):
        for cat in CATEGORIES:
            if cat == "performance" and not speed:
                continue
            score = result.median(cat)
            need = LIGHTHOUSE_MINIMUM[preset][cat]
            if score is None or score < need:
                failing = ", ".join(result.failing_audits()) or "see the JSON report"
                missed.append(
                    f"Lighthouse {preset} {cat} on {label(page)}: {score} < {need} "
                    f"(failing audits: {failing})"
                )
    for (page, palette), load in sorted(data.loads.items()):
        for v in load.violations:
            missed.append(
                f"axe ({palette}, {v.width} px) on {label(page)}: {v.rule} [{v.impact}] "
                f"{v.help} at {'; '.join(v.targets[:3])}"
            )
        if not load.widths:
            missed.append(f"axe ({palette}) did not run on {label(page)}")
        if load.foreign:
            missed.append(
                f"{label(page)} ({palette}) requested another host: {', '.join(load.foreign[:3])}"
            )
    for page, errors in sorted(data.html.ours.items()):
        for e in errors:
            missed.append(f"HTML on {label(page)} line {e.line}: {e.message} [{e.extract[:120]}]")
    home = data.loads.get(("", "light"))
    if home is None:
        missed.append("page weight: the home page was not measured")
    elif home.weight > HOME_BUDGET_BYTES:
        missed.append(
            f"page weight: the home page transfers {home.weight / 1024:.1f} KB "
            f"compressed, over {HOME_BUDGET_BYTES // 1024} KB"
        )
    for (page, palette), load in sorted(data.loads.items()):
        if palette == "light" and load.loaded_diagram_library:
            missed.append(
                f"{label(page)} downloaded Mermaid's JavaScript (diagrams are drawn at build time)"
            )
    return missed
