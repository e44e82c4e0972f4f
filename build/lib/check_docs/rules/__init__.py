"""Every rule, one per module; importing this package registers them all."""

from check_docs.rules import (
    broken_anchor,
    broken_link,
    copied_text,
    escaped_quote_in_title,
    external_link,
    glossary_unused,
    invalid_file,
    nav_missing,
    orphan_page,
    term_case,
    term_variant,
    undefined_abbreviation,
    unsafe_link,
    unused_suppression,
)

__all__ = [
    "broken_anchor",
    "broken_link",
    "copied_text",
    "escaped_quote_in_title",
    "external_link",
    "glossary_unused",
    "invalid_file",
    "nav_missing",
    "orphan_page",
    "term_case",
    "term_variant",
    "undefined_abbreviation",
    "unsafe_link",
    "unused_suppression",
]
