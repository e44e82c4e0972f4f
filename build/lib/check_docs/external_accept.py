"""``--accept``: the HTTP status codes a site treats as fine, in lychee's syntax.

A comma-separated list of codes and ranges: ``403``, ``200..=299`` (inclusive),
``200..300`` (end excluded), ``..=299`` and ``500..`` (open ends), each code from 100
to 999, as lychee's ``--accept`` reads them.
"""

from __future__ import annotations

import re

MIN_CODE = 100
MAX_CODE = 999
# lychee's pattern (lychee-lib src/types/accept/range.rs): a range or a single code.
_RANGE = re.compile(r"^(?P<start>[0-9]+)?\.\.(?P<until>(?P<inclusive>=)?(?P<end>[0-9]+))?$")
_SINGLE = re.compile(r"^[0-9]+$")


class AcceptError(ValueError):
    """A status list that cannot be read; the message says what is expected."""


def _code(text: str, whole: str) -> int:
    if len(text) > 3 or not MIN_CODE <= int(text) <= MAX_CODE:
        raise AcceptError(f"{whole!r}: status codes are numbers from {MIN_CODE} to {MAX_CODE}")
    return int(text)


def parse_accept(text: str) -> frozenset[int]:
    """Every status code ``text`` accepts; AcceptError naming the part that is wrong."""
    codes: set[int] = set()
    for raw in text.split(","):
        part = raw.strip()
        if not part:
            continue
        if _SINGLE.match(part):
            codes.add(_code(part, part))
            continue
        match = _RANGE.match(part)
        if match is None:
            raise AcceptError(
                f"{part!r} is not a status code or a range; write e.g. 403, 200..=299 or 200..300"
            )
        start = _code(match["start"], part) if match["start"] else MIN_CODE
        if match["end"] is None:
            end = MAX_CODE
        else:
            end = _code(match["end"], part) - (0 if match["inclusive"] else 1)
        if start > end:
            raise AcceptError(f"{part!r} is an empty range: its start is after its end")
        codes.update(range(start, end + 1))
    return frozenset(codes)
