#!/usr/bin/env python3
"""Compare check_docs with what a MkDocs project's own build gives its readers.

A developer tool for measuring the checker on real projects (issue 13)::

    cd PROJECT && mkdocs build > mkdocs-build.log 2>&1     # with the project's own venv
    python scripts/compare_with_build.py PROJECT [PROJECT ...] [--details]

For each project it runs check_docs on the project's ``mkdocs.yml`` and judges
every finding against the built HTML in ``site/`` (the project's ``site_dir``),
read as a browser would: a link is broken when the file it resolves to is not
in the site (a folder counts when it holds ``index.html``), an anchor when no
``id`` (or ``<a name>``) in the target page has that name. Only links in a
page's content count (Material's article, a theme's ``role="main"``); the
theme's own navigation is not the writer's. Then it lists every broken link in
the built content that check_docs did not report. When ``mkdocs-build.log``
(the build's output) is beside ``mkdocs.yml``, each item also says whether the
build itself reported it.

Verdicts:
  true   the finding names a link the reader gets and it is broken;
  false  the reader's link works, or the reader gets no such link at all;
  missed a broken link in the built content that no finding names.

Rules other than broken-link, broken-anchor, unsafe-link, nav-missing and
orphan-page are listed as "not judged".
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import yaml

REPO = Path(__file__).resolve().parent.parent
BUILD_LOG = "mkdocs-build.log"
LINK_RULES = frozenset({"broken-link", "broken-anchor", "unsafe-link"})
JUDGED_RULES = LINK_RULES | {"nav-missing", "orphan-page"}
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
# Elements whose URL attribute a browser follows or loads from the page's content.
URL_ATTRIBUTES = {
    "a": "href",
    "area": "href",
    "img": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "iframe": "src",
    "embed": "src",
}
SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


# --- the check_docs invocation: the one place that knows its interface -------------


class CheckDocsFailed(Exception):
    """check_docs stopped with a usage or configuration error (exit 2)."""


MODES = ("site", "plugin", "record", "standalone")

# Run inside the project's own environment: its `mkdocs build` as the command line runs
# it, with the check_docs plugin added to its plugins, into another folder (the site the
# findings are judged against stays as its own build made it). The findings go to a file.
PLUGIN_BUILD = """\
import json, logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from check_docs.plugin import CheckDocsPlugin
config_file, site_dir, out = sys.argv[1:4]
logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
config = load_config(config_file, site_dir=site_dir)
plugin = CheckDocsPlugin()
errors, _warnings = plugin.load_config({}, config_file)
assert not errors, errors
config.plugins["check_docs"] = plugin
config.plugins.on_startup(command="build", dirty=False)
try:
    build(config)
finally:
    config.plugins.on_shutdown()
with open(out, "w", encoding="utf-8") as f:
    json.dump([x.as_json() for x in plugin.report.findings], f)
"""


def run_check_docs(
    config_file: Path, site_dir: Path, mode: str = "site", python: str | None = None
) -> list[dict[str, Any]]:
    """check_docs' findings on a project.

    ``site``: the command line given the built site (``--site``); ``plugin``: the plugin
    inside the project's own build, run by its environment's ``python`` (check_docs and
    its imports reachable there); ``record``: the command line after such a build, with
    the build record it left; ``standalone``: the command line with no record.
    """
    script = REPO / "scripts" / "check_docs.py"
    command = [sys.executable, str(script), "-f", str(config_file), "--format", "json"]
    if mode == "plugin":
        with tempfile.TemporaryDirectory(prefix="compare-plugin-") as tmp:
            out = Path(tmp) / "findings.json"
            arguments = [str(config_file), tmp + "/site", str(out)]
            done = subprocess.run(
                [python or sys.executable, "-c", PLUGIN_BUILD, *arguments],
                capture_output=True,
                text=True,
                timeout=3600,
                cwd=config_file.parent,
                env={**os.environ, "PYTHONPATH": str(REPO / "scripts"), "NO_MKDOCS_2_WARNING": "1"},
            )
            (config_file.parent / "check-docs-build.log").write_text(done.stderr, "utf-8")
            if done.returncode != 0 or not out.is_file():
                raise CheckDocsFailed(f"the build failed: {done.stderr.strip()[-500:]}")
            return list(json.loads(out.read_text(encoding="utf-8")))
    if mode == "site":
        command += ["--site", str(site_dir)]
    record = config_file.parent / ".check_docs_cache" / "build.json"
    if mode == "record" and not record.is_file():
        raise CheckDocsFailed("no build record: run the plugin mode first")
    hidden = record.with_suffix(".hidden")
    if mode == "standalone" and record.is_file():
        record.rename(hidden)  # put back below: the record belongs to the project
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=600, cwd=config_file.parent
        )
    finally:
        if hidden.is_file():
            hidden.rename(record)
    if done.returncode not in (0, 1):
        raise CheckDocsFailed(f"exit {done.returncode}: {done.stderr.strip()}")
    return list(json.loads(done.stdout or "[]"))


# --- the project's configuration (read, never executed) -----------------------------


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's keys; Python and custom tags become their plain values."""


