"""Check external URLs politely: bounded concurrency, retries, a disk cache.

Each URL is tried with HEAD first and GET when HEAD is refused; 429 answers
are retried after their ``Retry-After`` (capped), 5xx answers and network
errors after an exponential backoff. Definite answers (fine, redirected,
gone, forbidden) are cached on disk for ``ttl`` seconds, so a re-run within
that time sends no request at all.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from check_docs import __version__

USER_AGENT = f"check_docs/{__version__} (+link checker of the Generative AI Field Guide)"
CACHE_FILE = "external.json"
# Outcomes worth remembering; network errors and 5xx may be gone on the next run.
CACHEABLE = frozenset({"ok", "redirect", "broken", "forbidden"})


@dataclass(frozen=True)
class Outcome:
    """What one URL answered: ``status`` is ok, redirect, broken, forbidden,
    rate-limited or error; ``location`` is the final URL of a redirect."""

    status: str
    code: int | None = None
    detail: str = ""
    location: str | None = None


@dataclass
class ExternalOptions:
    concurrency: int = 8
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_retry_after: float = 30.0  # never wait longer than this for a 429
    ttl: float = 86_400.0
    cache_dir: Path | None = None
    progress: bool | None = None  # None: when stderr is a terminal


def _retry_after(response: httpx.Response, fallback: float, cap: float) -> float:
    value = response.headers.get("Retry-After", "").strip()
    delay = fallback
    if value.isdigit():
        delay = float(value)
    elif value:
        try:
            delay = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            delay = fallback
    return min(max(delay, 0.0), cap)


class ExternalChecker:
    def __init__(
        self,
        options: ExternalOptions,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options
        self.sleep = sleep
        self.requests = 0  # how many requests were sent (tests read it)
        self._lock = threading.Lock()
        self._client = httpx.Client(
            follow_redirects=True,
            timeout=options.timeout,
            headers={"User-Agent": USER_AGENT},
            transport=transport,
            limits=httpx.Limits(max_connections=max(1, options.concurrency)),
        )

    # -- cache -----------------------------------------------------------------
    def _cache_path(self) -> Path | None:
        return self.options.cache_dir / CACHE_FILE if self.options.cache_dir else None

    def _load_cache(self) -> dict[str, dict[str, object]]:
        path = self._cache_path()
        if path is None or not path.is_file():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
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

    # -- requests --------------------------------------------------------------
    def _send(self, method: str, url: str) -> httpx.Response:
        with self._lock:
            self.requests += 1
        if method == "HEAD":
            return self._client.head(url)
        with self._client.stream("GET", url) as response:
            return response  # the status is all we need: never read the body

    def _once(self, url: str) -> httpx.Response:
        response = self._send("HEAD", url)
        if response.status_code >= 400 and response.status_code != 429:
            # Many servers refuse HEAD (405, 403, even 404): ask again the normal way.
            response = self._send("GET", url)
        return response

    def check_one(self, url: str) -> Outcome:
        opts = self.options
        delay = opts.backoff
        last: Outcome = Outcome("error", None, "no answer")
        for attempt in range(opts.retries + 1):
            final = attempt == opts.retries
            try:
                response = self._once(url)
            except httpx.TimeoutException:
                last = Outcome("error", None, f"no answer within {opts.timeout:g} s")
            except httpx.HTTPError as exc:
                last = Outcome("error", None, f"cannot connect: {type(exc).__name__}")
            else:
                code = response.status_code
                if code < 400:
                    if response.history:
                        location = str(response.url)
                        first = response.history[0].status_code
                        return Outcome("redirect", first, f"redirects ({first})", location)
                    return Outcome("ok", code)
                if code == 429:
                    last = Outcome("rate-limited", code, "still rate-limited (429) after retries")
                    if not final:
                        self.sleep(_retry_after(response, delay, opts.max_retry_after))
                        delay *= 2
                    continue
                if code in (401, 403):
                    return Outcome("forbidden", code, f"the server refuses checkers ({code})")
                if code < 500:
                    return Outcome("broken", code, f"answers {code}")
                last = Outcome("error", code, f"server error {code}")
            if not final:
                self.sleep(delay)
                delay *= 2
        return last

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
                and isinstance(entry.get("checked"), (int, float))
                and now - float(entry["checked"]) < self.options.ttl  # type: ignore[arg-type]
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
        done = 0
        with ThreadPoolExecutor(max_workers=max(1, self.options.concurrency)) as pool:
            for url, outcome in zip(todo, pool.map(self.check_one, todo), strict=True):
                results[url] = outcome
                done += 1
                if progress:
                    print(f"\rexternal links: {done}/{len(todo)}", end="", file=sys.stderr)
                if outcome.status in CACHEABLE:
                    cache[url] = {**asdict(outcome), "checked": now}
        if progress and todo:
            print(file=sys.stderr)
        self._client.close()
        if todo:
            self._save_cache(cache)
        return results
