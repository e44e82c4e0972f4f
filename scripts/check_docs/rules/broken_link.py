"""broken-link: a link or image that leads the reader nowhere.

A Markdown link to a file of ``docs_dir`` is judged by that file, as MkDocs rewrites
it; anything else (a folder, a directory-style URL, raw HTML's ``href`` and ``src``) is
judged as a browser judges it: from the address of the page it is on, against the
files of the built site. So ``[Guide](guide/)`` on the home page works, and the same
link on ``about.md`` (whose address is ``about/``) does not. Targets are compared
case-sensitively: the published site is, even where the writer's disk is not.

Fix: link to the page's Markdown file (``guide/index.md``), relative to the page you
are editing; MkDocs turns it into the right address for every reader.

Without a build record, a target that a configured plugin or hook may make (a blog
post, a page written by a plugin) is a warning naming it: build once to verify.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.links import Target, TargetKind
from check_docs.project import Project
from check_docs.record import Link, PageRecord
from check_docs.registry import rule
from check_docs.site import is_page
from check_docs.suggest import relative_link

NAME = "broken-link"
WHAT = {"link": "link", "image": "image", "html": "raw HTML link"}


@rule(NAME, "error", "a link or image that leads the reader nowhere", scope="links")
def check(page: PageRecord, project: Project) -> Iterator[Finding]:
    for link, target in project.resolved(page):
        if target.kind not in (TargetKind.MISSING, TargetKind.OUTSIDE):
            continue
        message, suggestion = _describe(page, link, target, project)
        maker = project.target_maker(target.path)
        if maker:
            yield project.unsettled(page, link, NAME, message, f"{maker} may make it")
        else:
            yield project.finding(page, link, NAME, "error", message, suggestion)


def _describe(
    page: PageRecord, link: Link, target: Target, project: Project
) -> tuple[str, str | None]:
    what = WHAT[link.syntax]
    url = link.url
    if target.kind == TargetKind.OUTSIDE:
        return f"{what} target '{url}' is outside {project.config.docs_prefix or 'docs/'}", None
    folder_page = _folder_page(target.path, project)
    path = url.split("#", 1)[0].split("?", 1)[0]
    # A path to a file (with an extension) is judged as a file of docs_dir; anything else
    # (a folder, a directory-style URL, raw HTML) by the address the browser resolves.
    if target.as_written and (link.syntax == "html" or not posixpath.splitext(path)[1]):
        address = project.site.page_url(page.path) or "./"
        message = f"{what} target '{url}' leads nowhere from this page's address ('{address}')"
        if folder_page and link.syntax != "html":
            return message + ": link to the folder's page", relative_link(
                page.path, folder_page, target.fragment
            )
        if target.path in project.dirs:
            return f"{what} target '{url}' is a folder without index.md", None
    else:
        message = f"{what} target '{url}' does not exist"
    if link.syntax == "html":
        return message, None
    index = project.page_index if is_page(target.path) else project.file_index
    match = index.closest(target.path)
    return message, relative_link(page.path, match, target.fragment) if match else None


def _folder_page(path: str, project: Project) -> str | None:
    """The page a folder link means: the folder's index.md (or README.md)."""
    if path not in project.dirs and path != "":
        return None
    for name in ("index.md", "README.md"):
        candidate = posixpath.join(path, name) if path else name
        if candidate in project.pages:
            return candidate
    return None
