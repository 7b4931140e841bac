"""Load on the production shape (issue 6): 50 and 200 conversations at once against one and two Rasa instances.

Each configuration is ``bot/endpoints-prod.yml`` as compose runs it, on this machine: nginx balancing the Rasa
instances, a PostgreSQL tracker store (redacted), the atomic Redis lock store, the catalogue on PostgreSQL, one
action server. Every configuration gets fresh databases, dropped afterwards. The conversations are the e2e
benchmark's scripts (every fourth a crisis), in three levels:

- ``capacity``: 50 clients, each sending its next message the moment the reply is in: the most one and two
  instances can answer per second on this machine;
- ``50 typing`` and ``200 typing``: 50 and 200 conversations at once where, as on a phone, each message after
  the first comes PAUSE_S after the reply (uniformly random), and conversations start spread over that range.

Measured: throughput, latency percentiles, errors (a non-200, an empty reply or a failed request: must be 0),
peak memory per process, and afterwards whether the tracker store holds every user message exactly once
(nothing lost to two instances handling one conversation at once).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import create_engine, text

from bench import report, stack
from bench.e2e_load import VEIVISER_SCRIPTS, Pause, run_level, warm_up
from bench.memory import PeakMemory
from testing.local_servers import database_url, temporary_database

REDIS_LOCK_DB = 11
INSTANCES = (1, 2)
# Reading a short reply and typing the next message with thumbs: 5 to 15 s (10 s on average).
PAUSE_S = (5.0, 15.0)
# (label, conversations at once, conversations in all, pause between messages)
LEVELS: tuple[tuple[str, int, int, Pause | None], ...] = (
    ("capacity", 50, 200, None),
    ("50 typing", 50, 100, PAUSE_S),
    ("200 typing", 200, 400, PAUSE_S),
)


@contextmanager
def fresh_stores() -> Iterator[stack.SharedStores]:
    """Two new PostgreSQL databases (catalogue, tracker) and an emptied Redis db, removed afterwards."""
    lock_db = redis.Redis(db=REDIS_LOCK_DB)
    lock_db.flushdb()
    try:
        with (
            temporary_database("veiviser_bench_catalogue") as catalogue,
            temporary_database("veiviser_bench_tracker") as tracker,
        ):
            yield stack.SharedStores(
                catalogue_url=catalogue, tracker_db=tracker.rsplit("/", 1)[1], redis_lock_db=REDIS_LOCK_DB
            )
    finally:
        lock_db.flushdb()


def stored_user_messages(tracker_db: str) -> tuple[int, int]:
    """User events in the tracker store, and how many (sender, text, timestamp) rows occur more than once."""
    engine = create_engine(database_url(tracker_db))
    try:
        with engine.connect() as conn:
            users = conn.execute(text("SELECT count(*) FROM events WHERE type_name = 'user'")).scalar_one()
            duplicates = conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT sender_id, timestamp FROM events WHERE type_name = 'user' "
                    "GROUP BY sender_id, timestamp HAVING count(*) > 1) AS twice"
                )
            ).scalar_one()
        return int(users), int(duplicates)
    finally:
        engine.dispose()


def measure(instances: int, model: Path, folder: Path) -> dict[str, Any]:
    """Every level against one configuration, started once on fresh stores."""
    rows = []
    with fresh_stores() as stores, stack.veiviser_scaled_out(folder, model, instances, stores) as running:
        pids = {name: proc.pid for name, proc in running.processes.items()}
        asyncio.run(warm_up(running.webhook, VEIVISER_SCRIPTS))
        for label, concurrency, conversations, pause in LEVELS:
            stored_before = stored_user_messages(stores.tracker_db)[0]
            with PeakMemory(pids) as memory:
                result, tally = asyncio.run(
                    run_level(running.webhook, VEIVISER_SCRIPTS, concurrency, conversations=conversations, pause=pause)
                )
            users, duplicated = stored_user_messages(stores.tracker_db)
            row = {
                "instances": instances,
                "level": label,
                **result.as_dict(),
                "doors_replies": tally.doors_replies,
                "stored_user_messages": users - stored_before,
                "duplicated_user_messages": duplicated,
                "peak_rss_mb": memory.peaks_mb,
            }
            rows.append(row)
            sys.stdout.write(f"scale {row}\n")
            sys.stdout.flush()
    return {"levels": rows}


def main() -> dict[str, Any]:
    """One instance, then two; write results/scale.{json,md}."""
    meta = report.conditions()
    meta["load_average_start"] = meta["load_average"]
    with tempfile.TemporaryDirectory(prefix="veiviser-scale-") as tmp:
        folder = Path(tmp)
        model = stack.snapshot_model(folder)
        meta["model"] = model.name
        results = {}
        for instances in INSTANCES:
            (folder / f"i{instances}").mkdir()
            results[f"{instances}"] = measure(instances, model, folder / f"i{instances}")
    meta["load_average"] = report.conditions()["load_average"]
    meta["shape"] = (
        "nginx round-robin over N Rasa instances (bot/endpoints-prod.yml: redacting PostgreSQL tracker store, "
        "atomic Redis lock store), one action server, catalogue on PostgreSQL; each conversation is 4 messages "
        f"with kommune 9999; levels (label, at once, conversations, pause s): {LEVELS}; fresh databases per "
        "configuration"
    )
    report.write("scale", meta, results, markdown(results, meta))
    return results


def markdown(results: dict[str, Any], meta: dict[str, Any]) -> str:
    """The table for bench/README.md (report.write puts the conditions line above it)."""
    header = ["Rasa instances", "level", "at once", "messages", "errors", "msg/s", "p50 ms", "p95 ms", "p99 ms",
              "stored user msgs", "duplicated", "peak RSS MB"]  # fmt: skip
    rows = []
    for configuration in results.values():
        for row in configuration["levels"]:
            memory = ", ".join(f"{name} {mb:.0f}" for name, mb in row["peak_rss_mb"].items())
            rows.append(
                [row["instances"], row["level"], row["concurrency"], row["requests"], row["errors"], row["per_second"],
                 round(row["p50_ms"]), round(row["p95_ms"]), round(row["p99_ms"]),
                 row["stored_user_messages"], row["duplicated_user_messages"], memory]
            )  # fmt: skip
    return report.table(header, rows) + f"\n\nShape: {meta['shape']}.\n"
