"""Python-Markdown extensions of the guide: plain Markdown, so they run under any
renderer that loads Markdown extensions (MkDocs today, Zensical later)."""
