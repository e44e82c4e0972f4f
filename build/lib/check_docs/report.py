"""Render findings: ``text`` for people, ``json`` for tools, ``github`` for Actions."""

from __future__ import annotations

import json
from collections.abc import Callable

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


def render_text(report: Report) -> str:
    return "".join(text_line(f) + "\n" for f in report.findings) + summary(report) + "\n"


def render_json(report: Report) -> str:
    return json.dumps([f.as_json() for f in report.findings], indent=2, ensure_ascii=False) + "\n"


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
