"""check_docs --external against a real HTTP server on 127.0.0.1 (never the internet):
200, 301, 404, 429-then-200, persistent 429, 403, 405-to-HEAD, 500 and a slow answer;
the disk cache, the concurrency bound and URL patterns to skip. Then its bounds, with
httpx's MockTransport and an injected clock (no real waiting): the per-request and
per-run deadlines, redirect loops and caps (never retried), per-host limits, capped
Retry-After, --accept; and one real server that drips its headers a byte every 1.5 s."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from check_docs.external import ExternalChecker, ExternalOptions, Outcome
from check_docs.external_accept import AcceptError, parse_accept
from tests.check_docs_support import copy_fixture, run_cli
from tests.http_support import DRIP_SECONDS, HostileHandler, serve


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
            time.sleep(8.0)  # twice the request deadline below
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


# A deadline a loaded machine still meets for a local answer: at 1 s, answers that were
# fine came back as "no complete answer" in full runs at load 15-28.
SETTINGS = """[tool.check_docs]
external_request_timeout = 4.0
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
    assert found["slow"] == (
        "error",
        f"'{base}/slow#part' is broken: no complete answer within 4 s",
    )
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
        "external_request_timeout = 4.0", "external_request_timeout = 10.0"
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
    with (project / "pyproject.toml").open("a") as settings:
        settings.write('linked_data = ["data/sources.yml"]\n')
    run = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--external", "--format", "json")
    found = [(d["path"], d["line"], d["rule"], d["message"]) for d in run.json()]
    assert [f for f in found if f[0] == "data/sources.yml"] == [
        ("data/sources.yml", 11, "external-link", f"'{base}/gone' is broken: answers 404")
    ]
    assert state.hits["/gone"] >= 1


# -- bounds, with httpx's MockTransport and an injected clock (no real waiting) ---------


