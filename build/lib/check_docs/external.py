"""Check external URLs politely and within bounds of time (``--external``).

Bounds (README, "Safety"):

- One request (connect, send, headers; the body is never read) has a total
  deadline, ``external_request_timeout``: a wall-clock deadline around the whole
  exchange (``asyncio.timeout``), not httpx's per-read timeout, so a server that
  drips a header byte every second cannot keep it alive.
- The whole run has a deadline, ``--external-timeout`` (``external_timeout``):
  no request outlives it, and URLs not reached by then are reported as not checked.
- Redirects are followed by hand, at most ``external_max_redirects`` of them; a
  loop or a longer chain is an answer, never retried.
- At most ``external_concurrency`` requests at once, and ``external_per_host`` to
  any one host (redirect hops included).
- Retries: a 429 after its ``Retry-After`` (capped), a 5xx or a failed connection
  after an exponential backoff, each only while the run's deadline allows; a
  request that used its whole deadline is not retried.

Each URL is asked with HEAD first and GET when HEAD is refused. Status codes listed in
``--accept`` (lychee's syntax) count as fine. Definite answers are cached on disk for
``ttl`` seconds, so a re-run within that time sends no request at all. Tests inject a
transport (httpx's MockTransport), a clock and a sleep: no real waiting.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from check_docs import __version__, files

USER_AGENT = f"check_docs/{__version__} (+https://github.com/; link checker)"
CACHE_FILE = "external.json"
MAX_CACHE_BYTES = 50 * 1024 * 1024
# Outcomes worth remembering; network errors and 5xx may be gone on the next run.
CACHEABLE = frozenset({"ok", "redirect", "broken", "forbidden"})


@dataclass(frozen=True)
class Outcome:
    """What one URL answered: ``status`` is ok, redirect, broken, forbidden,
    rate-limited, error or unchecked; ``location`` is the final URL of a redirect."""

    status: str
    code: int | None = None
    detail: str = ""
    location: str | None = None


@dataclass
class ExternalOptions:
    concurrency: int = 8
    per_host: int = 2
    request_timeout: float = 15.0  # seconds for one request, all of it
    run_timeout: float = 120.0  # seconds for every request of the run
    retries: int = 2
    max_redirects: int = 5
    accept: frozenset[int] = field(default_factory=frozenset)  # codes that count as fine
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_retry_after: float = 30.0  # never wait longer than this for a 429
    ttl: float = 86_400.0
    cache_dir: Path | None = None
    progress: bool | None = None  # None: when stderr is a terminal


class _Timeout(Exception):
    """The request's (or the run's) deadline passed."""


def _retry_after(response: httpx.Response, cap: float) -> float | None:
    """Seconds a 429 asks us to wait (capped), None when it does not say."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        delay = float(value)
    elif value:
        try:
            delay = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    else:
        return None
    return min(max(delay, 0.0), cap)


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


