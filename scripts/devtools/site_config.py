"""Load ``mkdocs.yml`` for the tests and scripts: with MkDocs' own loader, so they see
the configuration exactly as the build does (defaults filled in, ``site_url`` with its
trailing slash, hooks and extensions validated), never a second reading of the YAML.

Where MkDocs is running (hooks, plugins) the ``config`` it passes is the one to use;
the checker has its own reader, which never runs code from a configuration file.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

ROOT = Path(__file__).resolve().parents[2]


def load_site_config(config_file: Path = ROOT / "mkdocs.yml") -> MkDocsConfig:
    """The validated configuration in ``config_file`` (the guide's own by default)."""
    return load_config(str(config_file))
