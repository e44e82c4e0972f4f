"""broken-anchor: a ``#fragment`` that matches no id on the page it leads to.

The ids are the ones the built page has: inside ``mkdocs build`` the ids of the HTML
MkDocs wrote; standalone, the ids the page's Markdown gives (headings slugified as the
site's toc extension does, attr_list ids on headings, blocks and fences, content tabs,
footnotes, raw HTML ids) plus those the last build record holds for a page that has
not changed since. Links in raw HTML (``<a href="#typo">``) are checked too.

Fix: use the id the page has (the suggestion is the closest one), or give the heading
an explicit id with attr_list (``## Title { #my-id }``) so later edits cannot break it.

Without a build record, an id that a configured plugin or hook may add (autorefs,
mkdocstrings, a hook that writes headings) is a warning naming it: build once to
verify.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.links import TargetKind
from check_docs.project import Project
from check_docs.record import PageRecord
from check_docs.registry import rule
from check_docs.suggest import closest

NAME = "broken-anchor"
# A fragment every HTML page has: "#top" and "#" scroll to the top (HTML's rule).
ALWAYS = frozenset({"", "top"})


@rule(NAME, "error", "a #fragment that matches no id on the page it leads to", scope="links")
def check(page: PageRecord, project: Project) -> Iterator[Finding]:
    for link, target in project.resolved(page):
        if target.kind not in (TargetKind.PAGE, TargetKind.SAME_PAGE):
            continue
        fragment = target.fragment
        if fragment in ALWAYS:
            continue
        known = project.anchors_of(target.path)
        if fragment in known:
            continue
        where = "this page" if target.path == page.path else project.display(target.path)
        message = f"anchor '#{fragment}' not found on {where}"
        maker = project.anchor_maker(target.path)
        if maker:
            yield project.unsettled(page, link, NAME, message, f"{maker} may add it")
            continue
        match = closest(fragment, known)
        suggestion = f"{link.url.split('#', 1)[0]}#{match}" if match else None
        yield project.finding(page, link, NAME, "error", message, suggestion)
