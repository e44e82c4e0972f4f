#!/usr/bin/env python3
"""Write the copied-text rule's fingerprint file from a folder of source texts.

    python scripts/make_fingerprints.py SOURCE_DIR -o data/source-fingerprints.txt

SOURCE_DIR is a folder of the source articles' texts, kept outside the repository; they
are never committed, only their hashed ten-word shingles (see check_docs.fingerprints).
"""

import sys
from pathlib import Path

# Works without the editable install too: the packages sit next to this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_docs.fingerprints import main

if __name__ == "__main__":
    sys.exit(main())
