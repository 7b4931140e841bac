"""bot/retention.py against rows written by Rasa's SQLTrackerStore (through the redacting wrapper), on SQLite
and on PostgreSQL when it answers: old conversations go, recent ones stay whole."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from retention import delete_expired, main, tracker_db_url
from tracker_db import TRACKER_DOMAIN as DOMAIN

REPO_ROOT = Path(__file__).resolve().parents[2]
HOUR = 3600.0


def _save(store: TrackerStore, sender: str, age_hours: float) -> None:
    at = time.time() - age_hours * HOUR
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen", timestamp=at - 60))
    tracker.update(UserUttered("hei", intent={"name": "hilsen", "confidence": 1.0}, timestamp=at - 30))
    tracker.update(ActionExecuted("utter_hilsen", timestamp=at))
    asyncio.run(store.save(tracker))


def _senders(engine: sa.engine.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))
        return {str(sender): int(count) for sender, count in rows}


def test_old_conversations_are_deleted_recent_ones_kept(sql_store: tuple[TrackerStore, sa.engine.Engine]) -> None:
    store, engine = sql_store
    old, recent, old_but_active = (uuid.uuid4().hex for _ in range(3))
    _save(store, old, age_hours=30)
    _save(store, recent, age_hours=1)
    _save(store, old_but_active, age_hours=48)
    # A new message today keeps the whole conversation (the latest event counts, not the first).
    tracker = asyncio.run(store.retrieve(old_but_active))
    assert tracker is not None
    tracker.update(UserUttered("hei igjen", intent={"name": "hilsen", "confidence": 1.0}))
    asyncio.run(store.save(tracker))

    deleted = delete_expired(engine, max_age_hours=24)

    assert (deleted.conversations, deleted.events) == (1, 3)
    assert set(_senders(engine)) == {recent, old_but_active}
    assert _senders(engine)[old_but_active] == 4


def test_limit_is_configurable(sql_store: tuple[TrackerStore, sa.engine.Engine]) -> None:
    store, engine = sql_store
    sender = uuid.uuid4().hex
    _save(store, sender, age_hours=3)
    assert delete_expired(engine, max_age_hours=4).conversations == 0
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
    from redacting_store import RedactingTrackerStore

    store = RedactingTrackerStore(domain=DOMAIN, backend="sql", dialect="sqlite", db=str(db))
    _save(store, "gammel", age_hours=25)
    _save(store, "ny", age_hours=0)
    monkeypatch.setenv("VEIVISER_RETENTION_HOURS", "24")
    assert main(["--endpoints", str(endpoints)]) == 0
    assert set(_senders(sa.create_engine(f"sqlite:///{db}"))) == {"ny"}


def test_python_dash_m_retention_runs_as_a_job(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    from redacting_store import RedactingTrackerStore

    _save(RedactingTrackerStore(domain=DOMAIN, backend="sql", dialect="sqlite", db=str(db)), "gammel", age_hours=2)
    result = subprocess.run(
        [sys.executable, "-m", "retention", "--url", f"sqlite:///{db}", "--hours", "1"],
        cwd=REPO_ROOT,
        env={"PYTHONPATH": "bot", "PATH": "/usr/bin:/bin", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "deleted 1 conversations (3 events)" in result.stdout
    assert "gammel" not in result.stdout + result.stderr  # counts only, never conversation ids
