"""Reading time: how long a page's prose takes to read.

The words counted are the page's prose as the docs checker's page record has it
(``check_docs.parse.prose_text``): never code, diagrams' source, URLs, markup or
front matter.
"""

from __future__ import annotations

import re

from check_docs.parse import prose_text

# Reading speed for the guide's pages: adults read non-fiction silently at about
# 238 words a minute on average (Brysbaert 2019, doi:10.1016/j.jml.2019.104047);
# these pages are technical and dense, so the estimate assumes a little slower.
WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w[\w'’-]*")


def reading_minutes(markdown: str) -> int:
    """Whole minutes a reader needs for the prose of ``markdown`` (at least 1).

    Code, diagrams' source, URLs, markup and front matter are not read, so they
    are not counted (``check_docs.parse.prose_text``, the page record's prose).
    """
    words = len(_WORD.findall(prose_text(markdown)))
    return max(1, -(-words // WORDS_PER_MINUTE))
