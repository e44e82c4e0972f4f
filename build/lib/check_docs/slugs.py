"""Slug functions that mkdocs.yml names, recognised by name and run as the checker's own code.

A site chooses how headings become anchors with ``!!python/name:`` or
``!!python/object/apply:`` under the ``toc`` extension's ``slugify`` option (and
pymdown-extensions' tabs). MkDocs imports whatever is named there; a linter that runs
before anyone builds must not, so nothing named in the file is ever imported or called.
The well-known functions below are matched by name and run from our own imports;
anything else is left unresolved with one warning, and anchors fall back to MkDocs'
default slugs.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import slugify_unicode as toc_slugify_unicode

Slugify = Callable[[str, str], str]

# The slug functions Python-Markdown ships, named with !!python/name:.
FUNCTIONS: dict[str, Slugify] = {
    "markdown.extensions.toc.slugify": toc_slugify,
    "markdown.extensions.toc.slugify_unicode": toc_slugify_unicode,
}
# pymdown-extensions' configurable slug, made with !!python/object/apply: and keywords.
PYMDOWN_FACTORY = "pymdownx.slugs.slugify"
PYMDOWN_OPTIONS = ("case", "percent_encode", "normalize")
# pymdown-extensions' older names (deprecated in 8.x, gone from 13.1): each was the
# configurable slug with these options, which is how they run here.
PYMDOWN_LEGACY: dict[str, dict[str, Any]] = {
    "pymdownx.slugs.uslugify": {"case": "lower"},
    "pymdownx.slugs.uslugify_encoded": {"case": "lower", "percent_encode": True},
    "pymdownx.slugs.uslugify_cased": {},
    "pymdownx.slugs.uslugify_cased_encoded": {"percent_encode": True},
    "pymdownx.slugs.gfm": {"case": "lower-ascii"},
    "pymdownx.slugs.gfm_encoded": {"case": "lower-ascii", "percent_encode": True},
}
EXAMPLE = "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"
# A heading with what slug functions treat differently: case, accents, spaces, symbols.
_PROBE = "Probe: Ünïcode Heading_1 & <b>more</b>"


class SlugError(Exception):
    """A slug setting MkDocs itself would fail on: the message says what it expects."""


@dataclass(frozen=True)
class PyRef:
    """A ``!!python/...`` value, kept as text: nothing it names is imported or called.

    ``kind`` is the tag's kind (``name``, ``module``, ``object``, ``object/new``,
    ``object/apply``); ``args`` and ``kwds`` are what an ``apply`` or ``new`` would pass."""

    kind: str
    name: str
    line: int
    args: tuple[Any, ...] = ()
    kwds: Mapping[Any, Any] | None = None

    @property
    def tag(self) -> str:
        return f"!!python/{self.kind}:{self.name}"

    __hash__ = object.__hash__  # usable as a mapping key, like the object it stands for


def _pymdown(options: Mapping[str, Any]) -> Slugify:
    from pymdownx.slugs import slugify  # our import, with options we have checked

    function: Slugify = slugify(**options)
    return function


def _describe(value: object) -> str:
    if isinstance(value, PyRef):
        return value.tag
    if isinstance(value, str):
        return "a string"
    return "a mapping" if isinstance(value, dict) else f"a {type(value).__name__}"


def resolve(value: object, separator: str) -> tuple[Slugify, str | None]:
    """The slug function ``value`` stands for and a warning (None when there is none).

    Raises SlugError for what MkDocs itself would fail on: a value that is not a
    function reference, a known function used the wrong way, options pymdown-extensions
    rejects, or a separator the function cannot use."""
    function, warning = _choose(value)
    try:
        with warnings.catch_warnings():  # `re` warns of odd separators in a character class
            warnings.simplefilter("ignore")
            function(_PROBE, separator)  # the build calls it on every heading: fail here
    except (re.error, TypeError, ValueError, UnicodeError) as exc:
        raise SlugError(
            f"the slug function fails with separator {separator!r} ({type(exc).__name__}: "
            f"{exc}); MkDocs expects a separator such as '-'"
        ) from None
    return function, warning


def _choose(value: object) -> tuple[Slugify, str | None]:
    if value is None:
        return toc_slugify, None
    if not isinstance(value, PyRef):
        raise SlugError(
            f"got {_describe(value)}; MkDocs expects a function reference such as "
            "!!python/name:markdown.extensions.toc.slugify_unicode or " + EXAMPLE
        )
    if value.kind == "name" and value.name in FUNCTIONS:
        return FUNCTIONS[value.name], None
    if value.kind == "name" and value.name in PYMDOWN_LEGACY:
        return _pymdown(PYMDOWN_LEGACY[value.name]), None
    if value.kind == "name" and value.name == PYMDOWN_FACTORY:
        raise SlugError(
            f"{value.tag} makes a slug function and must be called with its options; "
            f"MkDocs expects {EXAMPLE}"
        )
    if value.kind == "object/apply" and value.name in (*FUNCTIONS, *PYMDOWN_LEGACY):
        raise SlugError(
            f"!!python/object/apply:{value.name} would call the slug function once, at "
            f"load time; MkDocs expects it named: !!python/name:{value.name}"
        )
    if value.kind == "object/apply" and value.name == PYMDOWN_FACTORY:
        return _pymdown(_pymdown_options(value)), _unknown_options(value)
    return toc_slugify, (
        f"{value.tag} is not a slug function check_docs knows (Python-Markdown's toc "
        "slugify and slugify_unicode, pymdown-extensions' slugs): it is not run, and "
        "anchors are checked with MkDocs' default slugs"
    )


def _pymdown_options(value: PyRef) -> dict[str, Any]:
    if value.args:
        raise SlugError(
            f"{PYMDOWN_FACTORY} takes keyword options only ({', '.join(PYMDOWN_OPTIONS)}), "
            f"got positional arguments; MkDocs expects {EXAMPLE}"
        )
    kwds = value.kwds or {}
    if not isinstance(kwds, dict) or not all(isinstance(k, str) for k in kwds):
        raise SlugError(
            f"the options of {PYMDOWN_FACTORY} must be a mapping of names to values; "
            f"MkDocs expects {EXAMPLE}"
        )
    normalize = kwds.get("normalize", "NFC")
    if normalize not in ("NFC", "NFD", "NFKC", "NFKD"):
        raise SlugError(
            f"{PYMDOWN_FACTORY} normalize is {normalize!r}; pymdown-extensions expects "
            "NFC, NFD, NFKC or NFKD"
        )
    return {k: v for k, v in kwds.items() if k in PYMDOWN_OPTIONS}


def _unknown_options(value: PyRef) -> str | None:
    unknown = sorted(k for k in (value.kwds or {}) if k not in PYMDOWN_OPTIONS)
    if not unknown:
        return None
    return (
        f"{PYMDOWN_FACTORY} has no option {', '.join(map(repr, unknown))} "
        f"(pymdown-extensions ignores it; it knows {', '.join(PYMDOWN_OPTIONS)})"
    )
