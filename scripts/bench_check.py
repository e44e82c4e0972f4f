#!/usr/bin/env python3
"""Benchmark check_docs against ``mkdocs build --strict`` on synthetic sites.

Generates MkDocs projects of 100, 1,000 and 10,000 pages (about 4 KB each, with
realistic heading and link density, code blocks, tables, glossary terms (the
site's own data/glossary.yml) and some planted
errors) in a temporary folder and prints a Markdown table of seconds, pages
per second, peak memory and errors found. Each run is a fresh process, timed
from start to exit, as a writer would run it.

    .venv/bin/python scripts/bench_check.py                   # 100, 1000, 10000 pages
    .venv/bin/python scripts/bench_check.py --sizes 100 1000  --build-up-to 1000
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import posixpath
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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
extra:
  glossary_file: data/glossary.yml
nav:
"""
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
    (dest / "mkdocs.yml").write_text(CONFIG + "  - index.md\n" + "".join(nav), encoding="utf-8")
    (dest / "data").mkdir()
    shutil.copy(ROOT / "data" / "glossary.yml", dest / "data" / "glossary.yml")
    return planted


@dataclass
class Measure:
    seconds: float  # wall clock, process start to exit
    cpu: float  # user + system seconds of the process and its workers
    rss_mb: float  # peak resident memory of the largest process
    errors: int


def _run(argv: list[str], cwd: Path) -> tuple[Measure, str]:
    """Run ``argv`` and measure it with wait4 (which includes reaped worker processes)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, _status, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
        seconds = time.perf_counter() - start
        out.seek(0)
        log = out.read()
    cpu = usage.ru_utime + usage.ru_stime
    return Measure(seconds, cpu, usage.ru_maxrss / 1024, 0), log


# Issue 6's goals are for the link checker; issue 7's for links and terms together.
LINK_RULES = "broken-link,broken-anchor,nav-missing,unsafe-link,orphan-page,invalid-file"
LINKS_ONLY = "check_docs, link rules"
ALL_RULES = "check_docs, every rule"


def run_check(project: Path, repeat: int, select: str | None = None) -> Measure:
    """Best of ``repeat`` runs: other work on the machine only ever adds time."""
    runs = []
    for _ in range(repeat):
        command = [sys.executable, str(ROOT / "scripts" / "check_docs.py"), "--format", "json"]
        if select:
            command += ["--select", select]
        measure, log = _run(command, project)
        findings = json.loads(log)
        measure.errors = sum(1 for f in findings if f["severity"] == "error")
        runs.append(measure)
    return min(runs, key=lambda m: m.seconds)


def run_build(project: Path) -> Measure:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")]
    measure, log = _run(command, project)
    measure.errors = sum(
        1
        for line in log.splitlines()
        if line.startswith("WARNING") and ("contains a link" in line or "contains an" in line)
    )
    return measure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument(
        "--build-up-to", type=int, default=1000, help="largest size to time mkdocs build for"
    )
    parser.add_argument("--repeat", type=int, default=3, help="check_docs runs per size (best)")
    args = parser.parse_args(argv)
    rows = []
    check_times: dict[int, float] = {}
    link_times: dict[int, float] = {}
    build_times: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        for size in args.sizes:
            project = Path(tmp) / f"site-{size}"
            planted = generate(project, size)
            megabytes = sum(p.stat().st_size for p in (project / "docs").rglob("*.md")) / 1e6
            links = run_check(project, args.repeat, LINK_RULES)
            link_times[size] = links.seconds
            rows.append((size, megabytes, LINKS_ONLY, links, planted))
            check = run_check(project, args.repeat)
            check_times[size] = check.seconds
            rows.append((size, megabytes, ALL_RULES, check, planted))
            if size <= args.build_up_to:
                build = run_build(project)
                build_times[size] = build.seconds
                rows.append((size, megabytes, "mkdocs build --strict", build, planted))
            print(f"... {size} pages done", file=sys.stderr)
    print(
        f"check_docs benchmark — {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"{os.cpu_count()} CPU, Python {platform.python_version()}, load average "
        f"{os.getloadavg()[0]:.1f}; check_docs: best of {args.repeat} runs, link rules alone "
        "and every rule (links and terms; those planted errors include term variants the "
        "build cannot see)\n"
    )
    print(
        "| pages | MB | tool | seconds | CPU seconds | pages/s | peak memory (MB) "
        "| errors found / planted |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---|")
    for size, mb, tool, m, planted in rows:
        print(
            f"| {size:,} | {mb:.1f} | {tool} | {m.seconds:.2f} | {m.cpu:.2f} | "
            f"{size / m.seconds:,.0f} | {m.rss_mb:.0f} | {m.errors} / "
            f"{planted.total + (planted.term_variants if tool == ALL_RULES else 0)} |"
        )
    print()
    for label, times in ((LINKS_ONLY, link_times), (ALL_RULES, check_times)):
        for size in sorted(set(times) & set(build_times)):
            speedup = build_times[size] / times[size]
            print(f"{label}: {size:,} pages, {speedup:.0f}x faster than the strict build")
        for small, big in itertools.pairwise(sorted(times)):
            ratio = times[big] / times[small]
            print(f"{label}: {small:,} -> {big:,} pages, time x{ratio:.1f} for x{big // small}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
