"""One standalone parse of a page's Markdown into its record (``check_docs.record``).

MkDocs renders with Python-Markdown; parsing every page with it would take ten times
longer than a check may (see the README's benchmarks), so the page is parsed by
markdown-it-py, a CommonMark parser that keeps source positions, taught the syntax
Python-Markdown and the site's extensions give a different meaning to:

- containers whose body is indented four spaces and is Markdown, not code:
  admonitions (``!!!``), details (``???``), content tabs (``===``);
- raw HTML blocks as Python-Markdown has them: a block-level tag at the start of a
  line opens a block that ends with its matching end tag, blank lines or not, and
  ``markdown`` attributes (md_in_html) make the inside Markdown again;
- ``#heading`` without a space is a heading; only a one-line paragraph becomes a
  setext heading; a reference label defined twice means its last definition;
- ``attr_list`` ids on headings, blocks and fences; abbreviations (``*[X]: …``);
  footnotes; definition lists; tables only where the ``tables`` extension is on;
- nesting as deep as the page goes (markdown-it stops at 20 levels by default).

Headings get their ids the way the toc extension gives them (the heading's text as
Python-Markdown renders it, slugified by the site's function, made unique), and
content tabs theirs the way pymdownx.tabbed does.

Prose: while inline syntax is parsed, every construct that is not running text
(code, raw HTML, link targets and labels, images, entities, escapes, emphasis marks,
attribute lists, footnote references) is noted; what is left of each block's text
is its prose, by offset. The term rules read only that.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, NamedTuple

from markdown.extensions.toc import unique
from markdown.util import BLOCK_LEVEL_ELEMENTS

from check_docs.errors import DataError
from check_docs.frontmatter import YAML_RE, body_start, same_length_lf
from check_docs.record import Link, PageRecord, Suppression, TextBlock, Title
from check_docs.snippets import Expanded, Snippets, expand

if TYPE_CHECKING:  # markdown-it is imported when a page is parsed: a warm run needs none
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

try:
    from markdown.extensions.toc import strip_tags as toc_strip_tags
except ImportError:  # Markdown < 3.6 (MkDocs' own docs pin 3.5.1): toc had no strip_tags
    from markdown.inlinepatterns import HTML_RE as _HTML_RE

    def toc_strip_tags(text: str) -> str:
        """Markdown 3.6's ``toc.strip_tags``: comments, then tags, dropped; whitespace
        collapsed; entities left as they are."""
        while (start := text.find("<!--")) != -1 and (end := text.find("-->", start)) != -1:
            text = text[:start] + text[end + 3 :]
        return " ".join(re.sub(_HTML_RE, "", text, flags=re.DOTALL).split())


# A backtick ends a bare address: it opens or closes a code span, never part of a URL.
BARE_URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\[\]()`]+")
SUPPRESS_RE = re.compile(r"<!--\s*check_docs:\s*ignore\b([^>]*?)-->")
# attr_list: `{: #id .class key=value}` (the colon is optional).
_ATTR = r"(?:[#.][\w:-]+|[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+))"
ATTR_LIST_RE = re.compile(r"\{:?[ \t]*(" + _ATTR + r"(?:[ \t]+" + _ATTR + r")*)[ \t]*\}")
# attr_list's own pattern for a heading's (markdown.extensions.attr_list.HEADER_RE).
HEADING_ATTR_RE = re.compile(r"[ ]+\{:?[ ]*([^}\n ][^\n]*)[ ]*\}[ ]*$")
LINK_ATTRS = frozenset({"href", "src", "action", "formaction", "poster", "data", "xlink:href"})
CODE_TAGS = frozenset({"code", "kbd", "pre", "samp"})
# Characters that can make a heading's rendered text differ from its source.
HEADING_MARKUP_RE = re.compile(r"[*_`\\<&\[!{~]")
# Python-Markdown's containers, each with its extension and its title rule.
CONTAINER_RE = re.compile(r"(!!!|\?\?\?\+?|===(?:\+!|!\+|\+|!)?)(.*)$")
ADMONITION_PARAMS = re.compile(r' ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *$')
DETAILS_PARAMS = re.compile(
    r' ?(?:([\w\-]+(?: +[\w\-]+)*?)?(?: +"(.*?)")|([\w\-]+(?: +[\w\-]+)*?)) *$'
)
TAB_PARAMS = re.compile(r' +"(.*?)" *$')
ABBR_RE = re.compile(r"[*]\[([^\\\]]*?)\][ ]?:[ ]*(.*)$")
PM_HEADING_RE = re.compile(r"(#{1,6})((?:\\.|[^\\])*?)#*$")
SETEXT_RE = re.compile(r"[=-]+[ ]*$")
BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)
TAG_START_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


@dataclass(frozen=True)
class ParseOptions:
    """How the site renders Markdown, as far as links, anchors and prose go."""

    slugify: Callable[[str, str], str]
    separator: str = "-"
    # Python-Markdown extensions in use, by short name ("attr_list", "pymdownx.tabbed").
    extensions: frozenset[str] = frozenset({"toc", "tables", "fenced_code"})
    tabbed_slugify: Callable[[str, str], str] | None = None
    tabbed_separator: str = "-"
    tabbed_combine_header_slug: bool = False
    snippets: Snippets | None = None


# -- markdown-it, taught Python-Markdown ----------------------------------------------
class _LastWins(dict):  # type: ignore[type-arg]
    """Reference definitions where a label defined again replaces the first
    (markdown-it stores a label only when it is new)."""

    def __contains__(self, key: object) -> bool:
        return False


def _container(options: ParseOptions) -> Callable[..., bool]:
    markers = {"!!!": "admonition", "???": "pymdownx.details", "===": "pymdownx.tabbed"}
    enabled = {m for m, ext in markers.items() if ext in options.extensions}

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.sCount[start] - state.blkIndent >= 4:
            return False
        pos = state.bMarks[start] + state.tShift[start]
        maximum = state.eMarks[start]
        if pos >= maximum or state.src[pos] not in "!?=" or state.src[pos : pos + 3] not in enabled:
            return False
        match = CONTAINER_RE.match(state.src, pos, maximum)
        if match is None:
            return False
        marker, params = match.group(1), match.group(2)
        kind = markers[marker[:3]]
        if kind == "admonition":
            found = ADMONITION_PARAMS.match(params)
            title_group = 2
        elif kind == "pymdownx.details":
            found = DETAILS_PARAMS.match(params)
            title_group = 2
        else:
            found = TAB_PARAMS.match(params)
            title_group = 1
        if found is None:
            return False
        if silent:
            return True
        # The body: the following lines indented four more columns, blank lines between.
        indent = state.sCount[start] + 4
        last = start
        line = start + 1
        while line < end:
            if state.isEmpty(line):
                line += 1
                continue
            if state.sCount[line] < indent:
                break
            last = line
            line += 1
        token = state.push("container_open", "div", 1)
        token.map = [start, last + 1]
        token.info = kind
        token.markup = marker
        title = found.group(title_group)
        if title:
            token.meta = {
                "title": title,
                "title_pos": match.start(2) + found.start(title_group),
            }
        old_indent, old_parent, old_max = state.blkIndent, state.parentType, state.lineMax
        state.blkIndent = indent
        state.parentType = "container"  # type: ignore[assignment]
        state.lineMax = last + 1
        state.md.block.tokenize(state, start + 1, last + 1)
        state.blkIndent, state.parentType, state.lineMax = old_indent, old_parent, old_max
        state.push("container_close", "div", -1).info = kind
        state.line = last + 1
        return True

    return rule


def _abbreviation(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``*[ABBR]: expansion`` (the abbr extension): a definition, not text."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if state.src[pos : pos + 2] != "*[":
        return False
    match = ABBR_RE.match(state.src, pos, state.eMarks[start])
    if match is None:
        return False
    if not silent:
        token = state.push("abbr_definition", "", 0)
        token.map = [start, start + 1]
        token.content = match.group(1)
    state.line = start + 1
    return True


def _pm_heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An ATX heading as Python-Markdown reads it: no space needed after the marks,
    no indentation, closing marks always stripped, never ending in a lone backslash."""
    if state.sCount[start] != state.blkIndent:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    maximum = state.eMarks[start]
    if pos >= maximum or state.src[pos] != "#":
        return False
    match = PM_HEADING_RE.fullmatch(state.src, pos, maximum)
    if match is None:
        return False
    if silent:
        return True
    state.line = start + 1
    token = state.push("heading_open", f"h{len(match.group(1))}", 1)
    token.markup = match.group(1)
    token.map = [start, state.line]
    token = state.push("inline", "", 0)
    token.content = match.group(2).strip()
    token.map = [start, state.line]
    token.children = []
    state.push("heading_close", f"h{len(match.group(1))}", -1)
    return True


