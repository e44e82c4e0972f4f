"""What a page rule gets besides the page: the configuration and the glossary index.

Built once per run and shared by every page (worker processes inherit it when they
fork), so nothing in it is sent again with each page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from check_docs.terms import PageProse, TermIndex, page_prose

if TYPE_CHECKING:
    from check_docs.config import Config
    from check_docs.record import PageRecord


@dataclass
class PageContext:
    config: Config
    display: Callable[[str], str]  # docs-relative path -> as findings show it
    terms: TermIndex | None = None  # None: no glossary configured (term rules off)
    glossary_page: str = ""  # docs-relative page that lists the glossary
    _prose: tuple[PageRecord, PageProse] | None = field(default=None, repr=False)

    def prose(self, page: PageRecord) -> PageProse:
        """The page's prose and term matches, computed once for all the term rules."""
        assert self.terms is not None, "term rules run only with a glossary"
        if self._prose is None or self._prose[0] is not page:
            self._prose = (page, page_prose(page, self.terms))
        return self._prose[1]
