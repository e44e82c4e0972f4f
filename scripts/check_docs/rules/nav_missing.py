"""nav-missing: a nav entry in mkdocs.yml that names no file of docs_dir.

MkDocs drops such an entry from the navigation (or shows a dead link). Fix the path
(relative to docs_dir; the suggestion is the closest page) or remove the entry.

A nav entry that is a folder is what literate-nav and similar plugins read: with such
a plugin configured and no build record, it is a warning naming the plugin; with a
fresh record (or ``--site``), the entry is right when the build rendered pages in that
folder (it made the folder a section), and an error otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding, Severity, unsettled_text
from check_docs.project import Project
from check_docs.registry import rule
from check_docs.suggest import closest

NAME = "nav-missing"


@rule(NAME, "error", "a nav entry in mkdocs.yml pointing to a missing file", scope="site")
def check(project: Project) -> Iterator[Finding]:
    navigation = project.makers.navigation()
    for entry in project.config.nav or ():
        path = entry.target
        if path in project.files:
            continue
        folder = path in project.dirs or entry.path.endswith("/")
        if folder and project.built_under(path):
            continue
        message = (
            f"nav entry '{entry.path}' is not a file in {project.config.docs_prefix or 'docs/'}"
        )
        severity: Severity = "error"
        suggestion: str | None = None
        cause: str | None = None
        if navigation and folder and not project.build_fresh:
            severity, cause = "warning", f"{navigation} may make it a section"
            message = unsettled_text(message, cause)
        else:
            suggestion = closest(path, project.pages)
        yield Finding(
            project.display_path(entry.file or project.config.config_file),
            entry.line,
            entry.column,
            NAME,
            severity,
            message,
            suggestion,
            cause=cause,
        )
