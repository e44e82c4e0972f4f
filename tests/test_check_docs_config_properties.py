"""Property tests of reading mkdocs.yml (hypothesis).

1. Hostile configurations of MkDocs' schema shape — wrong types, recursive aliases,
   alias bombs, unknown and Python tags, huge values, broken INHERIT — give a clean run
   or one line naming file:line (exit 2): never a traceback, never a command run, never
   more than a few seconds.
2. On the settings the checker reads, it refuses exactly what MkDocs' own validation
   (its config option classes) refuses: "what MkDocs expects" is MkDocs' rule.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import threading
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import base
from mkdocs.config.defaults import MkDocsConfig

from check_docs.cli import main
from check_docs.config import ConfigError, load_config

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SECONDS = 10  # per run, on a busy 2-core machine; a hang or an explosion takes far longer

# -- 1. hostile YAML text ---------------------------------------------------------------

NAMES = [
    "index.md", "docs", "warn", "info", "relative_to_docs", "toc", "-", "x.md", "/", "..",
    "../..", "/dev/zero", "hooks/deep.py", "mkdocs", "material", "blog", "http://[",
]  # fmt: skip
SCALARS = [
    "null", "true", "false", "3", "-1", "0.5", ".nan", ".inf", "''", "'index.md'",
    "9" * 5000,  # int() refuses it
    "'" + "x" * 200_000 + "'",  # a huge string
    "2024-02-30",  # a date that does not exist
    "!foo x", "!!binary aGk=", "!!set {a, b}", "!!omap [a: 1]",
    "!ENV NOPE_NOT_SET", "!ENV [NOPE_NOT_SET, 3]", "!ENV {a: b}",
    "!relative", "!relative $config_dir", "!relative $bad", "!relative x",
    "!!python/name:markdown.extensions.toc.slugify_unicode",
    "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}",
    "!!python/object/apply:pymdownx.slugs.slugify [lower]",
    "!!python/object/apply:pymdownx.slugs.slugify {kwds: {normalize: 3}}",
    "!!python/object/apply:pymdownx.slugs.slugify {kwds: [1]}",
    "!!python/tuple [1, 2]", "!!python/str x", "!!python/none ''",
    "!!python/object/apply:os.system [echo]",
]  # fmt: skip
# Aliases that make the document a graph: values containing themselves, and bombs
# ({n} makes each anchor name unique in its document).
ALIASES = [
    "&loop{n} [*loop{n}]", "&self{n} {{a: *self{n}}}", "&nav{n} [{{Home: *nav{n}}}]",
    "*bomb", "*mapbomb", "*undefined",
]  # fmt: skip
KEYS = [
    "nav", "docs_dir", "use_directory_urls", "validation", "markdown_extensions",
    "extra", "exclude_docs", "not_in_nav", "plugins", "links", "anchors",
    "absolute_links", "toc", "slugify", "separator", "pymdownx.tabbed", "Home",
    "pymdownx.snippets", "base_path", "blog", "blog_dir", "name", "custom_dir",
]  # fmt: skip
# Top-level settings that the checker reads (or MkDocs has), hostile values and all.
TOP = [*KEYS[:9], "INHERIT", "site_name", "theme", "hooks", "watch", "site_url"]
# Eight levels of ten: 10**8 values once expanded, a few hundred bytes written; in lists,
# and in mappings (a nav section may be a mapping, which MkDocs reads on).
BOMB = (
    "".join(
        f"b{n}: &b{n} [" + ", ".join([f"*b{n - 1}" if n else "x"] * 10) + "]\n"
        f"m{n}: &m{n} {{"
        + ", ".join(f"k{k}: " + (f"*m{n - 1}" if n else "x.md") for k in range(10))
        + "}\n"
        for n in range(8)
    )
    + "bombs: &bomb [*b7, *b7]\nmapbombs: &mapbomb {Home: *m7}\n"
)
# A configuration that checks cleanly; each document breaks a few of its settings.
VALID = {
    "site_name": "x",
    "docs_dir": "docs",
    "nav": ["index.md", {"Guide": ["index.md"]}],
    "markdown_extensions": ["toc", {"pymdownx.tabbed": {"alternate_style": "true"}}],
    "validation": {"links": {"anchors": "warn"}},
    "extra": {"a": "b"},
}


def _flow(value: object, counter: list[int]) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v, counter) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v, counter)}" for k, v in value.items()) + "}"
    counter[0] += 1
    return str(value).format(n=counter[0]) if "{n}" in str(value) else str(value)


scalars = st.one_of(
    st.sampled_from(SCALARS),
    st.sampled_from(ALIASES),
    st.sampled_from(NAMES),
    st.text(st.characters(categories=["L", "N", "P", "Zs"]), max_size=8).map(
        lambda text: json.dumps(text, ensure_ascii=False)
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=3),
    ),
    max_leaves=12,
)
titled = st.builds(lambda title, value: {title: value}, st.sampled_from(["Home", "Guide"]), values)
# nav's own shape, where MkDocs (and a careless reader) walks deepest.
nav_values = st.lists(st.one_of(scalars, titled), min_size=1, max_size=3)
INHERIT = ["base.yml", "mkdocs.yml", "missing.yml", "[base.yml]", "3", "''"]


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A valid configuration with one to three settings replaced by hostile values."""
    top: dict[str, object] = dict(VALID)
    for key in draw(st.lists(st.sampled_from(TOP), min_size=1, max_size=3, unique=True)):
        if key == "INHERIT":
            top[key] = draw(st.sampled_from(INHERIT))
        elif key == "nav":
            top[key] = draw(st.one_of(nav_values, values))
        else:
            top[key] = draw(values)
    counter = [0]
    lines = [f"{key}: {_flow(value, counter)}" for key, value in top.items()]
    text = "\n".join(lines) + "\n"
    return (BOMB if "bomb" in text else "") + text


