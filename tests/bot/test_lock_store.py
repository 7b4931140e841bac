"""The atomic Redis lock store (bot/lock_store.py) on the real Redis at 127.0.0.1:6379 (skipped when it is down).

Two "instances" are two threads, each with its own event loop and its own store (its own Redis connection), taking
the lock of one conversation many times at once, as two Rasa processes behind a load balancer do."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from lock_store import AtomicRedisLockStore
from rasa.core.lock_store import LockStore
from rasa.core.utils import AvailableEndpoints

REDIS_DB = 12
INSTANCES = 2
TURNS_PER_INSTANCE = 12


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test alone (alphanumeric, as Rasa requires); its keys are removed afterwards."""
    client = redis.Redis(db=REDIS_DB, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis at 127.0.0.1:6379 does not answer")
    name = "t" + uuid.uuid4().hex[:12]
    yield name
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)


def _store(prefix: str) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(host="127.0.0.1", port=6379, db=REDIS_DB, key_prefix=prefix)


def _instance(prefix: str, conversation: str, holders: list[int], counter: list[int], errors: list[str]) -> None:
    """One instance: TURNS_PER_INSTANCE turns of one conversation at once, each a read-wait-write of shared state."""
    store = _store(prefix)

    async def turn() -> None:
        async with store.lock(conversation, wait_time_in_seconds=0.01):
            holders.append(1)
            if len(holders) > 1:
                errors.append("two holders at once")
            seen = counter[0]
            await asyncio.sleep(0.005)  # a turn awaits the model and the action server here
            counter[0] = seen + 1
            holders.pop()

    async def all_turns() -> None:
        await asyncio.gather(*(turn() for _ in range(TURNS_PER_INSTANCE)))

    try:
        asyncio.run(all_turns())
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(repr(error))


def test_two_instances_never_hold_one_conversation_at_once(prefix: str) -> None:
    conversation = uuid.uuid4().hex
    holders: list[int] = []
    counter = [0]
    errors: list[str] = []
    threads = [
        threading.Thread(target=_instance, args=(prefix, conversation, holders, counter, errors))
        for _ in range(INSTANCES)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert counter[0] == INSTANCES * TURNS_PER_INSTANCE  # no turn overwrote another's change


def test_the_queue_is_deleted_when_the_last_turn_is_done(prefix: str) -> None:
    store = _store(prefix)
    conversation = uuid.uuid4().hex

    async def one_turn() -> None:
        async with store.lock(conversation):
            assert store.get_lock(conversation) is not None

    asyncio.run(one_turn())
    assert store.get_lock(conversation) is None
    assert not list(store.red.scan_iter(f"{prefix}:*"))


def test_a_queue_left_by_a_crashed_instance_expires_in_redis(prefix: str) -> None:
    store = _store(prefix)
    conversation = uuid.uuid4().hex
    store.issue_ticket(conversation, lock_lifetime=2)  # and never cleaned up
    ttl_ms = store.red.pttl(store.key_prefix + conversation)
    assert 0 < ttl_ms <= 8000  # the ticket's lifetime plus a small margin: no conversation id stays behind


def test_tickets_are_served_in_the_order_they_were_issued(prefix: str) -> None:
    store = _store(prefix)
    conversation = uuid.uuid4().hex
    first = store.issue_ticket(conversation)
    second = store.issue_ticket(conversation)
    lock = store.get_lock(conversation)
    assert lock is not None
    assert second == first + 1
    assert not lock.is_locked(first) and lock.is_locked(second)
    store.cleanup(conversation, first)
    lock = store.get_lock(conversation)
    assert lock is not None and not lock.is_locked(second)
    store.cleanup(conversation, second)
    assert store.get_lock(conversation) is None


def test_production_endpoints_build_this_store_from_the_environment(
    prefix: str, repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = {
        "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": "6379",
        "REDIS_LOCK_DB": str(REDIS_DB),
        "REDIS_TRACKER_DB": "3",
        "VEIVISER_RETENTION_SECONDS": "86400",
        **dict.fromkeys(("DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD"), "x"),
    }
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    for name in ("endpoints-prod.yml", "endpoints-redis.yml"):
        endpoints = AvailableEndpoints.read_endpoints(str(repo_root / "bot" / name))
        store = LockStore.create(endpoints.lock_store)
        assert isinstance(store, AtomicRedisLockStore), name
        assert store.red.connection_pool.connection_kwargs["db"] == REDIS_DB
        assert store.key_prefix.startswith("veiviser:")
