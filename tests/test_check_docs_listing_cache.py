"""The listing cache (issue 13 item 4): a warm run lists again only the folders of
docs_dir that changed; a page added, removed or renamed (also by an editor's
save-by-rename) is seen, and the findings are always those of a run without the cache."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from check_docs import files, listing_cache, mkdocs_config
from check_docs.cli import main
from tests.check_docs_support import CodePayload, copy_fixture

KEPT = Path(".check_docs_cache") / listing_cache.FILE
THEME = Path(".check_docs_cache") / mkdocs_config.THEME_FILE


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Folders changed a moment ago are not kept until settled (tested below).
    monkeypatch.setattr(listing_cache, "SETTLED_NS", 0)
    return copy_fixture("check_docs_corpus", tmp_path)


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders (docs-relative) each run lists (files._list_folder, counted)."""
    seen: list[str] = []
    real = files._list_folder

    def counted(current: str, rel_dir: str, *args: object) -> object:
        seen.append(rel_dir)
        return real(current, rel_dir, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "_list_folder", counted)
    return seen


def _run(site: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    capsys.readouterr()
    main(["-f", str(site / "mkdocs.yml"), *extra])
    return capsys.readouterr().out


def test_unchanged_folders_are_not_listed_again(site, capsys, listed):
    cold = _run(site, capsys)
    assert (site / KEPT).is_file() and "guide" in listed
    listed.clear()
    assert _run(site, capsys) == cold
    assert listed == []  # seen failing: every folder listed on every run
    page = site / "docs" / "guide" / "index.md"
    page.write_text(page.read_text() + "\nA new [link](nowhere.md).\n")  # in place
    warm = _run(site, capsys)
    assert listed == [] and "nowhere.md" in warm
    assert warm == _run(site, capsys, "--no-cache")


@pytest.mark.parametrize("change", ["added", "removed", "renamed", "saved by rename", "folder"])
def test_a_page_added_removed_or_renamed_is_seen(site, capsys, listed, change):
    before = _run(site, capsys)
    docs = site / "docs"
    linked = docs / "linked-only.md"
    if change == "added":
        (docs / "guide" / "new.md").write_text("# New\n\n[gone](../nowhere.md)\n")
    elif change == "removed":
        linked.unlink()
    elif change == "renamed":
        linked.rename(docs / "guide" / "linked-moved.md")
    elif change == "saved by rename":  # as many editors save: a new file renamed over it
        saved = docs / ".linked-only.md.swp"
        saved.write_text(linked.read_text() + "\n[x](nowhere.md)\n")
        saved.replace(linked)
    else:
        (docs / "reference" / "deeper").mkdir()
        (docs / "reference" / "deeper" / "page.md").write_text("# Deeper\n\n[x](nowhere.md)\n")
    listed.clear()
    warm = _run(site, capsys)
    assert warm != before
    assert warm == _run(site, capsys, "--no-cache")
    listed.clear()
    assert _run(site, capsys) == warm
    assert listed == []  # kept again


def test_only_the_folder_that_changed_is_listed_again(site, capsys, listed):
    _run(site, capsys)
    (site / "docs" / "guide" / "new.md").write_text("# New\n")
    listed.clear()
    _run(site, capsys)
    assert listed == ["guide"]  # seen failing: the kept folders ignored once one changed


def test_a_folder_with_a_symlink_or_just_changed_is_listed_each_run(
    site, capsys, listed, monkeypatch
):
    """A symlink's target can change where no stamp under docs_dir shows it; a folder
    changed in the last seconds may change again within its timestamp's granularity."""
    (site / "docs" / "guide" / "alias.md").symlink_to(site / "docs" / "orphan.md")
    _run(site, capsys)
    listed.clear()
    _run(site, capsys)
    assert listed == ["guide"]
    (site / "docs" / "guide" / "alias.md").unlink()
    monkeypatch.setattr(listing_cache, "SETTLED_NS", 3600 * 10**9)
    for folder in [site / "docs", *(p for p in (site / "docs").rglob("*") if p.is_dir())]:
        os.utime(folder)  # changed just now (a copy keeps the fixture's older times)
    _run(site, capsys)
    listed.clear()
    _run(site, capsys)
    assert "" in listed and "guide" in listed and "reference" in listed


def test_no_cache_neither_reads_nor_writes_the_listing(site, capsys, listed):
    _run(site, capsys, "--no-cache")
    assert not (site / KEPT).exists()
    _run(site, capsys)
    listed.clear()
    _run(site, capsys, "--no-cache")
    assert "guide" in listed


def test_a_damaged_listing_is_listed_again_and_rewritten(site, capsys, listed):
    cold = _run(site, capsys)
    (site / KEPT).write_bytes(b"damaged")
    listed.clear()
    assert _run(site, capsys) == cold
    assert "guide" in listed
    listed.clear()
    assert _run(site, capsys) == cold and listed == []


# -- the theme's files ---------------------------------------------------------------
@pytest.fixture
def themed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site whose theme has a custom_dir; a page links to a file the theme adds."""
    monkeypatch.setattr(mkdocs_config, "SETTLED_NS", 0)
    site = tmp_path / "themed"
    (site / "docs").mkdir(parents=True)
    (site / "overrides").mkdir()
    (site / "mkdocs.yml").write_text(
        "site_name: T\ntheme:\n  name: mkdocs\n  custom_dir: overrides\n", encoding="utf-8"
    )
    (site / "docs" / "index.md").write_text("# Home\n\n[script](extra.js)\n", encoding="utf-8")
    return site


@pytest.fixture
def theme_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The theme names each run looks up (mkdocs_config.theme_folder, counted)."""
    seen: list[str] = []
    real = mkdocs_config.theme_folder

    def counted(name: str) -> Path | None:
        seen.append(name)
        return real(name)

    monkeypatch.setattr(mkdocs_config, "theme_folder", counted)
    return seen


def test_the_themes_files_are_kept_until_a_theme_folder_changes(themed, capsys, theme_reads):
    cold = _run(themed, capsys)
    assert "extra.js" in cold and theme_reads == ["mkdocs"]
    theme_reads.clear()
    assert _run(themed, capsys) == cold
    assert theme_reads == []  # seen failing: the theme looked up and walked on every run
    (themed / "overrides" / "extra.js").write_text("// the theme's script\n")
    warm = _run(themed, capsys)
    assert theme_reads == ["mkdocs"] and "extra.js" not in warm
    assert warm == _run(themed, capsys, "--no-cache")


def test_a_change_on_pythons_path_looks_the_theme_up_again(
    themed, capsys, theme_reads, tmp_path, monkeypatch
):
    """Themes are found through the installed packages on Python's path: a folder
    added to it, or an entry added to one of its folders (an install), is seen."""
    cold = _run(themed, capsys)
    installed = tmp_path / "site-packages"
    installed.mkdir()
    monkeypatch.syspath_prepend(str(installed))
    theme_reads.clear()
    assert _run(themed, capsys) == cold and theme_reads == ["mkdocs"]
    assert _run(themed, capsys) == cold and theme_reads == ["mkdocs"]  # kept again
    (installed / "a_theme-1.0.dist-info").mkdir()
    assert _run(themed, capsys) == cold and theme_reads == ["mkdocs"] * 2


def test_a_just_changed_theme_folder_is_walked_again(themed, capsys, theme_reads, monkeypatch):
    monkeypatch.setattr(mkdocs_config, "SETTLED_NS", 60 * 10**9)  # everything is recent
    _run(themed, capsys)
    _run(themed, capsys)
    assert theme_reads == ["mkdocs", "mkdocs"]
    assert not (themed / THEME).exists()


@pytest.mark.parametrize("kind", ["garbage", "code", "foreign", "wrong shape"])
def test_a_damaged_theme_file_is_read_again_and_rewritten(
    themed, capsys, theme_reads, kind, tmp_path
):
    marker = tmp_path / "payload-ran"
    cold = _run(themed, capsys)
    theme_format = mkdocs_config.THEME_FORMAT
    (themed / THEME).write_bytes(
        {
            "garbage": b"not a pickle",
            "code": pickle.dumps({"format": theme_format, "key": CodePayload(marker)}),
            "foreign": pickle.dumps({"format": "other", "outputs": ["x"]}),
            "wrong shape": pickle.dumps({"format": theme_format, "key": 1}),
        }[kind]
    )
    theme_reads.clear()
    assert _run(themed, capsys) == cold and theme_reads == ["mkdocs"]
    assert not marker.exists()
    assert _run(themed, capsys) == cold and theme_reads == ["mkdocs"]  # rewritten
