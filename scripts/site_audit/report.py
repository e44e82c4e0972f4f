"""Write the audit as Markdown: one table per kind of check, page by page."""

from __future__ import annotations

from site_audit.browser_checks import WIDTHS
from site_audit.goals import (
    HOME_BUDGET_BYTES,
    LIGHTHOUSE_MINIMUM,
    PALETTES,
    AuditData,
)
from site_audit.lighthouse import CATEGORIES, PRESETS
from site_audit.pages import label

SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "best", "seo": "SEO"}


def _mark(ok: bool) -> str:
    return "" if ok else " ✗"


def _lighthouse_table(data: AuditData) -> list[str]:
    head = ["Page", "Role"] + [f"{p} {SHORT[c]}" for p in PRESETS for c in CATEGORIES]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for role, page in data.lighthouse_roles.items():
        if page is None:
            lines.append(f"| — | {role} |" + " missing |" * (len(head) - 2))
            continue
        cells = [f"`{label(page)}`", role]
        for preset in PRESETS:
            result = data.lighthouse.get((page, preset))
            for cat in CATEGORIES:
                score = result.median(cat) if result else None
                need = LIGHTHOUSE_MINIMUM[preset][cat]
                shown = "—" if score is None else str(score)
                cells.append(shown + _mark(score is not None and score >= need))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _page_table(data: AuditData) -> list[str]:
    head = [
        "Page",
        *[f"axe {palette} {width}" for palette in PALETTES for width in WIDTHS],
        "HTML errors (ours)",
        "HTML notes (Material)",
        "transfer KB (gzip)",
        "diagram",
        "Mermaid JS fetched",
        "other hosts",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for page in data.pages:
        cells = [f"`{label(page)}`"]
        for palette in PALETTES:
            load = data.loads.get((page, palette))
            for width in WIDTHS:
                ran = load is not None and width in load.widths
                count = len(load.violations_at(width)) if load and ran else None
                cells.append("—" if count is None else str(count) + _mark(count == 0))
        ours = len(data.html.ours.get(page, []))
        cells.append(str(ours) + _mark(ours == 0))
        cells.append(str(len(data.html.material.get(page, []))))
        light = data.loads.get((page, "light"))
        has = page in data.diagram_pages
        if light:
            kb = light.weight / 1024
            over = page == "" and light.weight > HOME_BUDGET_BYTES
            cells.append(f"{kb:.1f}" + _mark(not over))
            fetched = light.loaded_diagram_library
            shown = ("yes" if fetched else "no") + _mark(not fetched)
            cells += ["yes" if has else "no", shown]
            cells.append(str(len(light.foreign)) + _mark(not light.foreign))
        else:
            cells += ["—", "yes" if has else "no", "—", "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _material_notes(data: AuditData) -> list[str]:
    seen: dict[str, tuple[str, str, list[str]]] = {}
    for page, items in sorted(data.html.material.items()):
        for error, origin in items:
            entry = seen.setdefault(error.message, (origin.template, origin.reason, []))
            if label(page) not in entry[2]:
                entry[2].append(label(page))
    if not seen:
        return ["None."]
    lines = []
    for message, (template, reason, pages) in seen.items():
        lines += [
            f"- **{message}** — from Material's `{template}`, on {len(pages)} page(s).",
            f"  Why no override: {reason}",
        ]
    return lines


def render(data: AuditData, missed: list[str], facts: dict[str, str]) -> str:
    desktop = LIGHTHOUSE_MINIMUM["desktop"]["performance"]
    mobile = LIGHTHOUSE_MINIMUM["mobile"]["performance"]
    lines = [
        "# Site audit",
        "",
        "Written by `scripts/audit_site.py` (`make audit`) from a real run against the",
        "strict build, served on 127.0.0.1 and loaded in Debian's Chromium. Do not edit by",
        "hand: run the audit again. ✗ marks a missed goal.",
        "",
        "| Fact | Value |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in facts.items()],
        "",
        "## Goals",
        "",
        f"- Lighthouse: accessibility, best practices and SEO 100; performance ≥ {desktop}"
        f" desktop, ≥ {mobile} mobile (median of the runs).",
        "- axe-core: zero violations of any impact, light and dark palettes, "
        f"{' and '.join(f'{w} px' for w in WIDTHS)} wide, every page.",
        "- Nu HTML Checker: zero errors from our content, templates and hooks.",
        f"- Home page ≤ {HOME_BUDGET_BYTES // 1024} KB compressed, inline diagrams included;"
        " no page downloads Mermaid (diagrams are SVG drawn at build time);"
        " no request leaves the site.",
        "",
        "## Lighthouse (median scores)",
        "",
        *_lighthouse_table(data),
        "",
        "## Every page",
        "",
        *_page_table(data),
        "",
        "## Nu HTML Checker errors from Material's own templates",
        "",
        *_material_notes(data),
        "",
        "## Result",
        "",
    ]
    if missed:
        lines += [f"{len(missed)} goal(s) missed:", ""] + [f"- {m}" for m in missed]
    else:
        lines.append("Every goal is met on every audited page.")
    if data.notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in data.notes]
    return "\n".join(lines) + "\n"
