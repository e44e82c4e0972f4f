"""Read and parse one page: its links, its anchors, its suppression comments.

Parsing uses markdown-it-py (CommonMark, plus the block syntax this site
enables: tables, admonitions, footnotes) so that code blocks, indented code
and code spans are never mistaken for links. For speed, block structure is
parsed once per page and inline syntax only where it can matter: every
heading (its text becomes an anchor) and any other block with a ``[`` or a
``<`` in it, with an inline rule set cut down to what finds links.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

from markdown.extensions.toc import strip_tags as toc_strip_tags
from markdown.extensions.toc import unique
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.footnote import footnote_plugin

from check_docs import files
from check_docs.errors import DataError
from check_docs.frontmatter import YAML_RE, parse_front_matter

SUPPRESS_RE = re.compile(r"<!--\s*check_docs:\s*ignore\b([^>]*?)-->")
# Python-Markdown's attr_list: `{: #id .class key=value}` at the end of a heading...
HEADER_ATTR_RE = re.compile(r"[ ]+\{:?[ ]*([^}\n ][^\n]*)[ ]*\}[ ]*$")
# ...and after a block or an inline element.
ATTR_RE = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*)\}")
# Characters that can change a heading's text once inline syntax is applied.
HEADING_MARKUP_RE = re.compile(r"[*_`\\<&\[!{~]")
# A page bigger than this is reported (invalid-file) instead of read.
MAX_PAGE_BYTES = 20 * 1024 * 1024
LINK_ATTRS = frozenset({"href", "src", "action", "formaction", "poster", "data", "xlink:href"})


class Link(NamedTuple):
    """A link as written and where (kind: link, image or html), and what it points at
    (``check_docs.links.resolve``: target kind, docs-relative path, fragment)."""

    line: int
    column: int
    url: str
    kind: str
    target: str = ""
    path: str = ""
    fragment: str = ""

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt by C code when unpickled: a site has hundreds of thousands of links
        # and the named tuple's own __new__ is Python, ten times slower.
        return (tuple.__new__, (Link, tuple(self)))


@dataclass(slots=True)
class PageData:
    """What the rules need to know about one page, small enough to send between processes."""

    path: str  # relative to docs_dir, POSIX separators
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    sources: list[str] = field(default_factory=list)
    # line -> rule names suppressed there ("*" for all)
    suppress: dict[int, frozenset[str]] = field(default_factory=dict)
    # (line, column, message) for files that could not be read or parsed
    problems: list[tuple[int, int, str]] = field(default_factory=list)
    digest: str = ""


@dataclass(frozen=True)
class ParseOptions:
    slugify: Callable[[str, str], str]
    separator: str
    # (page, url) -> (target kind, path, fragment); None leaves links unresolved.
    resolve: Callable[[str, str], tuple[str, str, str]] | None = None
    max_bytes: int = MAX_PAGE_BYTES


def _positioned(fn: Callable[[StateInline, bool], bool], types: frozenset[str]) -> Any:
    """Wrap an inline rule so the token it opens remembers where it started."""

    def rule(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        ok = fn(state, silent)
        if ok and not silent:
            for token in state.tokens[count:]:
                if token.type in types:
                    token.meta["pos"] = start
                    break
        return ok

    return rule


# The common case `[text](target "title")` with nothing inside that could nest
# (brackets, code, HTML, images, escapes): matched at the parser's position only,
# and everything else goes to markdown-it's own link rule.
SIMPLE_LINK_RE = re.compile(r'\[([^\[\]\\`<>!]*)\]\(([^\s()<>\\`]+)(?:[ ]+"[^"\\`]*")?\)')
# Characters after which only markdown-it can say what is a link: raw HTML and
# autolinks, escapes, images, entities (they are decoded inside link targets).
NEEDS_PARSER_RE = re.compile(r"[<\\!&]")
BACKTICKS_RE = re.compile(r"`+")


def code_spans(content: str) -> list[tuple[int, int]]:
    """Code span ranges as CommonMark finds them: a run of N backticks up to the next
    run of exactly N; an opening run with no match is plain text."""
    runs = [m.span() for m in BACKTICKS_RE.finditer(content)]
    spans, index, count = [], 0, len(runs)
    while index < count:
        start, end = runs[index]
        size = end - start
        for close in range(index + 1, count):
            if runs[close][1] - runs[close][0] == size:
                spans.append((start, runs[close][1]))
                index = close + 1
                break
        else:
            index += 1  # no closing run: these backticks are plain text
    return spans


def simple_links(content: str) -> list[re.Match[str]] | None:
    """The links of an inline block found without the inline parser, or None when
    anything in it could make markdown-it's answer differ (then the parser decides).

    Sure only when every bracket outside code spans belongs to a plain
    `[text](target "title")` and no code span touches a link."""
    if NEEDS_PARSER_RE.search(content):
        return None
    links = list(SIMPLE_LINK_RE.finditer(content))
    spans = code_spans(content) if "`" in content else []
    if spans:
        # Backticks bind tighter than brackets: text that looks like a link inside a
        # code span is code (the span opens first, left to right).
        links = [m for m in links if not any(a <= m.start() and m.end() <= b for a, b in spans)]
    ranges = sorted([m.span() for m in links] + spans)
    outside, pos = [], 0
    for start, end in ranges:
        if start < pos:
            return None  # a link and a code span overlap
        outside.append(content[pos:start])
        pos = end
    outside.append(content[pos:])
    text = "".join(outside)
    if "[" in text or "]" in text:
        return None
    return links


def _fast_link(fallback: Callable[[StateInline, bool], bool]) -> Any:
    def rule(state: StateInline, silent: bool) -> bool:
        if state.src[state.pos] != "[":
            return False
        match = SIMPLE_LINK_RE.match(state.src, state.pos, state.posMax)
        if match is None:
            return fallback(state, silent)
        if not silent:
            token = state.push("link_open", "a", 1)
            token.attrs = {"href": match.group(2)}
            token.meta["pos"] = state.pos
            state.push("text", "", 0).content = match.group(1)
            state.push("link_close", "a", -1)
        state.pos = match.end()
        return True

    return rule


def _table_precheck(table: Callable[..., bool]) -> Any:
    """Skip markdown-it's table rule (a quarter of block parsing) unless the next
    line can be a delimiter row (`|---|:--:|`), which every table needs."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        following = start + 1
        if following >= end:
            return False
        first = state.bMarks[following] + state.tShift[following]
        if first >= state.eMarks[following] or state.src[first] not in "|:-":
            return False
        return table(state, start, end, silent)

    return rule


