"""scripts/bench_glossary.py compares the right builds: its "off" config inherits
mkdocs.yml minus exactly the glossary extension and hook, and really builds without
them (the benchmark's timings live in the script's table, not in a test)."""

from __future__ import annotations

import bench_glossary
import pytest

from tests.conftest import ROOT


def test_off_config_drops_only_the_glossary_extension_and_hook():
    text = bench_glossary.off_config(ROOT / "mkdocs.yml")
    assert text.startswith("INHERIT: mkdocs.yml\n")
    assert bench_glossary.EXTENSION not in text and bench_glossary.HOOK not in text
    assert "  - hooks/sources.py" in text and "  - pymdownx.superfences:" in text
    assert "fence_code_format" in text  # nested options and tags survive the copy


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
