"""Serve a built site on 127.0.0.1 the way GitHub Pages does.

Used by the browser tests and the audit script: files are served under the
path of ``site_url`` (``/field-guide/``), and a missing address answers 404
with the site's own 404.html. With ``compress=True`` text files are sent
gzip-compressed, as GitHub Pages sends them, so that Lighthouse measures the
bytes a reader really downloads.
"""

from __future__ import annotations

import functools
import gzip
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# What GitHub Pages compresses: text, not images or fonts that are compressed already.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml")


class _PagesHandler(SimpleHTTPRequestHandler):
    prefix = "/"

    def __init__(
        self, *args: Any, directory: str, prefix: str, compress: bool = False, **kwargs: Any
    ) -> None:
        self.prefix = prefix
        self.compress = compress
        super().__init__(*args, directory=directory, **kwargs)

    def send_head(self) -> Any:
        if not self.compress or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not path.is_file() or not (ctype.startswith(COMPRESSIBLE) or ctype == "image/svg+xml"):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        if not clean.startswith(self.prefix):
            # Outside the project path: map to a name that cannot exist.
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + clean[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test and audit output readable


@dataclass(frozen=True)
class Served:
    root_url: str  # e.g. http://127.0.0.1:41234/field-guide/
    host: str
    port: int


def site_prefix(site_url: str | None) -> str:
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


@contextmanager
def serve_site(site_dir: Path, site_url: str | None, *, compress: bool = False) -> Iterator[Served]:
    """Serve ``site_dir`` on a free port of 127.0.0.1 until the block ends."""
    prefix = site_prefix(site_url)
    handler = functools.partial(
        _PagesHandler, directory=str(site_dir), prefix=prefix, compress=compress
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield Served(f"http://{host}:{port}{prefix}", str(host), int(port))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def built_pages(site: Path) -> list[str]:
    """Every page of a built site as a path relative to the site root ('' for home)."""
    pages = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        if rel.startswith("assets"):
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages
