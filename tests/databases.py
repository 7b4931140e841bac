"""Where the test PostgreSQL server is, and whether it answers (tests/conftest.py and the fault tests use it)."""

from __future__ import annotations

import os

from sqlalchemy import create_engine, text

POSTGRES_ADMIN_URL = os.environ.get("VEIVISER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_reachable() -> bool:
    """True when the PostgreSQL server answers a trivial query within two seconds."""
    try:
        probe = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 2})
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
        probe.dispose()
    except Exception:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        return False
    return True
