"""MkDocs hook: run check_docs on every build and preview.

(Not named ``check_docs.py``: MkDocs registers a hook module under its file
name, which would hide the ``check_docs`` package it imports.)

The same checks as ``python scripts/check_docs.py`` (one code path: this hook
only calls ``check_docs.engine.run_checks``). Error findings are logged as
warnings, so ``mkdocs build --strict`` fails on them and ``mkdocs serve``
shows them in the terminal; warning findings (orphan pages) are logged as
information and never fail a build.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from check_docs.config import ConfigError, load_config
from check_docs.engine import run_checks
from check_docs.report import text_line

log = logging.getLogger("mkdocs.hooks.run_check_docs")


def on_pre_build(config: MkDocsConfig) -> None:
    try:
        report = run_checks(load_config(Path(config.config_file_path)))
    except ConfigError as exc:
        raise PluginError(f"check_docs: {exc}") from None
    for finding in report.findings:
        if finding.severity == "error":
            log.warning("check_docs: %s", text_line(finding))
        else:
            log.info("check_docs: %s", text_line(finding))