class FakeClock:
    """A clock that only moves when the code under test sleeps or a handler says so."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _checker(handler, clock: FakeClock, **options) -> ExternalChecker:
    transport = httpx.MockTransport(handler)
    return ExternalChecker(
        ExternalOptions(**{"retries": 2, **options}),
        transport=transport,
        clock=clock,
        sleep=clock.sleep,
    )


def test_a_request_past_its_deadline_is_a_timeout_and_not_retried():
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        clock.now += 16  # the server took 16 s to send its headers
        return httpx.Response(200)

    checker = _checker(handler, clock, request_timeout=15)
    started = time.monotonic()
    outcome = checker.check(["https://slow.example/"])["https://slow.example/"]
    assert outcome == Outcome("error", None, "no complete answer within 15 s")
    assert checker.requests == 1  # not retried: it would cost another 15 s
    assert time.monotonic() - started < 5  # nothing really waited


def test_the_run_deadline_leaves_the_rest_unchecked():
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        clock.now += 5
        return httpx.Response(200)

    checker = _checker(handler, clock, run_timeout=12, concurrency=1, per_host=1)
    urls = [f"https://a.example/{n}" for n in range(6)]
    outcomes = checker.check(urls)
    statuses = [outcomes[url].status for url in urls]
    # 0-5 s and 5-10 s are answered; the third starts at 10 s and is cut at 12 s.
    assert statuses == ["ok", "ok", "unchecked", "unchecked", "unchecked", "unchecked"]
    assert outcomes[urls[5]].detail == (
        "not checked: the run's time limit of 12 s (--external-timeout) ran out first"
    )
    assert checker.requests == 3  # nothing is sent once the run's time is up
    assert clock.now <= 1000 + 15


def test_a_redirect_loop_is_an_answer_not_retried():
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        target = "/b" if request.url.path == "/a" else "/a"
        return httpx.Response(301, headers={"Location": target})

    checker = _checker(handler, clock)
    outcome = checker.check(["https://loop.example/a"])["https://loop.example/a"]
    assert outcome == Outcome("broken", 301, "a redirect loop (301 back to https://loop.example/a)")
    assert checker.requests == 2  # /a, /b; then /a again is seen, and nothing retried
    assert clock.slept == []


def test_redirects_are_capped():
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        step = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{step + 1}"})

    checker = _checker(handler, clock, max_redirects=5)
    outcome = checker.check(["https://chain.example/0"])["https://chain.example/0"]
    assert outcome == Outcome("broken", 302, "more than 5 redirects")
    assert checker.requests == 6
    assert clock.slept == []


def test_requests_per_host_and_in_all_are_bounded():
    clock = FakeClock()
    active: Counter[str] = Counter()
    most: Counter[str] = Counter()

    async def handler(request: httpx.Request) -> httpx.Response:
        host = request.url.host
        active[host] += 1
        active["all"] += 1
        most[host] = max(most[host], active[host])
        most["all"] = max(most["all"], active["all"])
        for _ in range(5):  # let every other task run: whoever can start, starts
            await asyncio.sleep(0)
        active[host] -= 1
        active["all"] -= 1
        return httpx.Response(200)

    checker = _checker(handler, clock, concurrency=3, per_host=2)
    urls = [f"https://{host}.example/{n}" for host in ("a", "b") for n in range(8)]
    assert {o.status for o in checker.check(urls).values()} == {"ok"}
    assert most["a.example"] == most["b.example"] == 2  # the per-host bound, reached
    assert most["all"] == 3  # the overall bound, reached


def test_rate_limits_wait_as_asked_but_never_past_the_cap_or_the_run():
    clock = FakeClock()
    answers = iter([429, 429, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), headers={"Retry-After": "100"})

    checker = _checker(handler, clock, max_retry_after=30, run_timeout=120)
    assert checker.check(["https://busy.example/"])["https://busy.example/"].status == "ok"
    assert clock.slept == [30, 30]  # asked for 100 s, capped at 30
    clock2 = FakeClock()
    busy = httpx.Response(429, headers={"Retry-After": "100"})
    checker = _checker(lambda request: busy, clock2, run_timeout=20)
    outcome = checker.check(["https://busy.example/"])["https://busy.example/"]
    assert outcome.status == "rate-limited"
    assert clock2.slept == []  # a 30 s wait would end past the run's 20 s
    clock3 = FakeClock()  # no Retry-After: the backoff, doubling
    checker = _checker(lambda request: httpx.Response(429), clock3, backoff=0.5)
    assert checker.check(["https://busy.example/"])["https://busy.example/"].code == 429
    assert clock3.slept == [0.5, 1.0]


def test_accepted_codes_are_fine():
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(int(request.url.path.strip("/")))

    checker = _checker(handler, clock, accept=parse_accept("403,429,500..=503"))
    urls = [f"https://x.example/{code}" for code in (403, 429, 503, 404, 504)]
    outcomes = checker.check(urls)
    assert [outcomes[url].status for url in urls] == ["ok", "ok", "ok", "broken", "error"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("403", {403}),
        ("200..=204, 429", {200, 201, 202, 203, 204, 429}),
        ("200..203", {200, 201, 202}),
        ("..=101", {100, 101}),
        ("998..", {998, 999}),
        ("", set()),
    ],
)
def test_accept_reads_lychees_syntax(text, codes):
    assert parse_accept(text) == codes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "'abc' is not a status code or a range; write e.g. 403, 200..=299 or 200..300"),
        ("99", "'99': status codes are numbers from 100 to 999"),
        ("300..=200", "'300..=200' is an empty range: its start is after its end"),
    ],
)
def test_accept_errors(text, message):
    with pytest.raises(AcceptError) as info:
        parse_accept(text)
    assert str(info.value) == message


def test_cli_options_override_the_settings(capsys, tmp_path, server):
    base, _state = server
    project = _project(tmp_path, base, ["forbidden", "gone"])
    run = run_cli(
        capsys, "-f", str(project / "mkdocs.yml"), "--external", "--accept", "403",
        "--external-timeout", "30", "--format", "json",
    )  # fmt: skip
    assert [d["message"] for d in run.json()] == [f"'{base}/gone#part' is broken: answers 404"]
    bad = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--accept", "4o4")
    assert (bad.code, bad.err) == (
        2,
        "check_docs: error: --accept: '4o4' is not a status code or a range; write e.g. "
        "403, 200..=299 or 200..300\n",
    )


# -- one real server that drips its answer ----------------------------------------------


def test_a_server_dripping_header_bytes_is_cut_at_the_deadline(capsys, tmp_path):
    with serve(HostileHandler) as (base, record):
        settings = "[tool.check_docs]\nexternal_request_timeout = 4\nexternal_retries = 2\n"
        project = _project(tmp_path, base, ["drip"], settings)
        run = run_cli(capsys, "-f", str(project / "mkdocs.yml"), "--external")
        dripped = record.wait_for_drips(1)
    assert run.out.splitlines()[0].endswith(
        f"external-link '{base}/drip#part' is broken: no complete answer within 4 s"
    )
    # Asked once (no retry) and cut at the 4 s deadline, as the server saw it (it
    # notices a hang-up when its second write after it fails, up to 3 s on, plus a
    # busy machine's delay); httpx's per-read timeout alone would take ~90 s.
    assert record.hits == {"/drip": 1}
    assert len(dripped) == 1 and 4 - DRIP_SECONDS < dripped[0] < 4 + 2 * DRIP_SECONDS + 3, dripped
