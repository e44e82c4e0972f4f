"""The rule registry: one rule per module in ``check_docs.rules``.

A rule is a function ``check(project) -> Iterable[Finding]`` registered with
:func:`rule`. Adding a rule means adding a module and listing it in
``rules/__init__.py``; the CLI, the hook, ``--select``/``--ignore`` and the
suppression comments pick it up from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from check_docs.finding import Finding, Severity

if TYPE_CHECKING:
    from check_docs.project import Project

CheckFn = Callable[["Project"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    name: str
    severity: Severity
    summary: str
    check: CheckFn
    # Off unless asked for explicitly (e.g. external-link needs --external).
    opt_in: bool = False
    # Reads the term scan (check_docs.terms), which the page workers then run too.
    uses_terms: bool = False


RULES: dict[str, Rule] = {}


def rule(
    name: str, severity: Severity, summary: str, *, opt_in: bool = False, uses_terms: bool = False
) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        if name in RULES:
            raise RuntimeError(f"rule {name!r} registered twice")
        RULES[name] = Rule(name, severity, summary, fn, opt_in, uses_terms)
        return fn

    return register


def all_rules() -> dict[str, Rule]:
    import check_docs.rules  # noqa: F401  (importing registers every rule)

    return RULES
