"""Command line: ``check-docs`` / ``python scripts/check_docs.py`` / ``python -m check_docs``.

Exit status: 0 no error-severity finding, 1 at least one, 2 usage or
configuration error (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import sys
from pathlib import Path

from check_docs.config import Config, ConfigError, load_config
from check_docs.engine import Report, run_checks
from check_docs.external_accept import AcceptError, parse_accept
from check_docs.registry import all_rules
from check_docs.report import FORMATS


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="check_docs",
        description="Check the site's Markdown: links, anchors, nav, unsafe URLs, orphan pages.",
    )
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text")
    parser.add_argument(
        "--select", action="append", default=[], help="only these rules (comma-separated)"
    )
    parser.add_argument(
        "--ignore", action="append", default=[], help="skip these rules (comma-separated)"
    )
    parser.add_argument("--external", action="store_true", help="also check http(s) links")
    parser.add_argument(
        "--external-timeout",
        type=float,
        metavar="SECONDS",
        help="time limit for all external requests of the run (default 120)",
    )
    parser.add_argument(
        "--accept",
        metavar="CODES",
        help="status codes external links may answer besides 2xx, e.g. 403,429 or 200..=299",
    )
    parser.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    parser.add_argument(
        "--diff",
        action="store_true",
        help="show the fixes as a diff and write nothing (even with --fix)",
    )
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (0: auto)")
    parser.add_argument(
        "--no-cache", action="store_true", help="read every page afresh; leave the cache alone"
    )
    parser.add_argument(
        "--site",
        metavar="DIR",
        help="read what the build made from this built site folder instead of the build record",
    )
    parser.add_argument(
        "--explain", metavar="RULE", help="say what a rule checks and how to fix it"
    )
    parser.add_argument("--list-rules", action="store_true", help="list every rule")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="only report on these")
    return parser


def list_rules() -> str:
    rules = all_rules()
    width = max(len(name) for name in rules)
    lines = []
    for name in sorted(rules):
        rule = rules[name]
        marks = [rule.severity]
        if rule.fixable:
            marks.append("fixable")
        if rule.opt_in:
            marks.append("opt-in")
        if rule.needs_glossary:
            marks.append("needs a glossary")
        lines.append(f"{name:<{width}}  {rule.summary} [{', '.join(marks)}]")
    return "\n".join(lines) + "\n"


def explain(name: str) -> str:
    rules = all_rules()
    if name not in rules:
        raise ConfigError(f"unknown rule '{name}' (known rules: {', '.join(sorted(rules))})")
    rule = rules[name]
    head = f"{rule.name} ({rule.severity}{', fixable with --fix' if rule.fixable else ''})"
    return f"{head}\n\n{rule.explanation}\n"


def _digests(report: Report) -> dict[str, str]:
    project = report.project
    return {project.display(rel): page.digest for rel, page in project.pages.items()}


def _with_options(config: Config, args: argparse.Namespace) -> Config:
    """The configuration with the command line's external-link settings over its own."""
    changes: dict[str, object] = {}
    if args.external_timeout is not None:
        if not 0 < args.external_timeout <= 86_400:
            raise ConfigError("--external-timeout: give a number of seconds above 0")
        changes["external_timeout"] = args.external_timeout
    if args.accept is not None:
        try:
            parse_accept(args.accept)
        except AcceptError as exc:
            raise ConfigError(f"--accept: {exc}") from None
        changes["external_accept"] = args.accept
    if not changes:
        return config
    return dataclasses.replace(config, settings=dataclasses.replace(config.settings, **changes))


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.list_rules:
            sys.stdout.write(list_rules())
            return 0
        if args.explain:
            sys.stdout.write(explain(args.explain))
            return 0
        site_dir = Path(args.site) if args.site else None
        if site_dir is not None and not site_dir.is_dir():
            raise ConfigError(f"{site_dir}: --site needs the folder of a built site")
        paths = [Path(p) for p in args.paths]
        for path in paths:
            if not path.exists():
                raise ConfigError(f"{path}: no such file or folder")
        # --diff is a pure preview: it writes nothing, the cache included.
        use_cache = not (args.no_cache or args.diff)
        config = _with_options(load_config(Path(args.config_file), use_cache=use_cache), args)
        for warning in config.warnings:
            print(f"check_docs: warning: {warning}", file=sys.stderr)
        report = run_checks(
            config,
            select=args.select,
            ignore=args.ignore,
            external=args.external,
            paths=paths,
            jobs=args.jobs,
            site_dir=site_dir,
            cache=use_cache,
        )
    except ConfigError as exc:
        print(f"check_docs: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    for note in report.project.notes:
        print(f"check_docs: note: {note}", file=sys.stderr)
    if args.fix or args.diff:
        from check_docs.fix import fix_findings  # only here: most runs fix nothing

        # --diff is a pure preview, with or without --fix (as in ruff).
        write = args.fix and not args.diff
        fixes = fix_findings(config.root, report.findings, _digests(report), write=write)
        for message in fixes.skipped:
            print(f"check_docs: {message}", file=sys.stderr)
        if args.diff:
            sys.stdout.write(fixes.diff)
        if write:
            fixed = {id(f) for f in fixes.fixed}
            report.findings = [f for f in report.findings if id(f) not in fixed]
    if not args.diff:
        sys.stdout.write(FORMATS[args.format](report))
    return 1 if report.errors else 0


def run() -> None:
    """Console-script entry point."""
    # A run is one short process whose records (tokens, pages, cache entries) make next
    # to no reference cycles, yet their millions of allocations would set off hundreds
    # of collections, each walking everything loaded so far: a fifth of a warm run's
    # time. Parsing collects what it leaves itself (check_docs.project.parse_pages).
    gc.disable()
    code = main()
    # Leave without freeing, object by object, all the run loaded (ten thousand cache
    # entries and their findings: a tenth of a warm run): nothing is left open but the
    # standard streams, flushed here. A stream that cannot be flushed (a closed pipe)
    # is left to Python's usual exit, which reports it.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        sys.exit(code)
    os._exit(code)
