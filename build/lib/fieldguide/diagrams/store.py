"""The folder of drawings: one SVG per diagram, named by its key (settings.py).

``<key>.svg`` is the drawing in the direction the writer chose. ``<key>.narrow.svg``,
when present, is the same diagram turned to fit a phone (variants.py); without it
the first drawing serves every width. Both are plain SVG files a reviewer can open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_ROOT_TAG = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'\bviewBox="0 0 ([\d.]+) ([\d.]+)"')
_TEXT_PX = re.compile(r'\bdata-fg-text-px="([\d.]+)"')
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)
README = "README.md"  # says what the folder is; not a drawing
_KEY_FILE = re.compile(r"^([0-9a-f]{20})(\.narrow)?\.svg$")


class DrawingError(Exception):
    """A stored drawing the build cannot use; the message says which file and why."""


@dataclass(frozen=True)
class Drawing:
    svg: str
    width: float
    height: float
    text_px: float  # the smallest label's font size in the drawing's own units
    title: str

    @classmethod
    def parse(cls, svg: str, where: Path) -> Drawing:
        root = _ROOT_TAG.search(svg)
        box = _VIEWBOX.search(root.group(0)) if root else None
        text = _TEXT_PX.search(root.group(0)) if root else None
        title = _TITLE.search(svg)
        if not (box and text and title):
            raise DrawingError(f"{where}: not a drawing made by `make diagrams`; run it again")
        return cls(svg, float(box[1]), float(box[2]), float(text[1]), title[1].strip())

    def min_width(self, min_text_px: float) -> float:
        """The narrowest this drawing may be shown with its smallest label still that large."""
        return self.width * min_text_px / self.text_px


@dataclass(frozen=True)
class StoredDiagram:
    key: str
    wide: Drawing
    narrow: Drawing | None


class DrawingStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str, narrow: bool = False) -> Path:
        return self.folder / f"{key}{'.narrow' if narrow else ''}.svg"

    def get(self, key: str) -> StoredDiagram | None:
        """The stored drawings for ``key``, None when there are none; DrawingError if unusable."""
        path = self._path(key)
        if not path.is_file():
            return None
        narrow = self._path(key, narrow=True)
        return StoredDiagram(
            key,
            Drawing.parse(path.read_text(encoding="utf-8"), path),
            Drawing.parse(narrow.read_text(encoding="utf-8"), narrow) if narrow.is_file() else None,
        )

    def put(self, key: str, wide_svg: str, narrow_svg: str | None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._path(key).write_text(wide_svg + "\n", encoding="utf-8")
        narrow = self._path(key, narrow=True)
        if narrow_svg is None:
            narrow.unlink(missing_ok=True)
        else:
            narrow.write_text(narrow_svg + "\n", encoding="utf-8")

    def keys(self) -> set[str]:
        """Every key with a drawing in the folder."""
        if not self.folder.is_dir():
            return set()
        return {m[1] for p in self.folder.iterdir() if (m := _KEY_FILE.match(p.name)) and not m[2]}

    def stray_files(self) -> list[Path]:
        """Files that are no drawing: a narrow drawing without its main one, or any other file."""
        if not self.folder.is_dir():
            return []
        return sorted(
            p
            for p in self.folder.iterdir()
            if p.is_file()
            and p.name != README
            and not ((m := _KEY_FILE.match(p.name)) and self._path(m[1]).is_file())
        )

    def remove(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
        self._path(key, narrow=True).unlink(missing_ok=True)
