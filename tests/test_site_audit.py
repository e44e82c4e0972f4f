"""The site audit's own logic (scripts/site_audit), without a browser: Lighthouse
report parsing and medians, Nu checker error triage, palette storage, the goal
check that decides the exit code, the Markdown table, and the CLI's refusals."""

from __future__ import annotations

import json
import shutil

import pytest

from site_audit import cli, lighthouse
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
from tests.conftest import require_tool

PERFECT = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}
LIB = "http://127.0.0.1:1/field-guide/assets/javascripts/mermaid/mermaid.min.js"


def _load(weight: int = 1000, diagram_lib: bool = False) -> PageLoad:
    fetched = {"http://127.0.0.1:1/field-guide/": weight}
    if diagram_lib:
        fetched[LIB] = 900_000
    return PageLoad(fetched=fetched, widths=(1280, 375))


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


def test_speed_advisory_leaves_out_performance_only():
    """CI's --speed-advisory: a slow performance median is not a gating miss, an
    accessibility score below 100 still is."""
    data = _data()
    data.lighthouse[("", "mobile")] = LighthouseResult(
        [LighthouseRun({**PERFECT, "performance": 80, "accessibility": 90}, {})]
    )
    everything = "\n".join(missed_goals(data))
    gating = "\n".join(missed_goals(data, speed=False))
    assert "mobile performance on /: 80 < 95" in everything
    assert "performance" not in gating
    assert "mobile accessibility on /: 90 < 100" in gating


def test_each_kind_of_miss_is_reported():
    data = _data()
    data.lighthouse[("", "mobile")] = LighthouseResult(
        [
            LighthouseRun({**PERFECT, "performance": p}, {"total-blocking-time": "TBT"})
            for p in (80, 99, 94)
        ]
    )
    data.loads[("404", "dark")] = PageLoad(
        violations=[Violation(375, "color-contrast", "serious", "Contrast", (".md-copyright",))],
        widths=(1280, 375),
    )
    data.loads[("", "light")] = _load(weight=HOME_BUDGET_BYTES + 1)
    data.loads[("404", "light")] = _load(diagram_lib=True)
    data.lighthouse_roles["glossary"] = None
    missed = missed_goals(data)
    text = "\n".join(missed)
    assert "Lighthouse mobile performance on /: 94 < 95" in text  # the median of 80, 99, 94
    assert "total-blocking-time" in text
    assert "axe (dark, 375 px) on 404: color-contrast [serious]" in text
    assert "the home page transfers" in text
    assert "404 downloaded Mermaid's JavaScript" in text
    assert "no glossary page" in text
    assert len(missed) == 5
    report = render(data, missed, {})
    assert "5 goal(s) missed" in report and "94 ✗" in report
    # the 404 row: light 1280, light 375, dark 1280, dark 375
    assert "| `404` | 0 | 0 | 0 | 1 ✗ |" in report


def test_desktop_performance_must_be_100_and_axe_must_have_run():
    data = _data()
    data.lighthouse[("", "desktop")] = LighthouseResult(
        [LighthouseRun({**PERFECT, "performance": 99}, {}) for _ in range(5)]
    )
    data.loads[("404", "light")] = PageLoad(fetched={"http://127.0.0.1:1/x": 10})
    missed = "\n".join(missed_goals(data))
    assert "Lighthouse desktop performance on /: 99 < 100" in missed
    assert "axe (light) did not run on 404" in missed
    assert "| `404` | — | — |" in render(data, [], {})


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


def test_an_audit_run_once_counts_once_and_one_run_everywhere_counts_by_majority():
    once = LighthouseRun({"accessibility": 90}, {"label": "Labels"}, frozenset({"label", "tbt"}))
    perf = [LighthouseRun({"performance": 99}, {}, frozenset({"tbt"})) for _ in range(4)]
    slow = [LighthouseRun({"performance": 90}, {"tbt": "TBT"}, frozenset({"tbt"}))]
    result = LighthouseResult([once, *perf, *slow])
    assert result.median("accessibility") == 90  # from the one run that scored it
    assert result.median("performance") == 99
    assert result.failing_audits() == {"label": "Labels"}  # tbt failed 1 of 5 runs


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


def _runner(tmp_path, body: str):
    script = tmp_path / "runner.mjs"
    script.write_text(body)
    return script


REPORT_LINE = (
    "{url: t.url, preset: t.preset, run, categories: {performance: {score: 0.97, "
    "auditRefs: [{id: 'lcp', weight: 25}]}}, audits: {lcp: {score: 0.9, title: 'LCP'}}}"
)


def _node_or_skip():
    require_tool(shutil.which("node") is not None, "node is not installed")


def test_lighthouse_runs_are_read_one_line_each_from_one_node_process(tmp_path):
    _node_or_skip()
    runner = _runner(
        tmp_path,
        "let s = ''; process.stdin.on('data', c => s += c); process.stdin.on('end', () => {"
        " const job = JSON.parse(s); for (const t of job.targets)"
        " for (let run = 1; run <= job.runs; run++)"
        f" console.log(JSON.stringify({REPORT_LINE})); }});",
    )
    seen = []
    targets = [("http://a/", "mobile"), ("http://a/", "desktop"), ("http://b/", "mobile")]
    results = lighthouse.audit_all(runner, targets, 3, progress=seen.append)
    assert set(results) == set(targets)
    assert all(len(r.runs) == 3 and r.median("performance") == 97 for r in results.values())
    assert results[("http://b/", "mobile")].failing_audits() == {"lcp": "LCP"}
    assert seen[0] == "http://a/ (mobile) run 1/3: performance 97" and len(seen) == 9


def test_a_failed_or_missing_lighthouse_run_is_an_error_naming_it(tmp_path):
    _node_or_skip()
    failing = _runner(
        tmp_path,
        "process.stdin.resume(); process.stdin.on('end', () => console.log(JSON.stringify("
        "{url: 'http://a/', preset: 'mobile', run: 1, error: 'PROTOCOL_TIMEOUT: no answer'})));",
    )
    with pytest.raises(RuntimeError, match=r"failed on http://a/ \(mobile\) run 1/2: PROTOCOL"):
        lighthouse.audit_all(failing, [("http://a/", "mobile")], 2)
    silent = _runner(tmp_path, "process.stdin.resume(); console.error('chrome did not start');")
    with pytest.raises(RuntimeError, match=r"finished 0 of 2 runs(.|\n)*chrome did not start"):
        lighthouse.audit_all(silent, [("http://a/", "mobile")], 2)
