"""Two Rasa instances sharing a PostgreSQL tracker store and a Redis lock store (bot/endpoints-prod.yml).

Runs when the PostgreSQL server (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer; skipped otherwise.
Each run gets a fresh PostgreSQL database (dropped afterwards) and two dedicated Redis db numbers (flushed).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from rest_stack import Stack, launch
from sqlalchemy import create_engine, text

POSTGRES_ADMIN_URL = os.environ.get("VEIVISER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_LOCK_DB = 13
REDIS_RATE_DB = 14
RATE_PER_ADDRESS = 30


def _reachable() -> str | None:
    try:
        probe = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 2})
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
        probe.dispose()
    except Exception:  # noqa: BLE001 - any failure means "skip"
        return "PostgreSQL at 127.0.0.1:5432 does not answer"
    try:
        redis.Redis(socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return "Redis at 127.0.0.1:6379 does not answer"
    return None


@pytest.fixture(scope="session")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, str]]:
    """One catalogue, one action server and Rasa instances "rasa" and "rasa2"; and the tracker database's URL."""
    reason = _reachable()
    if reason:
        pytest.skip(reason)
    name = f"veiviser_scaleout_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    for db in (REDIS_LOCK_DB, REDIS_RATE_DB):
        redis.Redis(db=db).flushdb()
    stack = None
    try:
        stack = launch(
            tmp_path_factory.mktemp("scaleout"),
            rasa_instances=2,
            endpoints="bot/endpoints-prod.yml",
            DB_HOST="127.0.0.1",
            DB_PORT="5432",
            DB_NAME=name,
            DB_USER="postgres",
            DB_PASSWORD="",
            REDIS_HOST="127.0.0.1",
            REDIS_PORT="6379",
            REDIS_LOCK_DB=str(REDIS_LOCK_DB),
            REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_RATE_DB}",
            VEIVISER_RATE_PER_ADDRESS=str(RATE_PER_ADDRESS),
        )
        yield stack, POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        if stack is not None:
            stack.stop_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        for db in (REDIS_LOCK_DB, REDIS_RATE_DB):
            redis.Redis(db=db).flushdb()


@pytest.fixture(scope="session")
def rate_per_address() -> int:
    """The per-address limit the instances run with (shared through Redis)."""
    return RATE_PER_ADDRESS
