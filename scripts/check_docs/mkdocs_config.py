"""What the checker needs to know of a site's build, from its mkdocs.yml.

Which Markdown extensions render the pages (and how: toc's and tabbed's slug
functions, snippets' base paths), which plugins and hooks run, which files the theme
adds to the site. Read from the configuration as loaded (``Config.data``); nothing
named in it is imported or run: themes are found through their installed package's
metadata, slug functions through ``check_docs.config``'s list of known ones.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml

from check_docs.config import Config
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
    name, custom = _theme(config.data)
    folders: list[Path] = []
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
        meta = _theme_file(folder)
        static.update(str(s) for s in meta.get("static_templates") or [] if isinstance(s, str))
        parent = meta.get("extends")
        name = str(parent) if parent else ""
    skip = THEME_SKIP + sorted(static)
    outputs: set[str] = set(static)
    budget = MAX_THEME_FILES  # a theme has hundreds of files; stop long before a disk's worth
    for folder in folders:
        for current, dirs, names in os.walk(folder):
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
    return frozenset(outputs)


def build_settings(config: Config) -> BuildSettings:
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
        theme_outputs=theme_outputs(config, plugins),
        parse=parse_options(config, extensions),
    )
