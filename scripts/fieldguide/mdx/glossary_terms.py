"""Python-Markdown extension: link the first mention of each glossary term to its entry.

On every page, the first mention of each entry (its term, abbreviation or an alias,
plural or possessive: see ``check_docs.term_matcher``) becomes::

    <a class="fg-term" href="/glossary.md#<id>" title="<definition>">mention</a>

Later mentions stay plain. For an entry with an abbreviation the title leads with the
expansion: "large language model (LLM): ...". The site's tooltip script (overrides/main.html)
shows the title as a tooltip on hover and on keyboard focus. The ``href`` is absolute
to the docs folder because an extension cannot know where the page lives; MkDocs
(``validation.links.absolute_links: relative_to_docs``) turns it into the right
relative URL on each page. Outside MkDocs set ``glossary_url`` to the page's address.

Never linked: headings, code and pre, existing links, ``abbr``, admonition and
details titles, a table's header cells and its first column (row labels, such as
the comparison's "Training data", are names of rows, not prose), and anything
inside an element with the class ``no-glossary``.

Opting out:

- A passage: put ``<!-- glossary: off -->`` and ``<!-- glossary: on -->`` on their
  own lines around it (or inline within a paragraph), or mark a block with the class
  ``no-glossary`` (``{: .no-glossary }`` after a paragraph with ``attr_list``, or
  ``<div markdown class="no-glossary">`` with ``md_in_html``).
- A whole page: front matter ``glossary: false``. Under MkDocs, ``hooks/glossary.py``
  reads it and puts ``<!-- glossary: off -->`` at the top of the page (it does the
  same for the glossary page itself); with Python-Markdown's ``meta`` extension the
  extension reads ``glossary: false`` directly; anywhere else, start the page with
  the marker.

Options: ``glossary_file`` (default ``data/glossary.yml``, relative to the working
directory; the MkDocs hook makes it absolute), ``glossary_url`` (default
``/glossary.md``) and ``skip_classes`` (more classes whose contents are never linked,
e.g. a generated bibliography, whose titles are not the guide's prose).

It runs after ``attr_list`` and ``abbr`` (priority 6) and before
MkDocs' link rewriting (priority 0).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from check_docs.glossary import per_file_version
from check_docs.term_matcher import NAME_KINDS, TermMatcher
from check_docs.terms import TermIndex
from fieldguide.glossary import DEFAULT_GLOSSARY_FILE, Entry, Glossary, load_glossary, tooltip

OFF_MARKER = "<!-- glossary: off -->"
ON_MARKER = "<!-- glossary: on -->"
_MARKER = re.compile(r"^\s*<!--\s*glossary:\s*(off|on)\s*-->\s*$")
SKIP_TAGS = frozenset(
    {"a", "abbr", "code", "pre", "kbd", "samp", "script", "style", "svg", "math", "summary", "th"}
    | {f"h{n}" for n in range(1, 7)}
)
SKIP_CLASSES = frozenset({"admonition-title", "no-glossary", "fg-term", "arithmatex"})


def glossary_and_matcher(path: Path) -> tuple[Glossary, TermMatcher]:
    """The glossary at ``path`` and its matcher: each page gets a fresh Markdown instance
    under MkDocs, so both are built once per version of the file (the one glossary cache,
    ``check_docs.glossary.per_file_version``)."""
    return per_file_version(path, _glossary_and_matcher)


def _glossary_and_matcher(path: Path) -> tuple[Glossary, TermMatcher]:
    glossary = load_glossary(path)
    # The names in the checker's matcher of the same file: in a build with check_docs'
    # plugin, one compiled pattern serves the term links and the term rules.
    return glossary, TermIndex.load(path).matcher.only(NAME_KINDS)


def _skipped(element: etree.Element, skip_classes: frozenset[str]) -> bool:
    if element.tag in SKIP_TAGS:
        return True
    classes = set((element.get("class") or "").split())
    return not classes.isdisjoint(skip_classes)


class GlossaryTreeprocessor(Treeprocessor):
    def __init__(
        self, md: Markdown, glossary_file: str, glossary_url: str, skip_classes: list[str]
    ) -> None:
        super().__init__(md)
        self.glossary_file = glossary_file
        self.glossary_url = glossary_url
        self.skip_classes = SKIP_CLASSES | frozenset(skip_classes)

    def run(self, root: etree.Element) -> None:
        meta = getattr(self.md, "Meta", None) or {}
        if [v.strip().lower() for v in meta.get("glossary", [])] == ["false"]:
            return
        glossary, self.matcher = glossary_and_matcher(Path(self.glossary_file))
        self.by_id = glossary.by_id
        self.linked: set[str] = set()
        self.off = False
        self._walk(root)

    def _walk(self, element: etree.Element, inside_skipped: bool = False) -> None:
        skip = inside_skipped or _skipped(element, self.skip_classes)
        children = list(element)  # before new links join them: their text is done
        if element.text:
            head, links = self._link(element.text, skip)
            element.text = head
            for index, link in enumerate(links):
                element.insert(index, link)
        for index, child in enumerate(children):
            # A table row's first cell labels the row (``th`` cells are skipped anyway).
            row_label = element.tag == "tr" and index == 0
            self._walk(child, skip or row_label)
            if child.tail:
                head, links = self._link(child.tail, skip)
                child.tail = head
                at = list(element).index(child) + 1
                for offset, link in enumerate(links):
                    element.insert(at + offset, link)

    def _link(self, text: str, skip: bool) -> tuple[str, list[etree.Element]]:
        """Split ``text`` into leading text and new links (each carrying the text after it)."""
        head: list[str] = []
        links: list[etree.Element] = []
        pos = 0
        for placeholder in HTML_PLACEHOLDER_RE.finditer(text):
            self._link_span(text, pos, placeholder.start(), skip, head, links)
            self._toggle(int(placeholder.group(1)))
            pos = placeholder.start()  # the placeholder itself stays, as plain text
        self._link_span(text, pos, len(text), skip, head, links)
        return "".join(head), links

    def _toggle(self, index: int) -> None:
        blocks = self.md.htmlStash.rawHtmlBlocks
        raw = blocks[index] if index < len(blocks) else ""
        marker = _MARKER.match(raw) if isinstance(raw, str) else None
        if marker:
            self.off = marker.group(1) == "off"

    def _link_span(
        self,
        text: str,
        start: int,
        end: int,
        skip: bool,
        head: list[str],
        links: list[etree.Element],
    ) -> None:
        def emit(chunk: str) -> None:
            if links:
                links[-1].tail = (links[-1].tail or "") + chunk
            else:
                head.append(chunk)

        if skip or self.off:
            emit(text[start:end])
            return
        pos = start
        for match in self.matcher.finditer(text, start, end):
            if match.key in self.linked:
                continue
            self.linked.add(match.key)
            emit(text[pos : match.start])
            links.append(self._anchor(self.by_id[match.key], match.text))
            pos = match.end
        emit(text[pos:end])

    def _anchor(self, entry: Entry, text: str) -> etree.Element:
        link = etree.Element("a")
        link.set("class", "fg-term")
        link.set("href", f"{self.glossary_url}#{entry.id}")
        link.set("title", tooltip(entry))
        link.text = text
        return link


class GlossaryTermsExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "glossary_file": [DEFAULT_GLOSSARY_FILE, "Path of the glossary YAML file"],
            "glossary_url": ["/glossary.md", "Address of the glossary page, without #anchor"],
            "skip_classes": [[], "More classes whose contents are never linked"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        processor = GlossaryTreeprocessor(
            md,
            self.getConfig("glossary_file"),
            self.getConfig("glossary_url"),
            list(self.getConfig("skip_classes")),
        )
        md.treeprocessors.register(processor, "glossary_terms", 6)


def makeExtension(**kwargs: Any) -> GlossaryTermsExtension:
    return GlossaryTermsExtension(**kwargs)
