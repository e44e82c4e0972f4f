"""Benchmark: how much the glossary (extension + hook) adds to a full site build.

Builds the real site with the glossary on (``mkdocs.yml``) and off (a temporary
config that INHERITs ``mkdocs.yml`` and drops the glossary extension and hook), in
alternating order, a few times each, as a writer runs ``mkdocs build``: a fresh
process per build. Prints wall-clock and CPU seconds per build, the medians and the
ratio; the goal is at most 25% added build time. The verdict uses CPU time, which
other work on a busy machine disturbs far less than wall-clock time. Also prints the
term matcher's throughput on the site's Markdown (what the checker's term rules pay).

    .venv/bin/python scripts/bench_glossary.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = "fieldguide.mdx.glossary_terms"
HOOK = "hooks/glossary.py"
GOAL = 0.25


def _block(lines: list[str], key: str) -> list[str]:
    """The lines of the top-level ``key:`` block of a YAML file, key line included."""
    start = lines.index(f"{key}:")
    end = start + 1
    while end < len(lines) and (not lines[end] or lines[end][0] in " #"):
        end += 1
    return lines[start:end]


def _without(block: list[str], item: str) -> list[str]:
    """``block`` minus the list item that starts with ``- item`` and its nested lines."""
    out: list[str] = []
    dropping = False
    for line in block:
        stripped = line.lstrip()
        if stripped.startswith("- "):
            dropping = stripped[2:].rstrip(":").strip() == item
        elif dropping and not line.startswith("    "):
            dropping = False
        if not dropping:
            out.append(line)
    return out


def off_config(config: Path) -> str:
    """A config that inherits ``config`` but has no glossary extension and no glossary hook.

    INHERIT replaces lists rather than merging them, so the two lists are repeated
    without our items (their text is copied, so tags such as !!python/name survive).
    """
    lines = config.read_text(encoding="utf-8").splitlines()
    extensions = _without(_block(lines, "markdown_extensions"), EXTENSION)
    hooks = _without(_block(lines, "hooks"), HOOK)
    if extensions == _block(lines, "markdown_extensions") or hooks == _block(lines, "hooks"):
        sys.exit(f"{config}: the glossary extension or hook is not registered; nothing to compare")
    return "\n".join([f"INHERIT: {config.name}", *extensions, *hooks]) + "\n"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(config: Path, site: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one build (CPU time is steadier on a busy machine)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build with {config.name} failed:\n{proc.stdout}{proc.stderr}")
    return elapsed, _children_cpu() - cpu


def matcher_throughput(seconds: float = 1.0) -> tuple[float, int]:
    """MB of the site's Markdown scanned per second for terms and variants, and match count."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from check_docs.parse import prose_text
    from check_docs.term_matcher import NAME_KINDS, TermMatcher
    from fieldguide.glossary import glossary_path, load_glossary

    matcher = TermMatcher.from_glossary(
        load_glossary(glossary_path(ROOT)), kinds=(*NAME_KINDS, "variant")
    )
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md"))]
    size = sum(len(p.encode("utf-8")) for p in pages)
    start, rounds, found = time.perf_counter(), 0, 0
    while time.perf_counter() - start < seconds:
        found = sum(1 for page in pages for _ in matcher.finditer(prose_text(page)))
        rounds += 1
    return size * rounds / (time.perf_counter() - start) / 1e6, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="builds per variant (default 5)")
    args = parser.parse_args(argv)
    on_config = ROOT / "mkdocs.yml"
    # The off config must sit beside mkdocs.yml: hooks resolve data files from its folder.
    off = ROOT / f".bench-glossary-off-{os.getpid()}.yml"
    off.write_text(off_config(on_config), encoding="utf-8")
    times: dict[str, list[tuple[float, float]]] = {"on": [], "off": []}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-glossary-") as tmp:
            site = Path(tmp) / "site"
            build(on_config, site)  # warm the file cache once; not counted
            for run in range(args.runs):
                order = [("on", on_config), ("off", off)]
                for name, config in order if run % 2 == 0 else reversed(order):
                    times[name].append(build(config, site))
    finally:
        off.unlink(missing_ok=True)
    print("Full `mkdocs build` of the site, glossary extension + hook on and off (seconds)")
    print(f"{'run':>6}  {'on wall':>8}  {'off wall':>8}  {'on CPU':>8}  {'off CPU':>8}")
    for run, (on, off_) in enumerate(zip(times["on"], times["off"], strict=True), start=1):
        print(f"{run:>6}  {on[0]:>8.2f}  {off_[0]:>8.2f}  {on[1]:>8.2f}  {off_[1]:>8.2f}")
    medians = {
        name: [statistics.median(t[i] for t in runs) for i in (0, 1)]
        for name, runs in times.items()
    }
    (on_wall, on_cpu), (off_wall, off_cpu) = medians["on"], medians["off"]
    print(f"{'median':>6}  {on_wall:>8.2f}  {off_wall:>8.2f}  {on_cpu:>8.2f}  {off_cpu:>8.2f}")
    added = on_cpu / off_cpu - 1
    print(
        f"ratio on/off: CPU {on_cpu / off_cpu:.3f}, wall {on_wall / off_wall:.3f}; "
        f"the glossary adds {added:+.1%} CPU time (goal <= {GOAL:.0%})"
    )
    rate, found = matcher_throughput()
    print(f"term matcher (prose mask, terms and variants; one core): {rate:.1f} MB/s")
    print(f"  ({found} matches in the site's Markdown)")
    return 0 if added <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
