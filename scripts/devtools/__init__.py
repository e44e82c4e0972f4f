"""Tools for developing the site, never part of it: the tests and the audit use them,
and nothing the build or the checker runs imports this package (a test checks).

- ``site_config``: the one way our own code (tests, scripts) loads ``mkdocs.yml``.
- ``site_server``: serve a built site on 127.0.0.1 the way GitHub Pages does.
- ``browser``: launch Debian's Chromium through Playwright with offline flags.
"""
