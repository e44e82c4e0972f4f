"""Python-Markdown extension: Mermaid fences become the inline SVG drawn for them.

Used with ``pymdownx.superfences``, whose custom fence calls ``format_mermaid``::

    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: mermaid
              class: fg-diagram
              format: !!python/name:fieldguide.mdx.diagrams.format_mermaid
      - fieldguide.mdx.diagrams:
          drawings_dir: data/diagrams

Each fence is looked up by its key (``fieldguide.diagrams.settings.drawing_key``)
in ``drawings_dir``; nothing is drawn here, so a build needs no browser. A fence
with no drawing becomes a placeholder saying to run ``make diagrams``, with the
source folded away; the MkDocs hook (hooks/diagrams.py) reports it as a warning,
so ``mkdocs build --strict`` fails. The formatter never raises: superfences would
swallow the exception and print the fence as text.

Options: ``drawings_dir`` (default ``data/diagrams``) and ``package_lock`` (default
``package-lock.json``, where the pinned Mermaid version is read), both relative to
the working directory (the hook makes them absolute); ``record``, a callable given
``(key, source)`` for every fence met, which is how ``make diagrams`` learns what
to draw, generated diagrams included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension

from check_docs.errors import DataError
from fieldguide.diagrams import markup, settings
from fieldguide.diagrams.store import DrawingError, DrawingStore

Record = Callable[[str, str], None]


def _ignore(key: str, source: str) -> None:
    """The default ``record``: not None, which Python-Markdown would turn into a bool."""


@lru_cache(maxsize=8)
def _version(package_lock: Path, stamp: tuple[int, int]) -> str:
    return settings.mermaid_version(package_lock)


def mermaid_version(package_lock: Path) -> str:
    """The pinned Mermaid version, read again only when package-lock.json changes."""
    try:
        stat = package_lock.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (0, 0)  # settings.mermaid_version reports the missing file
    return _version(package_lock, stamp)


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    return settings.settings_fingerprint()


class DiagramRenderer:
    """Turns one fence's source into the page's HTML; one per Markdown instance."""

    def __init__(self, store: DrawingStore, package_lock: Path, record: Record) -> None:
        self.store = store
        self.package_lock = package_lock
        self.record = record
        self.occurrences: Counter[str] = Counter()

    def render(self, source: str) -> str:
        source = settings.normalise(source)
        try:
            version = mermaid_version(self.package_lock)
        except DataError as exc:
            return markup.problem_html("", source, str(exc))
        key = settings.drawing_key(source, version, _fingerprint())
        self.record(key, source)
        try:
            stored = self.store.get(key)
        except DrawingError as exc:
            return markup.problem_html(key, source, str(exc))
        if stored is None:
            return markup.missing_html(key, source)
        self.occurrences[key] += 1
        return markup.diagram_html(stored, self.occurrences[key])


class DiagramsExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "drawings_dir": ["data/diagrams", "folder of the drawings `make diagrams` made"],
            "package_lock": ["package-lock.json", "npm lock file pinning the Mermaid version"],
            "record": [_ignore, "called with (key, source) for every Mermaid fence met"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        self.md = md
        md.fg_diagrams = DiagramRenderer(  # type: ignore[attr-defined]
            DrawingStore(Path(self.getConfig("drawings_dir"))),
            Path(self.getConfig("package_lock")),
            self.getConfig("record"),
        )
        md.registerExtension(self)

    def reset(self) -> None:
        # Python-Markdown calls this between documents: ids restart with the page.
        renderer = getattr(self.md, "fg_diagrams", None)
        if renderer is not None:
            renderer.occurrences.clear()


def format_mermaid(
    source: str, language: str, class_name: str, options: dict, md: Markdown, **kwargs: Any
) -> str:
    """superfences' formatter for ``mermaid`` fences."""
    renderer: DiagramRenderer | None = getattr(md, "fg_diagrams", None)
    if renderer is None:
        return markup.problem_html(
            "",
            settings.normalise(source),
            "Mermaid fences need the fieldguide.mdx.diagrams extension: add it to "
            "markdown_extensions in mkdocs.yml",
        )
    return renderer.render(source)


def makeExtension(**kwargs: Any) -> DiagramsExtension:
    return DiagramsExtension(**kwargs)