def _any_tag(loader: _TolerantLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


_TolerantLoader.add_multi_constructor("", _any_tag)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def read_config(config_file: Path, depth: int = 0) -> dict[str, Any]:
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    parent = data.pop("INHERIT", None)
    if parent and depth < 10:
        data = _merge(read_config(config_file.parent / str(parent), depth + 1), data)
    return data


@dataclass(frozen=True)
class Settings:
    root: Path
    docs_dir: Path
    site_dir: Path
    use_directory_urls: bool
    prefix: str  # the site's path on its server, from site_url: "/" or "/name/"

    @property
    def docs_prefix(self) -> str:
        rel = os.path.relpath(self.docs_dir, self.root).replace(os.sep, "/")
        return "" if rel == "." else rel + "/"


def settings_for(config_file: Path, site_dir: Path | None) -> Settings:
    data = read_config(config_file)
    root = config_file.parent
    prefix = urlsplit(str(data.get("site_url") or "/")).path or "/"
    return Settings(
        root=root,
        docs_dir=root / str(data.get("docs_dir") or "docs"),
        site_dir=site_dir or root / str(data.get("site_dir") or "site"),
        use_directory_urls=bool(data.get("use_directory_urls", True)),
        prefix=prefix if prefix.endswith("/") else prefix + "/",
    )


# --- the built site ------------------------------------------------------------------


@dataclass
class HtmlPage:
    ids: set[str] = field(default_factory=set)
    # (tag, URL) of each link in the content, in document order.
    links: list[tuple[str, str]] = field(default_factory=list)
    kind: str | None = None  # which content container the links were taken from
    # Every link on the page, the theme's navigation included.
    all_links: list[str] = field(default_factory=list)
    title: str = ""  # the text of the first <h1>


class _PageParser(HTMLParser):
    """Collects every id in a page and the links inside its content container."""

    # The content container, best first: Material's, a theme's main role, <main>, <body>.
    KINDS = ("content", "role-main", "main", "body")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, frozenset[str]]] = []
        self.open: list[list[Any]] = []  # [kind, tag, same-tag depth]
        self.seen: set[str] = set()
        self.title: list[str] | None = None  # the first <h1>'s text while it is read
        self.title_done = False

    def _kind(self, tag: str, attrs: dict[str, str]) -> str | None:
        classes = attrs.get("class", "").split()
        if "md-content__inner" in classes:  # Material: an article, or a div on blog indexes
            return "content"
        if attrs.get("role") == "main":
            return "role-main"
        if tag in ("main", "body"):
            return tag
        return None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        for entry in self.open:
            if entry[1] == tag:
                entry[2] += 1
        if tag == "h1" and self.title is None:
            self.title = []
        kind = self._kind(tag, attrs)
        if kind is not None:
            self.open.append([kind, tag, 1])
            self.seen.add(kind)
        attr = URL_ATTRIBUTES.get(tag)
        if attr and attrs.get(attr) is not None and attr in attrs:
            self.links.append((tag, attrs[attr], frozenset(e[0] for e in self.open)))

    def handle_data(self, data: str) -> None:
        if self.title is not None and not self.title_done:
            self.title.append(data)

    def handle_startendtag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs_list)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and self.title is not None:
            self.title_done = True
        for entry in self.open:
            if entry[1] == tag:
                entry[2] -= 1
        self.open = [e for e in self.open if e[2] > 0]

    def page(self) -> HtmlPage:
        kind = next((k for k in self.KINDS if k in self.seen), None)
        links = [(tag, url) for tag, url, kinds in self.links if kind is None or kind in kinds]
        all_links = [url for _tag, url, _kinds in self.links]
        return HtmlPage(self.ids, links, kind, all_links, _plain("".join(self.title or [])))


