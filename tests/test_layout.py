"""The product (the hooks, the site's library fieldguide, the checker check_docs) never
imports the development tools, the audit or the tests; the installed distribution holds
the product's packages only."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

from tests.conftest import ROOT

PRODUCT = [ROOT / "hooks", ROOT / "scripts" / "fieldguide", ROOT / "scripts" / "check_docs"]
NOT_PRODUCT = {"devtools", "site_audit", "tests"}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, wherever the import stands."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_product_imports_no_development_tool():
    files = [p for folder in PRODUCT for p in sorted(folder.rglob("*.py"))]
    assert len(files) > 20
    wrong = {
        p.relative_to(ROOT).as_posix(): sorted(imported_modules(p) & NOT_PRODUCT)
        for p in files
        if imported_modules(p) & NOT_PRODUCT
    }
    assert wrong == {}


def test_import_scanner_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from devtools.browser import x\n    import tests.a\n")
    assert imported_modules(sample) == {"devtools", "tests"}


def test_the_distribution_holds_the_product_packages_only():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = config["tool"]["setuptools"]["packages"]["find"]
    assert found["where"] == ["scripts"]
    assert sorted(found["include"]) == ["check_docs*", "fieldguide*"]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_checker_installs_beside_another_sites_pins():
    """Another site installs check_docs (its plugin) into its own build environment: every
    third-party module the checker imports is one of the package's own dependencies (not
    the site's extra), and each is a range, never one exact version."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_canonical(req.name): req for req in map(Requirement, project["dependencies"])}
    modules = set().union(
        *(imported_modules(p) for p in (ROOT / "scripts" / "check_docs").rglob("*.py"))
    )
    third_party = modules - set(sys.stdlib_module_names) - {"check_docs"}
    assert {"markdown", "markdown_it", "mkdocs", "yaml"} <= third_party
    owners = importlib.metadata.packages_distributions()
    needed = {_canonical(owners[m][0]) for m in third_party}
    assert needed - set(declared) == set()
    exact = sorted(
        str(r) for r in declared.values() if any(s.operator == "==" for s in r.specifier)
    )
    assert exact == []
    assert all(r.specifier for r in declared.values())  # a lower bound we have tested


# An anchor the build writes, spelt out by hand (`source-{id}`, `ref-{id}`, `#source-`).
ANCHOR_SPELT_OUT = re.compile(r"""["'#](?:source|ref)-(?:\{|["'])""")


def test_generated_anchor_prefixes_are_defined_once():
    """fieldguide.anchors names the Sources block's and the Sources page's anchors; the
    hooks, the library, the templates and the checker all call it (the checker must
    know every anchor the build writes, so a second spelling would drift)."""
    home = ROOT / "scripts" / "fieldguide" / "anchors.py"
    places = [ROOT / "hooks", ROOT / "overrides", ROOT / "scripts" / "fieldguide"]
    places.append(ROOT / "scripts" / "check_docs")
    wrong = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in places
        for path in sorted(folder.rglob("*"))
        if path.suffix in {".py", ".html"} and path != home
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ANCHOR_SPELT_OUT.search(line)
    ]
    assert wrong == []
    assert ANCHOR_SPELT_OUT.search('<li id="source-{{ s.id }}">')
    assert ANCHOR_SPELT_OUT.search("f'ref-{s}'")
