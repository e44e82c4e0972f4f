"""Read what the checker needs from mkdocs.yml and ``[tool.check_docs]``.

mkdocs.yml is read by :mod:`check_docs.config_yaml` (no code run, bounded,
``INHERIT`` and ``!ENV`` as MkDocs has them); the settings the checker uses are
then checked the way MkDocs checks them. Anything wrong is a :class:`ConfigError`
of one line naming ``file:line``, what is wrong and what MkDocs expects: the CLI
prints it and exits 2, the hook stops the build with the same text. Settings the
checker never reads are left to MkDocs. Slug functions are resolved by
:mod:`check_docs.slugs`; what cannot be resolved safely becomes a warning in
:attr:`Config.warnings`.
"""

from __future__ import annotations

import math
import posixpath
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from check_docs import files, slugs
from check_docs.config_cache import load_document
from check_docs.config_yaml import Document, YamlError
from check_docs.external_accept import AcceptError, parse_accept

MAX_PYPROJECT_BYTES = 5 * 1024 * 1024
_LEVELS = ("warn", "info", "ignore")
# MkDocs' validation: settings, and the levels each accepts.
_VALIDATION: dict[str, dict[str, tuple[str, ...]]] = {
    "nav": {
        "omitted_files": _LEVELS,
        "not_found": _LEVELS,
        "absolute_links": (*_LEVELS, "relative_to_docs"),
    },
    "links": {
        "not_found": _LEVELS,
        "absolute_links": (*_LEVELS, "relative_to_docs"),
        "unrecognized_links": _LEVELS,
        "anchors": _LEVELS,
    },
}
# Extensions whose `slugify` option names a slug function (toc's is the anchors').
TOC = ("toc", "markdown.extensions.toc")


class ConfigError(Exception):
    """A problem in mkdocs.yml, pyproject.toml or the command line."""


class NavEntry(NamedTuple):
    """A page named in the nav, with where it is written (``file``: mkdocs.yml or the
    INHERIT parent that set the nav). A named tuple: ten thousand are made each run
    of a large site (a frozen dataclass sets each field through a call)."""

    path: str
    line: int
    column: int
    file: Path | None
    # The path normalised (``posixpath.normpath``), as MkDocs looks the file up.
    target: str


def normal_path(path: str) -> str:
    """``posixpath.normpath(path)``, without its cost (a Python function in 3.11, run
    for each entry of a 10,000-page nav) for a path it would leave as it is."""
    if "//" in path or "./" in path or path.endswith(("/", "/.", "/..")) or path in ("", ".", ".."):
        return posixpath.normpath(path)
    return path


@dataclass(frozen=True)
class Settings:
    """``[tool.check_docs]`` in pyproject.toml."""

    ignore: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    # Gitignore-style patterns (relative to docs_dir) of pages not to check.
    exclude: tuple[str, ...] = ()
    # Regular expressions: external URLs matching any are never requested.
    external_skip: tuple[str, ...] = ()
    cache_ttl: float = 86_400.0
    # --external: requests at once in all, and to any one host.
    external_concurrency: int = 8
    external_per_host: int = 2
    # Seconds for one request (connect, headers and body), and for all of them.
    external_request_timeout: float = 15.0
    external_timeout: float = 120.0
    external_retries: int = 2
    external_max_redirects: int = 5
    # Status codes that count as fine besides 2xx, lychee's syntax ("403,429", "200..=299").
    external_accept: str = ""
    jobs: int = 0  # 0: one worker per core for large sites
    # All-caps words undefined-abbreviation accepts without a glossary entry.
    abbreviations_allow: tuple[str, ...] = ()
    # Fingerprint file of source texts pages must not copy (copied-text; off when empty),
    # relative to the folder of mkdocs.yml.
    copied_text_fingerprints: str = ""
    # The glossary file the term rules read (relative to mkdocs.yml); none: rules off.
    glossary: str = ""
    # The page (relative to docs_dir) that lists the glossary: its mentions do not count.
    glossary_page: str = ""
    # Where the cache and the build record live (relative to mkdocs.yml).
    cache_dir: str = ".check_docs_cache"
    # YAML data files whose web addresses the build shows readers (--external checks them).
    linked_data: tuple[str, ...] = ()


