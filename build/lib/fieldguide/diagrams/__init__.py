"""Mermaid diagrams drawn ahead of time and inlined as SVG.

Writers keep writing Mermaid fences in Markdown. ``make diagrams``
(``devtools.diagram_cli`` and ``devtools.diagram_drawing``, tools the site never imports)
draws each one in Debian's Chromium with the pinned npm ``mermaid`` and stores the
SVG in ``data/diagrams/`` under a key: a hash of the source, the drawing settings
and the Mermaid version (``settings.py``, ``store.py``). The build
(``fieldguide.mdx.diagrams``) only looks drawings up and inlines them
(``markup.py``), so it needs no browser, no npm and no network, and readers get
no JavaScript.
"""
