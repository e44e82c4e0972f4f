"""Where MkDocs writes a page: check_docs.site's string arithmetic gives what
posixpath gives (the reading it replaced for speed) on any docs-relative path; and
where a Markdown link leads from a page's folder (check_docs.links' memoised join)."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from check_docs.links import _joined
from check_docs.site import PAGE_SUFFIXES, Site, dest_of, drop_conflicts

PART = st.text(alphabet="aR.-_ E", min_size=1, max_size=6).filter(lambda p: p not in (".", ".."))
NAME = st.one_of(st.sampled_from(["README", "index", ".", "..", "a.b", ".hidden"]), PART)
PATH = st.builds(
    lambda folders, name, suffix: "/".join([*folders, name + suffix]),
    st.lists(PART, max_size=3),
    NAME,
    st.sampled_from([*PAGE_SUFFIXES, ".MD", ".png", ""]),
)


def _dest_by_posixpath(src: str, use_directory_urls: bool) -> str:
    if not src.lower().endswith(PAGE_SUFFIXES):
        return src
    parent, filename = posixpath.split(src)
    stem = posixpath.splitext(filename)[0]
    name = "index" if stem == "README" else stem
    if not use_directory_urls or name == "index":
        return posixpath.join(parent, name + ".html")
    return posixpath.join(parent, name, "index.html")


@given(src=PATH, use_directory_urls=st.booleans())
def test_dest_of_agrees_with_posixpath(src, use_directory_urls):
    assert dest_of(src, use_directory_urls) == _dest_by_posixpath(src, use_directory_urls)


SEGMENT = st.sampled_from(["", ".", "..", "a", "b.md", "...", "x y"])
FOLDER = st.sampled_from(["", "a", "a/b", "..", "../a", "c/d/e"])


@given(folder=FOLDER, segments=st.lists(SEGMENT, min_size=1, max_size=5))
def test_a_link_read_from_a_folder_is_normalised_as_posixpath_does(folder, segments):
    path = "/".join(segments)
    if path.startswith("/"):
        return  # (an absolute path is read from the docs folder, not joined)
    want = posixpath.normpath(f"{folder}/{path}" if folder else path)
    # Twice: the second answer comes from the memo of the folder part.
    assert _joined(folder, path) == want
    assert _joined(folder, path) == want


def test_a_readme_beside_an_index_is_dropped_and_only_then():
    pages = ["a/README.md", "a/index.md", "b/README.md", "README.md", "c/READMEs.md"]
    assert drop_conflicts(pages) == ["a/index.md", "b/README.md", "README.md", "c/READMEs.md"]


def test_more_dot_segments_than_folders_stop_at_the_root_the_site_is_served_at():
    files = ["index.md", "styles/grid/index.md", "css/integer.md"]
    at_root = Site.predicted(files, True)
    page = "styles/grid/index.md"  # at styles/grid/: two folders, three '../'
    assert at_root.resolve(page, "../../../css/integer/") == ("css/integer/index.html", "")
    assert at_root.resolve(page, "../../../../") == ("index.html", "")
    assert at_root.resolve(page, "../../../css/number/") == (None, "")
    assert at_root.resolve(page, "../../../css/integer/", clamp=False) == (None, "")
    # Served under /guide/ on its host: the address leaves the site, nothing to judge.
    below = Site.predicted(files, True, site_url="https://example.org/guide/")
    assert below.resolve(page, "../../../css/integer/") is None
    assert below.resolve(page, "../../css/integer/") == ("css/integer/index.html", "")
