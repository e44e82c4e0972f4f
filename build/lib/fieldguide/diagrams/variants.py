"""Other directions to draw a flowchart in, for screens too narrow for the one written.

A writer picks a direction for the desktop (``flowchart LR``, or ``TB`` with
``direction LR`` subgraphs). On a phone the same boxes often fit better stacked
the other way: a chain reads well top-down, a wide fan-out reads well left to
right. ``make diagrams`` draws each candidate and keeps the narrowest.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^(\s*(?:flowchart|graph)\s+)(TB|TD|BT|LR|RL)\b", re.M)
_DIRECTION = re.compile(r"^(\s*direction\s+)(TB|TD|BT|LR|RL)\b", re.M)
_VERTICAL = {"LR": "TB", "RL": "BT"}
_HORIZONTAL = {"TB": "LR", "TD": "LR", "BT": "RL"}


def _rewrite(source: str, mapping: dict[str, str]) -> str:
    def swap(match: re.Match[str]) -> str:
        return match.group(1) + mapping.get(match.group(2), match.group(2))

    return _DIRECTION.sub(swap, _HEADER.sub(swap, source))


def direction_variants(source: str) -> list[str]:
    """The source with every direction vertical, and with every one horizontal.

    Only flowcharts have directions to turn; for any other diagram, and for a
    flowchart already drawn one way throughout, the list holds no new source.
    """
    if not _HEADER.search(source):
        return []
    variants = [_rewrite(source, _VERTICAL), _rewrite(source, _HORIZONTAL)]
    return [v for i, v in enumerate(variants) if v != source and v not in variants[:i]]
