"""Fingerprints of source texts that pages must not copy (the ``copied-text`` rule).

A site may draw on texts it must not republish word for word. Their words are
never stored: a fingerprint file holds one hash per run of ``SHINGLE`` words
("shingle"), so a page can be compared with the sources while the sources stay
out of the repository.

The file is ASCII text: the header line ``HEADER`` below (format, version, shingle
size, hash, personalisation, word rule), any number of ``#`` comment lines, then
one digest a line: 16 lowercase hex digits, sorted, no repeats.

Words, in sources and pages alike, are what ``normal_words`` finds: the text is
lower-cased, ``’`` becomes ``'``, and a word is ``[a-z0-9]+`` with at most one
``'s``-like tail (``[a-z0-9]+(?:'[a-z]+)?``). A shingle is its words joined by single
spaces, hashed with BLAKE2b (8-byte digest, personalised so the digests match no
other use of the hash).

``python -m check_docs.fingerprints SOURCE_DIR -o FILE`` (or
``scripts/make_fingerprints.py``) writes the file from a folder of ``.txt``/``.md``
source texts.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from check_docs import files

FORMAT = "check_docs-fingerprints"
VERSION = "1"
SHINGLE = 10
DIGEST_BYTES = 8
PERSON = b"copied-text-v1"
WORDS_NAME = "lower-apostrophe-alnum"
HEADER = (
    f"{FORMAT} {VERSION} shingle={SHINGLE} hash=blake2b-{DIGEST_BYTES * 8} "
    f"person={PERSON.decode()} words={WORDS_NAME}"
)
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
DIGEST_RE = re.compile(rf"[0-9a-f]{{{DIGEST_BYTES * 2}}}")
SOURCE_SUFFIXES = (".txt", ".md")
# A fingerprint file holds one short line per shingle of the sources; anything far
# bigger than a library of books is not one (and is not read into memory). The same
# bound for a source text.
MAX_FILE_BYTES = 64 * 1024 * 1024


class FingerprintError(ValueError):
    """A fingerprint file that cannot be used (missing, unreadable, corrupt)."""


def _normal(text: str) -> tuple[str, list[int] | None]:
    """``text`` normalised, and where each normalised character came from when
    lower-casing changed the length (a few letters, e.g. ``İ``, lower to two)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered.replace("’", "'"), None
    origin: list[int] = []
    parts: list[str] = []
    for index, char in enumerate(text):
        low = char.lower()
        parts.append(low)
        origin.extend([index] * len(low))
    return "".join(parts).replace("’", "'"), origin


def normal_words(text: str) -> list[tuple[str, int]]:
    """Every word of ``text`` after normalisation, with the offset in ``text`` it starts at."""
    normal, origin = _normal(text)
    if origin is None:
        return [(m.group(), m.start()) for m in WORD_RE.finditer(normal)]
    return [(m.group(), origin[m.start()]) for m in WORD_RE.finditer(normal)]


def words_of(text: str) -> list[str]:
    """The words of ``normal_words``, without their offsets (what matching needs)."""
    return WORD_RE.findall(_normal(text)[0])


# Copied for each shingle: cheaper than setting the hash up again (size, personalisation).
_HASHER = hashlib.blake2b(digest_size=DIGEST_BYTES, person=PERSON)


def digest(words: Iterable[str]) -> bytes:
    """The fingerprint of one shingle."""
    hasher = _HASHER.copy()
    hasher.update(" ".join(words).encode("utf-8"))
    return hasher.digest()


def shingle_digests(words: list[str]) -> list[bytes]:
    """``digest`` of every run of ``SHINGLE`` words, in order. The words are joined and
    encoded once; each shingle is a slice of that (a page has thousands of shingles)."""
    if len(words) < SHINGLE:
        return []
    data = " ".join(words).encode("utf-8")
    # The byte offset each word starts at, and one more: the end of the last word plus
    # its space. Words of ``normal_words`` are ASCII: a character is a byte.
    sizes = map(len, words) if data.isascii() else (len(w.encode("utf-8")) for w in words)
    starts = list(accumulate((size + 1 for size in sizes), initial=0))
    copy = _HASHER.copy
    out = []
    for start, end in zip(starts[:-SHINGLE], starts[SHINGLE:], strict=True):
        hasher = copy()
        hasher.update(data[start : end - 1])
        out.append(hasher.digest())
    return out


