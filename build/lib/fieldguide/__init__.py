"""Shared build-time code for the Generative AI Field Guide.

The MkDocs hooks, the Markdown extensions, the checker (``check_docs``) and the
tests all import from here, so each behaviour has exactly one implementation.
"""
