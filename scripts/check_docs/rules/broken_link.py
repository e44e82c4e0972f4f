"""broken-link: a relative link or image whose target is not a file in docs_dir.

Targets are compared case-sensitively (the published site is case-sensitive
even when the writer's disk is not). A folder is not a page: MkDocs leaves such
a link unresolved, so it is reported too, with the page to link instead.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.links import Kind, resolved
from check_docs.project import Project
from check_docs.registry import rule
from check_docs.suggest import PathIndex, relative_link

NAME = "broken-link"


@rule(NAME, "error", "a relative link or image whose target does not exist")
def check(project: Project) -> Iterator[Finding]:
    pages = PathIndex(project.pages)
    files = PathIndex(project.files)
    for use in resolved(project):
        if use.link.kind == "html":
            continue  # raw HTML is passed through untouched; only unsafe-link reads it
        target, url = use.target, use.link.url
        what = "image" if use.link.kind == "image" else "link"
        suggestion = None
        if target.kind == Kind.MISSING:
            message = f"{what} target '{url}' does not exist"
            match = (pages if target.path.endswith(".md") else files).closest(target.path)
            if match:
                suggestion = relative_link(use.page, match, target.fragment)
        elif target.kind == Kind.OUTSIDE:
            message = f"{what} target '{url}' is outside {project.config.docs_prefix or 'docs/'}"
        elif target.kind == Kind.FOLDER:
            index = posixpath.join(target.path, "index.md") if target.path else "index.md"
            if index in project.pages:
                message = f"{what} target '{url}' is a folder: link to its index.md page"
                suggestion = relative_link(use.page, index, target.fragment)
            else:
                message = f"{what} target '{url}' is a folder without index.md"
        else:
            continue
        yield Finding(
            project.display(use.page),
            use.link.line,
            use.link.column,
            NAME,
            "error",
            message,
            suggestion,
        )
