"""The rule registry: one rule per module in ``check_docs.rules``.

A rule is a function registered with :func:`rule`; its module's docstring is its
explanation (``--explain``), and its name, severity and summary are listed by
``--list-rules``. Each rule says what it reads, which decides when it runs:

- ``page``: one page's record and text (``check(page, context)``). Runs right after
  the page is parsed, in the process that parsed it; its findings are kept with the
  page in the cache until the page changes.
- ``links``: one page's resolved links and the records of the pages they reach
  (``check(page, project)``). Runs again for a page when it or a page it links to
  changed.
- ``site``: the whole project (``check(project)``).

A ``page`` rule may also ``collect`` data from each page for a ``site`` rule to sum up
(``glossary-unused`` counts the mentions every page collected).

Adding a rule means adding a module and listing it in ``rules/__init__.py``; the CLI,
the plugin, ``--select``/``--ignore``, ``--explain`` and the suppression comments pick
it up from here.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from check_docs.finding import Severity

Scope = Literal["page", "links", "site"]


@dataclass(frozen=True)
class Rule:
    name: str
    severity: Severity
    summary: str
    scope: Scope
    check: Callable[..., Any]
    # Off unless asked for explicitly (external-link needs --external).
    opt_in: bool = False
    # Needs a glossary ([tool.check_docs] glossary); off without one.
    needs_glossary: bool = False
    # Its findings carry an edit that --fix applies.
    fixable: bool = False
    # For a site rule: (page, context) -> data kept per page (see module docstring).
    collect: Callable[..., Any] | None = None

    @property
    def explanation(self) -> str:
        """The rule module's docstring: what it reports, why, and how to fix it."""
        return inspect.cleandoc(sys.modules[self.check.__module__].__doc__ or self.summary)


RULES: dict[str, Rule] = {}


def rule(
    name: str,
    severity: Severity,
    summary: str,
    *,
    scope: Scope,
    opt_in: bool = False,
    needs_glossary: bool = False,
    fixable: bool = False,
    collect: Callable[..., Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in RULES:
            raise RuntimeError(f"rule {name!r} registered twice")
        RULES[name] = Rule(
            name, severity, summary, scope, fn, opt_in, needs_glossary, fixable, collect
        )
        return fn

    return register


def all_rules() -> dict[str, Rule]:
    import check_docs.rules  # noqa: F401  (importing registers every rule)

    return RULES
