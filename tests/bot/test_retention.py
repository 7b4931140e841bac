"""bot/retention.py against what Rasa's own tracker stores write (through the redacting wrapper): the SQL store on
SQLite and on PostgreSQL, and the Redis store on the local Redis (each skipped when its server does not answer).

Every event older than the limit goes, whatever happened later in the same conversation: a conversation used every
day keeps only its last day; one nobody touched for longer than the limit goes whole."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from redacting_store import RedactingTrackerStore
from retention import delete_expired, main, tracker_db_url
from tracker_db import TRACKER_DOMAIN as DOMAIN

REPO_ROOT = Path(__file__).resolve().parents[2]
HOUR = 3600.0
REDIS_DB = 13


def _day(store: TrackerStore, sender: str, age_hours: float, text: str = "hei") -> None:
    """One session of a conversation, ``age_hours`` ago: retrieved, added to and saved as Rasa does in a turn."""
    at = time.time() - age_hours * HOUR
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(ActionExecuted("action_session_start", timestamp=at - 90))
    tracker.update(SessionStarted(timestamp=at - 89))
    tracker.update(ActionExecuted("action_listen", timestamp=at - 60))
    tracker.update(UserUttered(text, intent={"name": "hilsen", "confidence": 1.0}, timestamp=at - 30))
    tracker.update(BotUttered("Hei!", timestamp=at))
    asyncio.run(store.save(tracker))


EVENTS_PER_DAY = 5


def _senders(engine: sa.engine.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))
        return {str(sender): int(count) for sender, count in rows}


def _texts(engine: sa.engine.Engine, sender: str) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
        return [json.loads(row[0])["text"] for row in rows if json.loads(row[0])["event"] == "user"]


# ---------------------------------------------------------------- the SQL store (SQLite, PostgreSQL)


def test_a_conversation_nobody_touched_for_longer_than_the_limit_is_deleted_whole(
    sql_store: tuple[TrackerStore, sa.engine.Engine],
) -> None:
    store, engine = sql_store
    old, recent = uuid.uuid4().hex, uuid.uuid4().hex
    _day(store, old, age_hours=30)
    _day(store, recent, age_hours=1)

    deleted = delete_expired(engine, max_age_hours=24)

    assert (deleted.conversations, deleted.shortened, deleted.events) == (1, 0, EVENTS_PER_DAY)
    assert _senders(engine) == {recent: EVENTS_PER_DAY}


def test_a_conversation_used_every_day_keeps_only_what_is_younger_than_the_limit(
    sql_store: tuple[TrackerStore, sa.engine.Engine],
) -> None:
    store, engine = sql_store
    sender = uuid.uuid4().hex
    for age, text in ((72, "tre dager siden"), (48, "i forgårs"), (23, "i går"), (1, "i dag")):
        _day(store, sender, age_hours=age, text=text)

    deleted = delete_expired(engine, max_age_hours=24)

    assert (deleted.conversations, deleted.shortened, deleted.events) == (0, 1, 2 * EVENTS_PER_DAY)
    assert _texts(engine, sender) == ["i går", "i dag"]
    # Rasa reads the rest back and goes on with it.
    _day(store, sender, age_hours=0, text="nå")
    assert _texts(engine, sender) == ["i går", "i dag", "nå"]


def test_limit_is_configurable(sql_store: tuple[TrackerStore, sa.engine.Engine]) -> None:
    store, engine = sql_store
    sender = uuid.uuid4().hex
    _day(store, sender, age_hours=3)
    assert delete_expired(engine, max_age_hours=4).events == 0
    assert delete_expired(engine, max_age_hours=2).conversations == 1
    assert _senders(engine) == {}


def test_cli_reads_the_database_from_an_endpoints_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "tracker.db"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: redacting_store.RedactingTrackerStore\n  backend: sql\n"
        "  dialect: sqlite\n  db: ${TEST_TRACKER_DB}\n"
    )
    monkeypatch.setenv("TEST_TRACKER_DB", str(db))
    assert str(tracker_db_url(str(endpoints))) == f"sqlite:///{db}"
    store = RedactingTrackerStore(domain=DOMAIN, backend="sql", dialect="sqlite", db=str(db))
    _day(store, "gammel", age_hours=25)
    _day(store, "ny", age_hours=0)
    monkeypatch.setenv("VEIVISER_RETENTION_HOURS", "24")
    assert main(["--endpoints", str(endpoints)]) == 0
    assert set(_senders(sa.create_engine(f"sqlite:///{db}"))) == {"ny"}


def test_python_dash_m_retention_runs_as_a_job(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = RedactingTrackerStore(domain=DOMAIN, backend="sql", dialect="sqlite", db=str(db))
    _day(store, "gammel", age_hours=2)
    _day(store, "daglig", age_hours=3)
    _day(store, "daglig", age_hours=0)
    result = subprocess.run(
        [sys.executable, "-m", "retention", "--url", f"sqlite:///{db}", "--hours", "1"],
        cwd=REPO_ROOT,
        env={"PYTHONPATH": "bot", "PATH": "/usr/bin:/bin", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "deleted 10 events older than 1 hours: 1 conversations whole, 1 in part" in result.stdout
    assert "gammel" not in result.stdout + result.stderr  # counts only, never conversation ids


# ---------------------------------------------------------------- the Redis store


@pytest.fixture
def redis_store() -> Iterator[tuple[RedactingTrackerStore, redis.Redis]]:
    """The wrapper over Rasa's RedisTrackerStore under a key prefix of this test alone (its keys removed after)."""
    client = redis.Redis(db=REDIS_DB, socket_connect_timeout=1, decode_responses=True)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis at 127.0.0.1:6379 does not answer")
    prefix = "t" + uuid.uuid4().hex[:12]
    store = RedactingTrackerStore(
        domain=DOMAIN, host="127.0.0.1", backend="redis", port=6379, db=REDIS_DB, key_prefix=prefix, record_exp=86400
    )
    yield store, client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def _redis_texts(store: RedactingTrackerStore, sender: str) -> list[str]:
    tracker = asyncio.run(store.retrieve_full_tracker(sender))
    return [] if tracker is None else [e.text for e in tracker.events if isinstance(e, UserUttered)]


