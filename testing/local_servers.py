"""The local PostgreSQL and Redis that tests and benchmarks use: where they are, whether they answer, and
throwaway databases. Standard library and SQLAlchemy only (1.4 in .venv-rasa, 2 in .venv), Redis imported lazily.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

POSTGRES_ADMIN_URL = os.environ.get("VEIVISER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def admin_url(driver: str | None = None) -> str:
    """The admin URL, with ``driver`` as its scheme when given (``postgresql`` for psycopg2 under Rasa)."""
    if driver is None:
        return POSTGRES_ADMIN_URL
    return driver + "://" + POSTGRES_ADMIN_URL.split("://", 1)[1]


def database_url(name: str, admin: str = POSTGRES_ADMIN_URL) -> str:
    """The URL of database ``name`` on the admin URL's server."""
    return admin.rsplit("/", 1)[0] + "/" + name


def postgres_reachable(admin: str = POSTGRES_ADMIN_URL) -> bool:
    """True when the PostgreSQL server answers a trivial query within two seconds."""
    try:
        probe = create_engine(admin, connect_args={"connect_timeout": 2})
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
        probe.dispose()
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
    return True


def redis_reachable(db: int = 0) -> bool:
    """True when Redis at 127.0.0.1:6379 answers a ping within a second."""
    import redis

    try:
        return bool(redis.Redis(db=db, socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


@contextmanager
def temporary_database(prefix: str, admin: str = POSTGRES_ADMIN_URL) -> Iterator[str]:
    """A new empty database named ``<prefix>_<random>``; yields its URL and drops it afterwards, even if in use."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 2})
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield database_url(name, admin)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
