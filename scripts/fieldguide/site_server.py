"""Serve a built site on 127.0.0.1 the way GitHub Pages does.

Used by the browser tests and the audit script: files are served under the
path of ``site_url`` (``/field-guide/``), and a missing address answers 404
with the site's own 404.html.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class _PagesHandler(SimpleHTTPRequestHandler):
    prefix = "/"

    def __init__(self, *args: Any, directory: str, prefix: str, **kwargs: Any) -> None:
        self.prefix = prefix
        super().__init__(*args, directory=directory, **kwargs)

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
def serve_site(site_dir: Path, site_url: str | None) -> Iterator[Served]:
    """Serve ``site_dir`` on a free port of 127.0.0.1 until the block ends."""
    prefix = site_prefix(site_url)
    handler = functools.partial(_PagesHandler, directory=str(site_dir), prefix=prefix)
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
