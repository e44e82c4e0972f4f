"""check_docs.blog predicts where Material's blog plugin publishes each post, so raw
HTML in a post is judged from the address readers get. Checked against a real build of
Material's blog with the options the prediction follows."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from check_docs.blog import post_urls
from tests.conftest import mkdocs_build

POSTS = {
    # front matter, first heading
    "first.md": ("date: 2026-01-15\ncategories: [Release Notes, Other]", "A new layout"),
    "second.md": ("date:\n  created: 2025-12-31\nslug: custom-slug", "Ignored for the slug"),
    "nested/third.md": ('date: 2026-02-01\ntitle: "Front matter: title"', "Heading {#id}"),
}


def write_blog(root: Path, options: str) -> None:
    config = "site_name: Blog\ntheme: {name: material}\nplugins:\n  - blog:\n"
    (root / "mkdocs.yml").write_text(
        config + textwrap.indent(options, "      ") + "\n", encoding="utf-8"
    )
    docs = root / "docs"
    (docs / "blog" / "posts" / "nested").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    for name, (meta, heading) in POSTS.items():
        text = f"---\n{meta}\n---\n\n# {heading}\n\nText.\n"
        (docs / "blog" / "posts" / name).write_text(text, encoding="utf-8")


OPTIONS = {
    "defaults": "enabled: true",
    "categories and months": 'post_url_format: "{categories}/{date}/{slug}"\n'
    'post_url_date_format: "yyyy/MM"\npost_slugify_separator: "_"',
    "file names": 'post_url_format: "posts/{file}"',
}


@pytest.mark.parametrize("options", sorted(OPTIONS))
def test_posts_are_where_the_blog_plugin_writes_them(options, tmp_path):
    write_blog(tmp_path, OPTIONS[options])
    done = mkdocs_build(tmp_path, "-q", "-d", str(tmp_path / "site"), strict=False)
    assert done.returncode == 0, done.stderr
    import yaml

    plugins = {"blog": yaml.safe_load(OPTIONS[options])}
    pages = [f"blog/posts/{name}" for name in POSTS]
    predicted = post_urls(plugins, pages, tmp_path / "docs", True)
    assert sorted(predicted) == sorted(pages)
    built = {
        p.parent.relative_to(tmp_path / "site").as_posix() + "/"
        for p in (tmp_path / "site").rglob("index.html")
        if "Text." in p.read_text(encoding="utf-8") and p.parent.name not in ("blog", "site")
    }
    assert set(predicted.values()) <= built, built


def test_an_address_it_cannot_predict_is_left_to_the_build(tmp_path):
    write_blog(tmp_path, "")
    docs, pages = tmp_path / "docs", [f"blog/posts/{name}" for name in POSTS]
    assert post_urls({"blog": {"post_url_date_format": "MMMM yyyy"}}, pages, docs, True) == {}
    assert post_urls({"blog": {"post_url_format": "{nope}"}}, pages, docs, True) == {}
    assert post_urls({"blog": {"enabled": False}}, pages, docs, True) == {}
    assert post_urls({"search": {}}, pages, docs, True) == {}
