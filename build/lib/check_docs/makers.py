"""What the build adds that the Markdown does not show, and who may add it.

Plugins, hooks and Markdown extensions can make pages (a blog's posts and archive),
anchors (autorefs identifiers, headings a hook writes) and navigation (literate-nav).
Standalone, the checker cannot run them; without a build record it reports a target
one of them may make as a warning that names them ("build once to verify"), never as
an error. Nothing here imports or runs them: plugins and extensions are known by
name, hooks by the events their source defines (read as a syntax tree, never run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from check_docs import files

# Plugins that add no page, anchor or navigation a link could point at.
QUIET_PLUGINS = frozenset(
    {"search", "offline", "privacy", "social", "minify", "optimize", "typeset", "meta"}
    | {"info", "group", "tags", "git-revision-date-localized", "git-revision-date"}
    | {"git-committers", "git-authors", "glightbox", "minify-html", "rss", "check_docs"}
    | {"print-site", "table-reader", "termynal", "mermaid2", "exclude-search"}
)
# What the others may make.
NAVIGATION_PLUGINS = frozenset(
    {"literate-nav", "awesome-pages", "awesome-nav", "section-index", "blog", "gen-files"}
)
PAGE_PLUGINS = frozenset({"blog", "gen-files", "redirects", "api-autonav", "macros"})
# Markdown extensions whose output the standalone parse reproduces or that add no ids.
KNOWN_EXTENSIONS = frozenset(
    {"abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html"}
    | {"tables", "toc", "codehilite", "legacy_attrs", "legacy_em", "meta", "nl2br"}
    | {"sane_lists", "smarty", "wikilinks", "extra"}
    | {f"pymdownx.{n}" for n in ("arithmatex", "b64", "betterem", "blocks.admonition")}
    | {f"pymdownx.{n}" for n in ("blocks.details", "blocks.html", "blocks.tab", "caret")}
    | {f"pymdownx.{n}" for n in ("critic", "details", "emoji", "escapeall", "extra")}
    | {f"pymdownx.{n}" for n in ("highlight", "inlinehilite", "keys", "magiclink", "mark")}
    | {f"pymdownx.{n}" for n in ("progressbar", "saneheaders", "smartsymbols", "snippets")}
    | {f"pymdownx.{n}" for n in ("striphtml", "superfences", "tabbed", "tasklist", "tilde")}
    | {"material.extensions.emoji", "pymdownx.slugs"}
)
CONTENT_EVENTS = frozenset(
    {"on_page_markdown", "on_page_content", "on_post_page", "on_page_context", "on_env"}
)
PAGE_EVENTS = frozenset({"on_files"})  # may add pages (and files) to the site
FILE_EVENTS = frozenset({"on_post_build", "on_post_page"})  # may write files into it
NAVIGATION_EVENTS = frozenset({"on_nav"})


def plugin_name(name: str) -> str:
    """``material/blog`` and ``blog`` are the same plugin to a reader of mkdocs.yml."""
    return name.split("/", 1)[1] if name.startswith("material/") else name


def extension_name(name: str) -> str:
    return name.removeprefix("markdown.extensions.")


@dataclass
class Makers:
    """Who may make anchors, pages or navigation: names as mkdocs.yml writes them."""

    anchors: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    # Plugins known to make pages only under one folder (the blog plugin's blog_dir).
    pages_under: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # site files that are not pages
    navigation_makers: list[str] = field(default_factory=list)
    # Hooks that could not be read: named once in a note.
    unreadable: list[str] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        plugins: dict[str, dict[str, Any]],
        hooks: Iterable[Path],
        extensions: Iterable[str],
        root: Path,
    ) -> Makers:
        makers = cls()
        for raw, options in plugins.items():
            name = plugin_name(raw)
            if name in QUIET_PLUGINS:
                continue
            if name == "blog":
                # Material's blog makes its posts' pages, archive and categories under
                # blog_dir (docs-relative), nothing elsewhere.
                folder = options.get("blog_dir", "blog") if isinstance(options, dict) else "blog"
                makers.pages_under[f"the {raw} plugin"] = str(folder).strip("/")
            known = name in NAVIGATION_PLUGINS or name in PAGE_PLUGINS
            if name in NAVIGATION_PLUGINS:
                makers.navigation_makers.append(f"the {raw} plugin")
            if name in PAGE_PLUGINS and name != "blog":
                makers.pages.append(f"the {raw} plugin")
            if not known or name == "macros":
                makers.anchors.append(f"the {raw} plugin")
            if not known:
                makers.pages.append(f"the {raw} plugin")
                makers.navigation_makers.append(f"the {raw} plugin")
        for path in hooks:
            shown = _shown(path, root)
            events = hook_events(path)
            if events is None:
                makers.unreadable.append(shown)
                events = CONTENT_EVENTS | PAGE_EVENTS | FILE_EVENTS | NAVIGATION_EVENTS
            label = f"the hook {shown}"
            if events & CONTENT_EVENTS:
                makers.anchors.append(label)
            if events & PAGE_EVENTS:
                makers.pages.append(label)
            if events & FILE_EVENTS:
                makers.files.append(label)
            if events & NAVIGATION_EVENTS:
                makers.navigation_makers.append(label)
        for raw in extensions:
            if extension_name(raw) not in KNOWN_EXTENSIONS:
                makers.anchors.append(f"the Markdown extension {raw}")
        return makers

    def anchor_makers(self) -> str:
        return _words(self.anchors)

    def target_makers(self, path: str) -> str:
        """Who may make ``path`` (docs-relative): a page only comes from a plugin or hook
        that adds files to MkDocs' list; any other file may also be written into the
        site after the build."""
        from check_docs.site import is_page

        folders = [m for m, f in self.pages_under.items() if not f or path.startswith(f + "/")]
        return _words((self.pages if is_page(path) else self.pages + self.files) + folders)

    def navigation(self) -> str:
        return _words(self.navigation_makers)

    def navigation_or_pages(self) -> str:
        makers = self.navigation_makers + self.pages + list(self.pages_under)
        return _words(list(dict.fromkeys(makers)))


def _words(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= 1:
        return names[0] if names else ""
    if len(names) > 3:
        return ", ".join(names[:2]) + f" or {len(names) - 2} more"
    return ", ".join(names[:-1]) + " or " + names[-1]


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def hook_events(path: Path) -> frozenset[str] | None:
    """The MkDocs events a hook module defines, read from its syntax tree (the file is
    never run); None when it cannot be read or parsed."""
    try:
        source = files.decode_text(files.read_bytes(path, 2 * 1024 * 1024))
        tree = ast.parse(source, filename=str(path))
    # A hostile file can exhaust the parser: '-' * 100_000 + '1' raises MemoryError,
    # 'a' + '.a' * 100_000 RecursionError (CPython's parser stack, not the machine's).
    except (files.FileProblem, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("on_"):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return frozenset(names)
