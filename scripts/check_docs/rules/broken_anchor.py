"""broken-anchor: a ``#fragment`` that matches no id on the target page.

The ids are the ones the built page has (see ``collect`` and ``project``):
headings slugified with the site's toc settings, explicit and attr_list ids,
raw HTML ids and names, footnotes, and the anchors hooks add at build time.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.links import Kind, resolved
from check_docs.project import Project
from check_docs.registry import rule
from check_docs.suggest import closest

NAME = "broken-anchor"


@rule(NAME, "error", "a #fragment that matches no anchor on the target page")
def check(project: Project) -> Iterator[Finding]:
    for use in resolved(project):
        target = use.target
        if use.link.kind == "html" or target.kind not in (Kind.PAGE, Kind.SAME_PAGE):
            continue
        if not target.fragment:
            continue
        anchors = project.anchors.get(target.path, set())
        if target.fragment in anchors:
            continue
        where = "this page" if target.kind == Kind.SAME_PAGE else project.display(target.path)
        match = closest(target.fragment, anchors)
        suggestion = None
        if match:
            base = use.link.url.split("#", 1)[0]
            suggestion = f"{base}#{match}"
        yield Finding(
            project.display(use.page),
            use.link.line,
            use.link.column,
            NAME,
            "error",
            f"anchor '#{target.fragment}' not found on {where}",
            suggestion,
        )