# name -> (type, what it must be), checked in this order.
_STRINGS = "a list of strings"
SETTING_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "ignore": (list, _STRINGS),
    "select": (list, _STRINGS),
    "exclude": (list, _STRINGS),
    "external_skip": (list, "a list of regular expressions"),
    "cache_ttl": ((int, float), "a number of seconds, 0 or more"),
    "external_concurrency": (int, "a whole number from 1 to 64"),
    "external_per_host": (int, "a whole number from 1 to 64"),
    "external_request_timeout": ((int, float), "a number of seconds above 0"),
    "external_timeout": ((int, float), "a number of seconds above 0"),
    "external_retries": (int, "a whole number from 0 to 10"),
    "external_max_redirects": (int, "a whole number from 0 to 20"),
    "external_accept": (str, "status codes and ranges such as '200..=299,403,429'"),
    "jobs": (int, "a whole number, 0 or more (0: one per core)"),
    "abbreviations_allow": (list, _STRINGS),
    "copied_text_fingerprints": (str, "the path of a fingerprint file (check_docs.fingerprints)"),
    "glossary": (str, "the path of a glossary file (relative to mkdocs.yml)"),
    "glossary_page": (str, "a page's path relative to docs_dir, such as 'glossary.md'"),
    "cache_dir": (str, "a folder's path relative to mkdocs.yml"),
    "linked_data": (list, "a list of paths of YAML files relative to mkdocs.yml"),
}
_RANGES: dict[str, tuple[float, float]] = {
    "cache_ttl": (0, math.inf),
    "external_concurrency": (1, 64),
    "external_per_host": (1, 64),
    "external_request_timeout": (math.ulp(0), 86_400),
    "external_timeout": (math.ulp(0), 86_400),
    "external_retries": (0, 10),
    "external_max_redirects": (0, 20),
    "jobs": (0, 1024),
}


@dataclass(frozen=True)
class Config:
    config_file: Path
    root: Path  # the folder holding mkdocs.yml; findings' paths are relative to it
    docs_dir: Path
    use_directory_urls: bool
    nav: tuple[NavEntry, ...] | None
    slugify: Callable[[str, str], str]
    separator: str
    absolute_links_relative_to_docs: bool
    not_in_nav: GitIgnore | None
    exclude_docs: GitIgnore
    extra: dict[str, Any]
    settings: Settings = field(default_factory=Settings)
    # Extension name -> its options, in mkdocs.yml's order; `slugify` options resolved to
    # functions (check_docs.slugs), other !!python values left as slugs.PyRef.
    markdown_extensions: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Plugin name -> its options, in mkdocs.yml's order (never loaded).
    plugins: dict[str, dict[str, Any]] = field(default_factory=dict)
    # MkDocs' validation levels, propagated as MkDocs does ("links" -> "anchors" -> "info").
    validation: dict[str, dict[str, str]] = field(default_factory=dict)
    # One line each: what was read but not used (an unknown slug function, ...).
    warnings: tuple[str, ...] = ()
    # The merged configuration as read (nothing in it run): what
    # check_docs.mkdocs_config reads for hooks, watched paths, site_url and the theme.
    data: dict[str, Any] = field(default_factory=dict)

    @cached_property  # asked for every finding and page: computed once
    def docs_prefix(self) -> str:
        """docs_dir as written in findings, e.g. ``docs/``."""
        try:
            rel = self.docs_dir.relative_to(self.root).as_posix()
        except ValueError:
            rel = self.docs_dir.as_posix()
        return "" if rel == "." else rel + "/"

    def data_file(self, key: str, default: str) -> Path:
        return self.root / str(self.extra.get(key) or default)


# -- messages ---------------------------------------------------------------------------


