"""The configuration cache (issue 13 item 4): a warm run with mkdocs.yml and its INHERIT
parents unchanged reads none of their YAML; any change to them (or !ENV in them) means
reading them again, and the findings are always those of a run without the cache."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from check_docs import config_cache
from check_docs.cli import main
from tests.check_docs_support import CodePayload, copy_fixture

KEPT = Path(".check_docs_cache") / config_cache.FILE


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_fixture("check_docs_corpus", tmp_path)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The YAML files each run parses (config_yaml.read_one, counted)."""
    from check_docs import config_yaml

    seen: list[str] = []
    real = config_yaml.read_one

    def counted(path: Path, display: str) -> object:
        seen.append(Path(path).name)
        return real(path, display)

    monkeypatch.setattr(config_yaml, "read_one", counted)
    return seen


def _run(site: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[str, str]:
    capsys.readouterr()
    main(["-f", str(site / "mkdocs.yml"), *extra])
    out = capsys.readouterr()
    return out.out, out.err


def _settle(*paths: Path) -> None:
    """Written an hour ago: a file changed in the last seconds is not kept yet."""
    for path in paths:
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 3600 * 10**9))


def _bump(path: Path) -> None:
    """The same text with a new modification time (a save without edits)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def test_an_unchanged_configuration_is_not_read_again(site, capsys, reads):
    cold, _ = _run(site, capsys)
    assert reads == ["mkdocs.yml"] and (site / KEPT).is_file()
    kept = (site / KEPT).read_bytes()
    reads.clear()
    assert _run(site, capsys)[0] == cold
    assert reads == []  # seen failing: with load_document always reading the YAML
    assert (site / KEPT).read_bytes() == kept  # an unchanged file is not rewritten
    _bump(site / "mkdocs.yml")
    assert _run(site, capsys)[0] == cold
    assert reads == ["mkdocs.yml"]


def test_a_configuration_change_is_read_and_judged(site, capsys, reads):
    _run(site, capsys)
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nnav:\n" in text
    config.write_text(text.replace("\nnav:\n", "\nnav:\n  - gone.md\n"), encoding="utf-8")
    reads.clear()
    warm, _ = _run(site, capsys)
    assert reads == ["mkdocs.yml"]
    assert "nav entry 'gone.md'" in warm
    assert warm == _run(site, capsys, "--no-cache")[0]


def test_an_inherit_parent_change_is_read(tmp_path, capsys, reads):
    site = copy_fixture("check_docs_corpus", tmp_path)
    config = site / "mkdocs.yml"
    (site / "base.yml").write_text(config.read_text(encoding="utf-8"), encoding="utf-8")
    config.write_text("INHERIT: base.yml\nsite_name: Child\n", encoding="utf-8")
    _settle(config, site / "base.yml")
    cold, _ = _run(site, capsys)
    reads.clear()
    assert _run(site, capsys)[0] == cold and reads == []
    parent = site / "base.yml"
    parent.write_text(
        parent.read_text(encoding="utf-8").replace("\nnav:\n", "\nnav:\n  - gone.md\n"),
        encoding="utf-8",
    )
    warm, _ = _run(site, capsys)
    assert reads == ["mkdocs.yml", "base.yml"]
    assert "base.yml" in warm and "nav entry 'gone.md'" in warm


def test_a_file_changed_a_moment_ago_is_not_kept_yet(site, capsys, reads):
    """Its next change might keep its stamp (timestamps of a second or two on some file
    systems): it is read again until it has settled."""
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _run(site, capsys)
    assert not (site / KEPT).exists()  # seen failing: kept with a fresh stamp
    _settle(config)
    _run(site, capsys)
    assert (site / KEPT).is_file() and reads == ["mkdocs.yml", "mkdocs.yml"]


def test_env_values_are_never_kept(site, capsys, reads, monkeypatch):
    """!ENV takes its value from the environment, which no file stamp shows."""
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("docs_dir: docs\n", "docs_dir: !ENV [CHECK_DOCS_TEST_DIR, docs]\n"),
        encoding="utf-8",
    )
    _settle(config)
    _run(site, capsys)
    assert not (site / KEPT).exists()
    monkeypatch.setenv("CHECK_DOCS_TEST_DIR", "elsewhere")
    reads.clear()
    code = main(["-f", str(config)])
    assert code == 2 and reads == ["mkdocs.yml"]
    assert "'elsewhere' is not a folder" in capsys.readouterr().err


def test_no_cache_and_diff_neither_read_nor_write_it(site, capsys, reads):
    _run(site, capsys, "--no-cache")
    _run(site, capsys, "--diff")
    assert not (site / KEPT).exists()
    _run(site, capsys)
    reads.clear()
    _run(site, capsys, "--no-cache")
    assert reads == ["mkdocs.yml"]


class _Payload:
    """Unpickling this would run code (make a folder): the cache must refuse it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.mkdir, (str(self.marker),))


