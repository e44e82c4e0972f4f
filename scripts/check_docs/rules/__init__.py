"""Every rule, one per module; importing this package registers them all."""

from check_docs.rules import (
    broken_anchor,
    broken_link,
    external_link,
    invalid_file,
    nav_missing,
    orphan_page,
    unsafe_link,
)

__all__ = [
    "broken_anchor",
    "broken_link",
    "external_link",
    "invalid_file",
    "nav_missing",
    "orphan_page",
    "unsafe_link",
]
