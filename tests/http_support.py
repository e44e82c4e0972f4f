"""Local HTTP servers for the external-link tests: on 127.0.0.1 only, stopped on exit."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A valid answer, long enough that dripping it takes about 90 s.
DRIP_ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Padding: " + b"x" * 40 + b"\r\n\r\n"
DRIP_SECONDS = 1.5


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class HostileHandler(QuietHandler):
    """/drip: a valid answer, one byte every 1.5 s (every read gets a byte in time, so
    only a deadline on the whole request ends it); /a and /b: redirects to each other.
    Records the paths asked and how long each /drip lasted until the client hung up."""

    def setup(self) -> None:
        super().setup()
        self.record = self.server.record  # type: ignore[attr-defined]

    def do_HEAD(self) -> None:
        with self.record.lock:
            self.record.hits[self.path] = self.record.hits.get(self.path, 0) + 1
        if self.path in ("/a", "/b"):
            self.send_response(301)
            self.send_header("Location", "/b" if self.path == "/a" else "/a")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        started = time.monotonic()
        with contextlib.suppress(OSError):  # the client hangs up, as it should
            for byte in DRIP_ANSWER:  # bounded: about 90 s at most
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(DRIP_SECONDS)
        with self.record.lock:
            self.record.dripped.append(time.monotonic() - started)
        self.close_connection = True

    do_GET = do_HEAD


class Record:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.dripped: list[float] = []

    def wait_for_drips(self, count: int, seconds: float = 10) -> list[float]:
        """The /drip durations once ``count`` are known (a hung-up client is noticed at
        the server's next byte); bounded wait."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.dripped) >= count:
                    return list(self.dripped)
            time.sleep(0.05)
        return list(self.dripped)


@contextlib.contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[tuple[str, Record]]:
    """Serve ``handler`` on 127.0.0.1; yield its base URL and what it recorded."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    httpd.record = Record()  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.record  # type: ignore[attr-defined]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
