"""The warm cache (issue 13 item 4): a re-run reads only what changed and reports
exactly what a cold run reports, in both directions (an anchor removed from a page is
reported on the pages linking to it); a change of configuration or glossary starts
afresh; a damaged or foreign cache is discarded with a note and never trusted."""

from __future__ import annotations

import os
import pickle
import random
import shutil
from pathlib import Path

import pytest

from check_docs.cache import FORMAT, checker_digest, shard_of
from check_docs.cli import main
from check_docs.config import load_config
from check_docs.engine import run_checks
from tests.check_docs_support import FIXTURES, copy_fixture

CACHE = Path(".check_docs_cache") / "pages"


def _run(site: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[str, str]:
    capsys.readouterr()
    main(["-f", str(site / "mkdocs.yml"), *extra])
    out = capsys.readouterr()
    return out.out, out.err


def _parsed(site: Path) -> set[str]:
    report = run_checks(load_config(site / "mkdocs.yml"))
    return report.project.parsed


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_fixture("check_docs_corpus", tmp_path)


def test_a_warm_run_parses_only_the_page_that_changed(site, capsys):
    cold, _ = _run(site, capsys)
    assert (site / CACHE / "index.pickle").is_file()
    assert _parsed(site) == set()
    page = site / "docs" / "guide" / "index.md"
    page.write_text(page.read_text() + "\nA new [link](nowhere.md).\n")
    assert _parsed(site) == {"guide/index.md"}
    warm, _ = _run(site, capsys)
    assert warm == _run(site, capsys, "--no-cache")[0]
    assert "docs/guide/index.md" in warm and "nowhere.md" in warm and warm != cold


def test_an_anchor_removed_is_reported_where_it_is_linked_from(site, capsys):
    _run(site, capsys)
    setup = site / "docs" / "guide" / "setup.md"
    setup.write_text(setup.read_text().replace("## Install\n", "## Installing\n"))
    warm, _ = _run(site, capsys)
    assert "docs/index.md:7:43: broken-anchor anchor '#install' not found" in warm
    assert warm == _run(site, capsys, "--no-cache")[0]
    setup.write_text(setup.read_text().replace("## Installing\n", "## Install\n"))
    again, _ = _run(site, capsys)  # and back: the findings go again
    assert "'#install' not found" not in again
    assert again == _run(site, capsys, "--no-cache")[0]


def test_configuration_and_glossary_changes_start_afresh(tmp_path, capsys):
    site = copy_fixture("terms_site", tmp_path)
    _run(site, capsys)
    assert _parsed(site) == set()
    glossary = site / "data" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert len(_parsed(site)) == 4
    settings = site / "pyproject.toml"
    settings.write_text(settings.read_text() + 'abbreviations_allow = ["UI", "NASA", "TPU"]\n')
    warm, _ = _run(site, capsys)
    assert "'TPUs' has no glossary entry" not in warm
    assert warm == _run(site, capsys, "--no-cache")[0]


def test_a_cache_written_by_another_version_is_not_used(site, capsys, monkeypatch):
    cold, _ = _run(site, capsys)
    pages = {p.relative_to(site / "docs").as_posix() for p in (site / "docs").rglob("*.md")}
    monkeypatch.setattr("check_docs.cache.__version__", "0.0.0-other")
    checker_digest.cache_clear()
    try:
        assert _parsed(site) == pages  # every page read afresh
    finally:
        monkeypatch.undo()
        checker_digest.cache_clear()
    warm, _ = _run(site, capsys)
    assert warm == cold


def test_a_cache_in_an_older_format_is_replaced_quietly(site, capsys):
    cold, _ = _run(site, capsys)
    index = site / CACHE / "index.pickle"
    index.write_bytes(pickle.dumps({"format": "check_docs page cache 1", "pages": {}}))
    warm, err = _run(site, capsys)
    assert (warm, err) == (cold, "")
    assert pickle.loads(index.read_bytes())["format"] == FORMAT


def test_no_cache_neither_reads_nor_writes_it(site, capsys):
    _run(site, capsys, "--no-cache")
    assert not (site / CACHE).exists()
    _run(site, capsys)
    index = site / CACHE / "index.pickle"
    before = index.stat().st_mtime_ns, index.read_bytes()
    page = site / "docs" / "guide" / "index.md"
    page.write_text(page.read_text() + "\nMore.\n")
    _run(site, capsys, "--no-cache")
    assert (index.stat().st_mtime_ns, index.read_bytes()) == before


def test_a_page_touched_but_not_edited_is_not_parsed_again(site, capsys):
    cold, _ = _run(site, capsys)
    index = site / CACHE / "index.pickle"
    page = site / "docs" / "guide" / "index.md"
    before = index.read_bytes()
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 10**9))
    assert _parsed(site) == set()  # same content: taken from the cache
    stored = index.read_bytes()
    assert stored != before  # with its new time, so the next run need not read it
    assert _run(site, capsys)[0] == cold
    assert index.read_bytes() == stored  # an unchanged site: the cache is not rewritten


