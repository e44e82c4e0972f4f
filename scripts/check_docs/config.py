"""Read what the checker needs from mkdocs.yml and ``[tool.check_docs]``.

Anything wrong here is a configuration error (:class:`ConfigError`): the CLI
prints one line and exits 2, the hook stops the build with the same text.
"""

from __future__ import annotations

import importlib
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec
import yaml
from markdown.extensions.toc import slugify as default_slugify


class ConfigError(Exception):
    """A problem in mkdocs.yml, pyproject.toml or the command line."""


@dataclass(frozen=True)
class PyRef:
    """``!!python/name:x.y`` in mkdocs.yml, kept as a name until needed."""

    name: str


@dataclass(frozen=True)
class PyApply:
    """``!!python/object/apply:x.y`` with its keyword arguments."""

    name: str
    kwds: dict[str, Any]


# libyaml's parser when PyYAML has it: ten times faster on a nav of thousands of pages.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Reads mkdocs.yml without executing anything: Python tags become PyRef/PyApply."""


def _python_name(loader: _Loader, suffix: str, node: yaml.Node) -> PyRef:
    return PyRef(suffix)


def _python_apply(loader: _Loader, suffix: str, node: yaml.Node) -> PyApply:
    kwds: dict[str, Any] = {}
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
        kwds = dict(value.get("kwds") or {})
    return PyApply(suffix, kwds)


def _env(loader: _Loader, node: yaml.Node) -> Any:
    # MkDocs' `!ENV VAR` or `!ENV [VAR, OTHER, default]`.
    names = (
        [loader.construct_scalar(node)]
        if isinstance(node, yaml.ScalarNode)
        else loader.construct_sequence(node)
    )
    *candidates, default = names if len(names) > 1 else [*names, None]
    for name in candidates:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return default


def _other_tag(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/object/apply:", _python_apply)
_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("!", _other_tag)


@dataclass(frozen=True)
class NavEntry:
    """A page named in mkdocs.yml's nav, with the line it is on."""

    path: str
    line: int
    column: int


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
    external_concurrency: int = 8
    external_timeout: float = 10.0
    external_retries: int = 2
    jobs: int = 0  # 0: one worker per core for large sites
    # All-caps words undefined-abbreviation accepts without a glossary entry.
    abbreviations_allow: tuple[str, ...] = ()


SETTING_TYPES: dict[str, type | tuple[type, ...]] = {
    "ignore": list,
    "select": list,
    "exclude": list,
    "external_skip": list,
    "cache_ttl": (int, float),
    "external_concurrency": int,
    "external_timeout": (int, float),
    "external_retries": int,
    "jobs": int,
    "abbreviations_allow": list,
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
    not_in_nav: pathspec.PathSpec | None
    exclude_docs: pathspec.PathSpec
    extra: dict[str, Any]
    settings: Settings = field(default_factory=Settings)

    @property
    def docs_prefix(self) -> str:
        """docs_dir as written in findings, e.g. ``docs/``."""
        try:
            rel = self.docs_dir.relative_to(self.root).as_posix()
        except ValueError:
            rel = self.docs_dir.as_posix()
        return "" if rel == "." else rel + "/"

    def data_file(self, key: str, default: str) -> Path:
        return self.root / str(self.extra.get(key) or default)


def _import(name: str) -> Any:
    module, _, attr = name.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigError(f"mkdocs.yml: cannot import toc slugify {name!r}: {exc}") from None


def _slugify(toc: dict[str, Any]) -> Callable[[str, str], str]:
    spec = toc.get("slugify")
    if spec is None:
        return default_slugify
    if isinstance(spec, PyRef):
        return _import(spec.name)
    if isinstance(spec, PyApply):
        factory = _import(spec.name)
        return factory(**spec.kwds)
    raise ConfigError("mkdocs.yml: toc 'slugify' must be a !!python/name or !!python/object/apply")


def _toc_options(extensions: object) -> dict[str, Any]:
    for ext in extensions if isinstance(extensions, list) else []:
        if isinstance(ext, dict) and ("toc" in ext or "markdown.extensions.toc" in ext):
            options = ext.get("toc") or ext.get("markdown.extensions.toc") or {}
            return options if isinstance(options, dict) else {}
    return {}


def _nav_entries(node: yaml.Node | None) -> list[NavEntry]:
    """Every local page path in the nav node tree, with its line and column."""
    out: list[NavEntry] = []

    def walk(n: yaml.Node) -> None:
        if isinstance(n, yaml.ScalarNode):
            value = str(n.value)
            if value and "://" not in value and not value.startswith(("/", "mailto:")):
                out.append(NavEntry(value, n.start_mark.line + 1, n.start_mark.column + 1))
        elif isinstance(n, yaml.SequenceNode):
            for item in n.value:
                walk(item)
        elif isinstance(n, yaml.MappingNode):
            for _key, value in n.value:
                walk(value)

    if node is not None:
        walk(node)
    return out


def _nav_node(root_node: yaml.Node) -> yaml.Node | None:
    if isinstance(root_node, yaml.MappingNode):
        for key, value in root_node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "nav":
                return value
    return None


def _gitignore(value: object, name: str) -> pathspec.PathSpec | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"mkdocs.yml: '{name}' must be a block of gitignore-style lines")
    return pathspec.GitIgnoreSpec.from_lines(value.splitlines())


def load_settings(root: Path) -> Settings:
    path = root / "pyproject.toml"
    if not path.is_file():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read [tool.check_docs]: {exc}") from None
    table = data.get("tool", {}).get("check_docs", {})
    values: dict[str, Any] = {}
    for key, value in table.items():
        want = SETTING_TYPES.get(key)
        if want is None:
            allowed = ", ".join(SETTING_TYPES)
            raise ConfigError(f"{path}: unknown setting '{key}' in [tool.check_docs] ({allowed})")
        if not isinstance(value, want) or isinstance(value, bool):
            raise ConfigError(f"{path}: [tool.check_docs] '{key}' has the wrong type")
        if want is list:
            if not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: [tool.check_docs] '{key}' must be a list of strings")
            value = tuple(value)
        values[key] = value
    for pattern in values.get("external_skip", ()):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"{path}: [tool.check_docs] external_skip {pattern!r} is not a regular "
                f"expression: {exc}"
            ) from None
    return Settings(**values)