def _redis_endpoints(tmp_path: Path, store: RedactingTrackerStore) -> Path:
    prefix = store.inner.key_prefix.split(":")[0]
    endpoints = tmp_path / "endpoints-redis.yml"
    endpoints.write_text(
        "tracker_store:\n  type: redacting_store.RedactingTrackerStore\n  backend: redis\n  url: 127.0.0.1\n"
        f"  port: 6379\n  db: {REDIS_DB}\n  key_prefix: {prefix}\n  record_exp: 86400\n"
    )
    return endpoints


def test_redis_keeps_the_old_days_of_a_conversation_used_every_day_only_until_the_job_runs(
    redis_store: tuple[RedactingTrackerStore, redis.Redis], tmp_path: Path
) -> None:
    store, _ = redis_store
    sender = uuid.uuid4().hex
    for age, text in ((72, "tre dager siden"), (48, "i forgårs"), (23, "i går"), (1, "i dag")):
        _day(store, sender, age_hours=age, text=text)
    # Every save renews record_exp, so Redis alone never lets the old days go.
    assert _redis_texts(store, sender) == ["tre dager siden", "i forgårs", "i går", "i dag"]

    assert main(["--endpoints", str(_redis_endpoints(tmp_path, store)), "--hours", "24"]) == 0

    assert _redis_texts(store, sender) == ["i går", "i dag"]
    _day(store, sender, age_hours=0, text="nå")
    assert _redis_texts(store, sender) == ["i går", "i dag", "nå"]


def test_redis_conversation_older_than_the_limit_goes_whole_and_its_expiry_stays(
    redis_store: tuple[RedactingTrackerStore, redis.Redis], tmp_path: Path
) -> None:
    store, client = redis_store
    old, recent = uuid.uuid4().hex, uuid.uuid4().hex
    _day(store, old, age_hours=30)
    _day(store, recent, age_hours=25)
    _day(store, recent, age_hours=1)

    assert main(["--endpoints", str(_redis_endpoints(tmp_path, store)), "--hours", "24"]) == 0

    assert asyncio.run(store.retrieve_full_tracker(old)) is None
    assert _redis_texts(store, recent) == ["hei"]
    key = store.inner.key_prefix + recent
    assert 0 < client.ttl(key) <= 86400  # record_exp still expires what nobody touches
