"""Delete stored conversations whose latest event is older than the retention limit (issue 6, privacy).

Rasa Open Source has no retention setting for its SQL tracker store, so this job does it: every
conversation (``sender_id``) whose newest event in the ``events`` table is older than
``VEIVISER_RETENTION_HOURS`` (default 24) loses all its events. Run it from cron or a scheduled job::

    PYTHONPATH=bot .venv-rasa/bin/python -m retention --endpoints bot/endpoints-prod.yml
    PYTHONPATH=bot .venv-rasa/bin/python -m retention --url sqlite:///var/rasa-tracker.db --hours 24

The database is the tracker store of the endpoints file (``${ENV}`` substituted as Rasa does), or ``--url``.
It prints how many conversations and events were deleted, never which. The Redis tracker store needs no job:
``record_exp`` expires its records (bot/endpoints-redis.yml).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

logger = logging.getLogger("retention")

DEFAULT_HOURS = 24.0


@dataclass(frozen=True)
class Deleted:
    """What one run removed."""

    conversations: int
    events: int


def tracker_db_url(endpoints_file: str) -> str | sa.engine.URL:
    """The SQL tracker store's database URL from an endpoints file (our wrapper or Rasa's ``type: sql``)."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(endpoints_file, "tracker_store")
    if config is None:
        raise SystemExit(f"{endpoints_file} has no tracker_store")
    settings = dict(config.kwargs)
    backend = "sql" if config.type == "sql" else settings.pop("backend", None)
    if backend != "sql":
        raise SystemExit(f"the tracker store in {endpoints_file} is not SQL; nothing for this job to do")
    return SQLTrackerStore.get_db_url(
        dialect=settings.get("dialect", "sqlite"),
        host=config.url or settings.get("host"),
        port=int(settings["port"]) if settings.get("port") else None,
        db=settings.get("db", "rasa.db"),
        username=settings.get("username"),
        password=settings.get("password"),
        query=settings.get("query"),
    )


def delete_expired(engine: sa.engine.Engine, max_age_hours: float, now: float | None = None) -> Deleted:
    """Delete every conversation whose latest event is older than ``max_age_hours``; one transaction."""
    cutoff = (time.time() if now is None else now) - max_age_hours * 3600
    expired = sa.text("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff")
    with engine.begin() as conn:
        if not sa.inspect(conn).has_table("events"):
            return Deleted(0, 0)
        senders = [row[0] for row in conn.execute(expired, {"cutoff": cutoff})]
        events = 0
        for start in range(0, len(senders), 500):
            chunk = senders[start : start + 500]
            # Re-check the age inside the DELETE: a conversation that got a new message meanwhile stays.
            result = conn.execute(
                sa.text(
                    "DELETE FROM events WHERE sender_id IN :senders AND sender_id NOT IN "
                    "(SELECT sender_id FROM events WHERE sender_id IN :senders AND timestamp >= :cutoff)"
                ).bindparams(sa.bindparam("senders", expanding=True)),
                {"senders": chunk, "cutoff": cutoff},
            )
            events += result.rowcount
    return Deleted(len(senders), events)


def _hours_from_env() -> float:
    raw = os.environ.get("VEIVISER_RETENTION_HOURS", "").strip()
    try:
        hours = float(raw) if raw else DEFAULT_HOURS
    except ValueError as error:
        raise SystemExit(f"VEIVISER_RETENTION_HOURS must be a number of hours, not {raw!r}") from error
    return hours


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: parse arguments, delete, report counts."""
    parser = argparse.ArgumentParser(prog="python -m retention", description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--endpoints", default="bot/endpoints.yml", help="endpoints file with the tracker store")
    source.add_argument("--url", help="SQLAlchemy URL of the tracker store database instead")
    parser.add_argument("--hours", type=float, default=None, help="retention in hours (VEIVISER_RETENTION_HOURS, 24)")
    args = parser.parse_args(argv)
    hours = _hours_from_env() if args.hours is None else args.hours
    if hours < 0:
        parser.error("--hours must not be negative")
    url = args.url or tracker_db_url(args.endpoints)
    engine = sa.create_engine(url)
    try:
        deleted = delete_expired(engine, hours)
    finally:
        engine.dispose()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    logger.info(
        "retention: deleted %d conversations (%d events) older than %g hours",
        deleted.conversations,
        deleted.events,
        hours,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
