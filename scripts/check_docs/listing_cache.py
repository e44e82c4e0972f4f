"""docs_dir's listing as the last run walked it: a re-run lists again only the folders
that changed, and predicts the site again only when the files did.

A folder's modification time changes whenever an entry is added to it, removed or
renamed (an editor that saves by writing a new file and renaming it over the page
changes it too), and its change time when its permissions do; editing a page in place
changes neither. So a folder whose stamp (``files.folder_stamp``) holds has the entries
it had, and the walk takes them as they are, without listing it or matching its entries
against the exclude patterns (``files.walk``). When the files are then the same, so is
the site predicted from them. Kept in ``<cache_dir>/listing.pickle`` under a key of the
checker's code and the whole configuration (docs_dir, exclude_docs, use_directory_urls,
site_url).

Not kept, so listed each run: a folder holding a symlink (its target can change where
no stamp under docs_dir shows it) or anything the walk reported (special files), and a
folder changed in the last two seconds (its next change might keep its stamp on a file
system with coarse timestamps, as git treats racily clean files). Plain data only, read
with the page cache's safe loader; a damaged or foreign file is ignored (every folder is
listed) and written again.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from check_docs import cache, files
from check_docs.config_cache import SETTLED_NS
from check_docs.site import Site

FORMAT = "check_docs listing cache 1"
FILE = "listing.pickle"


@dataclass
class Kept:
    """What the last run kept (nothing when there is no usable file)."""

    folders: dict[str, files.Folder] = field(default_factory=dict)
    files: list[str] | None = None
    site: Site | None = None


def read(folder: Path, key: str) -> Kept:
    path = folder / FILE
    if not path.is_file():
        return Kept()
    try:
        data = cache.load_plain(path)
        if not isinstance(data, dict) or data.get("format") != FORMAT or data["key"] != key:
            return Kept()
        site = Site(data["use_directory_urls"], dict(data["outputs"]), dict(data["urls"]))
        site.base_path = data["base_path"]
        folders = {
            str(name): (tuple(stamp), tuple(names), tuple(subfolders))
            for name, (stamp, names, subfolders) in data["folders"].items()
        }
        return Kept(folders, list(data["files"]), site)
    except (cache.CacheError, files.FileProblem, AttributeError, KeyError, TypeError, ValueError):
        return Kept()


def write(folder: Path, key: str, kept: Kept, listing: files.Listing, site: Site) -> None:
    """Keep the settled folders of ``listing`` and the site predicted from its files,
    unless that is what is kept already."""
    now = time.time_ns()
    folders = {
        name: known for name, known in listing.folders.items() if now - known[0][0] >= SETTLED_NS
    }
    if folders == kept.folders and listing.files == kept.files:
        return
    data = {
        "format": FORMAT,
        "key": key,
        "folders": folders,
        "files": listing.files,
        "use_directory_urls": site.use_directory_urls,
        "outputs": site.outputs,
        "urls": site.urls,
        "base_path": site.base_path,
    }
    # A folder that cannot be written: every folder is listed each time, as without it.
    with contextlib.suppress(OSError):
        cache.dump_plain(folder / FILE, data)