# The characters a line must start with (after its indentation) for these block rules
# to match, as each rule's own first test has it. markdown-it offers every rule every
# line (and every paragraph line to each rule that may end a paragraph); most block
# parsing time went to rules refusing lines they could have refused by this test.
FIRST_CHARACTERS = {
    "admonition": "!?",
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "footnote_def": "[",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
}


def _first_character(fn: Callable[..., bool], characters: str) -> Any:
    """Refuse a line straight away when it cannot start the block ``fn`` parses."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        first = state.bMarks[start] + state.tShift[start]
        if first < state.eMarks[start] and state.src[first] not in characters:
            return False
        return fn(state, start, end, silent)

    return rule


def _indented_code(fn: Callable[..., bool]) -> Any:
    """Refuse a line straight away when it is not indented enough for indented code."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.sCount[start] - state.blkIndent < 4:
            return False
        return fn(state, start, end, silent)

    return rule


def make_parser(*, link_only: bool, prechecks: bool = True) -> MarkdownIt:
    """The site's Markdown as markdown-it sees it; ``prechecks=False`` keeps markdown-it's
    own block rules alone (tests compare the two: same tokens, every time)."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.use(admon_plugin).use(footnote_plugin)
    # markdown-it drops javascript:/data: links silently; we must see them to flag them.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    # Targets are compared after percent-decoding, so markdown-it's re-encoding is wasted work.
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda url: url  # type: ignore[method-assign]
    md.disable(["inline", "text_join", "footnote_tail"])  # core: we run inline ourselves
    if link_only:
        md.disable(
            [
                *("emphasis", "newline", "entity", "balance_pairs", "fragments_join"),
                *("footnote_inline", "footnote_ref"),
            ]
        )
    wrapped = {
        "link": frozenset({"link_open"}),
        "image": frozenset({"image"}),
        "autolink": frozenset({"link_open"}),
        "html_inline": frozenset({"html_inline"}),
    }
    for name, types in wrapped.items():
        index = md.inline.ruler.__find__(name)
        md.inline.ruler.at(name, _positioned(md.inline.ruler.__rules__[index].fn, types))
    if link_only:
        index = md.inline.ruler.__find__("link")
        md.inline.ruler.at("link", _fast_link(md.inline.ruler.__rules__[index].fn))
    if not prechecks:
        return md
    index = md.block.ruler.__find__("table")
    table = _table_precheck(md.block.ruler.__rules__[index].fn)
    md.block.ruler.at("table", table, {"alt": ["paragraph", "reference"]})
    for block_rule in md.block.ruler.__rules__:
        if block_rule.name in FIRST_CHARACTERS:
            wrapped_fn = _first_character(block_rule.fn, FIRST_CHARACTERS[block_rule.name])
        elif block_rule.name == "code":
            wrapped_fn = _indented_code(block_rule.fn)
        else:
            continue
        md.block.ruler.at(block_rule.name, wrapped_fn, {"alt": list(block_rule.alt)})
    return md


BLOCK_MD = make_parser(link_only=False)
LINK_MD = make_parser(link_only=True)


class _TagScanner(HTMLParser):
    """Start tags of a raw HTML chunk with their attributes and positions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]], int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        self.tags.append((tag, attrs, line, offset))

    handle_startendtag = handle_starttag


