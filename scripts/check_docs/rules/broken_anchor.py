"""broken-anchor: a ``#fragment`` that matches no id on the target page.

The ids are the ones the built page has (see ``collect`` and ``project``):
headings slugified with the site's toc settings, explicit and attr_list ids,
raw HTML ids and names, footnotes, and the anchors hooks add at build time.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.links import Kind, link_finding, uses
from check_docs.project import Project
from check_docs.registry import rule
from check_docs.suggest import closest

NAME = "broken-anchor"


@rule(NAME, "error", "a #fragment that matches no anchor on the target page")
def check(project: Project) -> Iterator[Finding]:
    anchors = project.anchors
    for page, link in uses(project):
        if not link.fragment or link.kind == "html":
            continue
        if link.target not in (Kind.PAGE, Kind.SAME_PAGE):
            continue
        known = anchors.get(link.path, set())
        if link.fragment in known:
            continue
        where = "this page" if link.target == Kind.SAME_PAGE else project.display(link.path)
        match = closest(link.fragment, known)
        suggestion = f"{link.url.split('#', 1)[0]}#{match}" if match else None
        yield link_finding(
            project,
            page,
            link,
            NAME,
            f"anchor '#{link.fragment}' not found on {where}",
            suggestion,
        )
