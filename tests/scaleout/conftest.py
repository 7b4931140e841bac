"""Two Rasa instances sharing a PostgreSQL tracker store and a Redis lock store (bot/endpoints-prod.yml).

Runs when the PostgreSQL server (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer; skipped otherwise.
Each run gets a fresh PostgreSQL database (dropped afterwards) and two dedicated Redis db numbers (flushed).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from rest_stack import Stack, launch

from testing.local_servers import postgres_reachable, redis_reachable, temporary_database

REDIS_LOCK_DB = 13
REDIS_RATE_DB = 14
RATE_PER_ADDRESS = 30


@pytest.fixture(scope="session")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, str]]:
    """One catalogue, one action server and Rasa instances "rasa" and "rasa2"; and the tracker database's URL."""
    if not postgres_reachable():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    if not redis_reachable():
        pytest.skip("Redis at 127.0.0.1:6379 does not answer")
    for db in (REDIS_LOCK_DB, REDIS_RATE_DB):
        redis.Redis(db=db).flushdb()
    try:
        with temporary_database("veiviser_scaleout") as url:
            stack = launch(
                tmp_path_factory.mktemp("scaleout"),
                rasa_instances=2,
                endpoints="bot/endpoints-prod.yml",
                DB_HOST="127.0.0.1",
                DB_PORT="5432",
                DB_NAME=url.rsplit("/", 1)[1],
                DB_USER="postgres",
                DB_PASSWORD="",
                REDIS_HOST="127.0.0.1",
                REDIS_PORT="6379",
                REDIS_LOCK_DB=str(REDIS_LOCK_DB),
                REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_RATE_DB}",
                VEIVISER_RATE_PER_ADDRESS=str(RATE_PER_ADDRESS),
            )
            try:
                yield stack, url
            finally:
                stack.stop_all()
    finally:
        for db in (REDIS_LOCK_DB, REDIS_RATE_DB):
            redis.Redis(db=db).flushdb()


@pytest.fixture(scope="session")
def rate_per_address() -> int:
    """The per-address limit the instances run with (shared through Redis)."""
    return RATE_PER_ADDRESS
