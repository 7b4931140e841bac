"""Rate limits: fixed-window counters, in this process's memory or, with ``VEIVISER_REDIS_URL``, in Redis.

Used on the maintainer login (per client address, and per username from one address, on the API and on the
login page), for the login lockout (:class:`Lockout`, per username and address), and on the public feedback
endpoints (per client address). Each limit is "at most ``limit`` attempts per
``window`` seconds"; an attempt past it is refused with 429 and ``Retry-After`` until the window ends.

In memory the count is per process; Redis makes several catalogue processes share it. When Redis does not
answer, the process falls back to its own memory (and logs it) rather than refusing every login: the
lockout still holds in that process.

Client addresses come from ``request.client``; behind the reverse proxy, uvicorn puts the address from
``X-Forwarded-For`` there for the proxies ``FORWARDED_ALLOW_IPS`` names (see docker-compose.yml).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from fastapi import Request

from service_catalog.config import Settings, get_settings
from service_catalog.errors import CatalogError

log = logging.getLogger("veiviser.catalogue.ratelimit")


class TooManyRequests(CatalogError):
    """Too many attempts from this address or for this username; ``retry_after`` seconds until the next."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` hits per ``window`` seconds for one key."""

    name: str
    limit: int
    window: int


class Counter(Protocol):
    def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count one hit on ``key``; the count in the current window and the seconds left in it."""

    def peek(self, key: str, window: int) -> int:
        """The count of ``key`` in its current window, without counting a hit (0 when none is open)."""

    def clear(self, key: str, window: int) -> None:
        """Forget the count of ``key``."""

    def reset(self) -> None:
        """Forget every count (tests)."""


class MemoryCounter:
    """Counts in this process's memory; a key's window starts at its first hit, and ended windows are dropped."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (when its window ends, hits so far)
        self._lock = threading.Lock()
        self.clock = time.monotonic  # seconds; tests move it on

    def hit(self, key: str, window: int) -> tuple[int, int]:
        now = self.clock()
        with self._lock:
            if len(self._windows) > 100_000:  # a flood of distinct keys: keep only the open windows
                self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
            ends, count = self._windows.get(key, (0.0, 0))
            if ends <= now:
                ends, count = now + window, 0
            self._windows[key] = (ends, count + 1)
        return count + 1, max(1, math.ceil(ends - now))

    def peek(self, key: str, window: int) -> int:
        with self._lock:
            ends, count = self._windows.get(key, (0.0, 0))
        return count if ends > self.clock() else 0

    def clear(self, key: str, window: int) -> None:
        with self._lock:
            self._windows.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


class RedisCounter:
    """Counts in Redis (INCR, and EXPIRE at a key's first hit), shared by every process that uses it."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self._redis: Any = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._prefix = prefix
        self._fallback = MemoryCounter()

    def hit(self, key: str, window: int) -> tuple[int, int]:
        name = f"{self._prefix}{key}:{window}"
        try:
            pipe = self._redis.pipeline(transaction=True)
            pipe.incr(name)
            pipe.expire(name, window, nx=True)  # the window starts at the first hit and is not extended
            pipe.ttl(name)
            count, _, ttl = pipe.execute()
        except Exception as exc:  # noqa: BLE001 - any Redis failure: count here instead of refusing everyone
            log.warning("rate limit store unreachable (%s); counting in this process", type(exc).__name__)
            return self._fallback.hit(key, window)
        return int(count), max(1, int(ttl))

    def peek(self, key: str, window: int) -> int:
        try:
            found = self._redis.get(f"{self._prefix}{key}:{window}")
        except Exception as exc:  # noqa: BLE001 - as in hit(): count here when Redis does not answer
            log.warning("rate limit store unreachable (%s); counting in this process", type(exc).__name__)
            return self._fallback.peek(key, window)
        return int(found or 0)

    def clear(self, key: str, window: int) -> None:
        self._fallback.clear(key, window)
        try:
            self._redis.delete(f"{self._prefix}{key}:{window}")
        except Exception as exc:  # noqa: BLE001
            log.warning("rate limit store unreachable (%s); counting in this process", type(exc).__name__)

    def reset(self) -> None:
        self._fallback.reset()
        for name in self._redis.scan_iter(match=f"{self._prefix}*"):
            self._redis.delete(name)


@lru_cache
def get_counter() -> Counter:
    """The process-wide counter: Redis when ``VEIVISER_REDIS_URL`` is set, else memory."""
    settings = get_settings()
    if settings.redis_url:
        return RedisCounter(settings.redis_url.get_secret_value(), settings.rate_limit_prefix)
    return MemoryCounter()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _digest(value: str) -> str:
    # Usernames are not stored in Redis as typed; a short hash is enough to tell them apart.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:24]


def check(limit: Limit, value: str, message: str) -> None:
    """Count one hit for ``value`` under ``limit``; TooManyRequests (``message`` with the wait) past it."""
    count, remaining = get_counter().hit(f"{limit.name}:{_digest(value)}", limit.window)
    if count > limit.limit:
        raise TooManyRequests(message.format(seconds=remaining), retry_after=remaining)


LOGIN_MESSAGE = "too many login attempts; wait {seconds} seconds before trying again"
FEEDBACK_MESSAGE = "too many feedback messages from this address; wait {seconds} seconds"


def login_key(username: str, address: str) -> str:
    """One username tried from one client address: what the username limit and the lockout count."""
    return f"{username.strip().lower()[:200]}\n{address}"


def check_login(request: Request, username: str, settings: Settings) -> None:
    """Count a login attempt for the client address, and for the username from that address (429 past either).

    The username is counted per address so that someone who knows a username cannot keep its owner out:
    attempts from another address have their own count.
    """
    window = settings.login_rate_window_seconds
    address = client_address(request)
    check(Limit("login-address", settings.login_rate_per_address, window), address, LOGIN_MESSAGE)
    limit = Limit("login-username", settings.login_rate_per_username, window)
    check(limit, login_key(username, address), LOGIN_MESSAGE)


@dataclass(frozen=True)
class Lockout:
    """``failures`` failed logins for one username from one address within ``seconds`` lock that pair for
    ``seconds``; the same username from any other address is not affected."""

    failures: int
    seconds: int

    @classmethod
    def of(cls, settings: Settings) -> Lockout:
        return cls(settings.login_max_failures, settings.login_lockout_minutes * 60)

    def locked(self, key: str) -> bool:
        return get_counter().peek(f"login-locked:{_digest(key)}", self.seconds) > 0

    def failed(self, key: str) -> None:
        """Count a failure; the one that reaches ``failures`` starts the lock and a fresh count."""
        counter, digest = get_counter(), _digest(key)
        count, _ = counter.hit(f"login-failures:{digest}", self.seconds)
        if count >= self.failures:
            counter.hit(f"login-locked:{digest}", self.seconds)
            counter.clear(f"login-failures:{digest}", self.seconds)

    def succeeded(self, key: str) -> None:
        get_counter().clear(f"login-failures:{_digest(key)}", self.seconds)


def check_feedback(request: Request, settings: Settings) -> None:
    """Count one feedback post for the client address (429 past the limit)."""
    limit = Limit("feedback-address", settings.feedback_rate_per_address, settings.feedback_rate_window_seconds)
    check(limit, client_address(request), FEEDBACK_MESSAGE)
