"""What the checker needs to know of a site's build, from its mkdocs.yml.

Which Markdown extensions render the pages (and how: toc's and tabbed's slug
functions, snippets' base paths), which plugins and hooks run, which files the theme
adds to the site. Read from the configuration as loaded (``Config.data``); nothing
named in it is imported or run: themes are found through their installed package's
metadata, slug functions through ``check_docs.config``'s list of known ones.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from check_docs.config import Config
from check_docs.config_cache import SETTLED_NS, file_stamp
from check_docs.parse import ParseOptions
from check_docs.site import PAGE_SUFFIXES
from check_docs.snippets import Snippets

# MkDocs always renders with these, whatever markdown_extensions says.
BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
# mkdocs.structure.files.Files.add_files_from_theme: theme files that are not copied.
THEME_SKIP = [
    ".*",
    "*/.*",
    "*.py",
    "*.pyc",
    "*.html",
    "*readme*",
    "mkdocs_theme.yml",
    "locales/*",
] + [f"*{suffix}" for suffix in PAGE_SUFFIXES]


@dataclass(frozen=True)
class BuildSettings:
    extensions: dict[str, dict[str, Any]]  # short name -> options
    plugins: dict[str, dict[str, Any]]  # name -> options (never loaded)
    hooks: tuple[Path, ...]
    watch: tuple[Path, ...]
    site_url: str | None
    theme_outputs: frozenset[str]  # what the theme (and MkDocs itself) adds to the site
    parse: ParseOptions


def short_name(name: str) -> str:
    return name.removeprefix("markdown.extensions.")


def extensions_of(config: Config) -> dict[str, dict[str, Any]]:
    """Extension short name -> options (slug functions already resolved by
    check_docs.config), MkDocs' built-in ones included."""
    found = {short_name(n.partition(":")[0]): o for n, o in config.markdown_extensions.items()}
    for name in BUILTIN_EXTENSIONS:
        found.setdefault(name, {})
    return found


def parse_options(config: Config, extensions: dict[str, dict[str, Any]]) -> ParseOptions:
    """How pages render, as far as links, anchors and prose go."""
    tabbed = extensions.get("pymdownx.tabbed", {})
    slugify = tabbed.get("slugify")
    tab_slugify = slugify if callable(slugify) else None
    snippets = None
    if "pymdownx.snippets" in extensions:
        options = extensions["pymdownx.snippets"]
        base = options.get("base_path", ["."])
        bases = base if isinstance(base, list) else [base]
        snippets = Snippets(
            base_paths=tuple((config.root / str(b)).resolve() for b in bases),
            root=config.root,
            check_paths=bool(options.get("check_paths", False)),
            restrict_base_path=bool(options.get("restrict_base_path", True)),
        )
    return ParseOptions(
        slugify=config.slugify,
        separator=config.separator,
        extensions=frozenset(extensions),
        tabbed_slugify=tab_slugify,
        tabbed_separator=str(tabbed.get("separator", "-")),
        tabbed_combine_header_slug=bool(tabbed.get("combine_header_slug", False)),
        snippets=snippets,
    )


def _theme(data: dict[str, Any]) -> tuple[str, str | None]:
    theme = data.get("theme", "mkdocs")
    if isinstance(theme, dict):
        name = theme.get("name")
        custom = theme.get("custom_dir")
        return (str(name) if name else ""), (str(custom) if custom else None)
    return str(theme or "mkdocs"), None


def theme_folder(name: str) -> Path | None:
    """An installed theme's folder, from its package's metadata (nothing is imported)."""
    # Imported here: a run that keeps the theme's files (``kept_theme_outputs``) needs
    # none of importlib.metadata (a twentieth of a warm run).
    from importlib.metadata import entry_points

    for point in entry_points(group="mkdocs.themes"):
        if point.name == name and point.dist is not None:
            folder = Path(str(point.dist.locate_file(point.value.replace(".", "/"))))
            return folder if folder.is_dir() else None
    return None


def _theme_file(folder: Path) -> dict[str, Any]:
    try:
        text = (folder / "mkdocs_theme.yml").read_text(encoding="utf-8")
        # libyaml's safe loader where installed: the same data, ten times faster.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


MAX_THEME_FILES = 50_000


def theme_outputs(config: Config, plugins: dict[str, dict[str, Any]]) -> frozenset[str]:
    """The files the theme copies into the site, and the pages MkDocs renders from
    templates (sitemap.xml, the theme's 404.html...)."""
    return _theme_outputs(config, plugins)[0]