def describe(value: object) -> str:
    """A value as a message names it: its kind, and a short quote of it."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({text!r})" if "\n" not in text else "a string of several lines"
    if isinstance(value, int | float):
        text = str(value) if len(str(value)) <= 20 else "a long one"
        return f"a number ({text})"
    if isinstance(value, slugs.PyRef):
        return value.tag
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Reader:
    """The merged document and its errors, each naming where the value was written."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.data = document.data
        self.warnings: list[str] = []

    def fail(self, path: tuple[str | int, ...], problem: str) -> ConfigError:
        return ConfigError(f"{self.document.where(*path)}: {dotted(path)}: {problem}")

    def expect(self, path: tuple[str | int, ...], value: object, expected: str) -> ConfigError:
        return self.fail(path, f"got {describe(value)}; MkDocs expects {expected}")

    def warn(self, path: tuple[str | int, ...], message: str) -> None:
        self.warnings.append(f"{self.document.where(*path)}: {dotted(path)}: {message}")


# -- the settings the checker reads ----------------------------------------------------


def _docs_dir(reader: _Reader, root: Path) -> Path:
    value = reader.data.get("docs_dir")
    if value is None:
        value = "docs"
    if not isinstance(value, str):
        raise reader.expect(("docs_dir",), value, "the path of the folder of pages")
    docs_dir = root / value
    if not docs_dir.is_dir():
        raise reader.fail(
            ("docs_dir",),
            f"'{value}' is not a folder (looked for {docs_dir}); MkDocs expects an existing "
            "folder of pages",
        )
    if docs_dir.resolve() == root.resolve():
        raise reader.fail(
            ("docs_dir",),
            "is the folder of mkdocs.yml itself; MkDocs expects a folder beside it",
        )
    return docs_dir


def _boolean(reader: _Reader, name: str, default: bool) -> bool:
    value = reader.data.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise reader.expect((name,), value, "true or false")
    return value


class GitIgnore:
    """gitignore-style patterns (``exclude_docs``, ``not_in_nav``), matched as MkDocs
    matches them (pathspec's GitIgnoreSpec), compiled on the first match: a warm run
    whose listing comes from the cache matches none, and need not import pathspec."""

    def __init__(self, lines: tuple[str, ...]) -> None:
        self.lines = lines

    def __add__(self, other: GitIgnore) -> GitIgnore:
        return GitIgnore(self.lines + other.lines)

    def __repr__(self) -> str:
        return f"GitIgnore({self.lines!r})"

    @cached_property
    def spec(self) -> Any:
        import pathspec

        return pathspec.GitIgnoreSpec.from_lines(self.lines)

    def match_file(self, path: str) -> bool:
        return bool(self.spec.match_file(path))


def _gitignore(reader: _Reader, name: str) -> GitIgnore | None:
    value = reader.data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise reader.expect((name,), value, "a block of gitignore-style lines (a string)")
    patterns = GitIgnore(tuple(value.splitlines()))
    try:
        patterns.spec  # noqa: B018 (compiled now: a bad pattern is a configuration error)
    except ValueError as exc:
        raise reader.fail((name,), f"{exc}; MkDocs expects gitignore-style lines") from None
    return patterns


