"""mkdocs.yml and the glossary as the last run read them: a re-run on an unchanged
configuration parses no YAML.

Reading a large mkdocs.yml is a warm run's largest single step (a 10,000-page nav is
parsed, checked for bounds and indexed with the position of every value). What that
gives, the merged settings and where each value was written (``config_yaml.Document``),
is kept in ``<cache_dir>/config.pickle`` and used again while every file of the
INHERIT chain has the same stamp (size, modification time, inode, change time), the
checker is the same (its code's digest) and the file is named the same way on the
command line (messages quote it as given). A file changed in the last two seconds is
not kept yet: its next change might not change its stamp.

Only plain data is kept, read back with the page cache's safe loader (no class, no
function, ever): a configuration holding anything else (``!!python`` references,
``!relative``, dates) is read afresh each run, and so is one that uses ``!ENV``, whose
values come from the environment, which no stamp shows. A damaged or foreign file is
discarded with a note and written again; nothing here ever stops a run.

The glossary's checked entries (``glossary.load_terms``) are kept the same way in
``<cache_dir>/glossary.pickle``, used while the file keeps its stamp and the checker
is the same; a glossary with an error is never kept (its finding comes each run).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

from check_docs import cache, files, glossary
from check_docs.config_yaml import Document, SourceFile, load

FORMAT = "check_docs config cache 1"
FILE = "config.pickle"
GLOSSARY_FORMAT = "check_docs glossary cache 1"
GLOSSARY_FILE = "glossary.pickle"
# A file changed this recently may change again within its file system's timestamp
# granularity (2 s on FAT, 1 s on HFS+) and keep its stamp: it is not kept until it is
# older (as git treats "racily clean" files).
SETTLED_NS = 2 * 10**9
_PLAIN = (str, int, float, bool, type(None))

Stamp = tuple[int, int, int, int]


def file_stamp(path: str | Path) -> Stamp | None:
    """A file's or folder's stamp (size, modification time, inode, change time), or None
    when it cannot be read: what every cache kept between runs compares (``SETTLED_NS``)."""
    try:
        found = os.stat(path)  # noqa: PTH116 - also a str: no Path built per folder
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns, found.st_ino, found.st_ctime_ns


def _plain(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` is only what the safe loader gives back as it was."""
    if isinstance(value, _PLAIN):
        return True
    if depth > 200:  # config_yaml bounds nesting far below this
        return False
    if type(value) is dict:
        return all(isinstance(k, _PLAIN) and _plain(v, depth + 1) for k, v in value.items())
    if type(value) is list:
        return all(_plain(v, depth + 1) for v in value)
    return False


def _keep(document: Document) -> bool:
    """Whether the document can be kept: plain data, no value from the environment."""
    for file in document.files:
        try:
            raw = files.read_bytes(file.path, 64 * 1024 * 1024)
        except files.FileProblem:
            return False
        if b"!ENV" in raw or raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # (UTF-16: unseen)
            return False
    return _plain(document.data)


def _stored(folder: Path, display: str) -> tuple[Document | None, str | None]:
    """The kept document if it is still what the files say (else None), and a note
    when the kept file is not one this checker wrote."""
    path = folder / FILE
    if not path.is_file():
        return None, None
    try:
        data = cache.load_plain(path)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise cache.CacheError(f"{FILE} is not a check_docs configuration cache")
        if data["checker"] != cache.checker_digest() or data["display"] != display:
            return None, None
        kept = []
        for name, shown, stamp, index in data["files"]:
            if file_stamp(Path(name)) != tuple(stamp):
                return None, None
            kept.append(SourceFile(Path(name), str(shown), dict(index)))
        if not isinstance(data["data"], dict) or not kept:
            raise cache.CacheError(f"{FILE} is damaged")
        return Document(data["data"], kept), None
    except (cache.CacheError, KeyError, TypeError, ValueError, files.FileProblem) as exc:
        return None, f"{folder}: configuration cache discarded ({exc}); read again"


def load_document(path: Path, display: str, folder: Path | None) -> tuple[Document, str | None]:
    """mkdocs.yml merged with its INHERIT parents (``config_yaml.load``), from the
    cache in ``folder`` when nothing it was read from changed (``folder`` None: no
    cache), and a note when the cache had to be discarded."""
    if folder is None:
        return load(path, display), None
    document, note = _stored(folder, display)
    if document is not None:
        return document, None
    before = file_stamp(path)
    document = load(path, display)
    # The parents' stamps are known only once the file names them: taken after reading.
    stamps = [file_stamp(file.path) for file in document.files]
    now = time.time_ns()
    settled = all(s is not None and now - s[1] >= SETTLED_NS for s in stamps)
    if before is not None and stamps[0] == before and settled and _keep(document):
        kept = {
            "format": FORMAT,
            "checker": cache.checker_digest(),
            "display": display,
            "files": [
                (str(file.path), file.display, stamp, file.index)
                for file, stamp in zip(document.files, stamps, strict=True)
            ],
            "data": document.data,
        }
        # A folder that cannot be written: the YAML is read each time, as without it.
        with contextlib.suppress(OSError):
            cache.dump_plain(folder / FILE, kept)
    return document, note


def load_glossary(path: Path, folder: Path) -> glossary.TermGlossary:
    """``glossary.load_terms(path)``, from ``folder`` when the file has the stamp it had
    when kept (no YAML parsed); else read, checked (DataError as always) and kept once
    settled. A damaged or foreign file there is read past and written again."""
    resolved = path.resolve()
    stamp = file_stamp(resolved)
    kept = folder / GLOSSARY_FILE
    if stamp is not None and kept.is_file():
        with contextlib.suppress(
            cache.CacheError, files.FileProblem, OSError, KeyError, TypeError, ValueError
        ):
            data = cache.load_plain(kept)
            if (
                isinstance(data, dict)
                and data.get("format") == GLOSSARY_FORMAT
                and data["checker"] == cache.checker_digest()
                and data["path"] == str(resolved)
                and tuple(data["stamp"]) == stamp
            ):
                return glossary.terms_from_plain(resolved, list(data["entries"]))
    terms = glossary.load_terms(resolved)
    if (
        stamp is not None
        and file_stamp(resolved) == stamp
        and time.time_ns() - stamp[1] >= SETTLED_NS
    ):
        kept_data = {
            "format": GLOSSARY_FORMAT,
            "checker": cache.checker_digest(),
            "path": str(resolved),
            "stamp": stamp,
            "entries": glossary.terms_to_plain(terms),
        }
        # A folder that cannot be written: the glossary is read each time, as without it.
        with contextlib.suppress(OSError):
            cache.dump_plain(kept, kept_data)
    return terms