def _plain(text: str) -> str:
    """A heading's words, without Markdown marks, permalink signs or spacing."""
    return " ".join(re.sub(r"[`*_¶#]", "", text).split()).casefold()


FRONT_MATTER = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n", re.DOTALL)
H1 = re.compile(r"^# +(.+?)(?: +#+)? *$", re.MULTILINE)
TITLE = re.compile(r"^title: *['\"]?(.+?)['\"]? *$", re.MULTILINE)


def markdown_titles(path: Path) -> set[str]:
    """The titles a page may show in its first heading: its front matter title and its
    first level-1 heading (what a blog plugin puts on the post's own page)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    meta = FRONT_MATTER.match(text)
    out = set()
    if meta and (title := TITLE.search(meta.group(0))):
        out.add(_plain(unescape(title[1])))
    if heading := H1.search(text[meta.end() if meta else 0 :]):
        out.add(_plain(unescape(re.sub(r"\{[^}]*\}\s*$", "", heading[1]))))
    return out - {""}


def parse_html(path: Path) -> HtmlPage:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page()


@dataclass(frozen=True)
class Resolved:
    """Where a link takes the reader: a file in the site (or the path it wanted)."""

    path: str  # site-relative; for a folder, its index.html
    fragment: str
    exists: bool
    local: bool  # False: another site, another scheme, or outside this site's prefix
    scheme: str = ""


class Site:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        root = settings.site_dir
        self.files: set[str] = set()
        for current, _dirs, names in os.walk(root):
            rel = os.path.relpath(current, root).replace(os.sep, "/")
            for name in names:
                self.files.add(name if rel == "." else f"{rel}/{name}")
        self._pages: dict[str, HtmlPage] = {}

    def page(self, rel: str) -> HtmlPage:
        if rel not in self._pages:
            self._pages[rel] = parse_html(self.settings.site_dir / rel)
        return self._pages[rel]

    def html_pages(self) -> list[str]:
        """The rendered pages: HTML files with the theme's content container (the home
        page's), not HTML files copied from docs_dir or a theme's partials."""
        html = sorted(f for f in self.files if f.endswith(".html"))
        if "index.html" not in self.files:
            return html
        kind = self.page("index.html").kind
        return [f for f in html if self.page(f).kind == kind]

    def url_of(self, rel: str) -> str:
        return f"http://site.invalid{self.settings.prefix}{rel}"

    def resolve(self, page_rel: str, url: str) -> Resolved:
        """``url`` as a browser on ``page_rel`` follows it, served as GitHub Pages would."""
        match = SCHEME_RE.match(re.sub(r"[\x00-\x20]", "", url))
        if match:
            return Resolved("", "", True, False, match.group(1).lower())
        if url.startswith("//"):
            return Resolved("", "", True, False, "http")
        absolute = urljoin(self.url_of(page_rel), url)
        parts = urlsplit(absolute)
        fragment = unquote(parts.fragment)
        if not parts.path.startswith(self.settings.prefix):
            return Resolved(parts.path, fragment, True, False)
        path = unquote(parts.path[len(self.settings.prefix) :])
        if path in self.files:
            return Resolved(path, fragment, True, True)
        index = posixpath.join(path, "index.html") if path else "index.html"
        if index in self.files:  # a folder: served as its index.html
            return Resolved(index, fragment, True, True)
        return Resolved(path.rstrip("/"), fragment, False, True)

    def problem(self, target: Resolved) -> str | None:
        """Why a reader's link to ``target`` fails, or None when it works."""
        if not target.local:
            return None
        if not target.exists:
            return "no such file"
        if target.fragment and target.path.endswith(".html"):
            fragment = target.fragment
            if fragment.lower() == "top" or fragment.startswith(":~:"):
                return None
            if fragment not in self.page(target.path).ids:
                return "no such anchor"
        return None


# --- the sources ---------------------------------------------------------------------


def dest_of(settings: Settings, page: str) -> str:
    """The HTML file MkDocs writes for docs-relative Markdown ``page``."""
    stem, name = posixpath.split(page[: -len(".md")])
    if name in ("index", "README"):
        return posixpath.join(stem, "index.html") if stem else "index.html"
    if settings.use_directory_urls:
        return posixpath.join(stem, name, "index.html") if stem else f"{name}/index.html"
    return page[: -len(".md")] + ".html"


