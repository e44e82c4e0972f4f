"""Render findings: ``text`` for people, ``json`` for tools, ``github`` for Actions."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from json.encoder import encode_basestring

from check_docs.engine import Report
from check_docs.finding import Finding


def text_line(finding: Finding) -> str:
    fix = f" (fix: {finding.suggestion})" if finding.suggestion else ""
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.rule} {finding.message}{fix}"


def summary(report: Report) -> str:
    pages = f"{report.pages} page{'s' if report.pages != 1 else ''}"
    if not report.findings:
        return f"No problems found in {pages}."
    errors = f"{report.errors} error{'s' if report.errors != 1 else ''}"
    warnings = f"{report.warnings} warning{'s' if report.warnings != 1 else ''}"
    return f"Found {errors} and {warnings} in {pages}."


# From this many warnings of one cause on, text output gives one line for them all.
SUMMARISE_FROM = 3


def _cause(finding: Finding) -> tuple[str, str] | None:
    """The rule and the cause a warning names (what a plugin or hook may make, which
    only a build can settle), set by the rule that made it."""
    return (finding.rule, finding.cause) if finding.cause else None


def render_text(report: Report) -> str:
    """One line per finding, except warnings of one cause that repeat (links to the
    anchors a hook makes, on a page edited since the last build): one line for them
    all, at the first, with the count (``--format json`` lists every one)."""
    causes = Counter(c for f in report.findings if (c := _cause(f)) is not None)
    shown: set[tuple[str, str]] = set()
    lines = []
    for finding in report.findings:
        cause = _cause(finding)
        if cause is None or causes[cause] < SUMMARISE_FROM:
            lines.append(text_line(finding))
        elif cause not in shown:
            shown.add(cause)
            count = causes[cause]
            lines.append(
                f"{text_line(finding)} [and {count - 1} more {finding.rule} warnings of this"
                " cause; --format json lists them]"
            )
    return "".join(line + "\n" for line in lines) + summary(report) + "\n"


def _json_value(value: object) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False)`` writes it."""
    if isinstance(value, str):
        return encode_basestring(value)  # the C function json.dumps calls for a string
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def render_json(report: Report) -> str:
    """The findings as ``json.dumps(findings, indent=2, ensure_ascii=False)`` lays them
    out, written here: that indenting encoder is pure Python, a call per value (a tenth
    of a warm run with seven hundred findings), where a finding's values are all
    strings, numbers and nulls."""
    if not report.findings:
        return "[]\n"
    objects = (
        "  {\n"
        + ",\n".join(
            f"    {encode_basestring(key)}: {_json_value(value)}"
            for key, value in finding.as_json().items()
        )
        + "\n  }"
        for finding in report.findings
    )
    return "[\n" + ",\n".join(objects) + "\n]\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    lines = []
    for f in report.findings:
        message = f.message + (f" (fix: {f.suggestion})" if f.suggestion else "")
        props = (
            f"file={_escape_property(f.path)},line={f.line},col={f.column},"
            f"title={_escape_property(f.rule)}"
        )
        lines.append(f"::{f.severity} {props}::{_escape_data(message)}\n")
    return "".join(lines)


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
}