def scan_tags(chunk: str) -> list[tuple[str, list[tuple[str, str | None]], int, int]]:
    scanner = _TagScanner()
    try:
        scanner.feed(chunk)
        scanner.close()
    except (AssertionError, ValueError):  # malformed HTML: keep what was read
        pass
    return scanner.tags


def attr_ids(attr_list: str) -> list[str]:
    """Ids set by one attr_list body (`#id` or `id=...`)."""
    ids = []
    for part in attr_list.split():
        if part.startswith("#") and len(part) > 1:
            ids.append(part[1:])
        elif part.startswith("id="):
            ids.append(part[3:].strip("\"'"))
    return ids


class _PageParser:
    def __init__(self, data: PageData, lines: list[str], options: ParseOptions) -> None:
        self.data = data
        self.lines = lines
        self.options = options
        self.explicit_ids: set[str] = set()
        self.html_ids: set[str] = set()
        self.headings: list[str] = []  # heading texts without an explicit id, in order

    # -- positions ---------------------------------------------------------
    def locate(self, first_line: int, content: str, pos: int) -> tuple[int, int]:
        """1-based (line, column) in the page of offset ``pos`` in a block's inline content."""
        before = content.rfind("\n", 0, pos) + 1
        end = content.find("\n", pos)
        text_line = content[before : end if end >= 0 else len(content)]
        index = first_line + content.count("\n", 0, pos)
        source = self.lines[index] if index < len(self.lines) else ""
        offset = source.rfind(text_line) if text_line else -1
        return index + 1, max(offset, 0) + (pos - before) + 1

    # -- blocks ------------------------------------------------------------
    def walk(self, tokens: list[Token], env: dict[str, Any], line_offset: int) -> None:
        heading_next = False
        for token in tokens:
            if token.type == "heading_open":
                atx = token.markup[:1] == "#"
                heading_next = not atx or self.python_markdown_atx(token, line_offset)
                continue
            if token.type == "inline":
                first = (token.map[0] if token.map else 0) + line_offset
                if heading_next:
                    self.heading(token.content, first, env)
                else:
                    self.inline(token.content, first, env)
                heading_next = False
            elif token.type == "html_block":
                first = (token.map[0] if token.map else 0) + line_offset
                self.html_block(token.content, first, env)
        for label in (env.get("footnotes") or {}).get("refs", {}):
            self.html_ids.update({f"fn{label}", f"fnref{label}"})

    def python_markdown_atx(self, token: Token, line_offset: int) -> bool:
        """False for `## text\\`: Python-Markdown's heading pattern cannot end in an
        unpaired backslash, so the site renders that line as a paragraph."""
        index = (token.map[0] if token.map else 0) + line_offset
        line = self.lines[index].rstrip() if index < len(self.lines) else ""
        return (len(line) - len(line.rstrip("\\"))) % 2 == 0

    def html_block(self, content: str, first_line: int, env: dict[str, Any]) -> None:
        tags = scan_tags(content)
        if tags and any(name == "markdown" for name, _ in tags[0][1]):
            # md_in_html: the opening tag is HTML, what follows is Markdown again.
            _tag, attrs, line, offset = tags[0]
            self.html_tag(attrs, first_line + line - 1, offset)
            end = content.find(">", _offset_of(content, line, offset)) + 1
            sub_env: dict[str, Any] = dict(env)
            inner = "\n" * content.count("\n", 0, end) + content[end:]
            self.walk(BLOCK_MD.parse(inner, sub_env), sub_env, first_line)
            return
        for _tag, attrs, line, offset in tags:
            self.html_tag(attrs, first_line + line - 1, offset)

    def html_tag(self, attrs: list[tuple[str, str | None]], line0: int, offset: int) -> None:
        source = self.lines[line0] if line0 < len(self.lines) else ""
        column = offset + 1
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.html_ids.add(value)
            elif name in LINK_ATTRS:
                column = max(source.find(value), 0) + 1 if value else column
                self.add_link(line0 + 1, column, value.strip(), "html")

    def add_link(self, line: int, column: int, url: str, kind: str) -> None:
        resolve = self.options.resolve
        if resolve is None:
            self.data.links.append(Link(line, column, url, kind))
        else:
            # Built by C code, as when unpickled (see Link): a page has dozens of links.
            fields = (line, column, url, kind, *resolve(self.data.path, url))
            self.data.links.append(tuple.__new__(Link, fields))

    def collect_attr_ids(self, content: str) -> None:
        if "{" in content:
            for match in ATTR_RE.finditer(content):
                self.explicit_ids.update(attr_ids(match.group(1)))

    # -- inline ------------------------------------------------------------
    def heading(self, content: str, first_line: int, env: dict[str, Any]) -> None:
        match = HEADER_ATTR_RE.search(content)
        explicit = attr_ids(match.group(1)) if match else []
        if match:
            content = content[: match.start()]
        if explicit:
            self.explicit_ids.update(explicit)
        if not HEADING_MARKUP_RE.search(content):
            if not explicit:
                self.headings.append(content)
            return
        children: list[Token] = []
        BLOCK_MD.inline.parse(content, BLOCK_MD, env, children)
        self.links(children, content, first_line)
        if not explicit:
            self.headings.append(heading_text(content))

    def inline(self, content: str, first_line: int, env: dict[str, Any]) -> None:
        self.collect_attr_ids(content)
        if "[" not in content and "<" not in content:
            return
        simple = simple_links(content)
        if simple is not None:
            for match in simple:
                line, col = self.locate(first_line, content, match.start())
                self.add_link(line, col, match.group(2), "link")
            return
        children: list[Token] = []
        LINK_MD.inline.parse(content, LINK_MD, env, children)
        self.links(children, content, first_line)

    def links(self, children: list[Token], content: str, first_line: int) -> None:
        for child in children:
            kind = child.type
            if kind == "link_open":
                url = str(child.attrs.get("href", ""))
                line, col = self.locate(first_line, content, child.meta.get("pos", 0))
                self.add_link(line, col, url, "link")
            elif kind == "image":
                url = str(child.attrs.get("src", ""))
                line, col = self.locate(first_line, content, child.meta.get("pos", 0))
                self.add_link(line, col, url, "image")
            elif kind == "html_inline":
                line, col = self.locate(first_line, content, child.meta.get("pos", 0))
                for _tag, attrs, _l, _o in scan_tags(child.content):
                    self.html_tag(attrs, line - 1, col - 1)

    def anchors(self) -> set[str]:
        """Every id on the page, heading ids made unique the way Python-Markdown's toc does."""
        used = set(self.explicit_ids)
        slugify, sep = self.options.slugify, self.options.separator
        for text in self.headings:
            unique(slugify(text, sep), used)
        return used | self.html_ids