def _theme_outputs(
    config: Config, plugins: dict[str, dict[str, Any]]
) -> tuple[frozenset[str], list[str]]:
    """``theme_outputs``, and the files and folders it read (for ``kept_theme_outputs``)."""
    name, custom = _theme(config.data)
    folders: list[Path] = []
    read: list[str] = []
    if custom:
        # Only inside the project: a hostile `custom_dir: /` would walk the whole disk.
        folder, root = (config.root / custom).resolve(), config.root.resolve()
        if folder == root or root in folder.parents:
            folders.append(folder)
    static: set[str] = {"sitemap.xml", "sitemap.xml.gz"}
    seen = set()
    while name and name not in seen:
        seen.add(name)
        folder = theme_folder(name)
        if folder is None:
            break
        folders.append(folder)
        read.append(str(folder / "mkdocs_theme.yml"))
        meta = _theme_file(folder)
        static.update(str(s) for s in meta.get("static_templates") or [] if isinstance(s, str))
        parent = meta.get("extends")
        name = str(parent) if parent else ""
    skip = THEME_SKIP + sorted(static)
    outputs: set[str] = set(static)
    budget = MAX_THEME_FILES  # a theme has hundreds of files; stop long before a disk's worth
    for folder in folders:
        for current, dirs, names in os.walk(folder):
            read.append(current)
            budget -= len(names) + len(dirs)
            if budget < 0:
                break
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            rel = Path(current).relative_to(folder).as_posix()
            for file_name in names:
                path = file_name if rel == "." else f"{rel}/{file_name}"
                if not any(fnmatch.fnmatch(path.lower(), p) for p in skip):
                    outputs.add(path)
    if any(p in ("search", "material/search") for p in plugins):
        outputs.add("search/search_index.json")
    return frozenset(outputs), read


THEME_FORMAT = "check_docs theme cache 1"
THEME_FILE = "theme.pickle"


def kept_theme_outputs(
    config: Config, plugins: dict[str, dict[str, Any]], folder: Path
) -> frozenset[str]:
    """``theme_outputs``, kept in ``folder``/theme.pickle while nothing it depends on
    changed: the folders of Python's path, where the installed themes are found (an
    install or removal changes them), and every folder and theme file the last run
    read (a file added, removed or renamed in a theme folder changes that folder's
    stamp). Plain data, read with the page cache's safe loader; anything else there is
    ignored and written again."""
    from check_docs import cache, files

    name, custom = _theme(config.data)
    search = any(p in ("search", "material/search") for p in plugins)
    key = cache.digest_of("theme", name, custom, str(config.root), search)
    paths = [p for p in sys.path if p]  # (the empty entry, the current folder: its stamp
    # changes with every page saved by rename in a docs_dir run from there: never kept)
    path = folder / THEME_FILE
    with contextlib.suppress(
        cache.CacheError, files.FileProblem, OSError, KeyError, TypeError, ValueError
    ):
        data = cache.load_plain(path)
        if isinstance(data, dict) and data.get("format") == THEME_FORMAT and data["key"] == key:
            stamps = data["stamps"]
            if [p for p, _s in stamps[: len(paths)]] == paths and all(
                file_stamp(p) == (tuple(s) if s is not None else None) for p, s in stamps
            ):
                return frozenset(str(o) for o in data["outputs"])
    before = [(p, file_stamp(p)) for p in paths]
    outputs, read = _theme_outputs(config, plugins)
    stamps = before + [(p, file_stamp(p)) for p in read]
    now = time.time_ns()
    if all(s is None or now - s[1] >= SETTLED_NS for _p, s in stamps):
        kept = {"format": THEME_FORMAT, "key": key, "stamps": stamps, "outputs": sorted(outputs)}
        # A folder that cannot be written: the theme is read each time, as without it.
        with contextlib.suppress(OSError):
            cache.dump_plain(path, kept)
    return outputs


def build_settings(config: Config, cache_folder: Path | None = None) -> BuildSettings:
    """What the build does with this configuration; with ``cache_folder``, the theme's
    files are kept there between runs (``kept_theme_outputs``)."""
    data = config.data
    extensions = extensions_of(config)
    # No plugins setting means MkDocs' default: the search plugin.
    plugins = dict(config.plugins) if data.get("plugins") is not None else {"search": {}}
    hooks = tuple(
        (config.config_file.parent / h).resolve()
        for h in (data.get("hooks") or [])
        if isinstance(h, str)
    )
    watch = tuple(
        (config.config_file.parent / w).resolve()
        for w in (data.get("watch") or [])
        if isinstance(w, str)
    )
    site_url = data.get("site_url")
    return BuildSettings(
        extensions=extensions,
        plugins=plugins,
        hooks=hooks,
        watch=watch,
        site_url=site_url if isinstance(site_url, str) else None,
        theme_outputs=(
            kept_theme_outputs(config, plugins, cache_folder)
            if cache_folder is not None
            else theme_outputs(config, plugins)
        ),
        parse=parse_options(config, extensions),
    )