def source_pages(settings: Settings, site: Site) -> dict[str, str]:
    """Docs-relative Markdown page -> its built HTML file, for pages the build wrote.

    A page where MkDocs puts it; else (a plugin moved it, as a blog does with its posts)
    the page whose "edit this page" or "view source" link names the file; else the one
    unclaimed page whose title is the file's title.
    """
    by_dest: dict[str, str] = {}
    unplaced: list[str] = []
    for current, _dirs, names in os.walk(settings.docs_dir):
        rel_dir = os.path.relpath(current, settings.docs_dir).replace(os.sep, "/")
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            dest = dest_of(settings, rel)
            # index.md wins over README.md in the same folder, as in MkDocs.
            if dest in site.files and not by_dest.get(dest, "").endswith("index.md"):
                by_dest[dest] = rel
            else:
                unplaced.append(rel)
    out = {md: html for html, md in by_dest.items()}
    if unplaced:
        wanted = set(unplaced)
        marker = f"/{settings.docs_dir.name}/"
        for html in site.html_pages():
            if html in by_dest:
                continue
            for url in site.page(html).all_links:
                path = urlsplit(url).path
                rel = path[path.rfind(marker) + len(marker) :] if marker in path else ""
                if rel in wanted and rel not in out:
                    out[rel] = html
    placed = set(out.values())
    titles: dict[str, list[str]] = {}
    for html in site.html_pages():
        if html not in placed and (title := site.page(html).title):
            titles.setdefault(title, []).append(html)
    for rel in unplaced:
        if rel not in out:
            found = {h for t in markdown_titles(settings.docs_dir / rel) for h in titles.get(t, [])}
            if len(found) == 1:
                out[rel] = found.pop()
    return out


def markdown_targets(
    settings: Settings, site: Site, page: str, html: str, target: str
) -> set[Resolved]:
    """Where a link written in Markdown page ``page``, built as ``html``, may take the
    reader. MkDocs rewrites
    a link to a file it knows (a page, a static file, a theme's file) relative to docs_dir
    and leaves any other link as written; both readings are kept, the HTML decides."""
    path, hash_, fragment = target.partition("#")
    path = path.partition("?")[0]
    out = {site.resolve(html, target)}
    if not path or SCHEME_RE.match(path) or path.startswith("//") or path.startswith("/"):
        return out
    if settings.docs_prefix and path.startswith(settings.docs_prefix):
        joined = path[len(settings.docs_prefix) :]  # a checker message's docs/... path
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path)))
    if joined.endswith(".md") and (settings.docs_dir / joined).is_file():
        joined = dest_of(settings, joined)
    out.add(site.resolve("index.html", joined + hash_ + fragment))
    return out


# --- candidates for the link a finding is about ----------------------------------------

QUOTED = re.compile(r"'([^']+)'")
REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?([^\s>]+)", re.MULTILINE)
HTML_URL = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _link_at(text: str, offset: int) -> Iterator[str]:
    """Targets of the Markdown or HTML link that starts at ``offset`` of ``text``."""
    rest = text[offset : offset + 4000]
    if rest.startswith("<"):
        match = HTML_URL.search(rest[: rest.find(">") + 1 or None])
        if match:
            yield next(g for g in match.groups() if g is not None)
        return
    if rest.startswith("!"):
        rest = rest[1:]
    if not rest.startswith("["):
        match = HTML_URL.search(rest[:400])
        if match:
            yield next(g for g in match.groups() if g is not None)
        return
    depth, i = 0, 0
    while i < len(rest):
        char = rest[i]
        if char == "\\":
            i += 2
            continue
        depth += char == "["
        depth -= char == "]"
        if depth == 0:
            break
        i += 1
    label, after = rest[1:i], rest[i + 1 :]
    if after.startswith("("):
        inner = after[1:].lstrip()
        if inner.startswith("<"):
            yield inner[1 : inner.find(">")]
        else:
            yield re.split(r"[\s)]", inner, maxsplit=1)[0]
        return
    ref = label
    if after.startswith("["):
        ref = after[1 : after.find("]")] or label
    key = " ".join(ref.lower().split())
    for name, url in REFERENCE_DEF.findall(text):
        if " ".join(name.lower().split()) == key:
            yield url


