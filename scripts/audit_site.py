"""Audit the built site in Debian's Chromium (issue 8); run by `make audit`.

Builds the site strictly, serves it on 127.0.0.1 and runs Lighthouse, axe-core,
the Nu HTML Checker and a page-weight check; writes site-audit.md and exits 1
when a goal is missed (2 when the audit itself could not run).
The work is done by the `site_audit` package beside this file.
"""

from __future__ import annotations

import sys

from site_audit.cli import main

if __name__ == "__main__":
    sys.exit(main())