def _offset_of(content: str, line: int, offset: int) -> int:
    """Character offset in ``content`` of HTMLParser's (1-based line, 0-based offset)."""
    pos = 0
    for _ in range(line - 1):
        pos = content.find("\n", pos) + 1
    return pos + offset


_INLINE_MD: Any = None
_FOOTNOTE_REF_RE = re.compile(r'<sup id="fnref[^"]*">.*?</sup>')


def heading_text(content: str) -> str:
    """A heading's plain text as Python-Markdown's toc sees it, from the heading's
    Markdown: rendered by Python-Markdown itself (its emphasis, escapes and code spans
    differ from CommonMark's in corners), footnote references and tags dropped,
    entities decoded."""
    global _INLINE_MD
    if _INLINE_MD is None:
        import markdown

        _INLINE_MD = markdown.Markdown(extensions=["footnotes"])
    rendered = _INLINE_MD.reset().convert(content)
    rendered = _FOOTNOTE_REF_RE.sub("", rendered)
    return html.unescape(toc_strip_tags(rendered))


def read_text(path: Path, data: PageData, max_bytes: int) -> str | None:
    """The page as text, or None with a problem recorded (never an exception)."""
    raw = read_raw(path, data, max_bytes)
    return None if raw is None else decode_text(raw, data)