def candidates(settings: Settings, finding: dict[str, Any]) -> list[str]:
    """Link targets a finding may be about: its message's quoted paths, and the link
    found at its position in the source (checker messages are free to change)."""
    quoted = QUOTED.findall(finding.get("message", ""))
    paths = [q for q in quoted if not q.startswith("#")]
    fragments = [q for q in quoted if q.startswith("#")]
    out = list(quoted)
    if "this page" in finding.get("message", ""):
        out += fragments
    out += [p + f for p in paths for f in fragments if "#" not in p]
    source = settings.root / finding["path"]
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return out
    lines = text.splitlines(keepends=True)
    line = int(finding.get("line", 1))
    if 1 <= line <= len(lines):
        offset = sum(len(x) for x in lines[: line - 1]) + max(0, int(finding["column"]) - 1)
        out += list(_link_at(text, offset))
    return out


# --- the build's own report ----------------------------------------------------------

LOG_LINK = re.compile(
    r"Doc file '(?P<doc>[^']+)' contains (?:a link|an unrecognized relative link|"
    r"an absolute link|a link to) '(?P<target>[^']+)'"
)
LOG_NAV = re.compile(r"A reference to '(?P<target>[^']+)' is included in the 'nav'")


def build_reports(
    settings: Settings, site: Site, sources: dict[str, str], log: str
) -> Counter[tuple[str, Resolved]]:
    """(page, where it leads) of each link the build's log complains about."""
    out: Counter[tuple[str, Resolved]] = Counter()
    for match in LOG_LINK.finditer(log):
        doc, target = match["doc"], match["target"]
        html = sources.get(doc, dest_of(settings, doc))
        for resolved in markdown_targets(settings, site, doc, html, target):
            out[(doc, resolved)] += 1
    return out


# --- judging ---------------------------------------------------------------------------


@dataclass
class Truth:
    """What the built site gives its readers, read once for every finding."""

    settings: Settings
    site: Site
    sources: dict[str, str]  # docs-relative Markdown page -> built HTML file
    log: str
    # Every broken link in built content: HTML file -> Counter of (target, problem).
    broken: dict[str, Counter[tuple[Resolved, str]]]
    urls: dict[tuple[str, Resolved], str]  # each broken target's URL as written
    linked: set[str]  # HTML files some other page links to (navigation included)
    reported: Counter[tuple[str, Resolved]]  # (page, target) the build's log names

    def broken_links(self) -> list[tuple[str, str, str]]:
        """(source page, else HTML file; URL; problem) of every broken link in content."""
        markdown_of = {html: md for md, html in self.sources.items()}
        return [
            (markdown_of.get(html, html), self.urls[(html, target)], problem)
            for html, counter in sorted(self.broken.items())
            for (target, problem), n in counter.items()
            for _ in range(n)
        ]


def read_truth(config_file: Path, site_dir: Path | None = None, log: str | None = None) -> Truth:
    settings = settings_for(config_file, site_dir)
    if not settings.site_dir.is_dir():
        raise SystemExit(f"{settings.site_dir}: no built site; run mkdocs build first")
    site = Site(settings)
    sources = source_pages(settings, site)
    if log is None:
        log_file = settings.root / BUILD_LOG
        log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.is_file() else ""
    broken: dict[str, Counter[tuple[Resolved, str]]] = {}
    urls: dict[tuple[str, Resolved], str] = {}
    linked: set[str] = set()
    for html in site.html_pages():
        for _tag, url in site.page(html).links:
            target = site.resolve(html, url)
            problem = site.problem(target)
            if problem:
                broken.setdefault(html, Counter())[(target, problem)] += 1
                urls[(html, target)] = url
        for url in site.page(html).all_links:
            target = site.resolve(html, url)
            if target.local and target.exists and target.path != html:
                linked.add(target.path)
    reported = build_reports(settings, site, sources, log)
    return Truth(settings, site, sources, log, broken, urls, linked, reported)


@dataclass
class Verdict:
    finding: dict[str, Any]
    verdict: str  # "true", "false" or "not judged"
    why: str
    build: bool = False  # the build's own log reports it


