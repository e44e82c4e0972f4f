"""No hidden order between the hooks: each loads what it needs through the library
(the registry, the glossary, the models), so the site built with the hooks listed in
reverse order holds the same generated parts: every page's Sources block and term
links, the Sources and Glossary pages' listings, glossary.json and llms.txt."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import built_pages, mkdocs_build

# What the hooks generate, in a built page: its Sources block, the registry listing,
# the glossary entries, and the glossary's term links.
GENERATED = re.compile(
    r'<aside class="fg-sources".*?</aside>|<li id="ref-[^"]*".*?</li>|<dt id=.*?</dd>'
    r'|<a [^>]*class="fg-term"[^>]*>',
    re.S,
)


def generated(site: Path) -> dict[str, list[str]]:
    out = {
        rel: GENERATED.findall((site / rel / "index.html").read_text(encoding="utf-8"))
        for rel in built_pages(site)
    }
    for name in ("glossary.json", "llms.txt"):
        out[name] = [(site / name).read_text(encoding="utf-8")]
    return out


def test_hooks_in_reverse_order_build_the_same_site(project_copy, built_site, tmp_path):
    config = project_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    listed = re.search(r"^hooks:\n((?:  - .*\n)+)", text, re.M)
    assert listed is not None
    hooks = listed.group(1).splitlines(keepends=True)
    assert len(hooks) > 3
    config.write_text(text.replace(listed.group(1), "".join(reversed(hooks))), encoding="utf-8")

    proc = mkdocs_build(project_copy, "--site-dir", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ours, theirs = generated(tmp_path / "site"), generated(built_site.path)
    assert sum(len(parts) for parts in theirs.values()) > 100  # the pattern finds them
    assert ours == theirs
