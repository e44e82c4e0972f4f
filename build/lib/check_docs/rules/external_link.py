"""external-link (only with ``--external``): an http(s) link that is gone or moved.

Checked: every http(s) link on a page and every address in the sources registry
(``data/sources.yml``), which the build turns into links on every citing page.

Gone (4xx), server errors, unreachable hosts and servers that give no complete
answer within the request deadline are errors; redirects (with the new address as
the fix), servers that refuse checkers (403, a 429 that never clears) and URLs the
run's time limit left unchecked are warnings: the link may be fine, we cannot tell.
Status codes in ``--accept`` / ``external_accept`` count as fine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urldefrag

from check_docs.finding import Finding, Severity
from check_docs.links import TargetKind
from check_docs.project import Project
from check_docs.registry import rule

if TYPE_CHECKING:
    from check_docs.external import ExternalOptions

NAME = "external-link"
CACHE_DIR = ".check_docs_cache"

SEVERITY: dict[str, Severity] = {
    "broken": "error",
    "error": "error",
    "redirect": "warning",
    "forbidden": "warning",
    "rate-limited": "warning",
    "unchecked": "warning",
}


def request_url(url: str) -> str:
    """The address to ask for: no fragment, protocol-relative links as https."""
    url = urldefrag(url)[0]
    return "https:" + url if url.startswith("//") else url


def options_for(project: Project) -> ExternalOptions:
    from check_docs.external import ExternalOptions
    from check_docs.external_accept import parse_accept

    settings = project.config.settings
    return ExternalOptions(
        concurrency=settings.external_concurrency,
        per_host=settings.external_per_host,
        request_timeout=settings.external_request_timeout,
        run_timeout=settings.external_timeout,
        retries=settings.external_retries,
        max_redirects=settings.external_max_redirects,
        accept=parse_accept(settings.external_accept),
        ttl=settings.cache_ttl,
        cache_dir=project.config.root / CACHE_DIR,
    )


@rule(
    NAME,
    "error",
    "an external link that is broken or moved (--external)",
    scope="site",
    opt_in=True,
)
def check(project: Project) -> Iterator[Finding]:
    if not project.external:
        return
    skip = [re.compile(p) for p in project.config.settings.external_skip]
    # (path as findings show it, line, column, URL): page links and the sources registry.
    wanted = [
        (project.display(path), link.line, link.column, link.url)
        for path in list(project.pages)
        for link, target in project.resolved(project.full(path))
        if target.kind == TargetKind.EXTERNAL
    ]
    wanted += project.registry_links
    wanted = [item for item in wanted if not any(p.search(item[3]) for p in skip)]
    # httpx is imported only when external links are checked: it is a third of start-up.
    from check_docs.external import ExternalChecker

    checker = project.external_checker or ExternalChecker(options_for(project))
    outcomes = checker.check(request_url(url) for *_where, url in wanted)
    for path, line, column, url in wanted:
        outcome = outcomes[request_url(url)]
        severity = SEVERITY.get(outcome.status)
        if severity is None:
            continue
        if outcome.status == "redirect":
            message = f"'{url}' {outcome.detail} to {outcome.location}"
        elif outcome.status in ("forbidden", "rate-limited"):
            message = f"'{url}' is unverifiable: {outcome.detail}"
        elif outcome.status == "unchecked":
            message = f"'{url}' was {outcome.detail}"
        else:
            message = f"'{url}' is broken: {outcome.detail}"
        suggestion = outcome.location if outcome.status == "redirect" else None
        yield Finding(path, line, column, NAME, severity, message, suggestion)
