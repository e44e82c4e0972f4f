"""scripts/bench_check.py measures what it says: the two builds it compares differ only
by the check_docs plugin, its planted errors and its one-page edit break exactly the
links it counts, and it finds lychee where the bench extra puts it. (The timings live in
the script's table, never in a test.)"""

from __future__ import annotations

import json
import sys

import bench_check
import pytest

from check_docs.cli import main
from tests.conftest import ROOT


def errors(project, capsys) -> list[tuple[str, str]]:
    capsys.readouterr()
    status = main(["-f", str(project / "mkdocs.yml"), "--format", "json"])
    out = capsys.readouterr()
    assert status in (0, 1), out.err
    return sorted(
        (f["path"], f["message"]) for f in json.loads(out.out) if f["severity"] == "error"
    )


def test_the_site_without_the_plugin_keeps_every_other_plugin_and_turns_validation_on():
    text = bench_check.without_plugin(ROOT / "mkdocs.yml")
    assert text.startswith("INHERIT: mkdocs.yml\n")
    assert "- check_docs" not in text
    assert "  - search" in text and "  - git-revision-date-localized:" in text
    assert "      enable_parallel_processing: false" in text  # nested options are kept
    assert "    not_found: warn\n    anchors: warn" in text


def test_a_config_without_the_plugin_is_refused(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  - search\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no check_docs plugin"):
        bench_check.without_plugin(config)


def test_synthetic_configs_differ_only_by_the_plugin(tmp_path):
    corpus = bench_check.synthetic(tmp_path, 100)
    plain = (corpus.root / corpus.plain_config).read_text(encoding="utf-8")
    plugin = (corpus.root / corpus.plugin_config).read_text(encoding="utf-8")
    assert plugin.replace("  - check_docs\n", "", 1) == plain != plugin


def test_planted_errors_and_the_edit_are_what_check_docs_finds(tmp_path, capsys):
    corpus = bench_check.synthetic(tmp_path, 100)
    before = errors(corpus.root, capsys)
    assert len(before) == corpus.links_planted + corpus.terms_planted
    added = corpus.edit()
    after = errors(corpus.root, capsys)
    assert added > 0
    assert len(after) == len(before) + added
    new = [message for _path, message in after if (_path, message) not in before]
    assert all("part-1-of-page-0" in message for message in new)


def test_lychee_is_found_beside_the_interpreter(tmp_path, monkeypatch):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "lychee").write_text("#!/bin/sh\necho lychee 9.9.9\n", encoding="utf-8")
    (fake / "lychee").chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake / "python"))
    assert bench_check.lychee_path() == str(fake / "lychee")
    assert bench_check.lychee_version() == "9.9.9"
