"""broken-link: a relative link or image whose target is not a file in docs_dir.

Targets are compared case-sensitively (the published site is case-sensitive
even when the writer's disk is not). A folder is not a page: MkDocs leaves such
a link unresolved, so it is reported too, with the page to link instead.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.links import Kind, link_finding, uses
from check_docs.project import Project
from check_docs.registry import rule
from check_docs.suggest import PathIndex, relative_link

NAME = "broken-link"
BROKEN = frozenset({Kind.MISSING, Kind.OUTSIDE, Kind.FOLDER})


@rule(NAME, "error", "a relative link or image whose target does not exist")
def check(project: Project) -> Iterator[Finding]:
    pages = PathIndex(project.pages)
    files = PathIndex(project.files)
    for page, link in uses(project):
        if link.target not in BROKEN or link.kind == "html":
            continue  # raw HTML is passed through untouched; only unsafe-link reads it
        url = link.url
        what = "image" if link.kind == "image" else "link"
        suggestion = None
        if link.target == Kind.MISSING:
            message = f"{what} target '{url}' does not exist"
            match = (pages if link.path.endswith(".md") else files).closest(link.path)
            if match:
                suggestion = relative_link(page, match, link.fragment)
        elif link.target == Kind.OUTSIDE:
            message = f"{what} target '{url}' is outside {project.config.docs_prefix or 'docs/'}"
        else:
            index = posixpath.join(link.path, "index.md") if link.path else "index.md"
            if index in project.pages:
                message = f"{what} target '{url}' is a folder: link to its index.md page"
                suggestion = relative_link(page, index, link.fragment)
            else:
                message = f"{what} target '{url}' is a folder without index.md"
        yield link_finding(
            project,
            page,
            link,
            NAME,
            message,
            suggestion,
        )
