#!/usr/bin/env python3
"""Entry point: ``python scripts/check_docs.py [options] [PATH ...]`` (see check_docs.cli)."""

import sys
from pathlib import Path

# Works without the editable install too: the packages sit next to this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_docs.cli import run

if __name__ == "__main__":
    run()
