"""check_docs --external against a real HTTP server on 127.0.0.1 (never the internet):
200, 301, 404, 429-then-200, persistent 429, 403, 405-to-HEAD, 500 and a slow answer;
the disk cache, the concurrency bound and URL patterns to skip."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.check_docs_support import copy_fixture, run_cli


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.active = 0
        self.max_active = 0


class _Handler(BaseHTTPRequestHandler):
    state: _State

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, body: bool) -> None:
        state = self.state
        with state.lock:
            state.hits[self.path] += 1
            hits = state.hits[self.path]
            state.active += 1
            state.max_active = max(state.max_active, state.active)
        try:
            code, headers = self._route(hits)
        finally:
            # Counted out before a byte is answered: once the client has its answer
            # it may start the next request, which must not meet this one still counted.
            with state.lock:
                state.active -= 1
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def _route(self, hits: int) -> tuple[int, dict[str, str]]:
        path = self.path
        if path == "/ok" or path.startswith("/page"):
            if path.startswith("/page"):
                time.sleep(0.3)  # long enough for requests to overlap
            return 200, {}
        if path == "/moved":
            return 301, {"Location": "/ok"}
        if path == "/gone":
            return 404, {}
        if path == "/busy":  # 429 once, then fine
            return (429, {"Retry-After": "0"}) if hits <= 1 else (200, {})
        if path == "/always-busy":
            return 429, {"Retry-After": "0"}
        if path == "/forbidden":
            return 403, {}
        if path == "/no-head":
            return (405, {}) if self.command == "HEAD" else (200, {})
        if path == "/error":
            return 500, {}
        if path == "/slow":
            time.sleep(3.0)
            return 200, {}
        return 404, {}

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)


@pytest.fixture
def server() -> Iterator[tuple[str, _State]]:
    state = _State()
    handler = type("Handler", (_Handler,), {"state": state})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


SETTINGS = """[tool.check_docs]
external_request_timeout = 1.0
external_retries = 1
external_concurrency = 4
"""

PATHS = ["ok", "moved", "gone", "busy", "always-busy", "forbidden", "no-head", "error", "slow"]


def _project(tmp_path: Path, base: str, paths: list[str], settings: str = SETTINGS) -> Path:
    project = copy_fixture("check_docs_small", tmp_path)
    lines = [f"- [{p}]({base}/{p}#part)" for p in paths]
    (project / "docs" / "other.md").write_text(
        "# Other\n\nBack [home](index.md).\n\n## Details\n\n" + "\n".join(lines) + "\n"
    )
    (project / "docs" / "index.md").write_text("# Home\n\n[Other](other.md)\n")
    (project / "docs" / "lonely.md").unlink()
    (project / "pyproject.toml").write_text(settings)
    return project


def test_each_kind_of_answer(capsys, tmp_path, server):
    base, state = server
    project = _project(tmp_path, base, PATHS)
    run = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--external", "--format", "json")
    found = {
        d["message"].split("'")[1].rsplit("/", 1)[1].split("#")[0]: (d["severity"], d["message"])
        for d in run.json()
    }
    assert set(found) == {"moved", "gone", "always-busy", "forbidden", "error", "slow"}
    assert found["moved"][0] == "warning"
    assert found["moved"][1].endswith(f"redirects (301) to {base}/ok")
    assert found["gone"] == ("error", f"'{base}/gone#part' is broken: answers 404")
    assert found["always-busy"][0] == "warning" and "unverifiable" in found["always-busy"][1]
    assert found["forbidden"][0] == "warning" and "unverifiable" in found["forbidden"][1]
    assert found["error"] == ("error", f"'{base}/error#part' is broken: server error 500")
    assert found["slow"][0] == "error" and "no answer within 1 s" in found["slow"][1]
    assert run.code == 1
    # The 429-then-200 URL was asked twice; HEAD-refusing URLs were asked with GET.
    assert state.hits["/busy"] == 2
    assert state.hits["/no-head"] == 2
    assert state.hits["/ok"] >= 1
    suggestion = [d["suggestion"] for d in run.json() if "moved" in d["message"]]
    assert suggestion == [f"{base}/ok"]
    assert run.err == ""  # no progress bar when stderr is not a terminal


def test_without_external_no_request_is_sent(capsys, tmp_path, server):
    base, state = server
    project = _project(tmp_path, base, ["gone"])
    run = run_cli(capsys, "-f", str(project / "mkdocs.yml"))
    assert run.code == 0
    assert sum(state.hits.values()) == 0


def test_rerun_within_the_ttl_sends_no_request(capsys, tmp_path, server):
    base, state = server
    project = _project(tmp_path, base, ["ok", "moved", "gone"])
    first = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--external")
    sent = sum(state.hits.values())
    assert sent >= 3
    assert (project / ".check_docs_cache" / "external.json").is_file()
    second = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--external")
    assert sum(state.hits.values()) == sent
    assert second.out == first.out


def test_expired_cache_asks_again(capsys, tmp_path, server):
    base, state = server
    project = _project(tmp_path, base, ["ok"], SETTINGS + "cache_ttl = 0\n")
    run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--external")
    run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--external")
    assert state.hits["/ok"] == 2


def test_concurrency_is_bounded(capsys, tmp_path, server):
    base, state = server
    # A generous timeout: a request abandoned and retried while the server still
    # works on it would rightly count twice; this test is about the bound alone.
    settings = SETTINGS.replace("external_concurrency = 4", "external_concurrency = 2").replace(
        "external_request_timeout = 1.0", "external_request_timeout = 10.0"
    )
    assert "external_request_timeout = 10.0" in settings
    project = _project(tmp_path, base, [f"page{n}" for n in range(8)], settings)
    run = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--external")
    assert run.code == 0
    # Never more than the bound (an unbounded checker would have all eight in flight).
    assert 1 <= state.max_active <= 2


def test_skip_patterns_are_never_requested(capsys, tmp_path, server):
    base, state = server
    settings = SETTINGS + 'external_skip = ["/gone"]\n'
    project = _project(tmp_path, base, ["gone", "ok"], settings)
    run = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--external")
    assert run.code == 0
    assert state.hits["/gone"] == 0
    assert state.hits["/ok"] == 1


def test_sources_registry_addresses_are_checked(capsys, tmp_path, server):
    base, state = server
    project = _project(tmp_path, base, ["ok"])
    (project / "data").mkdir()
    (project / "data" / "sources.yml").write_text(
        "sources:\n"
        "  - id: fine\n    title: Fine\n    author: A\n    kind: paper\n"
        f"    url: {base}/ok\n"
        "  - id: gone\n    title: Gone\n    author: B\n    kind: paper\n"
        f"    url: {base}/gone\n"
    )
    (project / "docs" / "sources.md").write_text("# Sources\n\n[Home](index.md)\n")
    run = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--external", "--format", "json")
    found = [(d["path"], d["line"], d["rule"], d["message"]) for d in run.json()]
    assert [f for f in found if f[0] == "data/sources.yml"] == [
        ("data/sources.yml", 7, "external-link", f"'{base}/gone' is broken: answers 404")
    ]
    assert state.hits["/gone"] >= 1
