"""Mermaid is served by the site itself when npm installed it, and the build
still succeeds (falling back to Material's loader, said once) when it did not."""

from __future__ import annotations

from tests.conftest import ROOT, mkdocs_build, require_tool

LIBRARY = "assets/javascripts/mermaid/mermaid.min.js"
NOTICE = "Mermaid is not installed"


def test_installed_mermaid_is_copied_and_loaded_from_the_site(built_site):
    copy = built_site.path / LIBRARY
    installed = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    require_tool(installed.is_file(), "Mermaid is not installed: run `npm ci` (needs npm)")
    assert copy.read_bytes() == installed.read_bytes()
    home = (built_site.path / "index.html").read_text(encoding="utf-8")
    assert f'new URL("{LIBRARY}", __md_scope)' in home
    assert NOTICE not in built_site.log


def test_without_npm_the_build_succeeds_and_says_so_once(project_copy):
    assert not (project_copy / "node_modules").exists()
    proc = mkdocs_build(project_copy)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert output.count(NOTICE) == 1, output
    site = project_copy / "site"
    assert not (site / LIBRARY).exists()
    # No stand-in: Material's own loader handles diagrams.
    assert "__md_scope).href" not in (site / "index.html").read_text(encoding="utf-8")
