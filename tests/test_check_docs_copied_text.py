"""copied-text: a run of ten or more words from a source text is an error at its first
word, also across line breaks and Markdown markup, in quotation marks, headings, tables
and front matter; nine words, a changed word or words only in a link's address are not;
a missing or corrupt fingerprint file is a configuration error (exit 2, one line); the
rule is off without a fingerprint file; the build fails on a copied run too. The
fingerprint file holds no word of the sources."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from check_docs.config import load_config
from check_docs.fingerprints import (
    HEADER,
    SHINGLE,
    digest,
    normal_words,
    read_fingerprints,
    shingle_digests,
    words_of,
)
from check_docs.fingerprints import main as make_fingerprints
from tests.check_docs_support import copy_fixture, run_cli
from tests.conftest import ROOT, mkdocs_build

RULE = "copied-text"


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    project = copy_fixture("copied_text", tmp_path)
    code = make_fingerprints([str(project / "sources"), "-o", str(project / "fingerprints.txt")])
    assert code == 0
    assert "fingerprints.txt: 56 fingerprints from 1 source texts" in capsys.readouterr().out
    return project


def _plant(site: Path, body: str, name: str = "index.md") -> None:
    page = site / "docs" / name
    page.write_text(page.read_text(encoding="utf-8") + "\n" + body, encoding="utf-8")


def _copied(capsys, site: Path) -> list[tuple[int, int, str]]:
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--format", "json", "--select", RULE)
    assert run.err == "", run.err
    found = [(f["line"], f["column"], f["message"]) for f in run.json()]
    assert run.code == (1 if found else 0)
    return found  # type: ignore[return-value]


# The clean page ends at line 9; a planted body starts at line 11.
FOUND = {
    "ten words exactly": ("every ship that passed the northern rocks during the winter\n", 11, 1),
    "across a line break, emphasis and a link's text": (
        "We read that he kept a *logbook* of every\n"
        "ship that [passed the northern](https://example.com/rocks) rocks.\n",
        11,
        17,
    ),
    "in quotation marks": (
        "He wrote: “Each entry named the vessel, the hour, the wind and the colour”.\n",
        11,
        12,
    ),
    # The source has a curly apostrophe; the page a straight one.
    "capitals and an apostrophe": (
        "SOMEONE, SOME DAY, WOULD WANT TO KNOW WHAT THE KEEPER'S EYES\n",
        11,
        1,
    ),
    "in a heading": ("## The winter storms. Each entry named the vessel, the hour\n", 11, 4),
    "in a table cell": (
        "| a | b |\n|---|---|\n| x | the colour of the sea. Nobody had asked him to |\n",
        13,
        7,
    ),
    "in an HTML block, tags aside": (
        '<p class="lead">the hour, the wind and <b>the colour</b> of the sea</p>\n',
        11,
        17,
    ),
    "across a reference link's label": (
        "kept a logbook of [every ship][r1] that passed the northern rocks\n\n"
        "[r1]: https://example.com/ships\n",
        11,
        1,
    ),
    "across a bare URL": (
        "kept a logbook of every ship (https://example.com/a/b) that passed the northern rocks\n",
        11,
        1,
    ),
    "across a character reference": ("the hour, the wind and the colour&nbsp;of the sea\n", 11, 1),
    "across an attribute list": ("the hour, the wind and [the colour]{ .hl } of the sea\n", 11, 1),
    "across numbered list items": (
        "1. Each entry named the vessel,\n2. the hour, the wind and the colour\n",
        11,
        4,
    ),
}


@pytest.mark.parametrize("body, line, column", FOUND.values(), ids=FOUND.keys())
def test_planted_copied_run_is_found_at_its_first_word(capsys, site, body, line, column):
    _plant(site, body)
    found = _copied(capsys, site)
    assert [(ln, col) for ln, col, _ in found] == [(line, column)]


NOT_FOUND = {
    "nine words": "every ship that passed the northern rocks during the summer\n",
    "a word changed in the middle": "every ship that passed the southern rocks during the winter\n",
    "the tenth word only in a link's address": (
        "[every ship that passed the northern rocks during the](https://x.org/winter/storms)\n"
    ),
    "the tenth word only in a relative link's address": (
        "[every ship that passed the northern rocks during the](winter.md)\n"
    ),
    "the tenth word only in a reference definition": (
        "every ship that passed the northern rocks during the\n[winter]: storms.md\n"
    ),
    "the tenth word only in an attribute": '<span title="logbook of">every ship that passed '
    "the northern rocks during the</span>\n",
    "nine words, then a footnote label": "named the vessel, the hour, the wind and the[^colour]\n\n"
    "[^colour]: Of the water.\n",
}


@pytest.mark.parametrize("body", NOT_FOUND.values(), ids=NOT_FOUND.keys())
def test_near_miss_is_not_found(capsys, site, body):
    _plant(site, body)
    assert _copied(capsys, site) == []


def test_one_finding_per_run_with_its_length(capsys, site):
    _plant(
        site,
        "Each entry named the vessel, the hour, the wind and the colour of the sea.\n\n"
        "Later, quite apart: a logbook of every ship that passed the northern rocks.\n",
    )
    found = _copied(capsys, site)
    assert [(line, column) for line, column, _ in found] == [(11, 1), (13, 21)]
    assert found[0][2].startswith(
        '15 words in a row are in a source text ("each entry named the vessel the hour the …")'
    )
    assert found[1][2].startswith("10 words in a row")


def test_front_matter_description_is_checked(capsys, site):
    page = site / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace(
            "A page in its own words about a lighthouse logbook.",
            "He simply believed that someone, some day, would want to know.",
        ),
        encoding="utf-8",
    )
    assert [(line, column) for line, column, _ in _copied(capsys, site)] == [(3, 14)]


def test_text_output_names_path_line_column_and_rule(capsys, site):
    _plant(site, "every ship that passed the northern rocks during the winter\n")
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"))
    assert run.code == 1
    assert run.out.startswith("docs/index.md:11:1: copied-text 10 words in a row")


def test_rule_is_off_without_a_fingerprint_file(capsys, site):
    (site / "pyproject.toml").write_text("[tool.check_docs]\n")
    _plant(site, "every ship that passed the northern rocks during the winter\n")
    assert _copied(capsys, site) == []


CORRUPT = {
    "missing": (None, "cannot read file: No such file or directory"),
    "empty": (b"", "empty; expected a fingerprint file"),
    "another format": (b"version: 2\n00aa\n", ":1: not a fingerprint file; expected the header"),
    "a line that is not a digest": (
        (HEADER + "\n0011223344556677\nnot-a-digest\n").encode(),
        ":3: not a 16-digit lowercase hex digest",
    ),
    "a truncated digest": ((HEADER + "\n00112233445566\n").encode(), ":2: not a 16-digit"),
    "no digests": ((HEADER + "\n# nothing\n").encode(), "holds no fingerprints"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", "not ASCII text"),
}


@pytest.mark.parametrize("content, message", CORRUPT.values(), ids=CORRUPT.keys())
def test_missing_or_corrupt_fingerprint_file_is_a_configuration_error(
    capsys, site, content, message
):
    target = site / "fingerprints.txt"
    if content is None:
        target.unlink()
    else:
        target.write_bytes(content)
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"))
    assert run.code == 2
    assert run.out == ""
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("check_docs: error: [tool.check_docs] copied_text_fingerprints: ")
    assert message in lines[0]
    assert "fingerprints.txt" in lines[0]


@pytest.mark.parametrize("setting", ["/etc/passwd", "../outside.txt", "link/out.txt"])
def test_fingerprint_file_must_be_inside_the_project(capsys, site, tmp_path, setting):
    """A repository's settings cannot make the checker read a file elsewhere."""
    (tmp_path / "outside.txt").write_text("secret\n")
    (site / "link").symlink_to(tmp_path)
    (site / "pyproject.toml").write_text(
        f'[tool.check_docs]\ncopied_text_fingerprints = "{setting}"\n'
    )
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"))
    assert run.code == 2
    assert run.err == (
        f"check_docs: error: pyproject.toml:2: [tool.check_docs] copied_text_fingerprints: got "
        f"{setting!r}; it must be a path inside the project, relative to the folder of "
        "mkdocs.yml\n"
    )


