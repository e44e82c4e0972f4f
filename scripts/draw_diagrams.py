#!/usr/bin/env python3
"""Draw the site's Mermaid diagrams into data/diagrams/ (`make diagrams`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devtools.diagram_cli import main

if __name__ == "__main__":
    sys.exit(main())