def test_a_snippet_change_reparses_the_pages_including_it(tmp_path, capsys):
    site = Path(shutil.copytree(FIXTURES / "real_patterns" / "snippet_headings", tmp_path / "s"))
    _run(site, capsys)
    steps = site / "includes" / "setup-steps.md"
    steps.write_text(steps.read_text().replace("## Run the checks", "## Run the tests"))
    assert _parsed(site) == {"setup.md"}
    warm, _ = _run(site, capsys)
    assert "anchor '#run-the-checks' not found" in warm
    assert warm == _run(site, capsys, "--no-cache")[0]


class _Payload:
    """Unpickling this would run code (make a folder): the cache must refuse it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.mkdir, (str(self.marker),))


def test_a_links_shard_lost_or_damaged_means_parsing_again(site, capsys):
    """The links of pages judged again come from their shard; without it (deleted,
    damaged) the page is parsed again and the findings are the same."""
    _run(site, capsys)
    setup = site / "docs" / "guide" / "setup.md"
    index = site / "docs" / "index.md"  # links to setup.md#install
    (site / CACHE / f"links-{shard_of('index.md'):02d}.pickle").write_bytes(b"damaged")
    setup.write_text(setup.read_text().replace("## Install\n", "## Installing\n"))
    report = run_checks(load_config(site / "mkdocs.yml"))
    assert "index.md" in report.project.reparsed  # seen failing: links read from nowhere
    warm, err = _run(site, capsys)
    assert "docs/index.md:7:43: broken-anchor anchor '#install' not found" in warm
    assert warm == _run(site, capsys, "--no-cache")[0]
    assert "Traceback" not in err
    assert index.is_file()


def test_pages_read_with_their_links_leave_the_plan_as_planned(site, capsys):
    """A build reads every page with its links (``with_links``): a page whose links are
    missing from the cache is parsed with the changed ones, yet the plan still says
    what the cache could give (seen failing: the page appended to the plan's list)."""
    from check_docs.engine import choose_rules
    from check_docs.project import load_project, read_pages

    _run(site, capsys)
    (site / CACHE / f"links-{shard_of('index.md'):02d}.pickle").unlink()
    config = load_config(site / "mkdocs.yml")
    rules = choose_rules(config, external=False)
    project = load_project(config, rules)
    pages = list(project.pages)
    read = read_pages(config, rules, project.job, pages, None, use_cache=True, with_links=True)
    assert "index.md" in read.parsed
    assert read.plan.to_parse == []


def test_a_one_page_edit_rewrites_only_that_pages_links_shard(site, capsys):
    """Pages judged again keep their stored links: only the edited page's shard is
    written (rewriting every shard a re-judged page sits in made a warm run slow)."""
    _run(site, capsys)
    shards = {p.name: p.stat().st_mtime_ns for p in (site / CACHE).glob("links-*.pickle")}
    setup = site / "docs" / "guide" / "setup.md"
    setup.write_text(setup.read_text().replace("## Install\n", "## Installing\n"))
    for path in (site / CACHE).glob("links-*.pickle"):
        os.utime(path, ns=(1, 1))
    warm, _ = _run(site, capsys)
    assert "'#install' not found" in warm  # index.md was judged again
    written = {p.name for p in (site / CACHE).glob("links-*.pickle") if p.stat().st_mtime_ns != 1}
    assert written == {f"links-{shard_of('guide/setup.md'):02d}.pickle"}
    assert len(shards) > 1


@pytest.mark.parametrize(
    "kind", ["garbage", "code inside", "code", "foreign", "truncated", "wrong shape"]
)
def test_a_damaged_or_foreign_cache_is_discarded_with_a_note(site, capsys, kind, tmp_path):
    marker = tmp_path / "payload-ran"
    content = {
        "garbage": b"not a pickle at all",
        "code inside": pickle.dumps({"format": FORMAT, "page_key": "x", "pages": _Payload(marker)}),
        "code": pickle.dumps(_Payload(marker)),
        "foreign": pickle.dumps({"format": "someone else's", "pages": {}}),
        "truncated": b"\x80\x05" + b"\xff" * 64,
        "wrong shape": pickle.dumps({"format": FORMAT}),
    }[kind]
    cold, _ = _run(site, capsys)
    (site / CACHE / "index.pickle").write_bytes(content)
    warm, err = _run(site, capsys)
    assert warm == cold
    assert "cache discarded" in err
    assert "Traceback" not in err
    assert not marker.exists()  # nothing in the file was ever run
    again, err = _run(site, capsys)  # rewritten: clean again
    assert again == cold and "cache discarded" not in err


def _judged(site: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The pages whose links a run judges (the others' findings come from the cache)."""
    from check_docs import engine

    judged: set[str] = set()
    real = engine._judge_links

    def judge(*args: object) -> tuple[object, set[str]]:
        found, pages = real(*args)
        judged.update(pages)
        return found, pages

    monkeypatch.setattr(engine, "_judge_links", judge)
    try:
        run_checks(load_config(site / "mkdocs.yml"))
    finally:
        monkeypatch.undo()
    return judged


def test_a_renamed_heading_rejudges_only_the_pages_asking_for_what_changed(
    tmp_path, capsys, monkeypatch
):
    """Pages linking to a page whose ids changed are judged again only when they ask
    for an id that came or went, or a missing one whose closest id (the suggestion)
    changed: a link without a fragment, or to an id that stayed, keeps its findings.
    Seen failing: with every page linking to the edited one judged again, and with
    the suggestion's change left out (the stale suggestion was reported)."""
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: S\n", encoding="utf-8")
    pages = {
        "index.md": "# Home\n\n[a](a.md) [b](b.md) [c](c.md) [d](d.md) [e](e.md)\n",
        "a.md": "# A\n\n## Install\n\n## Usage\n",
        "b.md": "# B\n\n[install](a.md#install)\n",
        "c.md": "# C\n\n[a](a.md)\n",
        "d.md": "# D\n\n[usage](a.md#usage)\n",
        "e.md": "# E\n\n[typo](a.md#instal)\n",
    }
    for name, text in pages.items():
        (site / "docs" / name).write_text(text, encoding="utf-8")
    _run(site, capsys)
    page = site / "docs" / "a.md"
    page.write_text(pages["a.md"].replace("## Install", "## Installing"), encoding="utf-8")
    # b.md: #install went; e.md: '#instal' is still missing but its suggestion went.
    assert _judged(site, monkeypatch) == {"a.md", "b.md", "e.md"}
    warm, _ = _run(site, capsys)
    assert "a.md#install" not in warm.split("e.md", 1)[1]
    assert warm == _run(site, capsys, "--no-cache")[0]
    page.write_text(page.read_text(encoding="utf-8") + "\n## Usage notes\n", encoding="utf-8")
    # A new id no page asks for, no closest id changed: nobody else is judged again.
    assert _judged(site, monkeypatch) == {"a.md"}
    assert _run(site, capsys)[0] == _run(site, capsys, "--no-cache")[0]


def test_random_edits_warm_equals_cold(tmp_path, capsys, monkeypatch):
    """A sequence of random edits to a small site: after each, the warm run reports
    exactly what a run without the cache reports. update_cache names the pages whose
    entries a run may have changed, and only those are compared with what was read:
    the entries shards written are exactly those a comparison of every entry finds
    (seen failing with the judged pages, or the pages touched but not edited, left out
    of what the run names)."""
    from check_docs.cache import PageCache

    real = PageCache._changed_entries
    named = []

    def compared(self: PageCache, touched: set[str] | None) -> dict:
        found = real(self, touched)
        assert found == real(self, None)
        named.append(touched is not None)
        return found

    monkeypatch.setattr(PageCache, "_changed_entries", compared)
    site = copy_fixture("check_docs_corpus", tmp_path)
    pages = sorted(p for p in (site / "docs").rglob("*.md"))
    rng = random.Random(13)
    _run(site, capsys)
    for _step in range(12):
        page = rng.choice(pages)
        text = page.read_text(encoding="utf-8")
        action = rng.choice(["heading", "link", "drop heading", "touch", "new page"])
        if action == "heading":
            text += f"\n## Added {rng.randrange(9)}\n"
        elif action == "link":
            text += f"\nSee [x](index.md#added-{rng.randrange(9)}) and [y](#step).\n"
        elif action == "drop heading" and "\n## " in text:
            text = text.replace("\n## ", "\n", 1)
        elif action == "new page":
            new = site / "docs" / f"new-{rng.randrange(99)}.md"
            new.write_text("# New\n\n[home](index.md#added-1)\n", encoding="utf-8")
        page.write_text(text, encoding="utf-8")
        warm, _ = _run(site, capsys)
        cold, _ = _run(site, capsys, "--no-cache")
        assert warm == cold, action
    assert any(named)  # the named pages were compared, not only every entry


def test_the_term_matcher_is_compiled_only_when_a_page_is_parsed(tmp_path, capsys, monkeypatch):
    """Compiling the glossary's matcher is a large part of a warm run on a big glossary:
    a run that parses no page does without it (the term rules' findings are cached)."""
    from check_docs import glossary, terms

    site = copy_fixture("terms_site", tmp_path)
    cold, _ = _run(site, capsys)
    built: list[int] = []
    real = terms.TermMatcher

    def counted(phrases: tuple[terms.Phrase, ...]) -> terms.TermMatcher:
        built.append(len(phrases))
        return real(phrases)

    monkeypatch.setattr(terms, "TermMatcher", counted)
    glossary._cache.clear()  # as in a new process
    assert _run(site, capsys)[0] == cold
    assert built == []  # seen failing: with the matcher built with the index
    page = site / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    glossary._cache.clear()
    assert _run(site, capsys)[0] == cold
    assert len(built) == 1


def _entries_shards(site: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (site / CACHE).glob("entries-*.pickle")}


def test_a_one_page_edit_rewrites_only_the_entries_shards_that_changed(site, capsys):
    """The index of entries is kept in shards: an edit writes the shards of the pages
    whose entries changed (the edited page, the pages judged again), not all of them
    (rewriting the whole index was a fifth of a warm run on 10,000 pages). Seen failing
    with every shard written on each save."""
    _run(site, capsys)
    assert len(_entries_shards(site)) == 64  # a cold run writes them all, empty ones too
    setup = site / "docs" / "guide" / "setup.md"
    setup.write_text(setup.read_text().replace("## Install\n", "## Installing\n"))
    for path in (site / CACHE).glob("entries-*.pickle"):
        os.utime(path, ns=(1, 1))
    warm, _ = _run(site, capsys)
    assert "docs/index.md:7:43: broken-anchor anchor '#install' not found" in warm
    written = {name for name, mtime in _entries_shards(site).items() if mtime != 1}
    # setup.md (new ids), the two pages asking it for #install (judged again, a new
    # finding each): nothing else.
    changed = ("guide/setup.md", "index.md", "guide/index.md")
    expected = {f"entries-{shard_of(p):02d}.pickle" for p in changed}
    assert written == expected
    assert warm == _run(site, capsys, "--no-cache")[0]
    for path in (site / CACHE).glob("entries-*.pickle"):
        os.utime(path, ns=(1, 1))
    assert _run(site, capsys)[0] == warm  # an unchanged site: no shard written
    assert set(_entries_shards(site).values()) == {1}


def _pages_in_shard_order(count: int) -> list[str]:
    """Page names whose entries shards are written in this order (ascending)."""
    names: dict[int, str] = {}
    for i in range(200):
        names.setdefault(shard_of(f"p{i}.md"), f"p{i}.md")
    return [names[n] for n in sorted(names)][:count]


def test_a_run_stopped_between_shard_writes_leaves_no_mixed_cache(tmp_path, capsys, monkeypatch):
    """A run that stops after writing some entries shards and before the index (a
    crash, a full disk) must not leave a cache mixing two runs: the edited page's new
    entry with the old findings of a page linking to it. The index names each shard's
    token; the next run sees the mismatch, discards the cache with a note and reports
    what a cold run does. Seen failing with the token check left out (the broken
    anchor, found by the stopped run, was not reported again)."""
    from check_docs import cache as cache_module

    target, linker = _pages_in_shard_order(2)  # the target's shard is written first
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: S\n", encoding="utf-8")
    (site / "docs" / "index.md").write_text(f"# Home\n\n[t]({target}) [l]({linker})\n")
    (site / "docs" / target).write_text("# T\n\n## Install\n")
    (site / "docs" / linker).write_text(f"# L\n\n[install]({target}#install)\n")
    _run(site, capsys)
    (site / "docs" / target).write_text("# T\n\n## Installing\n")
    real = cache_module.dump_plain
    written: list[str] = []

    def stops_after_one_shard(path: Path, data: object) -> None:
        if written:
            raise OSError(28, "No space left on device")
        if path.name.startswith("entries-"):
            written.append(path.name)
        real(path, data)

    monkeypatch.setattr(cache_module, "dump_plain", stops_after_one_shard)
    stopped, err = _run(site, capsys)
    assert f"{linker}:3:1: broken-anchor" in stopped and "cache not written" in err
    assert written == [f"entries-{shard_of(target):02d}.pickle"]
    monkeypatch.undo()
    warm, err = _run(site, capsys)
    assert "does not match index.pickle" in err and "cache discarded" in err
    assert warm == stopped == _run(site, capsys, "--no-cache")[0]
    again, err = _run(site, capsys)  # rewritten whole: clean again
    assert again == warm and err == ""


@pytest.mark.parametrize("kind", ["garbage", "code", "foreign", "missing", "other token"])
def test_a_damaged_or_foreign_entries_shard_is_discarded_with_a_note(site, capsys, kind, tmp_path):
    marker = tmp_path / "payload-ran"
    _run(site, capsys)
    shard = site / CACHE / f"entries-{shard_of('index.md'):02d}.pickle"
    if kind == "missing":
        shard.unlink()
    else:
        token = pickle.loads(shard.read_bytes())["token"]
        shard.write_bytes(
            {
                "garbage": b"not a pickle at all",
                "code": pickle.dumps({"token": token, "pages": _Payload(marker)}),
                "foreign": pickle.dumps({"token": token, "pages": ["someone else's"]}),
                "other token": pickle.dumps({"token": "0" * 16, "pages": {}}),
            }[kind]
        )
    page = site / "docs" / "index.md"  # an edit, so that its entry would be looked at
    page.write_text(page.read_text() + "\nA new [link](nowhere.md).\n")
    warm, err = _run(site, capsys)
    assert "cache discarded" in err and "Traceback" not in err
    assert not marker.exists()  # nothing in the file was ever run
    assert warm == _run(site, capsys, "--no-cache")[0]
    again, err = _run(site, capsys)
    assert again == warm and "cache discarded" not in err


def test_the_path_table_is_renumbered_when_pages_gone_fill_it(tmp_path, capsys, monkeypatch):
    """Entries name the pages their links read by number in the index's table of paths,
    which a run only appends to; once pages gone (a page renamed again and again here)
    fill most of it, the table is built again and every entry's numbers rewritten.
    After that the cache is used as it is, and a page linking to an edited one is still
    judged again. Seen failing with the entries' numbers left as they were (numbers
    beyond the new table: the next run discarded the cache)."""
    from check_docs import cache as cache_module

    monkeypatch.setattr(cache_module, "RENUMBER_SLACK", 0)
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: S\n", encoding="utf-8")
    docs = site / "docs"
    for number in range(8):
        if number == 4:  # numbered after the first notes: beyond the renumbered table
            (docs / "target.md").write_text("# T\n\n## Install\n")
            (docs / "linker.md").write_text("# L\n\n[install](target.md#install)\n")
        links = "[t](target.md) [l](linker.md) " if number >= 4 else ""
        (docs / "index.md").write_text(f"# Home\n\n{links}[n](note-{number}.md)\n")
        (docs / f"note-{number}.md").write_text("# Note\n\n[home](index.md)\n")
        (docs / f"note-{number - 1}.md").unlink(missing_ok=True)
        _out, err = _run(site, capsys)
        assert err == ""
    index = pickle.loads((site / CACHE / "index.pickle").read_bytes())
    assert len(index["paths"]) <= 2 * 4  # renumbered: it held ten paths
    (docs / "target.md").write_text("# T\n\n## Installing\n")
    warm, err = _run(site, capsys)
    assert "docs/linker.md:3:1: broken-anchor" in warm and err == ""
    assert warm == _run(site, capsys, "--no-cache")[0]


def test_an_entry_naming_a_page_beyond_the_path_table_is_discarded(site, capsys):
    """The page numbers an entry reads must be in the index's table: a table cut short
    (a damaged or foreign index) discards the cache with a note."""
    _run(site, capsys)
    index = site / CACHE / "index.pickle"
    data = pickle.loads(index.read_bytes())
    data["paths"] = data["paths"][:1]
    index.write_bytes(pickle.dumps(data))
    warm, err = _run(site, capsys)
    assert "names a page the index does not have" in err and "cache discarded" in err
    assert warm == _run(site, capsys, "--no-cache")[0]
