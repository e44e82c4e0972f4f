"""unused-suppression (warning): a ``<!-- check_docs: ignore ... -->`` that suppresses nothing.

The comment silences the rules it names on its own line and the next; once the
problem is fixed it only hides the next one. Judged only for rules that ran (with
``--select`` or ``--ignore``, a comment naming a rule that did not run is left alone),
like ruff's RUF100.

Fix: remove the comment, or the rule names in it that no longer apply.
"""

from __future__ import annotations

from collections.abc import Iterator

from check_docs.finding import Finding
from check_docs.project import Project
from check_docs.registry import rule

NAME = "unused-suppression"


@rule(NAME, "warning", "a suppression comment that suppresses nothing", scope="site")
def check(project: Project) -> Iterator[Finding]:
    # The engine fills project.unused_suppressions once every other rule has run.
    for rel, suppression, names in project.unused_suppressions:
        listed = ", ".join(sorted(names)) if "*" not in names else "every rule"
        yield Finding(
            project.display(rel),
            suppression.line,
            suppression.column,
            NAME,
            "warning",
            f"suppression comment for {listed} suppresses nothing: remove it",
        )