def _project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(
        '# Home\n\n## Ünïcode\n\n[x](#unicode)\n\n--8<-- "/dev/zero"\n--8<-- "index.md"\n'
    )
    (root / "base.yml").write_text("site_name: base\nnav:\n  - index.md\nINHERIT: mkdocs.yml\n")
    (root / "hooks").mkdir()
    (root / "hooks" / "deep.py").write_text("x = " + "-" * 100_000 + "1\n")  # exhausts ast.parse
    return root


@SETTINGS
@given(text=documents())
def test_hostile_configuration_is_refused_in_one_line_or_checked(tmp_path_factory, text):
    root = _project(tmp_path_factory)
    sentinel = root / "ran"
    text = text.replace("[echo]", f"['touch {sentinel}']")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    codes: list[int] = []

    def run() -> None:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            codes.append(main(["-f", str(root / "mkdocs.yml"), "--format", "json"]))

    # In a thread, so that an endless walk fails the test instead of hanging the run.
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(SECONDS)
    assert not thread.is_alive(), f"still running after {SECONDS} s"
    assert codes, "main() raised"
    code = codes[0]
    assert not sentinel.exists()
    errors = err.getvalue()
    if code == 2:
        assert out.getvalue() == ""
        assert re.fullmatch(r"check_docs: error: \S+\.yml:\d+: [^\n]+\n", errors), errors
    else:
        assert code in (0, 1)
        json.loads(out.getvalue())  # a whole report
        notes = ("check_docs: warning: ", "check_docs: note: ")
        assert all(line.startswith(notes) for line in errors.splitlines()), errors


@SETTINGS
@given(command=st.sampled_from(["os.system", "subprocess.call", "builtins.exec"]))
def test_python_tags_anywhere_never_run(tmp_path_factory, command):
    root = _project(tmp_path_factory)
    sentinel = root / "ran"
    tag = f"!!python/object/apply:{command} ['touch {sentinel}']"
    (root / "mkdocs.yml").write_text(
        f"site_name: {tag}\nextra:\n  a: {tag}\nmarkdown_extensions:\n  - toc:\n"
        f"      slugify: {tag}\n  - pymdownx.tabbed:\n      slugify: {tag}\n"
    )
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["-f", str(root / "mkdocs.yml")])
    assert code in (0, 1)
    assert not sentinel.exists()


