"""invalid-file: a page or data file that cannot be read or parsed.

Non-UTF-8 text, a binary file named .md, an unreadable file, invalid YAML
front matter, a symlink loop, an invalid data file: the checker reports
where and carries on with everything else.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.project import Project
from check_docs.registry import rule

NAME = "invalid-file"


@rule(NAME, "error", "a page or data file that cannot be read or parsed")
def check(project: Project) -> Iterator[Finding]:
    yield from project.problems
    for rel, page in project.pages.items():
        for line, column, message in page.problems:
            yield Finding(project.display(rel), line, column, NAME, "error", message)