@dataclass
class Comparison:
    name: str
    commit: str
    mode: str
    pages: int
    verdicts: list[Verdict]
    missed: list[tuple[str, str, str, bool]]  # page, URL, problem, build reported it
    generated_broken: list[tuple[str, str, str]]  # page without a source, URL, problem
    failure: str = ""  # check_docs could not run: its message

    def count(self, verdict: str, severity: str | None = None) -> int:
        return sum(
            1
            for v in self.verdicts
            if v.verdict == verdict and (severity is None or v.finding["severity"] == severity)
        )


def _judge_page_rule(truth: Truth, finding: dict[str, Any], html: str | None) -> Verdict:
    """orphan-page against the built links; nav-missing against the build's log."""
    if finding["rule"] == "orphan-page":
        if html is None:
            return Verdict(finding, "false", "not a page of the built site")
        if html in truth.linked:
            return Verdict(finding, "false", "another built page links to it")
        return Verdict(finding, "true", "no built page links to it")
    entry = next(iter(QUOTED.findall(finding["message"])), "")
    hit = f"A reference to '{entry}' is included" in truth.log
    why = "the build reports it" if hit else "the build reports no such nav problem"
    return Verdict(finding, "true" if hit else "false", why, hit)


def _judge_link(
    truth: Truth,
    finding: dict[str, Any],
    page: str,
    html: str,
    unclaimed: dict[str, Counter[tuple[Resolved, str]]],
) -> Verdict:
    """A link finding is true when it names a broken link of the built page; each broken
    occurrence backs one finding."""
    site = truth.site
    rendered = [site.resolve(html, url) for _tag, url in site.page(html).links]
    if finding["rule"] == "unsafe-link":
        unsafe = any(t.scheme in UNSAFE_SCHEMES for t in rendered)
        why = "the built page has such a link" if unsafe else "no unsafe link on the page"
        return Verdict(finding, "true" if unsafe else "false", why)
    targets = [
        t
        for c in candidates(truth.settings, finding)
        for t in sorted(markdown_targets(truth.settings, site, page, html, c), key=repr)
    ]
    page_broken = unclaimed.get(html, Counter())
    claim = next(((t, p) for t in targets for (bt, p) in page_broken if bt == t), None)
    if claim is not None:
        page_broken[claim] -= 1
        if page_broken[claim] <= 0:
            del page_broken[claim]
        build = truth.reported[(page, claim[0])] > 0
        return Verdict(finding, "true", f"broken in the built page: {claim[1]}", build)
    if any(t in rendered for t in targets):
        why = "the built page's link works"
    elif any(t == bt for t in targets for bt, _p in truth.broken.get(html, ())):
        why = "broken, but every occurrence is already claimed by another finding"
    else:
        why = "the built page has no such link"
    return Verdict(finding, "false", why)


Missed = list[tuple[str, str, str, bool]]  # source page, URL, problem, the build reports it
Generated = list[tuple[str, str, str]]  # HTML file without a source, URL, problem


def judge(truth: Truth, findings: list[dict[str, Any]]) -> tuple[list[Verdict], Missed, Generated]:
    """Verdicts on ``findings``; broken links no finding names, on source pages and on
    pages without a source (generated by a plugin)."""
    verdicts: list[Verdict] = []
    unclaimed = {html: Counter(c) for html, c in truth.broken.items()}
    prefix = truth.settings.docs_prefix
    for finding in findings:
        rule, path = finding["rule"], finding["path"]
        page = path[len(prefix) :] if path.startswith(prefix) else ""
        html = truth.sources.get(page)
        if rule not in JUDGED_RULES:
            verdicts.append(Verdict(finding, "not judged", "rule not judged against HTML"))
        elif rule in ("orphan-page", "nav-missing"):
            verdicts.append(_judge_page_rule(truth, finding, html))
        elif html is None and (truth.settings.docs_dir / page).is_file() and page:
            # Readers never see this file as a page; text it lends to pages (snippets)
            # is judged where it is included, as part of those pages' links.
            verdicts.append(Verdict(finding, "false", "not a page of the built site"))
        elif html is None:
            verdicts.append(Verdict(finding, "not judged", "not on a page the build wrote"))
        else:
            verdicts.append(_judge_link(truth, finding, page, html, unclaimed))
    missed: Missed = []
    generated: Generated = []
    markdown_of = {html: md for md, html in truth.sources.items()}
    for html, counter in sorted(unclaimed.items()):
        for (target, problem), n in counter.items():
            url, md = truth.urls[(html, target)], markdown_of.get(html)
            for _ in range(n):
                if md is None:
                    generated.append((html, url, problem))
                else:
                    missed.append((md, url, problem, truth.reported[(md, target)] > 0))
    return verdicts, missed, generated


