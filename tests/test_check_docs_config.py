"""check_docs reads mkdocs.yml without running anything in it: slug functions are matched
by name from a fixed list and run as our own code, anything else is left alone with one
warning; INHERIT and !ENV behave as in MkDocs; every malformed setting the checker reads
is one line naming file:line, what is wrong and what MkDocs expects (exit 2)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from check_docs.cli import main
from check_docs.config import ConfigError, load_config

PAGE = "# Home\n\n## Ünïcode Heading\n\n[same page](#{anchor})\n"


def _site(tmp_path: Path, config: str, anchor: str = "unicode-heading") -> Path:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text(PAGE.format(anchor=anchor), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    return tmp_path


def _run(capsys, site: Path, *args: str) -> tuple[int, str, str]:
    code = main(["-f", str(site / "mkdocs.yml"), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _error(tmp_path: Path, config: str) -> str:
    site = _site(tmp_path, config)
    with pytest.raises(ConfigError) as info:
        load_config(site / "mkdocs.yml")
    message = str(info.value)
    assert "\n" not in message
    return message.replace(str(site), "SITE")


# -- no code from configuration ---------------------------------------------------------

TOC = "site_name: x\nmarkdown_extensions:\n  - toc:\n      slugify: {}\n"


@pytest.fixture
def booby_trap(tmp_path, monkeypatch):
    """A module that leaves a mark when imported, importable by name from sys.path."""
    folder = tmp_path / "lib"
    folder.mkdir()
    mark = tmp_path / "imported"
    (folder / "booby_trap.py").write_text(
        f"from pathlib import Path\nPath({str(mark)!r}).write_text('x')\n"
        "def slugify(value, separator):\n    return 'trap'\n"
    )
    monkeypatch.syspath_prepend(str(folder))
    yield mark
    sys.modules.pop("booby_trap", None)


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/name:booby_trap.slugify",
        "!!python/object/apply:booby_trap.slugify {kwds: {value: a, separator: b}}",
        "!!python/object/new:booby_trap.slugify []",
        "!!python/module:booby_trap",
        "!!python/object:booby_trap.slugify {}",
    ],
)
def test_a_named_module_is_never_imported(capsys, tmp_path, booby_trap, tag):
    site = _site(tmp_path, TOC.format(tag) + f"extra:\n  also: {tag}\nnav:\n  - index.md\n")
    code, out, err = _run(capsys, site)
    assert not booby_trap.exists()
    assert "booby_trap" not in sys.modules
    # Default slugs: the accented heading's anchor is plain ASCII.
    assert (code, out) == (0, "No problems found in 1 page.\n")
    kind = tag.split(":")[0].split("/", 1)[1]
    assert err == (
        f"check_docs: warning: {site}/mkdocs.yml:4: markdown_extensions[0].toc.slugify: "
        f"!!python/{kind}:{tag.split(':', 1)[1].split(' ')[0]} is not a slug function "
        "check_docs knows (Python-Markdown's toc slugify and slugify_unicode, "
        "pymdown-extensions' slugs): it is not run, and anchors are checked with MkDocs' "
        "default slugs\n"
    )


def test_os_system_in_slugify_runs_nothing(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tag = '!!python/object/apply:os.system {kwds: {command: "touch pwned"}}'
    site = _site(tmp_path, TOC.format(tag))
    code, _out, err = _run(capsys, site)
    assert code == 0
    assert not (tmp_path / "pwned").exists()
    assert "!!python/object/apply:os.system is not a slug function" in err


@pytest.mark.parametrize(
    ("slugify", "anchor"),
    [
        ("!!python/name:markdown.extensions.toc.slugify", "unicode-heading"),
        ("!!python/name:markdown.extensions.toc.slugify_unicode", "ünïcode-heading"),
        ("!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}", "ünïcode-heading"),
        ("!!python/object/apply:pymdownx.slugs.slugify {}", "Ünïcode-Heading"),
        # NFD strips the accents; without `case` the capitals stay.
        (
            "!!python/object/apply:pymdownx.slugs.slugify {kwds: {normalize: NFD}}",
            "Unicode-Heading",
        ),
        ("!!python/name:pymdownx.slugs.gfm", "Ünïcode-heading"),
        ("!!python/name:pymdownx.slugs.uslugify", "ünïcode-heading"),
    ],
)
def test_known_slug_functions_run_as_our_own_code(capsys, tmp_path, slugify, anchor):
    site = _site(tmp_path, TOC.format(slugify), anchor=anchor)
    code, out, err = _run(capsys, site)
    assert (code, out, err) == (0, "No problems found in 1 page.\n", "")
    # ...and they matter: the default slug would not have found this anchor.
    if anchor != "unicode-heading":
        code, out, _err = _run(capsys, _site(tmp_path, "site_name: x\n", anchor=anchor))
        assert code == 1


@pytest.mark.parametrize(
    ("slugify", "message"),
    [
        (
            "!!python/object/apply:pymdownx.slugs.slugify [lower]",
            "pymdownx.slugs.slugify takes keyword options only (case, percent_encode, "
            "normalize), got positional arguments; MkDocs expects "
            "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}",
        ),
        (
            "!!python/name:pymdownx.slugs.slugify",
            "!!python/name:pymdownx.slugs.slugify makes a slug function and must be called "
            "with its options; MkDocs expects !!python/object/apply:pymdownx.slugs.slugify "
            "{kwds: {case: lower}}",
        ),
        (
            "!!python/object/apply:markdown.extensions.toc.slugify [a, b]",
            "!!python/object/apply:markdown.extensions.toc.slugify would call the slug "
            "function once, at load time; MkDocs expects it named: "
            "!!python/name:markdown.extensions.toc.slugify",
        ),
        (
            "!!python/object/apply:pymdownx.slugs.slugify {kwds: {normalize: NFX}}",
            "pymdownx.slugs.slugify normalize is 'NFX'; pymdown-extensions expects NFC, NFD, "
            "NFKC or NFKD",
        ),
        (
            "markdown.extensions.toc.slugify",
            "got a string; MkDocs expects a function reference such as "
            "!!python/name:markdown.extensions.toc.slugify_unicode or "
            "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}",
        ),
    ],
)
def test_slug_settings_mkdocs_would_fail_on(tmp_path, slugify, message):
    assert _error(tmp_path, TOC.format(slugify)) == (
        f"SITE/mkdocs.yml:4: markdown_extensions[0].toc.slugify: {message}"
    )


def test_a_separator_the_slug_function_cannot_use(tmp_path):
    config = "site_name: x\nmarkdown_extensions:\n  - toc:\n      separator: '\\'\n"
    config += "      slugify: !!python/object/apply:pymdownx.slugs.slugify {}\n"
    assert _error(tmp_path, config) == (
        "SITE/mkdocs.yml:5: markdown_extensions[0].toc.slugify: the slug function fails "
        "with separator '\\\\' (error: bad escape (end of pattern) at position 0); MkDocs "
        "expects a separator such as '-'"
    )


def test_percent_encoded_slugs(tmp_path):
    slugify = "!!python/object/apply:pymdownx.slugs.slugify {kwds: {percent_encode: true}}"
    site = _site(tmp_path, TOC.format(slugify))
    assert load_config(site / "mkdocs.yml").slugify("Ünï code", "-") == "%C3%9Cn%C3%AF-code"


def test_unknown_pymdown_option_is_a_warning(capsys, tmp_path):
    slugify = "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower, cas: x}}"
    code, _out, err = _run(capsys, _site(tmp_path, TOC.format(slugify), "ünïcode-heading"))
    assert code == 0
    assert err.endswith(
        "markdown_extensions[0].toc.slugify: pymdownx.slugs.slugify has no option 'cas' "
        "(pymdown-extensions ignores it; it knows case, percent_encode, normalize)\n"
    )


def test_tab_slugify_is_resolved_too(tmp_path):
    config = (
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.tabbed:\n      slugify: "
        "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n"
    )
    site = _site(tmp_path, config)
    tabbed = load_config(site / "mkdocs.yml").markdown_extensions["pymdownx.tabbed"]
    assert tabbed["slugify"]("Tab Ü", "-") == "tab-ü"


# -- INHERIT and !ENV -------------------------------------------------------------------


def test_inherit_merges_as_mkdocs_does(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "root.yml").write_text(
        "site_name: root\nuse_directory_urls: false\nextra:\n  a: 1\n  b: {c: 2, d: 3}\n"
        "markdown_extensions:\n  - toc:\n"
        "      slugify: !!python/name:markdown.extensions.toc.slugify_unicode\n"
    )
    (tmp_path / "base" / "middle.yml").write_text(
        "INHERIT: root.yml\nextra:\n  b: {d: 4}\n  list: [1, 2]\n"
    )
    site = _site(tmp_path, "INHERIT: base/middle.yml\nextra:\n  list: [3]\n")
    config = load_config(site / "mkdocs.yml")
    # Mappings merge deeply, everything else (lists too) is replaced by the child's.
    assert config.extra == {"a": 1, "b": {"c": 2, "d": 4}, "list": [3]}
    assert config.use_directory_urls is False
    assert config.slugify("Ünï", "-") == "ünï"


def test_an_error_in_a_parent_names_the_parent(tmp_path):
    (tmp_path / "base.yml").write_text("site_name: x\n\nuse_directory_urls: maybe\n")
    assert _error(tmp_path, "INHERIT: base.yml\n") == (
        "base.yml:3: use_directory_urls: got a string ('maybe'); MkDocs expects true or false"
    ).replace("base.yml", "SITE/base.yml")


def test_nav_from_a_parent_is_reported_in_the_parent(capsys, tmp_path):
    (tmp_path / "base.yml").write_text("site_name: x\nnav:\n  - Home: index.md\n  - gone.md\n")
    code, out, _err = _run(capsys, _site(tmp_path, "INHERIT: base.yml\n"))
    assert code == 1
    assert out.startswith("base.yml:4:5: nav-missing nav entry 'gone.md' is not a file in docs/")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"mkdocs.yml": "INHERIT: missing.yml\n"},
            "SITE/mkdocs.yml:1: INHERIT: 'missing.yml' does not exist (looked for "
            "SITE/missing.yml); MkDocs expects the path of a parent configuration file, "
            "relative to this one",
        ),
        (
            {"mkdocs.yml": "site_name: x\nINHERIT: a.yml\n", "a.yml": "INHERIT: b/c.yml\n",
             "b/c.yml": "INHERIT: ../mkdocs.yml\n"},
            "SITE/b/c.yml:1: INHERIT makes a cycle (SITE/mkdocs.yml -> SITE/a.yml -> "
            "SITE/b/c.yml -> SITE/mkdocs.yml); MkDocs expects parents that end",
        ),
        (
            {"mkdocs.yml": "INHERIT: [a.yml]\n"},
            "SITE/mkdocs.yml:1: INHERIT: MkDocs expects the path of a parent configuration "
            "file, relative to this one",
        ),
        (
            {"mkdocs.yml": "INHERIT: base.yml\n", "base.yml": "- a\n- list\n"},
            "SITE/base.yml:1: expected a mapping of settings (name: value), as MkDocs does",
        ),
    ],
)  # fmt: skip
def test_inherit_problems(tmp_path, files, message):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert _error(tmp_path, files["mkdocs.yml"]) == message


@pytest.mark.parametrize(
    ("value", "environ", "expected"),
    [
        ("!ENV SITE_URLS", {"SITE_URLS": "false"}, False),  # typed as YAML types it
        ("!ENV SITE_URLS", {}, True),  # unset, no default: null, so MkDocs' default
        ("!ENV [FIRST, SECOND, false]", {"SECOND": "true"}, True),
        ("!ENV [FIRST, SECOND, false]", {}, False),
    ],
)
def test_env_tag_as_mkdocs_reads_it(tmp_path, monkeypatch, value, environ, expected):
    for name in ("SITE_URLS", "FIRST", "SECOND"):
        monkeypatch.delenv(name, raising=False)
    for name, text in environ.items():
        monkeypatch.setenv(name, text)
    site = _site(tmp_path, f"site_name: x\nuse_directory_urls: {value}\n")
    assert load_config(site / "mkdocs.yml").use_directory_urls is expected


def test_env_default_keeps_its_type(tmp_path, monkeypatch):
    monkeypatch.delenv("NOPE", raising=False)
    assert _error(tmp_path, 'site_name: x\nuse_directory_urls: !ENV [NOPE, "false"]\n') == (
        "SITE/mkdocs.yml:2: use_directory_urls: got a string ('false'); MkDocs expects "
        "true or false"
    )


# -- malformed settings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("nav: {Home: index.md}\n", "mkdocs.yml:1: nav: got a mapping; MkDocs expects a list "
         "of pages and sections"),
        ("nav:\n  - index.md\n  - 3\n", "mkdocs.yml:3: nav[1]: got a number (3); MkDocs "
         "expects a page path or one 'Title: page' per nav item"),
        ("nav:\n  - Home:\n", "mkdocs.yml:2: nav[0].Home: got nothing (null); MkDocs expects "
         "a page path or a list of pages and sections"),
        ("validation:\n  links:\n    anchors: loud\n", "mkdocs.yml:3: validation.links.anchors: "
         "got a string ('loud'); MkDocs expects one of warn, info, ignore"),
        ("validation: {links: [warn]}\n", "mkdocs.yml:1: validation.links: got a list; MkDocs "
         "expects a mapping of settings"),
        ("validation:\n", "mkdocs.yml:1: validation: got nothing (null); MkDocs expects a "
         "mapping of settings"),
        ("use_directory_urls: 'yes'\n", "mkdocs.yml:1: use_directory_urls: got a string "
         "('yes'); MkDocs expects true or false"),
        ("docs_dir: [docs]\n", "mkdocs.yml:1: docs_dir: got a list; MkDocs expects the path "
         "of the folder of pages"),
        ("docs_dir: .\n", "mkdocs.yml:1: docs_dir: is the folder of mkdocs.yml itself; MkDocs "
         "expects a folder beside it"),
        ("exclude_docs: [drafts/]\n", "mkdocs.yml:1: exclude_docs: got a list; MkDocs expects "
         "a block of gitignore-style lines (a string)"),
        ("extra: 3\n", "mkdocs.yml:1: extra: got a number (3); MkDocs expects a mapping of "
         "names to values"),
        ("markdown_extensions:\n  - toc: 3\n", "mkdocs.yml:2: markdown_extensions[0].toc: got "
         "a number (3); MkDocs expects the Markdown extension's options as a mapping"),
        ("markdown_extensions:\n  - [toc]\n", "mkdocs.yml:2: markdown_extensions[0]: got a "
         "list; MkDocs expects a Markdown extension name or 'name: {options}'"),
        ("markdown_extensions:\n  - toc:\n      separator: 3\n", "mkdocs.yml:3: "
         "markdown_extensions[0].toc.separator: got a number (3); MkDocs expects a string "
         "such as '-'"),
        ("plugins: search\n", "mkdocs.yml:1: plugins: got a string ('search'); MkDocs expects "
         "a list of plugin names, each perhaps 'name: {options}'"),
        ("site_name: !include x.yml\n", "mkdocs.yml:1: invalid YAML: unknown YAML tag "
         "'!include'; MkDocs reads the standard YAML tags, !ENV, !relative and !!python/... tags"),
        ("site_name: [unclosed\n", "mkdocs.yml:2: invalid YAML: while parsing a flow sequence: "
         "did not find expected ',' or ']'"),
        ("nav: &a [*a]\n", "mkdocs.yml:1: a recursive alias: this value contains itself; MkDocs "
         "expects values that end (an alias may only repeat a value defined before it, "
         "outside it)"),
        ("date: 2024-02-30\n", "mkdocs.yml:1: invalid YAML: cannot read this value (day is out "
         "of range for month); MkDocs cannot read it either"),
        ("extra:\n  x: !relative $site\n", "mkdocs.yml:2: invalid YAML: !relative has unknown "
         "prefix '$site'; MkDocs expects $config_dir or $docs_dir"),
        ("- a list\n", "mkdocs.yml:1: expected a mapping of settings (name: value), as MkDocs "
         "does"),
        ("hooks: true\n", "mkdocs.yml:1: hooks: got true; MkDocs expects a list of paths of "
         "Python files"),
        ("hooks: [[a.py]]\n", "mkdocs.yml:1: hooks[0]: got a list; MkDocs expects the path of "
         "a Python file"),
        ("watch: src\n", "mkdocs.yml:1: watch: got a string ('src'); MkDocs expects a list of "
         "paths of files or folders"),
        ("theme: [material]\n", "mkdocs.yml:1: theme: got a list; MkDocs expects a theme name "
         "or a mapping with 'name'"),
        ("theme:\n  custom_dir: overrides\n", "mkdocs.yml:1: theme.name: got nothing (null); "
         "MkDocs expects a theme name"),
        ("theme:\n  name: mkdocs\n  custom_dir: 3\n", "mkdocs.yml:3: theme.custom_dir: got a "
         "number (3); MkDocs expects the path of a folder"),
        ("site_url: 3\n", "mkdocs.yml:1: site_url: got a number (3); MkDocs expects a URL such "
         "as 'https://example.org/docs/'"),
        ("site_url: http://[\n", "mkdocs.yml:1: site_url: got a string ('http://['); MkDocs "
         "expects a URL such as 'https://example.org/docs/'"),
    ],
)  # fmt: skip
def test_malformed_settings(tmp_path, config, message):
    assert _error(tmp_path, config) == f"SITE/{message}"


def test_huge_number_and_billion_laughs(tmp_path):
    assert _error(tmp_path, "use_directory_urls: " + "9" * 5000 + "\n") == (
        "SITE/mkdocs.yml:1: invalid YAML: cannot read this value (Exceeds the limit (4300 "
        "digits) for integer string conversion: value has 5000 digits); MkDocs cannot read "
        "it either"
    )
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        prev, name = chr(96 + n), chr(97 + n)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    assert _error(tmp_path, "\n".join(levels) + "\nnav: [*i]\n") == (
        # The first value that grows past the bound: 1 + 10 * 111,111 values.
        "SITE/mkdocs.yml:6: its aliases expand to more than 1,000,000 values (a 'billion "
        "laughs' document); MkDocs expects data, not a bomb"
    )


def test_values_nested_too_deep(tmp_path):
    config = "extra:\n" + "".join("  " * (n + 1) + f"k{n}:\n" for n in range(120))
    assert _error(tmp_path, config).startswith(
        "SITE/mkdocs.yml:100: values nested more than 100 levels deep"
    )


def test_configuration_that_is_a_fifo_is_refused(tmp_path):
    import os

    (tmp_path / "docs").mkdir()
    os.mkfifo(tmp_path / "mkdocs.yml")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "mkdocs.yml")
    assert str(info.value) == (
        f"{tmp_path}/mkdocs.yml: not a regular file (a FIFO (named pipe)): not read"
    )


def test_utf16_configuration_with_bom_is_read_like_mkdocs(tmp_path):
    site = _site(tmp_path, "")
    (site / "mkdocs.yml").write_bytes("site_name: x\nuse_directory_urls: false\n".encode("utf-16"))
    assert load_config(site / "mkdocs.yml").use_directory_urls is False


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("external_timeout = -1\n", "pyproject.toml:3: [tool.check_docs] external_timeout: got "
         "a number (-1); it must be a number of seconds above 0"),
        ("jobs = 2.5\n", "pyproject.toml:3: [tool.check_docs] jobs: got a number (2.5); it "
         "must be a whole number, 0 or more (0: one per core)"),
        ("external_accept = '200..=abc'\n", "pyproject.toml:3: [tool.check_docs] "
         "external_accept: '200..=abc' is not a status code or a range; write e.g. 403, "
         "200..=299 or 200..300"),
        ("cache_ttl = nan\n", "pyproject.toml:3: [tool.check_docs] cache_ttl: got a number "
         "(nan); it must be a number of seconds, 0 or more"),
    ],
)  # fmt: skip
def test_malformed_pyproject_settings(tmp_path, table, message):
    site = _site(tmp_path, "site_name: x\n")
    (site / "pyproject.toml").write_text(f"[project]\n[tool.check_docs]\n{table}")
    with pytest.raises(ConfigError) as info:
        load_config(site / "mkdocs.yml")
    assert str(info.value) == message


def test_normal_path_is_normpath():
    """The nav's fast normalisation agrees with posixpath.normpath on every path of
    up to six characters made of 'a', '.' and '/'."""
    import itertools
    import posixpath

    from check_docs.config import normal_path

    for length in range(7):
        for letters in itertools.product("a./", repeat=length):
            path = "".join(letters)
            assert normal_path(path) == posixpath.normpath(path), path