def test_fingerprint_file_is_not_read_when_the_rule_is_not_run(capsys, site):
    (site / "fingerprints.txt").write_text("junk\n")
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--select", "broken-link")
    assert run.code == 0, run.err


def test_fingerprint_file_holds_digests_not_words(site):
    text = (site / "fingerprints.txt").read_text(encoding="ascii")
    lines = text.splitlines()
    assert lines[0] == HEADER
    digests = [line for line in lines if not line.startswith(("#", "check_docs"))]
    assert digests == sorted(set(digests))
    # 65 words in the source: 56 shingles of ten.
    assert len(digests) == 56
    for word in ("lighthouse", "logbook", "vessel", "keeper"):
        assert word not in text.lower()
    # Made twice, the file is the same: it diffs cleanly when the sources change.
    again = site / "again.txt"
    assert make_fingerprints([str(site / "sources"), "-o", str(again)]) == 0
    assert again.read_text(encoding="ascii") == text


@pytest.mark.parametrize(
    "text",
    [
        "The keeper's logbook noted every vessel that passed the northern rocks in winter.",
        "Ünïcode wörds: naïve café straße İstanbul ﬁne, then plain words follow on and on.",
        "only nine words here and nothing more to say",
        "",
    ],
)
def test_shingle_digests_are_the_documented_hash_of_each_ten_words(text):
    """Each digest is BLAKE2b-64, personalised, of ten words joined by single spaces
    (the file format in check_docs.fingerprints), computed here without the module's
    code: a faster digest loop must give the very digests the committed fingerprint
    files hold. (Broken on purpose by slicing one byte short: every digest differed.)"""
    words = words_of(text)
    expected = [
        hashlib.blake2b(
            " ".join(words[start : start + SHINGLE]).encode("utf-8"),
            digest_size=8,
            person=b"copied-text-v1",
        ).digest()
        for start in range(len(words) - SHINGLE + 1)
    ]
    assert shingle_digests(words) == expected
    assert [digest(words[i : i + SHINGLE]) for i in range(len(expected))] == expected
    assert words == [word for word, _ in normal_words(text)]


def test_fingerprint_script_rejects_a_missing_or_empty_folder(tmp_path, capsys):
    out = tmp_path / "f.txt"
    assert make_fingerprints([str(tmp_path / "nowhere"), "-o", str(out)]) == 2
    assert "no such folder of source texts" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert make_fingerprints([str(tmp_path / "empty"), "-o", str(out)]) == 2
    assert "holds no .txt or .md source texts" in capsys.readouterr().err
    assert not out.exists()


def test_strict_build_fails_on_a_copied_run(site):
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + "theme:\n  name: mkdocs\nplugins:\n  - check_docs\n")
    _plant(site, "every ship that passed the northern rocks during the winter\n")
    proc = mkdocs_build(site)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "check_docs: docs/index.md:11:1: copied-text 10 words in a row" in output
    assert "Traceback" not in output


def test_this_site_checks_its_pages_against_the_source_articles():
    """The guide's own configuration turns the rule on with a usable fingerprint file
    (the articles are about 4,000 words: thousands of shingles)."""
    config = load_config(ROOT / "mkdocs.yml")
    setting = config.settings.copied_text_fingerprints
    assert setting.startswith("data/")
    assert len(read_fingerprints(ROOT / setting)) > 3000