@dataclass(frozen=True)
class Run:
    """Words ``start:end`` of a text (at least ``SHINGLE`` of them) that a source holds."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


def copied_runs(words: list[str], known: frozenset[bytes]) -> list[Run]:
    """The longest runs of ``words`` whose every shingle is in ``known``, left to right.

    Overlapping matches make one run: a copied sentence of 14 words is one finding of
    14 words, not five of ten."""
    runs: list[Run] = []
    hits = [digest in known for digest in shingle_digests(words)]
    index = 0
    while index < len(hits):
        if not hits[index]:
            index += 1
            continue
        end = index + 1
        while end < len(hits) and hits[end]:
            end += 1
        runs.append(Run(index, end - 1 + SHINGLE))
        index = end
    return runs


# --- The file -----------------------------------------------------------------------


def read_fingerprints(path: Path) -> frozenset[bytes]:
    """The digests in ``path``, or FingerprintError saying what is wrong and where."""
    try:
        raw = files.read_bytes(path, MAX_FILE_BYTES)
    except files.FileProblem as problem:
        raise FingerprintError(f"{path}: {problem.message}") from None
    try:
        lines = raw.decode("ascii").splitlines()
    except UnicodeDecodeError:
        raise FingerprintError(f"{path}: not a fingerprint file (not ASCII text)") from None
    if not lines:
        raise FingerprintError(f"{path}: empty; expected a fingerprint file")
    if lines[0].strip() != HEADER:
        # What the line holds is not quoted: the file may be anything.
        raise FingerprintError(f"{path}:1: not a fingerprint file; expected the header {HEADER!r}")
    known: set[bytes] = set()
    for number, line in enumerate(lines[1:], start=2):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not DIGEST_RE.fullmatch(line):
            raise FingerprintError(
                f"{path}:{number}: not a {DIGEST_BYTES * 2}-digit lowercase hex digest"
            )
        known.add(bytes.fromhex(line))
    if not known:
        raise FingerprintError(f"{path}: holds no fingerprints, so nothing could be found")
    return frozenset(known)


def fingerprint_text(sources: list[tuple[str, str]]) -> str:
    """The fingerprint file for ``sources`` (name, text): header, a note, sorted digests."""
    known: set[bytes] = set()
    for _name, text in sources:
        known.update(shingle_digests([word for word, _ in normal_words(text)]))
    names = ", ".join(name for name, _ in sources)
    lines = [
        HEADER,
        f"# {len(known)} shingles of {SHINGLE} words from {len(sources)} source texts: {names}",
        "# Made by `python -m check_docs.fingerprints SOURCE_DIR -o FILE`; do not edit by hand.",
        *sorted(d.hex() for d in known),
    ]
    return "\n".join(lines) + "\n"


def read_sources(folder: Path) -> list[tuple[str, str]]:
    if not folder.is_dir():
        raise FingerprintError(f"{folder}: no such folder of source texts")
    texts = sorted(p for p in folder.iterdir() if p.suffix in SOURCE_SUFFIXES and p.is_file())
    if not texts:
        suffixes = " or ".join(SOURCE_SUFFIXES)
        raise FingerprintError(f"{folder}: holds no {suffixes} source texts")
    out = []
    for path in texts:
        try:
            raw = files.read_bytes(path, MAX_FILE_BYTES)
        except files.FileProblem as problem:
            raise FingerprintError(f"{path}: {problem.message}") from None
        out.append((path.name, raw.decode("utf-8", errors="replace")))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m check_docs.fingerprints",
        description="Write the fingerprint file the copied-text rule reads, from a folder "
        "of source texts (.txt/.md). The texts themselves are not written anywhere.",
    )
    parser.add_argument("sources", type=Path, help="folder holding the source texts")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="fingerprint file to write"
    )
    args = parser.parse_args(argv)
    try:
        sources = read_sources(args.sources)
        text = fingerprint_text(sources)
        args.output.write_text(text, encoding="ascii")
    except FingerprintError as exc:
        print(f"fingerprints: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"fingerprints: error: {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    count = text.count("\n") - 3
    print(f"{args.output}: {count} fingerprints from {len(sources)} source texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
