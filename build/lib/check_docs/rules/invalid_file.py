"""invalid-file: a page or data file that cannot be read or parsed.

Not UTF-8, a binary file named .md, an unreadable or special file, invalid YAML front
matter, a symlink loop, an invalid glossary, a missing snippet: the checker says where
and what to do, and carries on with everything else.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.project import Project
from check_docs.registry import rule

NAME = "invalid-file"


@rule(NAME, "error", "a page or data file that cannot be read or parsed", scope="site")
def check(project: Project) -> Iterator[Finding]:
    yield from project.problems
    for rel, page in project.pages.items():
        for line, column, message in page.problems:
            yield Finding(project.display(rel), line, column, NAME, "error", message)
