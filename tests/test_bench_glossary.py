"""scripts/bench_glossary.py compares the right builds: its "off" config inherits
mkdocs.yml minus exactly the glossary extension and hook, and really builds without
them; it alternates the builds, reports the medians' ratio and fails past the goal
(with stand-in timings: the real ones live in the script's table, not in a test)."""

from __future__ import annotations

import bench_glossary
import pytest

from tests.conftest import ROOT


def test_off_config_drops_only_the_glossary_extension_and_hook():
    text = bench_glossary.off_config(ROOT / "mkdocs.yml")
    assert text.startswith("INHERIT: mkdocs.yml\n")
    assert bench_glossary.EXTENSION not in text and bench_glossary.HOOK not in text
    assert "  - hooks/sources.py" in text and "  - pymdownx.superfences:" in text
    # nested options and tags survive the copy
    assert "!!python/name:fieldguide.mdx.diagrams.format_mermaid" in text


def test_off_config_without_the_glossary_stops_with_a_message(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("markdown_extensions:\n  - toc\nhooks:\n  - hooks/other.py\n", "utf-8")
    with pytest.raises(SystemExit, match="nothing to compare"):
        bench_glossary.off_config(config)


def test_off_build_has_no_term_links_and_no_export(tmp_path, built_site):
    off = ROOT / f".bench-glossary-off-test-{tmp_path.name}.yml"
    off.write_text(bench_glossary.off_config(ROOT / "mkdocs.yml"), encoding="utf-8")
    try:
        wall, cpu = bench_glossary.build(off, tmp_path / "site")
    finally:
        off.unlink(missing_ok=True)
    assert wall > 0 and cpu > 0
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'class="fg-term"' not in home
    assert not (tmp_path / "site" / "glossary.json").exists()
    # The same page in the normal build does have term links.
    assert 'class="fg-term"' in (built_site.path / "index.html").read_text(encoding="utf-8")


def _fake_builds(monkeypatch, on: tuple[float, float], off: tuple[float, float]) -> list[str]:
    """Stand in for the builds: record which config each one used (on = mkdocs.yml with
    the glossary; off = the generated config without it) and return fixed timings."""
    calls: list[str] = []

    def build(config, site):
        text = config.read_text(encoding="utf-8")
        name = "on" if bench_glossary.EXTENSION in text else "off"
        if name == "off":
            assert text.startswith("INHERIT: mkdocs.yml\n")
        calls.append(name)
        return on if name == "on" else off

    monkeypatch.setattr(bench_glossary, "build", build)
    monkeypatch.setattr(bench_glossary, "matcher_throughput", lambda: (3.5, 42))
    return calls


def test_benchmark_alternates_builds_and_judges_the_cpu_ratio(monkeypatch, capsys):
    calls = _fake_builds(monkeypatch, on=(2.6, 1.2), off=(1.0, 1.0))
    assert bench_glossary.main(["--runs", "3"]) == 0
    # A warm-up build, then on/off in alternating order, each config --runs times.
    assert calls == ["on", "on", "off", "off", "on", "on", "off"]
    out = capsys.readouterr().out
    assert "ratio on/off: CPU 1.200, wall 2.600; the glossary adds +20.0% CPU time" in out
    assert f"(goal <= {bench_glossary.GOAL:.0%})" in out
    assert not list(ROOT.glob(".bench-glossary-off-*.yml")), "the off config was left behind"


def test_benchmark_fails_when_the_glossary_costs_more_than_the_goal(monkeypatch, capsys):
    _fake_builds(monkeypatch, on=(1.0, 1.3), off=(1.0, 1.0))
    assert bench_glossary.main(["--runs", "1"]) == 1
    assert "adds +30.0% CPU time" in capsys.readouterr().out
