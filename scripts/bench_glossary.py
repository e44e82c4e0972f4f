"""Benchmark: how much the glossary (extension + hook) adds to a full site build.

Builds the real site with the glossary on (``mkdocs.yml``) and off (a temporary
config that INHERITs ``mkdocs.yml`` and drops the glossary extension and hook), in
alternating order, a few times each, as a writer runs ``mkdocs build``: a fresh
process per build. Prints a table, the medians and the ratio; the goal is at most
25% added build time.

    .venv/bin/python scripts/bench_glossary.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
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


def build(config: Path, site: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
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
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="builds per variant (default 5)")
    args = parser.parse_args(argv)
    on_config = ROOT / "mkdocs.yml"
    # The off config must sit beside mkdocs.yml: hooks resolve data files from its folder.
    off = ROOT / f".bench-glossary-off-{os.getpid()}.yml"
    off.write_text(off_config(on_config), encoding="utf-8")
    times: dict[str, list[float]] = {"on": [], "off": []}
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
    print(f"{'run':>4}  {'glossary on (s)':>16}  {'glossary off (s)':>17}")
    for run, (t_on, t_off) in enumerate(zip(times["on"], times["off"], strict=True), start=1):
        print(f"{run:>4}  {t_on:>16.2f}  {t_off:>17.2f}")
    on, off_median = statistics.median(times["on"]), statistics.median(times["off"])
    added = on / off_median - 1
    print(f"{'median':>6}{on:>16.2f}  {off_median:>17.2f}")
    print(f"ratio on/off: {on / off_median:.3f}  (glossary adds {added:+.1%}; goal <= {GOAL:.0%})")
    return 0 if added <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
