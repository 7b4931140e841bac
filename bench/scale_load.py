"""Load on the production shape (issue 6): 50 and 200 conversations at once against one and two Rasa instances.

Each configuration is ``bot/endpoints-prod.yml`` as compose runs it, on this machine: nginx balancing the Rasa
instances, a PostgreSQL tracker store (redacted), the atomic Redis lock store, the catalogue on PostgreSQL, one
action server. Every configuration gets fresh databases, dropped afterwards. The conversations are the e2e
benchmark's scripts (every fourth a crisis). Measured: throughput, latency percentiles, errors (a non-200, an
empty reply or a failed request), peak memory per process, and afterwards whether the tracker store holds every
user message exactly once (nothing lost to two instances handling one conversation at once).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import create_engine, text

from bench import report, stack
from bench.e2e_load import VEIVISER_SCRIPTS, run_level, warm_up
from bench.memory import PeakMemory

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_LOCK_DB = 11
INSTANCES = (1, 2)
LEVELS = (50, 200)
# Conversations per level: four rounds of every client, four messages each.
CONVERSATIONS = {50: 200, 200: 800}


@contextmanager
def fresh_stores() -> Iterator[stack.SharedStores]:
    """Two new PostgreSQL databases (catalogue, tracker) and an emptied Redis db, removed afterwards."""
    suffix = uuid.uuid4().hex[:8]
    names = (f"veiviser_bench_catalogue_{suffix}", f"veiviser_bench_tracker_{suffix}")
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    lock_db = redis.Redis(db=REDIS_LOCK_DB)
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        lock_db.flushdb()
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        yield stack.SharedStores(catalogue_url=f"{base}/{names[0]}", tracker_db=names[1], redis_lock_db=REDIS_LOCK_DB)
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        lock_db.flushdb()


def stored_user_messages(tracker_db: str) -> tuple[int, int]:
    """User events in the tracker store, and how many (sender, text, timestamp) rows occur more than once."""
    engine = create_engine(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + tracker_db)
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
    """Every level against one configuration, each level on fresh stores."""
    rows = []
    for level in LEVELS:
        run_folder = folder / f"i{instances}-c{level}"
        run_folder.mkdir()
        with fresh_stores() as stores, stack.veiviser_scaled_out(run_folder, model, instances, stores) as running:
            pids = {name: proc.pid for name, proc in running.processes.items()}
            asyncio.run(warm_up(running.webhook, VEIVISER_SCRIPTS))
            warm_up_users = stored_user_messages(stores.tracker_db)[0]
            with PeakMemory(pids) as memory:
                result, tally = asyncio.run(
                    run_level(running.webhook, VEIVISER_SCRIPTS, level, conversations=CONVERSATIONS[level])
                )
            users, duplicated = stored_user_messages(stores.tracker_db)
        row = {
            "instances": instances,
            **result.as_dict(),
            "doors_replies": tally.doors_replies,
            "stored_user_messages": users - warm_up_users,
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
        results = {f"{n}": measure(n, model, folder) for n in INSTANCES}
    meta["load_average"] = report.conditions()["load_average"]
    meta["shape"] = (
        "nginx round-robin over N Rasa instances (bot/endpoints-prod.yml: redacting PostgreSQL tracker store, "
        "atomic Redis lock store), one action server, catalogue on PostgreSQL; each conversation is 4 messages "
        f"with kommune 9999; conversations per level {CONVERSATIONS}; fresh databases per level"
    )
    report.write("scale", meta, results, markdown(results, meta))
    return results


def markdown(results: dict[str, Any], meta: dict[str, Any]) -> str:
    """The table for bench/README.md (report.write puts the conditions line above it)."""
    header = ["Rasa instances", "at once", "messages", "errors", "msg/s", "p50 ms", "p95 ms", "p99 ms",
              "stored user msgs", "duplicated", "peak RSS MB"]  # fmt: skip
    rows = []
    for configuration in results.values():
        for row in configuration["levels"]:
            memory = ", ".join(f"{name} {mb:.0f}" for name, mb in row["peak_rss_mb"].items())
            rows.append(
                [row["instances"], row["concurrency"], row["requests"], row["errors"], row["per_second"],
                 round(row["p50_ms"]), round(row["p95_ms"]), round(row["p99_ms"]),
                 row["stored_user_messages"], row["duplicated_user_messages"], memory]
            )  # fmt: skip
    return report.table(header, rows) + f"\n\nShape: {meta['shape']}.\n"
