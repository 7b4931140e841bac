"""Fresh tracker-store databases for the Rasa-side privacy tests: SQLite, and PostgreSQL when it answers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from redacting_store import RedactingTrackerStore

POSTGRES_ADMIN_URL = os.environ.get("VEIVISER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test").replace(
    "postgresql+psycopg://", "postgresql://"
)
TRACKER_DOMAIN = Domain.from_dict({"slots": {"need": {"type": "text", "mappings": [{"type": "custom"}]}}})


def _postgres_reachable() -> bool:
    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        return False
    return True


def sql_store_on(backend: str, tmp_path: Path) -> Iterator[tuple[RedactingTrackerStore, sa.engine.Engine]]:
    """The wrapper over Rasa's SQLTrackerStore on a fresh database (sqlite, postgresql), and an engine to read it."""
    if backend == "sqlite":
        db = tmp_path / "tracker.db"
        store = RedactingTrackerStore(domain=TRACKER_DOMAIN, backend="sql", dialect="sqlite", db=str(db))
        engine = sa.create_engine(f"sqlite:///{db}")
        yield store, engine
        engine.dispose()
        return
    if not _postgres_reachable():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    name = f"veiviser_tracker_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    store = RedactingTrackerStore(domain=TRACKER_DOMAIN, host=url, backend="sql", dialect="postgresql", db=name)
    engine = sa.create_engine(url)
    try:
        yield store, engine
    finally:
        engine.dispose()
        assert isinstance(store.inner, SQLTrackerStore)
        store.inner.engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
