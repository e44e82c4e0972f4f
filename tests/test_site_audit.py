"""The site audit's own logic (scripts/site_audit), without a browser: Lighthouse
report parsing and medians, Nu checker error triage, palette storage, the goal
check that decides the exit code, the Markdown table, and the CLI's refusals."""

from __future__ import annotations

import json

from site_audit import cli
from site_audit.browser_checks import (
    PageLoad,
    Violation,
    gzip_size,
    palette_entry,
    set_palette_script,
)
from site_audit.goals import HOME_BUDGET_BYTES, AuditData, missed_goals
from site_audit.html_check import HtmlResult, classify
from site_audit.lighthouse import LighthouseResult, LighthouseRun, parse
from site_audit.report import render

PERFECT = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}
LIB = "http://127.0.0.1:1/field-guide/assets/javascripts/mermaid/mermaid.min.js"


def _load(weight: int = 1000, diagram_lib: bool = False) -> PageLoad:
    fetched = {"http://127.0.0.1:1/field-guide/": weight}
    if diagram_lib:
        fetched[LIB] = 900_000
    return PageLoad(fetched=fetched)


def _data(**changes) -> AuditData:
    pages = ["", "concepts/a/", "404"]
    data = AuditData(
        pages=pages,
        diagram_pages={"concepts/a/"},
        lighthouse={
            (p, preset): LighthouseResult([LighthouseRun(dict(PERFECT), {})])
            for p in ("", "concepts/a/")
            for preset in ("desktop", "mobile")
        },
        lighthouse_roles={"home": "", "concept": "concepts/a/"},
        loads={(p, pal): _load() for p in pages for pal in ("light", "dark")},
        html=HtmlResult({}, {}, pages),
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_a_clean_run_misses_nothing_and_says_so():
    data = _data()
    assert missed_goals(data) == []
    assert "Every goal is met on every audited page." in render(data, [], {"Wall": "1 s"})


def test_each_kind_of_miss_is_reported():
    data = _data()
    data.lighthouse[("", "mobile")] = LighthouseResult(
        [
            LighthouseRun({**PERFECT, "performance": p}, {"total-blocking-time": "TBT"})
            for p in (80, 95, 85)
        ]
    )
    data.loads[("404", "dark")] = PageLoad(
        violations=[Violation("color-contrast", "serious", "Contrast", (".md-copyright",))]
    )
    data.loads[("", "light")] = _load(weight=HOME_BUDGET_BYTES + 1)
    data.loads[("404", "light")] = _load(diagram_lib=True)
    data.lighthouse_roles["glossary"] = None
    missed = missed_goals(data)
    text = "\n".join(missed)
    assert "Lighthouse mobile performance on /: 85 < 90" in text  # the median of 80, 95, 85
    assert "total-blocking-time" in text
    assert "axe (dark) on 404: color-contrast [serious]" in text
    assert "the home page transfers" in text
    assert "404 downloaded Mermaid's JavaScript" in text
    assert "no glossary page" in text
    assert len(missed) == 5
    report = render(data, missed, {})
    assert "5 goal(s) missed" in report and "85 ✗" in report


def test_no_page_may_fetch_mermaid_and_everything_counts_toward_the_home_budget():
    load = _load(weight=HOME_BUDGET_BYTES - 10, diagram_lib=True)
    assert load.loaded_diagram_library
    assert load.weight == HOME_BUDGET_BYTES - 10 + 900_000
    data = _data(diagram_pages={"", "concepts/a/"})
    data.loads[("", "light")] = load
    missed = "\n".join(missed_goals(data))
    assert "/ downloaded Mermaid's JavaScript" in missed
    assert "the home page transfers" in missed


def test_lighthouse_report_is_parsed_to_scores_and_weighted_failures():
    report = {
        "categories": {
            "performance": {"score": 0.934, "auditRefs": [{"id": "tbt", "weight": 30}]},
            "seo": {"score": 1, "auditRefs": [{"id": "unweighted", "weight": 0}]},
        },
        "audits": {
            "tbt": {"score": 0.5, "title": "Total Blocking Time"},
            "unweighted": {"score": 0, "title": "Not counted"},
        },
    }
    run = parse(report)
    assert run.scores == {"performance": 93, "seo": 100}
    assert run.failing == {"tbt": "Total Blocking Time"}


def test_validator_errors_from_materials_base_template_are_set_apart(tmp_path):
    (tmp_path / "a").mkdir()
    messages = [
        {
            "type": "error",
            "url": f"file:{tmp_path}/a/index.html",
            "lastLine": 3,
            "message": "Attribute 'autocomplete' is only allowed when the input type is 'color'.",
            "extract": '<input class="md-toggle" data-md-toggle="drawer" type="checkbox">',
        },
        {
            "type": "error",
            "url": f"file:{tmp_path}/index.html",
            "lastLine": 9,
            "message": "Element 'div' not allowed as child of element 'span'.",
            "extract": "<span><div>",
        },
        {"type": "info", "url": f"file:{tmp_path}/index.html", "message": "just a note"},
    ]
    result = classify(messages, tmp_path)
    assert list(result.material) == ["a/"]
    assert [e.line for e in result.ours[""]] == [9]


def test_palette_entry_is_what_material_stores():
    palettes = [
        {"media": "(prefers-color-scheme)"},
        {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo"},
        {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "accent": "teal"},
    ]
    entry = palette_entry(palettes, "slate")
    assert entry["index"] == 2 and entry["color"]["accent"] == "teal"
    script = set_palette_script("/field-guide/", entry)
    assert script.startswith('localStorage.setItem("/field-guide/.__palette", ')
    assert json.loads(json.loads(script.split(", ", 1)[1].rstrip(");"))) == entry


def test_gzip_size_never_exceeds_the_raw_size():
    assert gzip_size(b"a" * 10_000) < 100
    assert gzip_size(bytes(range(256))) <= 256


def test_cli_refuses_zero_runs(capsys):
    assert cli.main(["--runs", "0"]) == 2
    assert "--runs must be at least 1" in capsys.readouterr().err
