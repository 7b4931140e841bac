"""Latency and throughput of ``GET /api/v1/route`` alone, on SQLite and PostgreSQL, through real HTTP.

Starts the catalogue with uvicorn in a subprocess on a free loopback port, sends a fixed, bounded number
of requests (one client, then ten concurrent clients), and writes percentiles to bench/results/.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlmodel import Session

from service_catalog.config import get_settings
from service_catalog.db import make_engine
from service_catalog.migrate import upgrade
from service_catalog.seed import seed

RESULTS = Path(__file__).resolve().parent / "results"
POSTGRES_ADMIN_URL = os.environ.get("VEIVISER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
QUERIES = [
    {"need": "angst_uro", "kommune": "9999", "age": "15"},
    {"need": "selvmordstanker", "kommune": "9999"},
    {"need": "nedstemthet", "kommune": "0301", "age": "17"},
    {"need": "mobbing"},
    {"need": "vold_hjemme", "kommune": "9999", "age": "13"},
]
REQUESTS_SEQUENTIAL = 1000
REQUESTS_CONCURRENT = 2000
CONCURRENCY = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            _prepare(url)
            yield url
        return
    name = f"veiviser_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        _prepare(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _prepare(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        seed(session, get_settings())
    engine.dispose()


@contextmanager
def _server(url: str) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "VEIVISER_ENVIRONMENT": "test"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "service_catalog.main:app", "--port", str(port), "--log-level", "warning"],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50_ms": round(q[49] * 1000, 2), "p95_ms": round(q[94] * 1000, 2), "p99_ms": round(q[98] * 1000, 2)}


async def _run(base: str, total: int, concurrency: int) -> dict[str, float]:
    samples: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in counter:
            started = time.perf_counter()
            response = await client.get("/api/v1/route", params=QUERIES[i % len(QUERIES)])
            samples.append(time.perf_counter() - started)
            errors += response.status_code != 200

    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for i in range(50):  # warm-up
            await client.get("/api/v1/route", params=QUERIES[i % len(QUERIES)])
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "requests": total,
        "concurrency": concurrency,
        "errors": errors,
        "req_per_s": round(total / elapsed, 1),
        **_percentiles(samples),
    }


def main() -> None:
    """Measure both backends (PostgreSQL when reachable) and write JSON and Markdown results."""
    backends = ["sqlite"]
    try:
        probe = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 2})
        with probe.connect():
            backends.append("postgresql")
    except Exception:  # noqa: BLE001 - no server, no PostgreSQL figures
        pass
    results = []
    for backend in backends:
        with _database(backend) as url, _server(url) as base:
            for total, concurrency in ((REQUESTS_SEQUENTIAL, 1), (REQUESTS_CONCURRENT, CONCURRENCY)):
                row = {"backend": backend, **asyncio.run(_run(base, total, concurrency))}
                results.append(row)
                sys.stdout.write(json.dumps(row) + "\n")
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "server": "uvicorn, 1 worker",
    }
    (RESULTS / "route_latency.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    lines = [
        "| backend | concurrency | requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['backend']} | {r['concurrency']} | {r['requests']} | {r['errors']} | {r['req_per_s']} | "
        f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} |"
        for r in results
    ]
    (RESULTS / "route_latency.md").write_text(
        f"Measured {meta['date']} on {meta['machine']}, {meta['server']}.\n\n" + "\n".join(lines) + "\n"
    )


if __name__ == "__main__":
    main()
