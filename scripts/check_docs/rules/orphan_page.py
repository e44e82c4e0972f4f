"""orphan-page (warning): a page in no nav entry that no other page links to.

Readers can only reach such a page through search. Pages matched by MkDocs'
``not_in_nav`` are meant to be outside the nav and are not reported; without a ``nav``
MkDocs lists every page, so nothing is an orphan. A page that other pages include with
pymdownx.snippets exists to be included, and is not reported either.

Links from pages a plugin makes (a blog's index and archive) and links a plugin or hook
writes into a page (autorefs' cross-references) count when a build record says what
they link to; without one, the warning names the plugins and hooks that may link to it.
A page the last build published at another address than MkDocs' own (a blog post under
its date) is not judged standalone: which pages link to it is the build's to say. A
page the build left out (an exclude plugin's) is not a page readers get.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.project import Project
from check_docs.registry import rule

NAME = "orphan-page"


@rule(NAME, "warning", "a page in no nav entry that no other page links to", scope="site")
def check(project: Project) -> Iterator[Finding]:
    nav = project.config.nav
    if nav is None and not project.build_nav:
        return
    reached = project.reached_pages()
    not_in_nav = project.config.not_in_nav
    makers = project.makers.linkers() if not project.build_fresh else ""
    for rel in sorted(project.pages):
        if project.pages[rel].generated or project.published_elsewhere(rel):
            continue
        if project.left_out(rel):  # not a page readers get
            continue
        if rel in reached or (not_in_nav is not None and not_in_nav.match_file(rel)):
            continue
        message = (
            "page is in no nav entry and no page links to it: add it to nav in mkdocs.yml "
            "or link to it"
        )
        cause = f"{makers} may link to it" if makers else None
        if cause:
            message += f" ({cause}: build once to verify)"
        yield Finding(project.display(rel), 1, 1, NAME, "warning", message, cause=cause)
