"""Delete every stored event older than the retention limit (issue 6, privacy; issue 13: per event).

Rasa Open Source has no retention setting, so this job does it: every event whose timestamp is older than
``VEIVISER_RETENTION_HOURS`` (default 24) is deleted, whatever happened later in the same conversation. A
conversation used every day keeps only its last day (it goes on from there: Rasa reads back the latest session,
and a session ends after 60 minutes without a message, bot/domain/core.yml); one nobody touched for longer than
the limit goes whole. Run it from cron or a scheduled job, hourly::

    PYTHONPATH=bot .venv-rasa/bin/python -m retention --endpoints bot/endpoints-prod.yml
    PYTHONPATH=bot .venv-rasa/bin/python -m retention --url sqlite:///var/rasa-tracker.db --hours 24

The store is the tracker store of the endpoints file (``${ENV}`` substituted as Rasa does): SQL (the ``events``
table), or Redis, where each conversation is one record (``record_exp`` still expires a record nobody touches,
but every save renews it, so the job trims the records of conversations still in use); ``--url`` names a SQL
database instead. It prints how many events and conversations were deleted, never which.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import redis
import sqlalchemy as sa

logger = logging.getLogger("retention")

DEFAULT_HOURS = 24.0


@dataclass(frozen=True)
class Deleted:
    """What one run removed: events, conversations removed whole, and conversations that lost older events."""

    conversations: int
    events: int
    shortened: int = 0


def _tracker_store_config(endpoints_file: str) -> tuple[str | None, str | None, dict[str, Any]]:
    """The backend (sql, redis, memory), URL and other settings of an endpoints file's tracker store."""
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(endpoints_file, "tracker_store")
    if config is None:
        raise SystemExit(f"{endpoints_file} has no tracker_store")
    settings = dict(config.kwargs)
    backend = config.type if config.type in ("sql", "redis") else settings.pop("backend", None)
    return backend, config.url, settings


def tracker_db_url(endpoints_file: str) -> str | sa.engine.URL:
    """The SQL tracker store's database URL from an endpoints file (our wrapper or Rasa's ``type: sql``)."""
    from rasa.core.tracker_store import SQLTrackerStore

    backend, url, settings = _tracker_store_config(endpoints_file)
    if backend != "sql":
        raise SystemExit(f"the tracker store in {endpoints_file} is not SQL")
    return SQLTrackerStore.get_db_url(
        dialect=settings.get("dialect", "sqlite"),
        host=url or settings.get("host"),
        port=int(settings["port"]) if settings.get("port") else None,
        db=settings.get("db", "rasa.db"),
        username=settings.get("username"),
        password=settings.get("password"),
        query=settings.get("query"),
    )


def _cutoff(max_age_hours: float, now: float | None) -> float:
    return (time.time() if now is None else now) - max_age_hours * 3600


def delete_expired(engine: sa.engine.Engine, max_age_hours: float, now: float | None = None) -> Deleted:
    """Delete every event of the SQL store older than ``max_age_hours``; one transaction."""
    cutoff = _cutoff(max_age_hours, now)
    with engine.begin() as conn:
        if not sa.inspect(conn).has_table("events"):
            return Deleted(0, 0)
        touched = sa.text(
            "SELECT sender_id, MAX(timestamp) < :cutoff FROM events WHERE sender_id IN "
            "(SELECT sender_id FROM events WHERE timestamp < :cutoff) GROUP BY sender_id"
        )
        whole = [bool(emptied) for _, emptied in conn.execute(touched, {"cutoff": cutoff})]
        result = conn.execute(sa.text("DELETE FROM events WHERE timestamp < :cutoff"), {"cutoff": cutoff})
    return Deleted(conversations=sum(whole), events=result.rowcount, shortened=len(whole) - sum(whole))


def delete_expired_redis(
    client: redis.Redis, key_prefix: str, max_age_hours: float, now: float | None = None
) -> Deleted:
    """Trim every conversation record under ``key_prefix`` to the events younger than ``max_age_hours``.

    Each record is rewritten in a transaction that fails when Rasa saved the record meanwhile (WATCH), and is
    then read again; its expiry (``record_exp``) is kept.
    """
    cutoff = _cutoff(max_age_hours, now)
    deleted = Deleted(0, 0)
    for key in client.scan_iter(match=key_prefix + "*"):
        with client.pipeline() as pipe:
            while True:
                try:
                    deleted = _trim_record(pipe, key, cutoff, deleted)
                    break
                except redis.WatchError:
                    continue
    return deleted


def _trim_record(pipe: Any, key: Any, cutoff: float, so_far: Deleted) -> Deleted:
    pipe.watch(key)
    stored = pipe.get(key)
    if stored is None:
        pipe.unwatch()
        return so_far
    dialogue = json.loads(stored)
    events = dialogue.get("events") or []
    kept = [event for event in events if float(event.get("timestamp") or 0) >= cutoff]
    if len(kept) == len(events):
        pipe.unwatch()
        return so_far
    pipe.multi()
    if kept:
        pipe.set(key, json.dumps({**dialogue, "events": kept}), keepttl=True)
    else:
        pipe.delete(key)
    pipe.execute()
    return Deleted(
        conversations=so_far.conversations + (not kept),
        events=so_far.events + len(events) - len(kept),
        shortened=so_far.shortened + bool(kept),
    )


def _delete_in_sql(url: str | sa.engine.URL, hours: float) -> Deleted:
    engine = sa.create_engine(url)
    try:
        return delete_expired(engine, hours)
    finally:
        engine.dispose()


def _delete_in_store(endpoints_file: str, hours: float) -> Deleted:
    backend, url, settings = _tracker_store_config(endpoints_file)
    if backend == "sql":
        return _delete_in_sql(tracker_db_url(endpoints_file), hours)
    if backend != "redis":
        raise SystemExit(f"the tracker store in {endpoints_file} keeps nothing (backend {backend}); nothing to do")
    from rasa.core.tracker_store import RedisTrackerStore
    from redacting_store import RedactingTrackerStore

    # Rasa's own store reads the connection settings, so the job finds the records exactly where Rasa keeps them.
    store = RedactingTrackerStore(host=url, backend="redis", **settings).inner
    assert isinstance(store, RedisTrackerStore)
    return delete_expired_redis(store.red, store.key_prefix, hours)


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
    deleted = _delete_in_sql(args.url, hours) if args.url else _delete_in_store(args.endpoints, hours)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    logger.info(
        "retention: deleted %d events older than %g hours: %d conversations whole, %d in part",
        deleted.events,
        hours,
        deleted.conversations,
        deleted.shortened,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