def compare(
    project: Path,
    site_dir: Path | None = None,
    log: str | None = None,
    mode: str = "site",
    python: str | None = None,
) -> Comparison:
    """Judge check_docs on ``project`` (a folder with mkdocs.yml, or the file), run in
    ``mode`` (see run_check_docs), against its built ``site_dir`` and the build's ``log``
    (default: mkdocs-build.log beside it)."""
    config_file = project / "mkdocs.yml" if project.is_dir() else project
    truth = read_truth(config_file, site_dir, log)
    name, commit = _toplevel(truth.settings.root).name, _commit(truth.settings.root)
    try:
        findings = run_check_docs(config_file, truth.settings.site_dir, mode, python)
    except CheckDocsFailed as exc:
        everything = [(md, url, problem, False) for md, url, problem in truth.broken_links()]
        return Comparison(name, commit, "failed", len(truth.sources), [], everything, [], str(exc))
    verdicts, missed, generated = judge(truth, findings)
    return Comparison(name, commit, mode, len(truth.sources), verdicts, missed, generated)


def _toplevel(root: Path) -> Path:
    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    return Path(done.stdout.strip()) if done.returncode == 0 else root


def _commit(root: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "?"


# --- report ----------------------------------------------------------------------------

HEADER = (
    "| project | commit | pages | errors true / false | warnings true / false | not judged "
    "| missed (build reports) | broken on generated pages |\n"
    "|---|---|---:|---|---|---:|---|---:|\n"
)


def table_row(c: Comparison) -> str:
    missed_build = sum(1 for m in c.missed if m[3])
    if c.failure:
        return (
            f"| {c.name} | `{c.commit}` | {c.pages} | check_docs failed: {c.failure} | | "
            f"| {len(c.missed)} ({missed_build}) | {len(c.generated_broken)} |\n"
        )
    return (
        f"| {c.name} | `{c.commit}` | {c.pages} "
        f"| {c.count('true', 'error')} / {c.count('false', 'error')} "
        f"| {c.count('true', 'warning')} / {c.count('false', 'warning')} "
        f"| {c.count('not judged')} | {len(c.missed)} ({missed_build}) "
        f"| {len(c.generated_broken)} |\n"
    )


def details(c: Comparison) -> str:
    out = [f"## {c.name} ({c.commit}, check_docs {c.mode})\n"]
    if c.failure:
        out.append(f"FAILED     check_docs: {c.failure}\n")
    for v in c.verdicts:
        f = v.finding
        build = " [build reports it]" if v.build else ""
        out.append(
            f"{v.verdict.upper():10} {f['path']}:{f['line']}:{f['column']}: {f['rule']} "
            f"({f['severity']}) {f['message']} -- {v.why}{build}\n"
        )
    for md, url, problem, build in c.missed:
        out.append(f"MISSED     {md}: {url} ({problem}){' [build reports it]' if build else ''}\n")
    for html, url, problem in c.generated_broken:
        out.append(f"GENERATED  {html}: {url} ({problem})\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "projects",
        nargs="+",
        metavar="PROJECT[=NAME]",
        help="a folder holding mkdocs.yml, or the configuration file; NAME for the table",
    )
    parser.add_argument("--details", action="store_true", help="list every verdict")
    parser.add_argument(
        "--mode",
        choices=MODES,
        default="site",
        help="how check_docs runs: with --site (default), as a plugin in the project's "
        "build, standalone with the record that build left, or standalone with none",
    )
    parser.add_argument(
        "--python",
        action="append",
        default=[],
        help="for --mode plugin: the Python of each project's own environment, in order",
    )
    args = parser.parse_args(argv)
    if args.mode == "plugin" and len(args.python) != len(args.projects):
        parser.error("--mode plugin needs one --python per project")
    results = []
    for index, spec in enumerate(args.projects):
        path, _, name = spec.partition("=")
        python = args.python[index] if args.python else None
        result = compare(Path(path), mode=args.mode, python=python)
        result.name = name or result.name
        results.append(result)
    if args.details:
        for c in results:
            sys.stdout.write(details(c) + "\n")
    sys.stdout.write(HEADER + "".join(table_row(c) for c in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
