"""``python -m check_docs``."""

from check_docs.cli import run

run()
