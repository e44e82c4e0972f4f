# Generative AI Field Guide — developer commands.
# `make serve` and `make test` work on a fresh machine: they create .venv and
# install the pinned dependencies first, and skip that when nothing changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
ADDR   ?= 127.0.0.1:8000

# Material 9.8 prints an end-of-life banner on every build; we know (see README).
export NO_MKDOCS_2_WARNING := 1

.PHONY: help deps serve build test check audit deploy clean

help:
	@echo "make serve   preview with live reload on http://$(ADDR)"
	@echo "make test    checker, strict build, lint and the whole pytest suite"
	@echo "make check   the docs checker alone (scripts/check_docs.py)"
	@echo "make audit   Lighthouse, axe-core, Nu HTML Checker, page weight -> site-audit.md"
	@echo "make build   strict build into site/"
	@echo "make deploy  publish site/ to the gh-pages branch (mkdocs gh-deploy)"
	@echo "make clean   remove site/, .venv/ and node_modules/"

$(PY):
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the pins change.
$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

# Mermaid is served by the site itself; without npm the build falls back (hooks/mermaid_assets.py).
$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: diagrams will load Mermaid from Material's CDN fallback"; \
	fi

deps: $(STAMP) $(NPM_STAMP)

serve: deps
	$(BIN)/mkdocs serve --livereload --dev-addr $(ADDR)

build: deps
	$(BIN)/mkdocs build --strict

# The checker first: it is the fastest way to learn what a writer broke.
test: deps
	$(PY) scripts/check_docs.py
	$(BIN)/mkdocs build --strict
	$(BIN)/pytest -n 2

check: deps
	$(PY) scripts/check_docs.py

# Lighthouse, axe-core, the Nu HTML Checker and page weight; writes site-audit.md.
audit: deps
	$(PY) scripts/audit_site.py

deploy: deps
	$(BIN)/mkdocs gh-deploy --strict --force

clean:
	rm -rf site $(VENV) node_modules .pytest_cache .hypothesis