def _nav(reader: _Reader) -> tuple[NavEntry, ...] | None:
    """The nav's page paths, after MkDocs' own checks of its shape (Nav option)."""
    value = reader.data.get("nav")
    if value is None or value == []:
        return None  # MkDocs builds the nav from the files
    entries: list[NavEntry] = []
    section = "a list of pages and sections"
    if not isinstance(value, list):
        raise reader.expect(("nav",), value, section)

    def item(path: tuple[str | int, ...], value: object) -> None:
        if isinstance(value, str):
            page(path, value)
        elif isinstance(value, dict):
            if len(value) != 1:
                raise reader.fail(
                    path,
                    f"a mapping of {len(value)} entries; MkDocs expects one 'Title: page' "
                    "(or 'Title: [...]') per nav item",
                )
            title, sub = next(iter(value.items()))
            children((*path, str(title)), sub)
        else:
            raise reader.expect(path, value, "a page path or one 'Title: page' per nav item")

    def children(path: tuple[str | int, ...], value: object) -> None:
        if isinstance(value, list):
            for number, child in enumerate(value):
                item((*path, number), child)
        elif isinstance(value, dict) and value:
            reader.warn(path, "a mapping; MkDocs expects a list here (it warns, and reads it)")
            for key, child in value.items():
                children((*path, str(key)), child)
        elif isinstance(value, str):
            page(path, value)
        else:
            raise reader.expect(path, value, f"a page path or {section}")

    position = reader.document.position

    def page(path: tuple[str | int, ...], target: str) -> None:
        if target and "://" not in target and not target.startswith(("/", "mailto:")):
            file, (line, column) = position(*path)
            entries.append(NavEntry(target, line, column, file.path, normal_path(target)))

    for number, child in enumerate(value):
        item(("nav", number), child)
    return tuple(entries)


def _validation(reader: _Reader) -> dict[str, dict[str, str]]:
    """MkDocs' validation levels: top-level names propagate to both groups, as MkDocs'
    PropagatingSubConfig does; unknown names are MkDocs' warnings, not errors."""
    value = reader.data.get("validation", {})
    mapping = "a mapping of settings"
    if not isinstance(value, dict):
        raise reader.expect(("validation",), value, mapping)
    groups: dict[str, dict[str, str]] = {name: {} for name in _VALIDATION}
    for group, levels in _VALIDATION.items():
        sub = value.get(group, {})
        if not isinstance(sub, dict):
            raise reader.expect(("validation", group), sub, mapping)
        for name, allowed in levels.items():
            # MkDocs copies a top-level name into each group that lacks it; null is unset.
            where: tuple[str | int, ...] = ("validation", group, name)
            if name in sub:
                level = sub[name]
            else:
                level, where = value.get(name), ("validation", name)
            if level is None:
                continue
            if not isinstance(level, str) or level not in allowed:
                raise reader.expect(where, level, "one of " + ", ".join(allowed))
            groups[group][name] = level
    return groups


def _named_options(reader: _Reader, key: str, kind: str) -> dict[str, tuple[tuple[Any, ...], Any]]:
    """A list (or mapping) of names with options, MkDocs' shape for markdown_extensions
    and plugins: name -> (key path of its options, options)."""
    value = reader.data.get(key)
    if value is None:
        return {}
    out: dict[str, tuple[tuple[Any, ...], Any]] = {}
    shape = f"a list of {kind} names, each perhaps 'name: {{options}}'"
    if isinstance(value, dict):
        items = [((key, name), name, options) for name, options in value.items()]
    elif isinstance(value, list):
        items = []
        for number, entry in enumerate(value):
            if isinstance(entry, str):
                items.append(((key, number), entry, None))
            elif isinstance(entry, dict) and len(entry) == 1:
                name, options = next(iter(entry.items()))
                items.append(((key, number, str(name)), name, options))
            else:
                raise reader.expect((key, number), entry, f"a {kind} name or 'name: {{options}}'")
    else:
        raise reader.expect((key,), value, shape)
    for path, name, options in items:
        if not isinstance(name, str):
            raise reader.expect(path, name, f"a {kind} name")
        if options and not isinstance(options, dict):
            raise reader.expect(path, options, f"the {kind}'s options as a mapping")
        out[name] = (path, options or {})
    return out


