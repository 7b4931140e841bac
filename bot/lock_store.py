"""A Redis lock store whose ticket changes are atomic across Rasa instances (issue 6, scale-out).

Rasa 3.6's ``RedisLockStore`` keeps one conversation's ticket queue as one JSON value and changes it by
reading, changing in Python and writing back. Inside one process that is safe (no ``await`` in between);
between two instances it is not: both read the queue, both append ticket 1, the second write wins, and the
two instances handle the same conversation at once. Each then saves its own tracker, and the SQL tracker
store, which appends "the events after the ones already stored", drops the messages of one of them (seen:
2 of 8 concurrent user messages missing from PostgreSQL).

This store keeps Rasa's ticket lock (same key, same JSON, same waiting loop) and makes every change a Redis
optimistic transaction (WATCH, read, MULTI, write, EXEC; retried when another instance wrote in between). The
key also expires with its last ticket, so a crashed instance leaves no conversation id behind in Redis.

endpoints.yml::

    lock_store:
      type: lock_store.AtomicRedisLockStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}
      db: ${REDIS_LOCK_DB}
      key_prefix: veiviser
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import DEFAULT_SOCKET_TIMEOUT_IN_SECONDS, LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

T = TypeVar("T")
# A change that lost a race is retried; this many losses in a row means something is wrong with Redis.
MAX_ATTEMPTS = 200
# The key outlives its newest ticket a little, so a waiting instance still finds an expired queue to clean.
EXPIRY_MARGIN_S = 5.0


def _settings(endpoint_config: EndpointConfig | None, overrides: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments from endpoints.yml, where ``${ENV}`` values arrive as text."""
    settings: dict[str, Any] = dict(endpoint_config.kwargs) if endpoint_config else {}
    settings.update(overrides)
    if endpoint_config is not None and endpoint_config.url and "host" not in settings:
        settings["host"] = endpoint_config.url
    settings.pop("type", None)
    for key in ("port", "db"):
        if key in settings:
            settings[key] = int(settings[key])
    if "socket_timeout" in settings:
        settings["socket_timeout"] = float(settings["socket_timeout"])
    if isinstance(settings.get("use_ssl"), str):
        settings["use_ssl"] = settings["use_ssl"].strip().lower() in ("1", "true", "yes")
    if not settings.get("password"):
        settings["password"] = None
    return settings


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis ticket lock with each read-change-write done as one Redis transaction."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        """From an endpoints.yml ``lock_store`` section (``url`` is the host) or from keyword arguments."""
        settings = _settings(endpoint_config, kwargs)
        super().__init__(
            host=settings.get("host", "localhost"),
            port=settings.get("port", 6379),
            db=settings.get("db", 1),
            password=settings.get("password"),
            use_ssl=settings.get("use_ssl", False),
            key_prefix=settings.get("key_prefix"),
            socket_timeout=settings.get("socket_timeout", DEFAULT_SOCKET_TIMEOUT_IN_SECONDS),
        )

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Apply ``change`` to the stored lock atomically; an empty or absent result deletes the key."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            for _ in range(MAX_ATTEMPTS):
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    current = TicketLock.from_dict(json.loads(raw)) if raw else None
                    changed, result = change(current)
                    pipe.multi()
                    if changed is None or not changed.tickets:
                        pipe.delete(key)
                    else:
                        newest = max(ticket.expires for ticket in changed.tickets)
                        ttl_ms = max(1000, int((newest - time.time() + EXPIRY_MARGIN_S) * 1000))
                        pipe.set(key, changed.dumps(), px=ttl_ms)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another instance changed the queue between our read and our write
        raise LockError(f"lock for conversation '{conversation_id}' kept changing under {MAX_ATTEMPTS} attempts")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Append a ticket to the conversation's queue (creating it) and return its number."""

        def append(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, append)
        except LockError:
            raise
        except Exception as error:  # noqa: BLE001 - Rasa turns every failure here into a LockError too
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets; a queue left empty is deleted."""

        def expire(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket that has been served; a queue left empty is deleted."""

        def remove(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, remove)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish serving and delete the queue when nobody waits, in one transaction (Rasa does it in three)."""
        self.finish_serving(conversation_id, ticket_number)
