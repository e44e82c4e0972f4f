"""orphan-page (warning): a page in no nav entry that no other page links to.

Readers can only reach such a page through search. Pages matched by MkDocs'
``not_in_nav`` are meant to be outside the nav and are not reported; without
a ``nav`` MkDocs lists every page, so nothing is an orphan.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.links import Kind, uses
from check_docs.project import Project
from check_docs.registry import rule

NAME = "orphan-page"


@rule(NAME, "warning", "a page in no nav entry that no other page links to")
def check(project: Project) -> Iterator[Finding]:
    nav = project.config.nav
    if nav is None:
        return
    reached = {posixpath.normpath(entry.path) for entry in nav}
    reached.update(
        link.path for page, link in uses(project) if link.target == Kind.PAGE and link.path != page
    )
    not_in_nav = project.config.not_in_nav
    for rel in sorted(project.pages):
        if rel in reached or (not_in_nav is not None and not_in_nav.match_file(rel)):
            continue
        yield Finding(
            project.display(rel),
            1,
            1,
            NAME,
            "warning",
            "page is in no nav entry and no page links to it: add it to nav in mkdocs.yml "
            "or link to it",
        )
