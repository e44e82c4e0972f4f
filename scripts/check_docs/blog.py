"""Where Material for MkDocs' blog plugin publishes each post, predicted without a build.

The plugin writes a post (``blog/posts/new-layout.md``) to an address made from its
date and title (``blog/2026/01/15/a-new-layout/``), deeper than its source. MkDocs
rewrites the post's Markdown links for that address, but raw HTML (``<img src>``)
keeps its text and a browser resolves it from there. So the standalone check needs the
address the plugin gives: its rule (``material.plugins.blog.plugin``, ``post_url_format``
with ``{date}``, ``{slug}``, ``{file}`` and ``{categories}``) is followed here for the
options a reader of mkdocs.yml can see. A post whose address cannot be predicted (a date
format with month names, a custom slugify function) keeps MkDocs' own; the build record
and ``--site`` give the real one.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from check_docs import files
from check_docs.errors import DataError
from check_docs.frontmatter import parse_front_matter
from check_docs.site import is_page

# Babel's date fields the plugin's default and common formats use.
_DATE_FIELDS = {"yyyy": "%Y", "MM": "%m", "dd": "%d"}
_DATE_FORMAT = re.compile(r"(?:y+|M+|d+|[A-Za-z']+|[^A-Za-z'])")
_H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_ATTR_LIST = re.compile(r"[ \t]*\{:?[^}\n]*\}[ \t]*$")
MAX_POST_BYTES = 4 * 1024 * 1024


def post_urls(
    plugins: dict[str, Any], pages: Iterable[str], docs_dir: Path, use_directory_urls: bool
) -> dict[str, str]:
    """docs-relative post -> the URL the blog plugin gives it (site-relative), for every
    post whose address can be predicted."""
    options = next((o for name, o in plugins.items() if name in ("blog", "material/blog")), None)
    if options is None:
        return {}
    options = options if isinstance(options, dict) else {}
    if options.get("enabled", True) is False:
        return {}
    blog = str(options.get("blog_dir", "blog")).strip("/")
    post_dir = str(options.get("post_dir", "{blog}/posts")).replace("{blog}", blog).strip("/")
    url_format = str(options.get("post_url_format", "{date}/{slug}"))
    date_format = _strftime(str(options.get("post_url_date_format", "yyyy/MM/dd")))
    slugify = _slugify(options)
    if date_format is None or slugify is None:
        return {}
    max_categories = options.get("post_url_max_categories", 1)
    post_sep = options.get("post_slugify_separator", "-")
    category_sep = options.get("categories_slugify_separator", "-")
    if not (isinstance(max_categories, int) and isinstance(post_sep, str)):
        return {}
    if not isinstance(category_sep, str):
        return {}
    out = {}
    for src in pages:
        if not (is_page(src) and src.startswith(post_dir + "/")):
            continue
        meta, title = _read_post(docs_dir / src, src)
        if meta is None:
            continue
        created = _created(meta.get("date"))
        if created is None:
            continue
        title = str(meta.get("title") or title)
        slug = meta.get("slug")
        if not isinstance(slug, str) or not slug:
            if not title:
                continue  # titled after its file name: MkDocs' rule, not followed here
            slug = slugify(title, post_sep)
        categories = meta.get("categories") or []
        if not isinstance(categories, list):
            continue
        try:
            path = url_format.format(
                categories="/".join(
                    slugify(str(c), category_sep) for c in categories[:max_categories]
                ),
                date=created.strftime(date_format),
                file=posixpath.splitext(posixpath.basename(src))[0],
                slug=slug,
            )
        except (KeyError, IndexError, ValueError):
            return {}  # a placeholder this rule does not know
        path = posixpath.normpath(path.strip("/"))
        name = posixpath.join(blog, path) if blog else path
        out[src] = f"{name}/" if use_directory_urls else f"{name}.html"
    return out


def _strftime(babel: str) -> str | None:
    """A Babel date pattern as strftime's, for the fields ``_DATE_FIELDS`` knows."""
    parts = _DATE_FORMAT.findall(babel)
    if any(p[0].isalpha() or p == "'" for p in parts if p not in _DATE_FIELDS):
        return None  # a field it does not know (month names...) or quoted text
    return "".join(_DATE_FIELDS.get(p, p.replace("%", "%%")) for p in parts)


def _slugify(options: dict[str, Any]) -> Callable[[str, str], str] | None:
    if "post_slugify" in options or "categories_slugify" in options:
        return None  # a function named in mkdocs.yml: never imported or run here
    try:
        from pymdownx.slugs import slugify
    except ImportError:
        return None
    made: Callable[[str, str], str] = slugify(case="lower")
    return made


def _read_post(path: Path, src: str) -> tuple[dict[str, Any] | None, str]:
    """The post's front matter and its first level-1 heading (its title when the
    front matter gives none)."""
    try:
        text = files.decode_text(files.read_bytes(path, MAX_POST_BYTES))
        front = parse_front_matter(text, src)
    except (files.FileProblem, DataError):
        return None, ""
    heading = _H1.search(text, front.body_start)
    title = _ATTR_LIST.sub("", heading.group(1)) if heading else ""
    return front.meta, title.strip()


def _created(value: Any) -> datetime.date | None:
    if isinstance(value, dict):
        value = value.get("created")
    if isinstance(value, datetime.date):
        return value
    return None
