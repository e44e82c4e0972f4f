"""glossary-unused (warning): a glossary entry that no page mentions.

Mentions are counted as the Glossary page's "Mentioned on" lists count them: the
term, its abbreviation or an alias, in any page's prose except the Glossary page
itself. Reported at the entry's line in the glossary data file.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.project import Project
from check_docs.registry import rule
from check_docs.terms import scan_project

NAME = "glossary-unused"


@rule(NAME, "warning", "a glossary entry that no page mentions", uses_terms=True)
def check(project: Project) -> Iterator[Finding]:
    scan = scan_project(project)
    if scan.glossary is None:
        return
    mentioned = set().union(*(page.mentioned for page in scan.pages.values()))
    path = project.display_path(scan.glossary.path.absolute())
    for entry in scan.glossary.entries:
        if entry.id not in mentioned:
            yield Finding(
                path,
                entry.line,
                1,
                NAME,
                "warning",
                f"entry '{entry.id}' ('{entry.term}') is mentioned on no page: "
                "use it on a page or remove the entry",
            )