def load_config(config_file: Path) -> Config:
    """Read mkdocs.yml (and pyproject.toml beside it) or raise ConfigError."""
    config_file = config_file.absolute()
    try:
        text = config_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{config_file}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config_file}: cannot read configuration: {exc}") from None
    try:
        # Compose once and construct from the node: a 10,000-page nav is slow to parse twice.
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            getattr(loader, "dispose", lambda: None)()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc
        raise ConfigError(f"{config_file}{where}: invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{config_file}: expected a mapping of settings")
    root = config_file.parent
    docs_dir = root / str(data.get("docs_dir") or "docs")
    if not docs_dir.is_dir():
        raise ConfigError(f"{config_file}: docs_dir '{docs_dir}' is not a folder")
    toc = _toc_options(data.get("markdown_extensions"))
    links = (
        ((data.get("validation") or {}).get("links") or {})
        if isinstance(data.get("validation"), dict)
        else {}
    )
    nav = data.get("nav")
    extra = data.get("extra") or {}
    exclude = pathspec.GitIgnoreSpec.from_lines([".*", "/templates/"])
    extra_exclude = _gitignore(data.get("exclude_docs"), "exclude_docs")
    return Config(
        config_file=config_file,
        root=root,
        docs_dir=docs_dir,
        use_directory_urls=bool(data.get("use_directory_urls", True)),
        nav=tuple(_nav_entries(_nav_node(node))) if nav is not None else None,
        slugify=_slugify(toc),
        separator=str(toc.get("separator", "-")),
        absolute_links_relative_to_docs=links.get("absolute_links") == "relative_to_docs",
        not_in_nav=_gitignore(data.get("not_in_nav"), "not_in_nav"),
        exclude_docs=exclude + extra_exclude if extra_exclude else exclude,
        extra=extra if isinstance(extra, dict) else {},
        settings=load_settings(root),
    )