@pytest.mark.parametrize("kind", ["garbage", "code", "foreign", "wrong shape", "other checker"])
def test_a_damaged_or_foreign_file_is_discarded(site, capsys, kind, tmp_path, reads):
    marker = tmp_path / "payload-ran"
    cold, _ = _run(site, capsys)
    kept = pickle.loads((site / KEPT).read_bytes())
    content = {
        "garbage": b"not a pickle at all",
        "code": pickle.dumps({**kept, "data": _Payload(marker)}),
        "foreign": pickle.dumps({"format": "someone else's"}),
        "wrong shape": pickle.dumps({**kept, "files": [("mkdocs.yml",)]}),
        "other checker": pickle.dumps({**kept, "checker": "another version"}),
    }[kind]
    (site / KEPT).write_bytes(content)
    reads.clear()
    warm, err = _run(site, capsys)
    assert warm == cold and reads == ["mkdocs.yml"]
    assert "Traceback" not in err and not marker.exists()
    assert ("configuration cache discarded" in err) == (kind != "other checker")
    reads.clear()
    again, err = _run(site, capsys)  # written again: used, and quiet
    assert again == cold and err == "" and reads == []


# -- the glossary ----------------------------------------------------------------------
GLOSSARY_KEPT = Path(".check_docs_cache") / config_cache.GLOSSARY_FILE


@pytest.fixture
def terms_site(tmp_path: Path) -> Path:
    site = copy_fixture("terms_site", tmp_path)
    _settle(site / "data" / "glossary.yml")
    return site


@pytest.fixture
def glossary_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The glossary files each run parses (glossary._located, counted), each run in a
    fresh process as far as the glossary's in-memory cache goes."""
    from check_docs import glossary

    seen: list[str] = []
    real = glossary._located

    def counted(path: Path) -> object:
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(glossary, "_located", counted)
    monkeypatch.setattr(glossary, "_cache", {})
    return seen


def _fresh_run(site: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    from check_docs import glossary

    glossary._cache.clear()  # as in a new process
    return _run(site, capsys, *extra)[0]


def test_the_glossary_is_kept_while_its_file_keeps_its_stamp(terms_site, capsys, glossary_reads):
    cold = _fresh_run(terms_site, capsys)
    assert glossary_reads == ["glossary.yml"] and (terms_site / GLOSSARY_KEPT).is_file()
    glossary_reads.clear()
    assert _fresh_run(terms_site, capsys) == cold
    assert glossary_reads == []  # seen failing: the glossary's YAML parsed on every run
    page = terms_site / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA warm wording here.\n")
    glossary_file = terms_site / "data" / "glossary.yml"
    text = glossary_file.read_text(encoding="utf-8")
    glossary_file.write_text(
        text.replace("avoid: [foundational model]", "avoid: [foundational model, warm wording]")
    )
    _settle(glossary_file)
    warm = _fresh_run(terms_site, capsys)
    assert glossary_reads == ["glossary.yml"] and "'warm wording'" in warm
    assert warm == _fresh_run(terms_site, capsys, "--no-cache")
    glossary_reads.clear()
    assert _fresh_run(terms_site, capsys) == warm and glossary_reads == []


def test_a_glossary_with_an_error_or_just_changed_is_not_kept(terms_site, capsys, glossary_reads):
    glossary_file = terms_site / "data" / "glossary.yml"
    text = glossary_file.read_text(encoding="utf-8")
    glossary_file.write_text(text.replace("id: llm", "id: foundation-model"), encoding="utf-8")
    _settle(glossary_file)
    first = _fresh_run(terms_site, capsys)
    assert "invalid-file [id] duplicate id 'foundation-model'" in first
    assert _fresh_run(terms_site, capsys) == first == _fresh_run(terms_site, capsys, "--no-cache")
    assert not (terms_site / GLOSSARY_KEPT).exists()
    glossary_file.write_text(text, encoding="utf-8")  # fixed a moment ago: not kept yet
    fixed = _fresh_run(terms_site, capsys)
    assert "invalid-file" not in fixed and not (terms_site / GLOSSARY_KEPT).exists()


@pytest.mark.parametrize("kind", ["garbage", "code", "other stamp", "wrong shape"])
def test_a_damaged_or_stale_glossary_file_is_read_past(
    terms_site, capsys, glossary_reads, kind, tmp_path
):
    marker = tmp_path / "payload-ran"
    cold = _fresh_run(terms_site, capsys)
    kept = terms_site / GLOSSARY_KEPT
    data = pickle.loads(kept.read_bytes())
    kept.write_bytes(
        {
            "garbage": b"not a pickle",
            "code": pickle.dumps({**data, "entries": CodePayload(marker)}),
            "other stamp": pickle.dumps({**data, "stamp": (1, 2, 3, 4), "entries": []}),
            "wrong shape": pickle.dumps({**data, "entries": [("x",)]}),
        }[kind]
    )
    glossary_reads.clear()
    assert _fresh_run(terms_site, capsys) == cold and glossary_reads == ["glossary.yml"]
    assert not marker.exists()
    glossary_reads.clear()
    assert _fresh_run(terms_site, capsys) == cold and glossary_reads == []  # rewritten