def _extensions(reader: _Reader) -> tuple[dict[str, dict[str, Any]], Any, str]:
    """Extension -> options with every ``slugify`` resolved; and toc's slug and separator."""
    extensions: dict[str, dict[str, Any]] = {}
    toc_slugify: Any = slugs.toc_slugify
    toc_separator = "-"
    for name, (path, options) in _named_options(
        reader, "markdown_extensions", "Markdown extension"
    ).items():
        options = dict(options)
        separator = options.get("separator", "-")
        if "separator" in options and not isinstance(separator, str):
            raise reader.expect((*path, "separator"), separator, "a string such as '-'")
        if "slugify" in options or name.partition(":")[0] in TOC:
            try:
                function, warning = slugs.resolve(options.get("slugify"), separator)
            except slugs.SlugError as exc:
                raise reader.fail((*path, "slugify"), str(exc)) from None
            if warning:
                reader.warn((*path, "slugify"), warning)
            if "slugify" in options:
                options["slugify"] = function
            if name.partition(":")[0] in TOC:
                toc_slugify, toc_separator = function, separator
        extensions[name] = options
    return extensions, toc_slugify, toc_separator


def _paths(reader: _Reader, key: str, one: str, many: str) -> None:
    """``hooks`` and ``watch``: a list of paths. (Whether they exist is the build's
    business: the checker runs none of them, and notes a hook it cannot read.)"""
    value = reader.data.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        raise reader.expect((key,), value, f"a list of paths of {many}")
    for number, item in enumerate(value):
        if not isinstance(item, str) or not item:
            raise reader.expect((key, number), item, f"the path of {one}")


def _theme(reader: _Reader) -> None:
    """MkDocs' theme option: a name, or a mapping with a name (or a custom_dir)."""
    value = reader.data.get("theme")
    if value is None or isinstance(value, str):
        return
    if not isinstance(value, dict):
        raise reader.expect(("theme",), value, "a theme name or a mapping with 'name'")
    name, custom = value.get("name", ...), value.get("custom_dir")
    if name is ... or not isinstance(name, str | None) or (name is None and custom is None):
        raise reader.expect(("theme", "name"), None if name is ... else name, "a theme name")
    if custom is not None and not isinstance(custom, str):
        raise reader.expect(("theme", "custom_dir"), custom, "the path of a folder")


def _site_url(reader: _Reader) -> None:
    value = reader.data.get("site_url")
    if value is None:
        return
    if isinstance(value, str):
        try:
            urlsplit(value)
            return
        except ValueError:  # an unclosed IPv6 host ('http://['): a traceback in MkDocs
            pass
    raise reader.expect(("site_url",), value, "a URL such as 'https://example.org/docs/'")


def _extra(reader: _Reader) -> dict[str, Any]:
    value = reader.data.get("extra", {})
    if not isinstance(value, dict):
        raise reader.expect(("extra",), value, "a mapping of names to values")
    return value


# -- pyproject.toml ---------------------------------------------------------------------


def _setting_line(text: str, key: str) -> int:
    """The line of ``key = ...`` in the [tool.check_docs] table (tomllib keeps none)."""
    table = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped.replace(" ", "") == "[tool.check_docs]"
        elif table and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return 1


def _inside(root: Path, relative: str) -> bool:
    """Whether ``relative`` names a path under ``root`` (symlinks followed)."""
    if Path(relative).is_absolute():
        return False
    base = root.resolve()
    target = (base / relative).resolve()
    return target == base or base in target.parents


