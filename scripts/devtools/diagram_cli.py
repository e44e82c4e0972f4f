"""``make diagrams``: draw every diagram the site needs, and remove drawings it no longer uses.

    python scripts/draw_diagrams.py [-f mkdocs.yml] [--force] [--check]

What the site needs is what a build meets: the script builds the site once, in
memory, with the extension's ``record`` option collecting each fence's key and
source, so diagrams generated from data files are drawn like written ones. Only
diagrams without a drawing are drawn (``--force``: all of them); Chromium starts
only when there is something to draw. ``--check`` draws nothing and exits 1 when a
drawing is missing or unused. Exit 0 when all is well, 1 when a diagram could not
be drawn (each named ``path:line: message``), 2 when the tools are missing.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

from fieldguide.diagrams.locate import line_in
from fieldguide.diagrams.store import DrawingError, DrawingStore

EXTENSION = "fieldguide.mdx.diagrams"


class BuildError(Exception):
    pass


def collect(config_file: Path) -> tuple[dict[str, str], DrawingStore]:
    """Every diagram a build of the site meets (key -> source), and where drawings live."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    needs: dict[str, str] = {}
    mkdocs_log = logging.getLogger("mkdocs")
    level = mkdocs_log.level
    # The build warns about every diagram not drawn yet: that is what we are here for.
    mkdocs_log.setLevel(logging.ERROR)
    try:
        with tempfile.TemporaryDirectory() as site:
            config = load_config(str(config_file), site_dir=site, strict=False)
            options = config.mdx_configs.setdefault(EXTENSION, {})
            options["record"] = lambda key, source: needs.setdefault(key, source)
            build(config)
    except MkDocsException as exc:
        raise BuildError(f"{config_file}: the site does not build: {exc}") from None
    except Exception as exc:  # a hook's own failure: one line, and where to see more
        raise BuildError(
            f"{config_file}: the site does not build ({type(exc).__name__}: {exc}); "
            "`mkdocs build` shows where"
        ) from None
    finally:
        mkdocs_log.setLevel(level)
    return needs, DrawingStore(Path(options["drawings_dir"]))


def where(source: str, docs_dir: Path) -> str:
    """``path:line`` of a diagram's source in the docs, or a note that it is generated."""
    for path in sorted(docs_dir.rglob("*.md")):
        try:
            line = line_in(source, path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if line:
            return f"{path.relative_to(docs_dir.parent)}:{line}"
    first = source.splitlines()[0] if source else ""
    return f"generated diagram ({first[:40]}…)"


def _usable(store: DrawingStore, key: str) -> bool:
    try:
        return store.get(key) is not None
    except DrawingError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="draw_diagrams", description=__doc__.split("\n")[0])
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path)
    parser.add_argument("--force", action="store_true", help="redraw every diagram")
    parser.add_argument("--check", action="store_true", help="draw nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    config_file: Path = args.config_file.resolve()
    if not config_file.is_file():
        print(f"{args.config_file}: no such file", file=sys.stderr)
        return 2
    root = config_file.parent
    try:
        needs, store = collect(config_file)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 2
    todo = {k: s for k, s in needs.items() if args.force or not _usable(store, k)}
    unused = sorted(store.keys() - needs.keys())
    stray = store.stray_files()
    docs_dir = root / "docs"

    if args.check:
        for key, source in todo.items():
            print(f"{where(source, docs_dir)}: no drawing ({key}): run `make diagrams`")
        for key in unused:
            print(f"{store.folder / key}.svg: no page uses it: run `make diagrams`")
        for path in stray:
            print(f"{path}: not a drawing: run `make diagrams`")
        return 1 if todo or unused or stray else 0

    failed = 0
    if todo:
        from devtools.diagram_drawing import MERMAID_JS, DrawError, drawer

        try:
            with drawer(root / MERMAID_JS) as pen:
                for key, source in todo.items():
                    try:
                        wide, narrow = pen.draw(key, source)
                    except DrawError as exc:
                        print(f"{where(source, docs_dir)}: {exc}", file=sys.stderr)
                        failed += 1
                        continue
                    store.put(key, wide, narrow)
        except DrawError as exc:
            print(f"make diagrams: {exc}", file=sys.stderr)
            return 2
    for key in unused:
        store.remove(key)
    for path in stray:
        path.unlink()
    print(
        f"diagrams: {len(todo) - failed} drawn, {len(needs) - len(todo)} already drawn, "
        f"{len(unused) + len(stray)} unused file(s) removed"
        + (f", {failed} could not be drawn" if failed else "")
    )
    return 1 if failed else 0
