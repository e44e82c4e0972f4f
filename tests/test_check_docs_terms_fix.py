"""--fix and --diff for term-variant: exact replacements and not one other byte changed
(CRLF, byte order mark, missing final newline, non-ASCII text, file mode), idempotent,
clean after fixing, files changed since they were read left alone; and on a copy of the
real site with planted variants, --fix restores exactly the clean text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from check_docs.config import load_config
from check_docs.engine import run_checks
from check_docs.fix import fix_findings
from check_docs.parse import prose_text
from tests.check_docs_support import copy_fixture, run_cli, site_files

ROOT = Path(__file__).resolve().parent.parent

INDEX_FIXED = {
    "A foundational model is big.": "A foundation model is big.",
    "Two foundational models' outputs": "Two foundation models' outputs",
    "Foundational models are everywhere.": "Foundation models are everywhere.",
    "We like Gen AI a lot.": "We like generative AI a lot.",
    "Gen-AI tools are common.": "Generative AI tools are common.",
    "Try finetuning it.": "Try fine-tuning it.",
    "The model was pretrained on text.": "The model was pre-trained on text.",
    "A large-language model writes.": "A large language model writes.",
    "We do [text to image](traps.md) work.": "We do [text-to-image](traps.md) work.",
    "not sentimental analysis.": "not sentiment analysis.",
}


def test_fix_rewrites_each_variant_and_nothing_else(capsys, tmp_path):
    site = copy_fixture("terms_site", tmp_path)
    before = site_files(site)
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--fix", "--select", "term-variant")
    index = Path("docs/index.md")
    expected = before[index].decode()
    for old, new in INDEX_FIXED.items():
        assert expected.count(old) == 1
        expected = expected.replace(old, new)
    after = site_files(site)
    assert after[index].decode() == expected
    assert {p: b for p, b in after.items() if p != index} == {
        p: b for p, b in before.items() if p != index
    }
    # Only the finding that cannot be fixed safely is left (and so still an error).
    assert run.out == (
        "docs/index.md:14:6: term-variant 'fine tuning' is a spelling the glossary avoids "
        "(entry 'fine-tuning'): write 'fine-tuning' (split over two lines: fix by hand) "
        "(fix: fine-tuning)\nFound 1 error and 0 warnings in 4 pages.\n"
    )
    assert run.code == 1
    again = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--fix", "--select", "term-variant")
    assert site_files(site) == after  # fixing twice changes nothing the second time
    assert again.out == run.out


def test_diff_shows_the_replacements_and_writes_nothing(capsys, tmp_path):
    site = copy_fixture("terms_site", tmp_path)
    before = site_files(site)
    run = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--diff")
    assert site_files(site) == before
    assert run.out.startswith("--- a/docs/index.md\n+++ b/docs/index.md\n")
    assert "-We like Gen AI a lot." in run.out
    assert "+We like generative AI a lot." in run.out
    added = [line for line in run.out.splitlines() if line.startswith("+") and line[1:2] != "+"]
    assert len(added) == len(INDEX_FIXED)


def _one_page_site(tmp_path: Path, raw: bytes) -> Path:
    site = copy_fixture("terms_site", tmp_path)
    for page in ("index.md", "traps.md"):
        (site / "docs" / page).unlink()
    path = site / "docs" / "index.md"
    path.write_bytes(raw)
    path.chmod(0o604)
    return path


def test_fix_keeps_crlf_bom_unicode_missing_newline_and_mode(capsys, tmp_path):
    raw = (
        "\ufeff# Café\r\n\r\nThe café’s Gen AI uses a foundational model’s weights.\r\n"
        "`a foundational model` stays.\r\nThe end: finetuning"
    ).encode()
    page = _one_page_site(tmp_path, raw)
    run_cli(capsys, "-f", str(page.parents[1] / "mkdocs.yml"), "--fix")
    assert (
        page.read_bytes()
        == (
            "\ufeff# Café\r\n\r\nThe café’s generative AI uses a foundation model’s weights.\r\n"
            "`a foundational model` stays.\r\nThe end: fine-tuning"
        ).encode()
    )
    assert page.stat().st_mode & 0o777 == 0o604
    assert sorted(p.name for p in page.parent.iterdir()) == ["glossary.md", "index.md", "quotes.md"]


def test_a_page_changed_after_checking_is_not_fixed(tmp_path):
    page = _one_page_site(tmp_path, b"A foundational model.\n")
    config = load_config(page.parents[1] / "mkdocs.yml")
    report = run_checks(config, select=["term-variant"])
    page.write_bytes(b"Someone else: a foundational model.\n")
    digests = {report.project.display(r): p.digest for r, p in report.project.pages.items()}
    result = fix_findings(config.root, report.findings, digests, write=True)
    assert page.read_bytes() == b"Someone else: a foundational model.\n"
    assert result.skipped == ["docs/index.md: not fixed, it changed on disk since it was checked"]


# -- the real site ----------------------------------------------------------------------
# (canonical spelling as the site writes it, variant planted in its place)
PLANTS = [
    ("foundation models", "foundational models"),
    ("foundation model", "foundational model"),
    ("fine-tuning", "finetuning"),
    ("fine-tuned", "fine tuned"),
    ("pre-training", "pretraining"),
    ("pre-trained", "pretrained"),
    ("large language model", "large-language model"),
    ("text-to-image", "text to image"),
    ("sentiment analysis", "sentimental analysis"),
    ("generative AI", "Gen AI"),
]
HEADING_OR_SUPPRESSED = re.compile(r"^\s*(#|!!!|\?\?\?)|check_docs: ignore", re.M)


def _plant(text: str) -> tuple[str, int]:
    """Put variants in place of the canonical spellings, in prose only, mid-sentence."""
    prose = prose_text(text)
    lines = text.split("\n")
    edits: list[tuple[int, int, str]] = []
    for canonical, variant in PLANTS:
        pattern = re.compile(rf"(?<![\w-])(?<=[a-z,] ){re.escape(canonical)}(?![\w-])")
        for match in pattern.finditer(prose):
            number = text.count("\n", 0, match.start())
            nearby = "\n".join(lines[max(0, number - 1) : number + 2])
            if HEADING_OR_SUPPRESSED.search(nearby) or prose[match.start() - 2] == ",":
                continue
            if any(a < match.end() and match.start() < b for a, b, _ in edits):
                continue
            edits.append((match.start(), match.end(), variant))
    for start, end, variant in sorted(edits, reverse=True):
        text = text[:start] + variant + text[end:]
    return text, len(edits)


def test_fix_on_the_real_site_with_planted_variants_restores_it(capsys, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "docs", site / "docs")
    shutil.copytree(ROOT / "data", site / "data")
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(ROOT / name, site / name)
    clean = site_files(site / "docs")
    total = 0
    for rel, raw in clean.items():
        if rel.suffix == ".md":
            planted, count = _plant(raw.decode("utf-8"))
            (site / "docs" / rel).write_text(planted, encoding="utf-8")
            total += count
    assert total >= 30  # every page with prose gets some
    checked = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--format", "json")
    assert sum(1 for f in checked.json() if f["rule"] == "term-variant") == total
    assert checked.code == 1
    fixed = run_cli(capsys, "-f", str(site / "mkdocs.yml"), "--fix")
    assert site_files(site / "docs") == clean
    assert fixed.code == 0
    assert "term-variant" not in fixed.out
    after = run_cli(capsys, "-f", str(site / "mkdocs.yml"))
    assert "term-variant" not in after.out
    assert after.code == 0
