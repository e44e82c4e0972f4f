"""nav-missing: a nav entry in mkdocs.yml that names no page in docs_dir."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.project import Project
from check_docs.registry import rule
from check_docs.suggest import closest

NAME = "nav-missing"


@rule(NAME, "error", "a nav entry in mkdocs.yml pointing to a missing file")
def check(project: Project) -> Iterator[Finding]:
    for entry in project.config.nav or ():
        path = posixpath.normpath(entry.path)
        if path in project.files:
            continue
        yield Finding(
            project.display_path(entry.file or project.config.config_file),
            entry.line,
            entry.column,
            NAME,
            "error",
            f"nav entry '{entry.path}' is not a file in {project.config.docs_prefix or 'docs/'}",
            closest(path, project.pages),
        )
