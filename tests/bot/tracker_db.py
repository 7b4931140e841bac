"""Fresh tracker-store databases for the Rasa-side privacy tests: SQLite, and PostgreSQL when it answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from redacting_store import RedactingTrackerStore

from testing.local_servers import admin_url, postgres_reachable, temporary_database

# Rasa's SQLAlchemy 1.4 store talks to PostgreSQL through psycopg2 (the plain "postgresql" scheme).
POSTGRES_ADMIN_URL = admin_url("postgresql")
TRACKER_DOMAIN = Domain.from_dict({"slots": {"need": {"type": "text", "mappings": [{"type": "custom"}]}}})


def sql_store_on(backend: str, tmp_path: Path) -> Iterator[tuple[RedactingTrackerStore, sa.engine.Engine]]:
    """The wrapper over Rasa's SQLTrackerStore on a fresh database (sqlite, postgresql), and an engine to read it."""
    if backend == "sqlite":
        db = tmp_path / "tracker.db"
        store = RedactingTrackerStore(domain=TRACKER_DOMAIN, backend="sql", dialect="sqlite", db=str(db))
        engine = sa.create_engine(f"sqlite:///{db}")
        yield store, engine
        engine.dispose()
        return
    if not postgres_reachable(POSTGRES_ADMIN_URL):
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    with temporary_database("veiviser_tracker", POSTGRES_ADMIN_URL) as url:
        name = url.rsplit("/", 1)[1]
        store = RedactingTrackerStore(domain=TRACKER_DOMAIN, host=url, backend="sql", dialect="postgresql", db=name)
        engine = sa.create_engine(url)
        try:
            yield store, engine
        finally:
            engine.dispose()
            assert isinstance(store.inner, SQLTrackerStore)
            store.inner.engine.dispose()