def load_settings(root: Path) -> Settings:
    path = root / "pyproject.toml"
    if not path.exists():
        return Settings()
    shown = "pyproject.toml"
    try:
        text = files.decode_text(files.read_bytes(path, MAX_PYPROJECT_BYTES))
        data = tomllib.loads(text)
    except files.FileProblem as problem:
        raise ConfigError(f"{shown}:{problem.line}: {problem.message}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
    tool = data.get("tool", {})
    table = tool.get("check_docs", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: [tool.check_docs] must be a table of settings")
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{shown}:{_setting_line(text, key)}: [tool.check_docs]"
        if key not in SETTING_TYPES:
            known = ", ".join(SETTING_TYPES)
            raise ConfigError(f"{where}: unknown setting '{key}' (known: {known})")
        want, what = SETTING_TYPES[key]
        low, high = _RANGES.get(key, (-math.inf, math.inf))
        wrong = not isinstance(value, want) or isinstance(value, bool)
        if not wrong and want is list:
            wrong = not all(isinstance(v, str) for v in value)
            value = tuple(value)
        elif not wrong and isinstance(value, int | float):
            wrong = not (low <= value <= high) or math.isnan(value)
        if wrong:
            raise ConfigError(f"{where} {key}: got {describe(value)}; it must be {what}")
        values[key] = value
    for pattern in values.get("external_skip", ()):
        try:
            re.compile(pattern)
        except re.error as exc:
            where = f"{shown}:{_setting_line(text, 'external_skip')}: [tool.check_docs]"
            raise ConfigError(
                f"{where} external_skip {pattern!r} is not a regular expression: {exc}"
            ) from None
    fingerprints = values.get("copied_text_fingerprints")
    if fingerprints and not _inside(root, fingerprints):
        # A repository's settings must not make the checker read (and quote from)
        # files elsewhere on the machine that runs it, such as a CI runner.
        where = f"{shown}:{_setting_line(text, 'copied_text_fingerprints')}: [tool.check_docs]"
        raise ConfigError(
            f"{where} copied_text_fingerprints: got {fingerprints!r}; it must be a path "
            "inside the project, relative to the folder of mkdocs.yml"
        )
    if "external_accept" in values:
        try:
            parse_accept(values["external_accept"])
        except AcceptError as exc:
            where = f"{shown}:{_setting_line(text, 'external_accept')}: [tool.check_docs]"
            raise ConfigError(f"{where} external_accept: {exc}") from None
    return Settings(**values)


# -- the whole ------------------------------------------------------------------------


def _raised(settings: Settings | ConfigError) -> Settings:
    if isinstance(settings, ConfigError):
        raise settings
    return settings


def load_config(config_file: Path, *, use_cache: bool = False) -> Config:
    """Read mkdocs.yml (its INHERIT parents and pyproject.toml beside it) or raise
    ConfigError. Messages name the file as it was given (``-f``). ``use_cache``: take
    the YAML as read last time while its files are unchanged (``config_cache``)."""
    absolute = config_file.absolute()
    if not absolute.exists():
        raise ConfigError(f"{config_file}: configuration file not found")
    root = absolute.parent
    # Read first for the cache folder; an error in it is raised after mkdocs.yml's, as
    # the checker always has.
    settings: Settings | ConfigError
    try:
        settings = load_settings(root)
    except ConfigError as exc:
        settings = exc
    folder = root / settings.cache_dir if use_cache and isinstance(settings, Settings) else None
    try:
        document, note = load_document(absolute, str(config_file), folder)
    except YamlError as exc:
        raise ConfigError(str(exc)) from None
    reader = _Reader(document)
    if note:
        reader.warnings.append(note)
    extensions, toc_slugify, separator = _extensions(reader)
    plugins = {
        name: options for name, (_p, options) in _named_options(reader, "plugins", "plugin").items()
    }
    validation = _validation(reader)
    _paths(reader, "hooks", "a Python file", "Python files")
    _paths(reader, "watch", "a file or folder", "files or folders")
    _theme(reader)
    _site_url(reader)
    extra_exclude = _gitignore(reader, "exclude_docs")
    exclude = GitIgnore((".*", "/templates/"))  # what MkDocs always leaves out
    return Config(
        config_file=absolute,
        root=root,
        docs_dir=_docs_dir(reader, root),
        use_directory_urls=_boolean(reader, "use_directory_urls", True),
        nav=_nav(reader),
        slugify=toc_slugify,
        separator=separator,
        absolute_links_relative_to_docs=validation["links"].get("absolute_links")
        == "relative_to_docs",
        not_in_nav=_gitignore(reader, "not_in_nav"),
        exclude_docs=exclude + extra_exclude if extra_exclude else exclude,
        extra=_extra(reader),
        settings=_raised(settings),
        markdown_extensions=extensions,
        plugins=plugins,
        validation=validation,
        warnings=tuple(reader.warnings),
        data=reader.data,
    )