# -- 2. the same verdict as MkDocs' own validation --------------------------------------

# The settings check_docs reads that MkDocs can validate without importing anything.
MKDOCS_KEYS = ("nav", "docs_dir", "use_directory_urls", "exclude_docs", "not_in_nav",
               "extra", "validation", "markdown_extensions")  # fmt: skip
LEVEL = st.sampled_from(["warn", "info", "ignore", "relative_to_docs", "loud", 3, None, []])
junk = st.sampled_from([None, 3, True, "text", [], {}, ["x"], {"a": "b"}])
nav_leaf = st.one_of(st.sampled_from(["index.md", "a/b.md", "https://x.org/"]), junk)
nav = st.recursive(
    nav_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["Home", "Guide", "About"]), inner, max_size=2),
    ),
    max_leaves=8,
)
validation_group = st.dictionaries(
    st.sampled_from(["not_found", "absolute_links", "anchors", "omitted_files", "other"]),
    LEVEL,
    max_size=3,
)
validation = st.one_of(
    junk,
    st.dictionaries(
        st.sampled_from(["links", "nav", "anchors", "not_found", "absolute_links"]),
        st.one_of(validation_group, LEVEL),
        max_size=3,
    ),
)
# An option goes only to the extension that has it: MkDocs refuses an unknown one by
# importing the extension, which check_docs never does (as with unknown names).
extension = st.one_of(
    st.sampled_from(["toc", "tables", "admonition", 3, None, ["toc"]]),
    st.fixed_dictionaries(
        {},
        optional={
            "toc": st.sampled_from([None, {}, 3, "x", ["a"], {"permalink": True}]),
            "tables": st.sampled_from([None, {}, 3, "x", ["a"]]),
        },
    ).filter(bool),
)
schema = st.fixed_dictionaries(
    {},
    optional={
        "nav": nav,
        "docs_dir": st.sampled_from(["docs", "docs/", ".", "", "missing", 3, None, ["docs"]]),
        "use_directory_urls": st.one_of(st.booleans(), junk),
        "exclude_docs": st.sampled_from(["drafts/\n*.tmp\n", "", None, ["a"], 3]),
        "not_in_nav": st.sampled_from(["/private/\n", None, {"a": "b"}]),
        "extra": st.one_of(junk, st.dictionaries(st.sampled_from(["a", "b"]), junk)),
        "validation": validation,
        # (Not a list of unknown names: MkDocs refuses what it cannot import, which
        # check_docs never tries.)
        "markdown_extensions": st.one_of(
            st.sampled_from([None, 3, True, "text", [], {}, {"a": "b"}]),
            st.lists(extension, max_size=3),
        ),
    },
)


def _mkdocs_refuses(data: dict[str, object], config_file: Path) -> bool:
    options = [(key, option) for key, option in MkDocsConfig._schema if key in MKDOCS_KEYS]
    config = base.LegacyConfig(options, config_file_path=str(config_file))
    config.load_dict(json.loads(json.dumps(data)))  # MkDocs may change what it validates
    failed, _warnings = config.validate()
    return bool(failed)


@SETTINGS
@given(data=schema)
def test_refuses_exactly_what_mkdocs_refuses(tmp_path_factory, data):
    root = _project(tmp_path_factory)
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump({"site_name": "x", **data}), encoding="utf-8")
    try:
        load_config(config_file)
    except ConfigError as exc:
        message = str(exc)
        assert "\n" not in message and "MkDocs expects" in message, message
        refused = True
    else:
        refused = False
    assert refused == _mkdocs_refuses(data, config_file), data
