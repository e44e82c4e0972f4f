"""The site audit (issue 8): Lighthouse, axe-core, the Nu HTML Checker and page
weight, run against the built site in Debian's Chromium. ``scripts/audit_site.py``
is the command; each module here does one of the jobs."""