def read_raw(path: Path, data: PageData, max_bytes: int) -> bytes | None:
    """The page's bytes (their digest recorded), or None with a problem recorded
    (``check_docs.files``: regular files only, size checked before reading)."""
    try:
        raw = files.read_bytes(path, max_bytes)
    except files.FileProblem as problem:
        data.problems.append((problem.line, 1, problem.message))
        return None
    data.digest = hashlib.sha256(raw).hexdigest()
    return raw


def decode_text(raw: bytes, data: PageData) -> str | None:
    """The page's bytes as text with Unix line ends, or None with a problem recorded."""
    try:
        return files.decode_text(raw)
    except files.FileProblem as problem:
        data.problems.append((problem.line, 1, problem.message))
        return None


def front_matter(text: str, data: PageData) -> str:
    """Blank out the front matter (keeping line numbers) and record its sources."""
    try:
        front = parse_front_matter(text, data.path)
    except DataError as exc:
        data.problems.append((exc.line or 1, 1, exc.message))
        match = YAML_RE.match(text)
        end = match.end() if match else 0
    else:
        end = front.body_start
        sources = front.meta.get("sources")
        if isinstance(sources, list):
            data.sources = [s for s in sources if isinstance(s, str)]
    if not end:
        return text
    return "\n" * text.count("\n", 0, end) + text[end:]


def suppressions(text: str) -> dict[int, frozenset[str]]:
    out: dict[int, frozenset[str]] = {}
    if "check_docs:" not in text:
        return out
    for number, line in enumerate(text.split("\n"), start=1):
        for match in SUPPRESS_RE.finditer(line):
            names = frozenset(re.split(r"[\s,]+", match.group(1).strip())) - {""}
            out[number] = out.get(number, frozenset()) | (names or frozenset({"*"}))
    return out


def parse_page(path: Path, rel: str, options: ParseOptions) -> PageData:
    """Read and parse one page; any failure becomes a problem on the page, not an exception."""
    data = PageData(rel)
    text = read_text(path, data, options.max_bytes)
    if text is None:
        return data
    return parse_text(text, data, options)


def parse_text(text: str, data: PageData, options: ParseOptions) -> PageData:
    """Parse Markdown ``text`` (newlines already normalised) into ``data``."""
    data.suppress = suppressions(text)
    body = front_matter(text, data)
    parser = _PageParser(data, body.split("\n"), options)
    try:
        env: dict[str, Any] = {}
        parser.walk(BLOCK_MD.parse(body, env), env, 0)
        data.anchors = parser.anchors()
    except (RecursionError, ValueError, IndexError, KeyError, TypeError) as exc:
        data.problems.append((1, 1, f"cannot parse page ({type(exc).__name__}): {exc}"))
    return data
