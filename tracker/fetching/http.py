"""Getting one address politely: a pause between requests, retries with backoff, one-line errors.

Standard library only (:mod:`urllib.request`): the two services answer plain
GETs without a key. A server that is busy (429) or failing (500, 502, 503,
504) or a connection that times out is asked again, after its
``Retry-After`` or after 1, 2, 4… seconds; anything else — no network, a
refused connection, 404 — fails at once with :class:`FetchError`, whose
message is one sentence a person can act on.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker import __version__

__all__ = ["FetchError", "Http"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Answers that say "later": the request is made again."""
MAX_WAIT = 60.0
"""The longest pause before a retry, whatever ``Retry-After`` asks."""
MAX_BYTES = 64 * 1024 * 1024
"""A day's list is well under a megabyte; more than this is not a digest."""


def pause(seconds: float) -> None:
    """Wait between requests and before retries (one name, so that tests can stand in for it)."""
    time.sleep(seconds)


class FetchError(Exception):
    """A request that failed for good; ``str()`` is one sentence naming the address."""


@dataclass
class Http:
    """One client for a run: it keeps ``interval`` seconds between its requests."""

    interval: float = 1.0
    """Seconds between two requests (arXiv asks for 3, Hugging Face for no hammering)."""
    attempts: int = 4
    backoff: float = 1.0
    """The first pause before a retry; it doubles with each retry."""
    timeout: float = 30.0
    sleep: Callable[[float], None] | None = None
    """How to wait (default :func:`pause`); tests give their own."""
    clock: Callable[[], float] = time.monotonic
    _last: float | None = field(default=None, repr=False)

    def get(self, url: str) -> bytes:
        """The body of ``url``; :class:`FetchError` when it cannot be had."""
        host = urllib.parse.urlsplit(url).netloc or url
        for attempt in range(1, self.attempts + 1):
            self._wait_turn()
            try:
                return self._get_once(url)
            except urllib.error.HTTPError as err:
                if err.code not in RETRY_STATUSES or attempt == self.attempts:
                    tries = f" (after {attempt} tries)" if attempt > 1 else ""
                    raise FetchError(
                        f"{host} answered {err.code} {err.reason} for {url}{tries}"
                    ) from None
                self._back_off(attempt, err.headers.get("Retry-After"))
            except TimeoutError:
                if attempt == self.attempts:
                    raise FetchError(
                        f"{host} did not answer within {self.timeout:g} s ({attempt} tries); "
                        "try again later"
                    ) from None
                self._back_off(attempt, None)
            except urllib.error.URLError as err:
                reason = err.reason if isinstance(err.reason, str) else str(err.reason)
                if isinstance(err.reason, TimeoutError) and attempt < self.attempts:
                    self._back_off(attempt, None)
                    continue
                raise FetchError(
                    f"cannot reach {host} ({reason}); check the network connection"
                ) from None
            except OSError as err:  # a connection reset half-way through the body
                raise FetchError(f"the connection to {host} failed ({err})") from None
        raise AssertionError("unreachable")  # the loop returns or raises

    def _back_off(self, attempt: int, retry_after: str | None) -> None:
        """Wait before asking again; the wait counts as the interval between requests."""
        self._sleep(max(self._pause(attempt, retry_after), self.interval))
        self._last = None

    def _sleep(self, seconds: float) -> None:
        (self.sleep or pause)(seconds)

    def _wait_turn(self) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.interval:
            self._sleep(self.interval - (now - self._last))
        self._last = self.clock()

    def _pause(self, attempt: int, retry_after: str | None) -> float:
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after.strip()), MAX_WAIT)
        return min(self.backoff * 2.0 ** (attempt - 1), MAX_WAIT)

    def _get_once(self, url: str) -> bytes:
        request = urllib.request.Request(
            url,
            headers={
                "User-Agent": f"paper-tracker/{__version__} (Python urllib)",
                "Accept-Encoding": "identity",
            },
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            body: bytes = response.read(MAX_BYTES + 1)
        if len(body) > MAX_BYTES:
            raise FetchError(f"{url} sent more than {MAX_BYTES // 2**20} MB; that is no digest")
        return body