class ExternalChecker:
    def __init__(
        self,
        options: ExternalOptions,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.options = options
        self.transport = transport
        self.clock = clock
        self.sleep = sleep
        self.requests = 0  # how many requests were sent (tests read it)

    # -- cache -----------------------------------------------------------------
    def _cache_path(self) -> Path | None:
        return self.options.cache_dir / CACHE_FILE if self.options.cache_dir else None

    def _load_cache(self) -> dict[str, dict[str, object]]:
        path = self._cache_path()
        if path is None or not path.exists():
            return {}
        try:
            data = json.loads(files.read_bytes(path, MAX_CACHE_BYTES))
        except (files.FileProblem, ValueError):
            return {}  # a damaged cache is only a slower run
        return data if isinstance(data, dict) else {}

    def _save_cache(self, cache: dict[str, dict[str, object]]) -> None:
        path = self._cache_path()
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".external-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(cache, out, indent=0, sort_keys=True)
            Path(tmp).replace(path)
        except OSError as exc:
            print(f"check_docs: cannot write link cache {path}: {exc}", file=sys.stderr)

    # -- one request -------------------------------------------------------------
    async def _send(
        self, client: httpx.AsyncClient, method: str, url: str, deadline: float
    ) -> httpx.Response:
        """One request and its headers, by ``deadline`` (the body is never read)."""
        remaining = deadline - self.clock()
        if remaining <= 0:
            raise _Timeout
        self.requests += 1
        request = client.build_request(method, url, timeout=remaining)
        try:
            async with asyncio.timeout(remaining):  # the whole exchange, in real time
                response = await client.send(request, stream=True)
                await response.aclose()
        except (TimeoutError, httpx.TimeoutException):
            raise _Timeout from None
        if self.clock() > deadline:  # the injected clock says it took too long
            raise _Timeout
        return response

    async def _ask(self, client: httpx.AsyncClient, url: str, deadline: float) -> httpx.Response:
        """HEAD, then GET when the server refuses HEAD (405, 403, even 404)."""
        response = await self._send(client, "HEAD", url, deadline)
        code = response.status_code
        if code >= 400 and code != 429 and code not in self.options.accept:
            response = await self._send(client, "GET", url, deadline)
        return response

    async def _follow(
        self, client: httpx.AsyncClient, url: str, deadline: float
    ) -> tuple[Outcome, float | None]:
        """The answer for ``url`` (following at most max_redirects redirects by hand) and,
        for a 429, how long the server asks us to wait."""
        opts = self.options
        seen = [url]
        first: int | None = None
        current = url
        for _hop in range(opts.max_redirects + 1):
            async with self._host_slot(current), self._slots:
                response = await self._ask(client, current, deadline)
            code = response.status_code
            location = response.headers.get("Location")
            if 300 <= code < 400 and location and code not in opts.accept:
                first = first or code
                current = urljoin(current, location)
                if current in seen:
                    detail = f"a redirect loop ({code} back to {current})"
                    return Outcome("broken", first, detail), None
                seen.append(current)
                continue
            if code == 429 and code not in opts.accept:
                wait = _retry_after(response, opts.max_retry_after)
                return Outcome("rate-limited", code, "still rate-limited (429) after retries"), wait
            return self._judge(code, first, current if first else None), None
        return Outcome("broken", first, f"more than {opts.max_redirects} redirects"), None

    def _judge(self, code: int, first: int | None, location: str | None) -> Outcome:
        if code < 400 or code in self.options.accept:
            if location is not None and first is not None:
                return Outcome("redirect", first, f"redirects ({first})", location)
            return Outcome("ok", code)
        if code in (401, 403):
            return Outcome("forbidden", code, f"the server refuses checkers ({code})")
        if code < 500:
            return Outcome("broken", code, f"answers {code}")
        return Outcome("error", code, f"server error {code}")

    async def check_one(self, client: httpx.AsyncClient, url: str, run_deadline: float) -> Outcome:
        """One URL, retried while it is worth it and the run's deadline allows."""
        opts = self.options
        delay = opts.backoff
        outcome = Outcome("unchecked", None, self._unchecked())
        for _attempt in range(opts.retries + 1):
            start = self.clock()
            if start >= run_deadline:
                return outcome
            deadline = min(start + opts.request_timeout, run_deadline)
            wait: float | None = None
            try:
                outcome, wait = await self._follow(client, url, deadline)
            except _Timeout:
                if deadline < start + opts.request_timeout:  # the run's deadline cut it
                    return Outcome("unchecked", None, self._unchecked())
                # Not retried: a server this slow once is slow again, and each try
                # would cost the whole request deadline.
                detail = f"no complete answer within {opts.request_timeout:g} s"
                return Outcome("error", None, detail)
            except httpx.HTTPError as exc:
                outcome = Outcome("error", None, f"cannot connect: {type(exc).__name__}")
            if outcome.status not in ("error", "rate-limited"):
                return outcome
            wait = delay if wait is None else wait
            if self.clock() + wait >= run_deadline:
                return outcome  # no time left to wait and ask again
            if _attempt < opts.retries:
                await self.sleep(wait)
                delay *= 2
        return outcome

    def _unchecked(self) -> str:
        return (
            f"not checked: the run's time limit of {self.options.run_timeout:g} s "
            "(--external-timeout) ran out first"
        )

    # -- the run ------------------------------------------------------------------
    def _host_slot(self, url: str) -> asyncio.Semaphore:
        host = _host(url)
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(max(1, self.options.per_host))
        return self._hosts[host]

    async def _check_all(self, urls: list[str], report: Callable[[str, Outcome], None]) -> None:
        self._slots = asyncio.Semaphore(max(1, self.options.concurrency))
        self._hosts: dict[str, asyncio.Semaphore] = {}
        run_deadline = self.clock() + self.options.run_timeout
        limits = httpx.Limits(max_connections=max(1, self.options.concurrency))
        async with httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT},
            transport=self.transport,
            limits=limits,
            follow_redirects=False,
        ) as client:

            async def one(url: str) -> None:
                report(url, await self.check_one(client, url, run_deadline))

            await asyncio.gather(*(one(url) for url in urls))

    def check(self, urls: Iterable[str]) -> dict[str, Outcome]:
        """Outcome for every URL, from the cache when fresh, else from the network."""
        wanted = sorted(set(urls))
        cache = self._load_cache()
        now = time.time()
        results: dict[str, Outcome] = {}
        todo = []
        for url in wanted:
            entry = cache.get(url)
            fresh = (
                isinstance(entry, dict)
                and isinstance(entry.get("checked"), int | float)
                and now - float(entry["checked"]) < self.options.ttl  # type: ignore[arg-type]
                and entry.get("status") in CACHEABLE
            )
            if fresh:
                assert isinstance(entry, dict)
                fields = {k: entry.get(k) for k in ("status", "code", "detail", "location")}
                results[url] = Outcome(**fields)  # type: ignore[arg-type]
            else:
                todo.append(url)
        progress = self.options.progress
        if progress is None:
            progress = sys.stderr.isatty()

        def report(url: str, outcome: Outcome) -> None:
            results[url] = outcome
            if progress:
                print(f"\rexternal links: {len(results)}/{len(wanted)}", end="", file=sys.stderr)
            if outcome.status in CACHEABLE:
                cache[url] = {**asdict(outcome), "checked": now}

        if todo:
            _run_async(self._check_all(todo, report))
            if progress:
                print(file=sys.stderr)
            self._save_cache(cache)
        return results


def _run_async(coroutine: Awaitable[None]) -> None:
    """Run ``coroutine`` to the end, in this thread, or in a new one when this thread
    already runs an event loop (a notebook, an async build tool)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)  # type: ignore[arg-type]
        return
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coroutine)  # type: ignore[arg-type]
        except BaseException as exc:  # handed to the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=run, name="check_docs-external")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