def _pm_setext(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A setext heading only underlines a one-line paragraph in Python-Markdown
    (under more lines, ``---`` is a rule and ``===`` is text)."""
    following = start + 1
    if following >= end or state.sCount[start] - state.blkIndent >= 4:
        return False
    if state.isEmpty(start) or state.sCount[following] != state.blkIndent:
        return False
    pos = state.bMarks[following] + state.tShift[following]
    maximum = state.eMarks[following]
    if not SETEXT_RE.fullmatch(state.src, pos, maximum):
        return False
    if silent:
        return True
    level = 1 if state.src[pos] == "=" else 2
    state.line = following + 1
    token = state.push("heading_open", f"h{level}", 1)
    token.markup = state.src[pos]
    token.map = [start, state.line]
    token = state.push("inline", "", 0)
    token.content = state.src[
        state.bMarks[start] + state.tShift[start] : state.eMarks[start]
    ].strip()
    token.map = [start, start + 1]
    token.children = []
    state.push("heading_close", f"h{level}", -1)
    return True


class _StartTag(HTMLParser):
    """Parse one start tag: its name and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, list[tuple[str, str | None]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is None:
            self.found = (tag, attrs)

    handle_startendtag = handle_starttag


def _html_end(src: str, start: int, tag: str) -> int:
    """Offset just past the end tag matching the ``tag`` opened at ``start`` (nested
    tags of the same name counted), or len(src) when it is never closed."""
    depth = 0
    pattern = re.compile(rf"<(/?){re.escape(tag)}(?=[\s/>])[^>]*?(/?)>", re.I)
    for match in pattern.finditer(src, start):
        if match.group(1):
            depth -= 1
            if depth == 0:
                return match.end()
        elif not match.group(2):
            depth += 1
    return len(src)


def _pm_html_block(options: ParseOptions) -> Callable[..., bool]:
    md_in_html = "md_in_html" in options.extensions

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.sCount[start] - state.blkIndent >= 4:
            return False
        pos = state.bMarks[start] + state.tShift[start]
        maximum = state.eMarks[start]
        if pos >= maximum or state.src[pos] != "<":
            return False
        if state.src.startswith("<!--", pos):
            stop = state.src.find("-->", pos + 4)
            stop = len(state.src) if stop < 0 else stop + 3
            tag, attrs = "!--", []
        else:
            match = TAG_START_RE.match(state.src, pos, maximum)
            if match is None or match.group(1) or match.group(2).lower() not in BLOCK_TAGS:
                return False
            tag = match.group(2).lower()
            close = state.src.find(">", pos)
            parser = _StartTag()
            parser.feed(state.src[pos : close + 1 if close >= 0 else maximum])
            attrs = parser.found[1] if parser.found else []
            stop = -1
        if silent:
            return True
        if stop < 0:
            stop = _html_end(state.src, pos, tag)
        # The block ends with its end tag; the rest of that line is Markdown again
        # (Python-Markdown parses such a tail as the start of a paragraph).
        last = start
        while last + 1 < end and state.bMarks[last + 1] < stop:
            last += 1
        stop = min(stop, state.eMarks[last])
        # `markdown`, `markdown="1"`, "block" or "span": md_in_html parses the inside.
        markdown_attr = next((v or "1" for k, v in attrs if k == "markdown"), None)
        token = state.push("html_block", "", 0)
        token.map = [start, last + 1]
        token.content = state.src[state.bMarks[start] : stop]
        token.meta = {"tag": tag, "markdown": md_in_html and markdown_attr not in (None, "0")}
        tail = state.src[stop : state.eMarks[last]]
        state.line = last + 1
        if tail.strip():
            shift = len(tail) - len(tail.lstrip(" \t"))
            state.bMarks[last] = stop
            state.tShift[last] = shift
            state.sCount[last] = state.blkIndent + shift
            from markdown_it.rules_block import paragraph

            paragraph(state, last, end, False)
        return True

    return rule


def _fence_attrs(info: str) -> list[str]:
    """Ids given to a fenced block in braces (superfences: ``{ .lang #id }``)."""
    start = info.find("{")
    if start < 0:
        return []
    return attr_ids(info[start + 1 : info.rfind("}") if "}" in info else len(info)])


def attr_ids(body: str) -> list[str]:
    """Ids set by one attr_list body (`#id` or `id=...`)."""
    ids = []
    for part in body.replace(":", " ", 1).split() if body.startswith(":") else body.split():
        if part.startswith("#") and len(part) > 1:
            ids.append(part[1:])
        elif part.startswith("id="):
            ids.append(part[3:].strip("\"'"))
    return ids


# -- inline syntax, with the spans that are not prose --------------------------------
# Rules whose whole match is never prose.
NOT_PROSE = frozenset(
    {"escape", "backticks", "image", "autolink", "html_inline", "entity", "footnote_ref"}
    | {"footnote_inline", "emphasis", "strikethrough"}
)


def _recording(name: str, fn: Callable[[StateInline, bool], bool]) -> Any:
    """Wrap an inline rule so each match at the top level of a block's text is noted:
    (rule, start, end) in ``env["spans"]``, and links' openings with their position."""

    def rule(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        ok = fn(state, silent)
        if ok and not silent and state.src is state.env.get("root"):
            state.env["spans"].append((name, start, state.pos))
            for token in state.tokens[count:]:
                if token.type in ("link_open", "image", "html_inline"):
                    token.meta["pos"] = start
                    break
        return ok

    return rule


# The characters a line must start with (after its indentation) for these block rules to
# match, as each rule's own first test has it. markdown-it offers every rule every line
# (and every paragraph line to each rule that may end a paragraph); most block parsing
# time went to rules refusing lines they could have refused by this test.
FIRST_CHARACTERS = {
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "footnote_def": "[",
    "reference": "[",
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


def _table_precheck(table: Callable[..., bool]) -> Any:
    """Skip markdown-it's table rule unless the next line can be a delimiter row
    (`|---|:--:|`), which every table needs."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        following = start + 1
        if following >= end:
            return False
        first = state.bMarks[following] + state.tShift[following]
        if first >= state.eMarks[following] or state.src[first] not in "|:-":
            return False
        return table(state, start, end, silent)

    return rule


def _add_prechecks(md: MarkdownIt) -> None:
    for block_rule in list(md.block.ruler.__rules__):
        alt = {"alt": list(block_rule.alt)}
        if block_rule.name in FIRST_CHARACTERS:
            fn = _first_character(block_rule.fn, FIRST_CHARACTERS[block_rule.name])
        elif block_rule.name == "code":
            fn = _indented_code(block_rule.fn)
        elif block_rule.name == "table":
            fn = _table_precheck(block_rule.fn)
        else:
            continue
        md.block.ruler.at(block_rule.name, fn, alt)


def make_parser(options: ParseOptions, *, prechecks: bool = True) -> MarkdownIt:
    """The site's Markdown as markdown-it reads it; ``prechecks=False`` leaves the block
    rules without their quick first test (a test compares the two: same tokens)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": True, "maxNesting": 1000})
    if "tables" in options.extensions:
        md.enable("table")
    if "footnotes" in options.extensions:
        md.use(footnote_plugin)
    if "def_list" in options.extensions:
        md.use(deflist_plugin)
    # markdown-it drops javascript:/data: links silently; we must see them to flag them.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    # Targets are compared after percent-decoding, so markdown-it's re-encoding is wasted.
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda url: url  # type: ignore[method-assign]
    md.disable(["inline", "text_join"])  # core: the inline parse runs in the walk below
    if "footnotes" in options.extensions:
        md.disable("footnote_tail")
    terminators = ["paragraph", "reference", "blockquote", "list"]
    md.block.ruler.before("fence", "container", _container(options), {"alt": terminators})
    if "abbr" in options.extensions:
        md.block.ruler.before("reference", "abbr", _abbreviation, {"alt": terminators})
    md.block.ruler.at("heading", _pm_heading, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.at("lheading", _pm_setext)
    md.block.ruler.at("html_block", _pm_html_block(options), {"alt": terminators})
    for inline_rule in md.inline.ruler.__rules__:
        if inline_rule.name in NOT_PROSE or inline_rule.name == "link":
            md.inline.ruler.at(inline_rule.name, _recording(inline_rule.name, inline_rule.fn))
    if prechecks:
        _add_prechecks(md)
    return md


_PARSERS: dict[ParseOptions, MarkdownIt] = {}


def parser_for(options: ParseOptions) -> MarkdownIt:
    md = _PARSERS.get(options)
    if md is None:
        md = _PARSERS[options] = make_parser(options)
    return md


# -- markdown-it's block parse, its line markers found faster -------------------------
_STATE_TEMPLATES: dict[MarkdownIt, dict[str, Any]] = {}


def line_markers(src: str) -> tuple[list[int], list[int], list[int], list[int]]:
    """markdown-it's per-line markers of ``src`` (StateBlock's bMarks, eMarks, tShift,
    sCount, with its closing fake line), found by splitting the text into lines:
    StateBlock finds them with a Python loop per line, a tenth of the block parse.
    Leading empty lines (the padding that keeps an ``md_in_html`` block's lines where
    they are on the page: thousands deep in a long page) are made in one step."""
    length = len(src)
    lead = length - len(src.lstrip("\n"))
    begins: list[int] = list(range(lead))
    ends: list[int] = list(range(lead))
    shifts: list[int] = [0] * lead
    counts: list[int] = [0] * lead
    start = lead
    for line in src[lead:].split("\n"):
        if start >= length:
            break  # the empty piece after a final line break
        end = start + len(line)
        if line[:1] == " " or line[:1] == "\t":
            indent = len(line) - len(line.lstrip(" \t"))
            if indent == len(line) and end == length:
                break  # a last line of only spaces and tabs gets no marker (as there)
            offset = indent
            if "\t" in line[:indent]:
                offset = 0
                for character in line[:indent]:
                    offset += 4 - offset % 4 if character == "\t" else 1
        else:
            indent = offset = 0
        begins.append(start)
        ends.append(end)
        shifts.append(indent)
        counts.append(offset)
        start = end + 1
    begins.append(length)
    ends.append(length)
    shifts.append(0)
    counts.append(0)
    return begins, ends, shifts, counts


def block_parse(md: MarkdownIt, src: str, env: dict[str, Any], *, fast: bool = False) -> list[Any]:
    """``md.block.parse(src, md, env, [])``, with the state made from a template (built
    once per parser by markdown-it itself) and ``line_markers`` (a test compares them
    with StateBlock's own). ``fast``: headings and plain paragraphs at the top level
    are tuples, read by ``_tokenize_fast``; the rest are markdown-it's tokens."""
    from markdown_it.rules_block import StateBlock

    tokens: list[Token] = []
    if not src:
        return tokens
    template = _STATE_TEMPLATES.get(md)
    if template is None:
        template = _STATE_TEMPLATES[md] = dict(vars(StateBlock("", md, {}, [])))
    state = StateBlock.__new__(StateBlock)
    fields = vars(state)
    fields.update(template)
    state.src, state.env, state.tokens = src, env, tokens
    state.bMarks, state.eMarks, state.tShift, state.sCount = line_markers(src)
    state.bsCount = [0] * len(state.bMarks)
    state.lineMax = len(state.bMarks) - 1
    # From the first line that is not empty: markdown-it skips the empty ones first, one
    # at a time (for a long page's md_in_html padding, quadratic in the page's length).
    lead = min(len(src) - len(src.lstrip("\n")), state.lineMax)
    if fast:
        _tokenize_fast(md, state, lead)
    else:
        md.block.tokenize(state, lead, state.lineMax)
    return tokens


# -- the blocks most pages are made of, read without markdown-it -----------------------
# A fast block is a plain tuple in the token list (markdown-it's rules never read the
# tokens before their own): (FAST_HEADING, line, level, text) or (FAST_PARAGRAPH, line,
# line after it, text).
FAST_HEADING = 0
FAST_PARAGRAPH = 1
# First characters of a line after which no block rule but a paragraph's or a
# heading's can match (table looks at the next line: its delimiter row starts so).
_TABLE_ROW_START = "|-:"
_DEFINITION_START = ":~"


def _tokenize_fast(md: MarkdownIt, state: StateBlock, line: int) -> None:
    """markdown-it's top-level ``tokenize``, except that an ATX heading and a paragraph
    whose every line starts at the margin with a letter are read here, exactly as the
    rules would read them, and kept as one tuple each (markdown-it makes three tokens
    and offers each paragraph line to a dozen rules that cannot take it). Any other
    block is markdown-it's, one rule chain at a time, so every block starts where it
    would have (a test compares the two readings on random pages)."""
    rules = md.block.ruler.getRules("")
    src, tokens, end = state.src, state.tokens, state.lineMax
    begins, ends, shifts = state.bMarks, state.eMarks, state.tShift
    while line < end:
        if begins[line] + shifts[line] >= ends[line]:
            line += 1
            continue
        begin = begins[line]
        first = src[begin]  # the line's first character: its indentation, if any
        following = line + 1
        if first == "#":
            # _pm_heading's reading, unless markdown-it's table rule comes first.
            match = PM_HEADING_RE.fullmatch(src, begin, ends[line])
            if match is not None and not (
                following < end
                and begins[following] + shifts[following] < ends[following]
                and src[begins[following] + shifts[following]] in _TABLE_ROW_START
            ):
                tokens.append((FAST_HEADING, line, len(match.group(1)), match.group(2).strip()))
                line = following
                continue
        elif first.isalpha():
            # Each following line up to an empty one starts with a letter at the margin:
            # no rule can end the paragraph there, nor start a table on its first line.
            while following < end:
                start = begins[following]
                if start + shifts[following] >= ends[following]:
                    break
                if not src[start].isalpha():
                    following = -1
                    break
                following += 1
            if following > 0 and not (
                # A one-line paragraph, an empty line and `: text`: a definition list.
                following == line + 1
                and following + 1 < end
                and begins[following + 1] + shifts[following + 1] < ends[following + 1]
                and src[begins[following + 1] + shifts[following + 1]] in _DEFINITION_START
            ):
                content = src[begin : ends[following - 1]].strip()
                tokens.append((FAST_PARAGRAPH, line, following, content))
                line = following
                continue
        state.line = line
        for rule in rules:
            if rule(state, line, end, False):
                break
        # (markdown-it's tokenize also sets state.tight here: only a list's own
        # tokenize of its items reads it, after setting it.)
        line = state.line


# -- raw HTML -------------------------------------------------------------------------
class _TagScanner(HTMLParser):
    """Start and end tags of a raw HTML chunk with their attributes and positions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]], int, int, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        self.tags.append((tag, attrs, line, offset, False))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        line, offset = self.getpos()
        self.tags.append((tag, [], line, offset, True))


def scan_tags(chunk: str) -> list[tuple[str, list[tuple[str, str | None]], int, int, bool]]:
    scanner = _TagScanner()
    try:
        scanner.feed(chunk)
        scanner.close()
    except (AssertionError, ValueError):  # malformed HTML: keep what was read
        pass
    return scanner.tags


# -- a block's inline syntax ---------------------------------------------------------
class Inline(NamedTuple):
    """What a block's inline text holds, by offset in it: links ((position, "link" /
    "image" and the address, or "html" and the raw tag), spans that are not prose,
    spans of code, and attr_list ids."""

    links: list[tuple[int, str, str]]
    blanks: list[tuple[int, int]]
    code: list[tuple[int, int]]
    ids: list[str]


# The common case `[text](target "title")` with nothing inside that could nest or be
# markup (brackets, code, HTML, images, escapes, emphasis, entities, attribute lists).
SIMPLE_LINK_RE = re.compile(r'\[([^\[\]\\`<>!*_~&{]*)\]\(([^\s()<>\\`]+)(?:[ ]+"[^"\\`]*")?\)')
# Outside links and code spans: anything that could be markup sends the text to the
# parser (an underscore only where it can start or end emphasis: not inside a word),
# but runs of asterisks, which the quick reading blanks itself.
MARKUP_RE = re.compile(r"[\[\]<>\\!&~{]|://|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# markdown-it's emphasis rule takes every run of asterisks it meets whole (as delimiters,
# paired or not: never prose), and only escapes, code spans, links, autolinks and HTML
# come before it; the quick reading takes none of those but code spans and simple links.
STARS_RE = re.compile(r"\*+")
BACKTICKS_RE = re.compile(r"`+")


def code_spans(content: str) -> list[tuple[int, int]]:
    """Code span ranges as CommonMark finds them: a run of N backticks up to the next
    run of exactly N; an opening run with no match is plain text."""
    if "``" not in content:
        # Every run is one backtick (the usual case): each closes the one before it.
        pairs: list[tuple[int, int]] = []
        start = content.find("`")
        while start >= 0:
            close = content.find("`", start + 1)
            if close < 0:
                break
            pairs.append((start, close + 1))
            start = content.find("`", close + 1)
        return pairs
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


# The characters MARKUP_RE can match at all: a text without any has no markup (a search
# for one character of a set is several times faster than MARKUP_RE's alternatives).
MARKUP_CHARACTERS_RE = re.compile(r"[\[\]<>\\!&~{:_]")
_NO_INLINE = Inline([], [], [], [])  # never changed by its readers


def _markup(text: str) -> bool:
    return MARKUP_CHARACTERS_RE.search(text) is not None and MARKUP_RE.search(text) is not None


def quick_inline(content: str) -> Inline | None:
    """The inline syntax of text that is plain prose, simple links and code spans, found
    without the parser; None when anything else is there (then the parser decides).
    ``quick_inline_runs``' reading, made faster where every backtick run is one backtick
    (a test compares the two)."""
    if "[" not in content and "`" not in content and "*" not in content:
        return None if _markup(content) else _NO_INLINE
    if "``" in content:
        return quick_inline_runs(content)
    # Code spans and simple links, in order (no simple link holds a backtick: one that
    # starts inside a code span ends inside it, and is the span's text; one that starts
    # outside ends before the next span).
    ranges: list[tuple[int, int]] = []
    links: list[tuple[int, str, str]] = []
    blanks: list[tuple[int, int]] = []
    code: list[tuple[int, int]] = []
    tick = content.find("`")
    close = content.find("`", tick + 1) if tick >= 0 else -1
    if "[" in content:
        for match in SIMPLE_LINK_RE.finditer(content):
            start = match.start()
            while close >= 0 and close < start:  # the code spans before this link
                ranges.append((tick, close + 1))
                code.append((tick, close + 1))
                tick = content.find("`", close + 1)
                close = content.find("`", tick + 1) if tick >= 0 else -1
            if close >= 0 and tick < start:
                continue  # inside a code span
            end = match.end()
            ranges.append((start, end))
            links.append((start, "link", match.group(2)))
            blanks.append((start, start + 1))
            blanks.append((match.end(1), end))
    while close >= 0:
        ranges.append((tick, close + 1))
        code.append((tick, close + 1))
        tick = content.find("`", close + 1)
        close = content.find("`", tick + 1) if tick >= 0 else -1
    # The text outside them, joined by spaces as quick_inline_runs joins it.
    pieces = []
    pos = 0
    for start, end in ranges:
        pieces.append(content[pos:start])
        pos = end
    pieces.append(content[pos:])
    if _markup(" ".join(pieces)):
        return None
    if code:
        blanks.extend(code)
    if "*" in content:  # a run starts and ends outside links and code spans, or inside
        blanks.extend(
            m.span()
            for m in STARS_RE.finditer(content)
            if not any(a <= m.start() < b for a, b in ranges)
        )
    if len(blanks) > 1:
        blanks.sort()
    return Inline(links, blanks, code, [])


def quick_inline_runs(content: str) -> Inline | None:
    """quick_inline for any text, by code span runs of any length (a test compares the
    two readings where both apply)."""
    if "[" not in content and "`" not in content and "*" not in content:
        return None if MARKUP_RE.search(content) else Inline([], [], [], [])
    spans = code_spans(content) if "`" in content else []
    links = list(SIMPLE_LINK_RE.finditer(content)) if "[" in content else []
    if spans and links:
        links = [m for m in links if not any(a <= m.start() < b for a, b in spans)]
    ranges = sorted([m.span() for m in links] + spans)
    outside, pos = [], 0
    for start, end in ranges:
        if start < pos:
            return None  # a link and a code span overlap
        outside.append(content[pos:start])
        pos = end
    outside.append(content[pos:])
    if MARKUP_RE.search(" ".join(outside)):
        return None
    blanks = list(spans)
    for m in links:
        blanks.extend([(m.start(), m.start() + 1), (m.end(1), m.end())])
    if "*" in content:  # a run starts and ends outside links and code spans, or inside
        blanks.extend(
            m.span()
            for m in STARS_RE.finditer(content)
            if not any(a <= m.start() < b for a, b in ranges)
        )
    blanks.sort()
    return Inline([(m.start(), "link", m.group(2)) for m in links], blanks, spans, [])


def inline_syntax(md: MarkdownIt, content: str, env: dict[str, Any]) -> Inline:
    """The inline syntax of a block's text, by the quick reading when it is sure, else
    by markdown-it's inline parser (a test checks the two agree)."""
    quick = quick_inline(content)
    return quick if quick is not None else parsed_inline(md, content, env)


def parsed_inline(md: MarkdownIt, content: str, env: dict[str, Any]) -> Inline:
    env["root"] = content
    env["spans"] = spans = []
    children: list[Token] = []
    md.inline.parse(content, md, env, children)
    links: list[tuple[int, str, str]] = []
    for child in children:
        pos = child.meta.get("pos")
        if pos is None:
            continue
        if child.type == "link_open":
            links.append((pos, "link", str(child.attrs.get("href", ""))))
        elif child.type == "image":
            links.append((pos, "image", str(child.attrs.get("src", ""))))
        elif child.type == "html_inline":
            links.append((pos, "html", child.content))
    blanks: list[tuple[int, int]] = []
    code: list[tuple[int, int]] = []
    code_from: int | None = None
    code_tag = ""
    for name, start, end in spans:
        if code_from is not None:
            if name == "html_inline" and _is_end_tag(content[start:end], code_tag):
                blanks.append((code_from, end))
                code.append((code_from, end))
                code_from = None
            continue
        if name == "link":
            label_end = _label_end(content, start)
            if end == label_end + 1 or content.startswith("[]", label_end + 1):
                # `[text]` or `[text][]`: the text is the reference's label too.
                blanks.append((start, end))
            else:
                blanks.append((start, start + 1))
                blanks.append((label_end, end))
        elif name == "emphasis" and content[start] == "_" and _intraword(content, start, end):
            continue  # snake_case: no emphasis, and part of a word
        elif name == "backticks" and not content[start:end].strip("`"):
            continue  # backticks with no closing run: shown as they are
        elif name in NOT_PROSE:
            blanks.append((start, end))
            if name == "backticks":
                code.append((start, end))
            elif name == "html_inline":
                tag = _code_tag(content[start:end])
                if tag:
                    code_from, code_tag = start, tag
    if code_from is not None:
        blanks.append((code_from, len(content)))
        code.append((code_from, len(content)))
    if "://" in content:
        # A bare address is shown as written (no autolink without magiclink): a reader
        # copies it, so it is not prose to rewrite.
        # One inside a code span is code already, and its end is the span's.
        blanks.extend(
            m.span()
            for m in BARE_URL_RE.finditer(content)
            if not any(a <= m.start() < b for a, b in code)
        )
    ids: list[str] = []
    if "{" in content:
        for match in ATTR_LIST_RE.finditer(content):
            ids.extend(attr_ids(match.group(1)))
            blanks.append(match.span())
    blanks.sort()
    return Inline(links, blanks, code, ids)


# -- the walk ---------------------------------------------------------------------------
_INLINE_MD: dict[bool, Any] = {}  # with attr_list or not -> a Markdown for headings
_FOOTNOTE_SOURCE_RE = re.compile(r"\[\^([^\]]*)\]")
_FOOTNOTE_REF_RE = re.compile(r'<sup id="fnref[^"]*">.*?</sup>')


def heading_text(
    content: str, footnotes: set[str] | frozenset[str] = frozenset(), attr_list: bool = False
) -> str:
    """A heading's plain text as Python-Markdown's toc sees it, from the heading's
    Markdown: rendered by Python-Markdown itself (its emphasis, escapes and code spans
    differ from CommonMark's in corners), footnote references and tags dropped,
    entities decoded. ``attr_list``: the site uses it, so an attribute list right after
    an inline element (``*a*{.x}``) is that element's, not text."""
    if footnotes:
        # A reference to a note the page defines is dropped from the text, as toc drops
        # the rendered <sup>; an undefined one stays literal text, as Python-Markdown
        # leaves it.
        content = _FOOTNOTE_SOURCE_RE.sub(
            lambda m: "" if m.group(1) in footnotes else m.group(0), content
        )
    if not HEADING_MARKUP_RE.search(content):
        return " ".join(content.split())
    inline_md = _INLINE_MD.get(attr_list)
    if inline_md is None:
        import markdown

        extensions = ["footnotes", "attr_list"] if attr_list else ["footnotes"]
        inline_md = _INLINE_MD[attr_list] = markdown.Markdown(extensions=extensions)
        # A heading's text is inline Markdown only: without this, `## - &` would be read
        # as a list item (text `&`) where toc sees `- &`.
        for name in [item.name for item in inline_md.parser.blockprocessors._priority]:
            if name != "paragraph":
                inline_md.parser.blockprocessors.deregister(name)
    rendered = inline_md.reset().convert(content)
    rendered = _FOOTNOTE_REF_RE.sub("", rendered)
    return html.unescape(toc_strip_tags(rendered))


class _Walk:
    def __init__(
        self,
        record: PageRecord,
        page_lines: list[str],
        expanded: Expanded,
        options: ParseOptions,
        fast: bool,
    ) -> None:
        self.record = record
        self.fast = fast  # headings and plain paragraphs read by _tokenize_fast
        self.page_lines = page_lines  # the page as written, for attribute columns
        self.expanded = expanded
        self.src = expanded.text  # what markdown-it parses
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", self.src))]
        self.options = options
        self.md = parser_for(options)
        self.explicit_ids: list[str] = []
        self.html_ids: set[str] = set()
        self.headings: list[tuple[int, int, str | None, str]] = []  # line, level, id, text
        self.tabs: list[tuple[int, str, int]] = []  # tab set, title text, headings before it
        self.tab_set = 0
        self.footnote_labels: set[str] = set()  # defined on the page, so `[^x]` is a reference

    # -- positions ---------------------------------------------------------------
    def line_text(self, index: int) -> str:
        start = self.line_starts[index]
        if index + 1 < len(self.line_starts):
            return self.src[start : self.line_starts[index + 1] - 1]
        return self.src[start:]

    def where(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the page of an offset in the parsed text."""
        return self.expanded.position(offset, self.line_starts)

    def page_line(self, line: int) -> str:
        return self.page_lines[line - 1] if 0 < line <= len(self.page_lines) else ""

    def content_starts(self, first: int, content: str) -> list[int | None]:
        """For each line of a block's text (whose first line is line ``first``), where
        it starts in ``src`` (each line of a block's text is the end of a source line,
        its indentation and container marks removed)."""
        line_starts = self.line_starts
        count = len(line_starts)
        src = self.src
        starts: list[int | None] = []
        for index, piece in enumerate(content.split("\n") if "\n" in content else (content,)):
            line = first + index
            if line >= count:
                starts.append(None)
                continue
            begin = line_starts[line]
            end = line_starts[line + 1] - 1 if line + 1 < count else len(src)
            found = src.rfind(piece, begin, end) if piece else end
            starts.append(found if found >= 0 else None)
        return starts

    # -- blocks ------------------------------------------------------------------
    def walk(self, tokens: list[Token], env: dict[str, Any]) -> None:
        heading_level = 0
        in_header_row = False
        previous = ""
        for token in tokens:
            if token.__class__ is tuple:  # a block _tokenize_fast read
                if token[0] == FAST_PARAGRAPH:  # every line is the page's from its start
                    starts: list[int | None] = self.line_starts[token[1] : token[2]]  # type: ignore[assignment]
                    self.inline_at(token[3], starts, "paragraph", env)
                    previous = "paragraph_close"
                else:
                    self.heading(token[1], token[3], token[2], env)
                    previous = "heading_close"
                continue
            ttype = token.type
            if ttype == "heading_open":
                heading_level = int(token.tag[1])
            elif ttype == "heading_close":
                heading_level = 0
            elif ttype == "thead_open":
                in_header_row = True
            elif ttype == "thead_close":
                in_header_row = False
            elif ttype == "inline":
                first = token.map[0] if token.map else 0
                if heading_level:
                    self.heading(first, token.content, heading_level, env)
                else:
                    kind = "header-cell" if in_header_row else "paragraph"
                    self.inline_at(
                        token.content, self.content_starts(first, token.content), kind, env
                    )
            elif ttype in ("fence", "code_block"):
                self.code_block(token)
                if ttype == "fence":
                    self.explicit_ids.extend(_fence_attrs(token.info))
            elif ttype == "html_block":
                self.html_block(token, env)
            elif ttype == "container_open":
                self.container(token, previous == "tab_close", env)
            elif ttype == "abbr_definition":
                self.record.abbreviations = self.record.abbreviations | {token.content.strip()}
            if ttype == "container_close":
                previous = "tab_close" if token.info == "pymdownx.tabbed" else ttype
            elif token.level == 0 or ttype.endswith("_close"):
                previous = ttype
        refs = (env.get("footnotes") or {}).get("refs", {})
        for label in refs:
            self.html_ids.update({f"fn{label}", f"fnref{label}"})
            self.footnote_labels.add(label.lstrip(":"))

    def code_block(self, token: Token) -> None:
        if token.map:
            start = self.line_starts[token.map[0]]
            last = min(token.map[1], len(self.line_starts)) - 1
            self.add_code(start, self.line_starts[last] + len(self.line_text(last)))

    def add_code(self, start: int, end: int) -> None:
        mapped = self.expanded.page_range(start, end)
        if mapped is not None:
            self.record.code.append(mapped)

    def container(self, token: Token, after_tab: bool, env: dict[str, Any]) -> None:
        title = (token.meta or {}).get("title")
        if token.info == "pymdownx.tabbed":
            if "!" in token.markup or not after_tab:
                self.tab_set += 1
            self.tabs.append((self.tab_set, heading_text(title or ""), len(self.headings)))
        if not title:
            return
        start = token.meta["title_pos"]
        line, column = self.where(start)
        self.record.titles.append(Title(line, column, title))
        self.inline_at(title, [start], "title", env)

    def heading(self, first: int, content: str, level: int, env: dict[str, Any]) -> None:
        explicit: list[str] = []
        if "attr_list" in self.options.extensions:
            match = HEADING_ATTR_RE.search(content)
            if match:
                explicit = attr_ids(match.group(1))
                content = content[: match.start()]
        line, _column = self.where(self.line_starts[first])
        self.inline_at(content, self.content_starts(first, content), "heading", env)
        self.headings.append((line, level, explicit[0] if explicit else None, content))
        self.explicit_ids.extend(explicit)

    def inline_at(
        self, content: str, starts: list[int | None], kind: str, env: dict[str, Any]
    ) -> None:
        """Parse a block's inline text; ``starts`` says where each of its lines is."""
        found = inline_syntax(self.md, content, env)
        if found.ids and "attr_list" in self.options.extensions:
            self.explicit_ids.extend(found.ids)
        first = starts[0] if starts else None
        if first is not None and "\n" not in content and self.expanded.origins is None:
            self.one_line(found, content, first, kind)
        else:
            self.lines(found, content, starts, kind)

    def lines(self, found: Inline, content: str, starts: list[int | None], kind: str) -> None:
        """Note a block's links, code and prose, each line placed by ``starts``."""
        if "\n" in content:
            offsets = [0]
            for piece in content.split("\n")[:-1]:
                offsets.append(offsets[-1] + len(piece) + 1)
        else:
            offsets = [0]

        def source_of(pos: int) -> int | None:
            index = bisect.bisect_right(offsets, pos) - 1 if len(offsets) > 1 else 0
            start = starts[index] if index < len(starts) else None
            return None if start is None else start + pos - offsets[index]

        for pos, syntax, value in found.links:
            offset = source_of(pos)
            line, column = self.where(offset) if offset is not None else (1, 1)
            self.inline_link(line, column, syntax, value)
        for start, end in found.code:
            first, last = source_of(start), source_of(end)
            if first is not None and last is not None:
                self.add_code(first, last)
        prose: list[tuple[int, int]] = []
        blanks = found.blanks
        plain = self.expanded.origins is None
        last_line = len(offsets) - 1
        for index, begin in enumerate(offsets):
            source = starts[index] if index < len(starts) else None
            if source is None:
                continue
            finish = offsets[index + 1] - 1 if index < last_line else len(content)
            shift = source - begin
            pos = begin
            for b_start, b_end in blanks:
                if b_end <= pos or b_start >= finish:
                    continue
                if b_start > pos:
                    if plain:
                        prose.append((pos + shift, b_start + shift))
                    else:
                        self.add_prose(prose, pos + shift, b_start + shift)
                if b_end > pos:
                    pos = b_end
            if pos < finish:
                if plain:
                    prose.append((pos + shift, finish + shift))
                else:
                    self.add_prose(prose, pos + shift, finish + shift)
        if prose:
            line = self.where(starts[0])[0] if starts and starts[0] is not None else 1
            self.record.blocks.append(TextBlock(kind, line, tuple(prose)))

    def one_line(self, found: Inline, content: str, source: int, kind: str) -> None:
        """``lines`` for the usual block: one line of the page's own text (no snippet
        in it), so every offset maps to the page by adding ``source`` (a test compares
        the two)."""
        index = bisect.bisect_right(self.line_starts, source) - 1
        line, column_base = index + 1, source - self.line_starts[index] + 1
        for pos, syntax, value in found.links:
            self.inline_link(line, column_base + pos, syntax, value)
        code = self.record.code
        for start, end in found.code:
            code.append((source + start, source + end))
        prose: list[tuple[int, int]] = []
        pos, finish = 0, len(content)
        for b_start, b_end in found.blanks:
            if b_end <= pos or b_start >= finish:
                continue
            if b_start > pos:
                prose.append((pos + source, b_start + source))
            pos = b_end
        if pos < finish:
            prose.append((pos + source, finish + source))
        if prose:
            self.record.blocks.append(TextBlock(kind, line, tuple(prose)))

    def inline_link(self, line: int, column: int, syntax: str, value: str) -> None:
        """A link in a block's inline text: Markdown's, or the tags of raw HTML."""
        if syntax == "html":
            for tag, attrs, _line, _offset, closing in scan_tags(value):
                if not closing:
                    self.html_tag(tag, attrs, line, column)
        else:
            self.record.links.append(Link(line, column, value, syntax))

    def add_prose(self, prose: list[tuple[int, int]], start: int, end: int) -> None:
        mapped = self.expanded.page_range(start, end)
        if mapped is not None and mapped[0] < mapped[1]:
            prose.append(mapped)

    def html_block(self, token: Token, env: dict[str, Any]) -> None:
        first = token.map[0] if token.map else 0
        content = token.content
        base = self.line_starts[first] if first < len(self.line_starts) else len(self.src)
        if (token.meta or {}).get("markdown"):
            # md_in_html: the opening tag is HTML, what it holds is Markdown again.
            close = content.find(">")
            tags = scan_tags(content[: close + 1])
            if tags:
                tag, attrs, line_no, offset, _closing = tags[0]
                line, column = self.where(base + _offset_of(content, line_no, offset))
                self.html_tag(tag, attrs, line, column)
            end_tag = content.rfind("</")
            inner_end = end_tag if end_tag > close else len(content)
            # What follows the opening tag starts a line of Markdown (not an indented one);
            # positions are found again in the source lines, so nothing shifts.
            opening = content[: close + 1]
            rest = content[close + 1 : inner_end]
            inner = "\n" * (first + opening.count("\n")) + rest.lstrip(" \t")
            sub_env: dict[str, Any] = dict(env)
            self.walk(block_parse(self.md, inner, sub_env, fast=self.fast), sub_env)
            return
        code_from: int | None = None
        for tag, attrs, line_no, offset, closing in scan_tags(content):
            at = base + _offset_of(content, line_no, offset)
            if closing:
                if code_from is not None and tag in CODE_TAGS:
                    self.add_code(code_from, at)
                    code_from = None
                continue
            if tag in CODE_TAGS and code_from is None:
                code_from = at
            line, column = self.where(at)
            self.html_tag(tag, attrs, line, column)

    def html_tag(
        self, tag: str, attrs: list[tuple[str, str | None]], line: int, column: int
    ) -> None:
        source = self.page_line(line)
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.html_ids.add(value)
            elif name in LINK_ATTRS:
                at = source.find(value, max(column - 1, 0)) if value else -1
                self.add_link(line, at + 1 if at >= 0 else column, value.strip(), "html")

    def add_link(self, line: int, column: int, url: str, syntax: str) -> None:
        self.record.links.append(Link(line, column, url, syntax))

    # -- anchors -------------------------------------------------------------------
    def anchors(self) -> set[str]:
        """Every id on the page: toc's heading ids (made unique in order, after the ids
        set explicitly), content tabs' ids, raw HTML and footnote ids."""
        used = set(self.explicit_ids)
        slugify, sep = self.options.slugify, self.options.separator
        heading_ids: list[str] = []
        for line, level, explicit, source in self.headings:
            text = heading_text(
                source, self.footnote_labels, "attr_list" in self.options.extensions
            )
            slug = explicit if explicit is not None else unique(slugify(text, sep), used)
            heading_ids.append(slug)
            self.record.headings.append((line, level, slug, text))
        if "pymdownx.tabbed" in self.options.extensions:
            used |= self.tab_ids(heading_ids, used)
        return used | self.html_ids

    def tab_ids(self, heading_ids: list[str], used: set[str]) -> set[str]:
        out: set[str] = set()
        count: dict[int, int] = {}
        tab_slugify = self.options.tabbed_slugify
        sep = self.options.tabbed_separator
        for tab_set, title, headings_before in self.tabs:
            count[tab_set] = count.get(tab_set, 0) + 1
            if tab_slugify is None:
                out.add(f"__tabbed_{tab_set}_{count[tab_set]}")
                continue
            slug = tab_slugify(title, sep)
            if self.options.tabbed_combine_header_slug and headings_before:
                slug = heading_ids[headings_before - 1] + sep + slug
            out.add(unique(slug, used))
        return out


def heading_source(line: str) -> tuple[str, bool]:
    """A heading line's text as written (ATX marks and an attr list removed; a setext
    heading's text line is its own text), and whether it sets its id itself."""
    stripped = line.strip()
    match = PM_HEADING_RE.fullmatch(stripped)
    content = match.group(2).strip() if match else stripped
    attr = HEADING_ATTR_RE.search(content)
    if attr:
        return content[: attr.start()], bool(attr_ids(attr.group(1)))
    return content, False


def _label_end(content: str, start: int) -> int:
    """Offset of the ``]`` closing the link label opened at ``start``."""
    depth = 0
    pos = start
    while pos < len(content):
        char = content[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "`":
            run = len(content) - len(content[pos:].lstrip("`"))
            close = content.find("`" * run, pos + run)
            pos = close + run if close >= 0 else pos + run
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    return start + 1


def _intraword(content: str, start: int, end: int) -> bool:
    return (
        start > 0 and end < len(content) and content[start - 1].isalnum() and content[end].isalnum()
    )


def _code_tag(raw: str) -> str:
    match = TAG_START_RE.match(raw)
    if match and not match.group(1) and match.group(2).lower() in CODE_TAGS:
        return match.group(2).lower()
    return ""


def _is_end_tag(raw: str, tag: str) -> bool:
    match = TAG_START_RE.match(raw)
    return bool(match and match.group(1) and match.group(2).lower() == tag)


def _offset_of(content: str, line: int, offset: int) -> int:
    """Character offset in ``content`` of HTMLParser's (1-based line, 0-based offset)."""
    pos = 0
    for _ in range(line - 1):
        pos = content.find("\n", pos) + 1
    return pos + offset


# -- the page ---------------------------------------------------------------------------
def suppressions(text: str) -> list[Suppression]:
    out: list[Suppression] = []
    if "check_docs:" not in text:
        return out
    for number, line in enumerate(text.split("\n"), start=1):
        for match in SUPPRESS_RE.finditer(line):
            names = frozenset(re.split(r"[\s,]+", match.group(1).strip())) - {""}
            out.append(Suppression(number, match.start() + 1, names or frozenset({"*"})))
    return out


def blank_front_matter(text: str, record: PageRecord) -> str:
    """``text`` with its front matter blanked (same length, same lines)."""
    try:
        end = body_start(text, record.path)
    except DataError as exc:
        record.problems.append((exc.line or 1, 1, exc.message))
        match = YAML_RE.match(text)
        end = match.end() if match else 0
    if not end:
        return text
    return re.sub(r"[^\n]", " ", text[:end]) + text[end:]


def parse_markdown(
    text: str, record: PageRecord, options: ParseOptions, *, fast: bool = True
) -> PageRecord:
    """Parse the page ``text`` (as decoded from its file) into ``record``. ``fast=False``
    reads every block with markdown-it: the reference the fast reading is tested
    against."""
    text = same_length_lf(text)
    record.suppressions = suppressions(text)
    body = blank_front_matter(text, record)
    expanded = expand(body, record, options.snippets) if options.snippets else Expanded.plain(body)
    walk = _Walk(record, text.split("\n"), expanded, options, fast)
    try:
        env: dict[str, Any] = {"references": _LastWins()}
        walk.walk(block_parse(walk.md, expanded.text, env, fast=fast), env)
        record.anchors = walk.anchors()
        if record.suppressions and record.code:
            # A comment shown as code (an example in a fenced block) suppresses nothing.
            starts = [0, *(m.end() for m in re.finditer("\n", text))]
            record.suppressions = [
                s
                for s in record.suppressions
                if not any(a <= starts[s.line - 1] + s.column - 1 < b for a, b in record.code)
            ]
    except (RecursionError, ValueError, IndexError, KeyError, TypeError) as exc:
        record.problems.append((1, 1, f"cannot parse page ({type(exc).__name__}): {exc}"))
    return record


# What a site usually renders with, for callers that do not say (prose_text).
COMMON_EXTENSIONS = frozenset(
    {"toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "def_list"}
    | {"footnotes", "md_in_html", "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed"}
)


def masked_prose(record: PageRecord, text: str) -> str:
    """``text`` with everything but the record's prose blanked: same length, same lines."""
    # The whole text blanked once (spaces, its line breaks kept); the prose is copied
    # back in.
    blank = "\n".join([" " * len(line) for line in text.split("\n")])
    pieces: list[str] = []
    pos = 0
    for start, end in sorted(r for block in record.blocks for r in block.prose):
        if start < pos:
            continue
        pieces.append(blank[pos:start])
        pieces.append(text[start:end])
        pos = end
    pieces.append(blank[pos:])
    return "".join(pieces)


def parse_text(markdown: str, extensions: Iterable[str] = COMMON_EXTENSIONS) -> PageRecord:
    """The record of a page given as text (toc's default slugs): for a site's own
    build code that needs a page's headings or prose (the glossary's "Mentioned on")."""
    from markdown.extensions.toc import slugify

    return parse_markdown(
        markdown, PageRecord(""), ParseOptions(slugify, "-", frozenset(extensions))
    )


def prose_text(markdown: str, extensions: Iterable[str] = COMMON_EXTENSIONS) -> str:
    """A page's prose, everything else blanked (same length, same lines): what a reader
    reads as words."""
    return masked_prose(parse_text(markdown, extensions), same_length_lf(markdown))
