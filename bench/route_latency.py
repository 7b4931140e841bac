"""Latency and throughput of ``GET /api/v1/route`` alone, on SQLite and PostgreSQL, through real HTTP.

Starts the catalogue with uvicorn (one worker) on a free loopback port over a fresh seeded database, sends
a fixed, bounded number of requests (one client, then ten concurrent clients), and measures ``GET /health``
the same way as the floor any answer pays for HTTP, middleware and the client. In-process timings of the
answer with the route cache warm and cold say what the database loading costs. Target: p95 under 5 ms.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlmodel import Session

from bench import report
from bench.load import LevelResult, percentiles, summarise
from bench.profiling import PySpy
from service_catalog.config import get_settings
from service_catalog.db import make_engine
from service_catalog.migrate import upgrade
from service_catalog.route_answer import answer_route
from service_catalog.route_cache import route_cache
from service_catalog.seed import seed
from service_catalog.vocabulary import get_vocabulary
from testing.local_servers import postgres_reachable, temporary_database
from testing.processes import ROOT, start, stop_all, wait_until_up

QUERIES: list[dict[str, str]] = [
    {"need": "angst_uro", "kommune": "9999", "age": "15"},
    {"need": "selvmordstanker", "kommune": "9999"},
    {"need": "nedstemthet", "kommune": "0301", "age": "17"},
    {"need": "mobbing"},
    {"need": "vold_hjemme", "kommune": "9999", "age": "13"},
]
LEVELS = ((1, 1000), (10, 2000))  # (concurrent clients, requests)
WARMUP_REQUESTS = 50
IN_PROCESS_ANSWERS = 500
TARGET_P95_MS = 5.0


@contextmanager
def database(backend: str) -> Iterator[str]:
    """A fresh migrated and seeded database of its own, dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            _prepare(url)
            yield url
        return
    with temporary_database("veiviser_bench") as url:
        _prepare(url)
        yield url


def _prepare(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        seed(session, get_settings())
    engine.dispose()


@contextmanager
def server(url: str, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """uvicorn with one worker on a free port, as ``veiviser serve`` runs it."""
    from testing.processes import free_port

    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "VEIVISER_ENVIRONMENT": "test"}
    cmd = [sys.executable, "-m", "uvicorn", "service_catalog.main:app", "--port", str(port), "--log-level", "warning"]
    proc = start(cmd, env, log, cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/ready", 60, proc)
        yield base, proc
    finally:
        stop_all({"catalogue": proc})


async def load(base: str, path: str, total: int, concurrency: int) -> LevelResult:
    """``total`` GETs of ``path`` (the route queries in turn) from ``concurrency`` clients; 200 is success."""
    samples: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in counter:
            started = time.perf_counter()
            try:
                response = await client.get(path, params=QUERIES[i % len(QUERIES)])
                errors += response.status_code != 200
            except httpx.HTTPError:
                errors += 1
            samples.append(time.perf_counter() - started)

    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for i in range(WARMUP_REQUESTS):
            await client.get(path, params=QUERIES[i % len(QUERIES)])
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return summarise(concurrency, samples, errors, elapsed)


def in_process(url: str, backend: str) -> dict[str, dict[str, float]]:
    """``answer_route`` plus JSON, no HTTP: with the cache warm, and cold (emptied before every answer)."""
    engine = make_engine(url)
    vocabulary = get_vocabulary()
    moment = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))

    def answer(i: int) -> None:
        q = QUERIES[i % len(QUERIES)]
        age = int(q["age"]) if "age" in q else None
        with Session(engine) as session:
            result = answer_route(
                session, vocabulary, need=q["need"], kommunenummer=q.get("kommune"), age=age, at=moment
            )
            result.model_dump_json()

    out = {}
    for label, cold in (("cache warm", False), ("cache cold", True)):
        samples = []
        for i in range(IN_PROCESS_ANSWERS + WARMUP_REQUESTS):
            if cold:
                route_cache.invalidate()
            started = time.perf_counter()
            answer(i)
            if i >= WARMUP_REQUESTS:
                samples.append(time.perf_counter() - started)
        out[label] = {"mean_ms": round(statistics.fmean(samples) * 1000, 2), **percentiles(samples)}
    _pyinstrument(answer, backend)
    engine.dispose()
    return out


def _pyinstrument(answer: Any, backend: str) -> None:
    """Where one cached answer spends its time (pyinstrument, when installed), in results/profiles/."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return
    profiles = report.RESULTS / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    for label, cold in (("warm", False), ("cold", True)):
        profiler = Profiler(interval=0.0001)
        profiler.start()
        for i in range(IN_PROCESS_ANSWERS):
            if cold:
                route_cache.invalidate()
            answer(i)
        profiler.stop()
        text_out = profiler.output_text(unicode=False, color=False)
        (profiles / f"route-inprocess-{backend}-{label}.txt").write_text(text_out)


def main(*, profile: bool = False) -> dict[str, Any]:
    """Measure both backends (PostgreSQL when reachable) and write results/route_latency.{json,md}."""
    meta = report.conditions()
    meta["load_average_start"] = meta["load_average"]
    meta["server"] = "uvicorn, 1 worker"
    backends = ["sqlite"] + (["postgresql"] if postgres_reachable() else [])
    rows: list[dict[str, Any]] = []
    inproc: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="veiviser-route-") as tmp:
        for backend in backends:
            with database(backend) as url:
                with server(url, Path(tmp) / f"{backend}.log") as (base, proc):
                    for concurrency, total in LEVELS:
                        for path in ("/api/v1/route", "/health"):
                            result = asyncio.run(load(base, path, total, concurrency))
                            row = {"backend": backend, "path": path, **result.as_dict()}
                            rows.append(row)
                            sys.stdout.write(f"route {row}\n")
                    if profile:
                        # An extra pass, not in the table: where the server spends a request's time.
                        with PySpy({"catalogue": proc.pid}, report.RESULTS / "profiles" / f"route-{backend}-c1"):
                            asyncio.run(load(base, "/api/v1/route", LEVELS[0][1], 1))
                inproc[backend] = in_process(url, backend)
    meta["load_average"] = report.conditions()["load_average"]
    results = {"http": rows, "in_process": inproc, "target_p95_ms": TARGET_P95_MS}
    report.write("route_latency", meta, results, markdown(results))
    return results


def markdown(results: dict[str, Any]) -> str:
    """The HTTP table and the in-process table."""
    http = report.table(
        ["backend", "path", "concurrency", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms"],
        [
            [r["backend"], r["path"], r["concurrency"], r["requests"], r["errors"], r["per_second"], r["p50_ms"],
             r["p95_ms"], r["p99_ms"]]
            for r in results["http"]
        ],
    )  # fmt: skip
    inproc = report.table(
        ["backend", "answer_route + JSON, no HTTP", "mean ms", "p50 ms", "p95 ms", "p99 ms"],
        [
            [backend, label, v["mean_ms"], v["p50_ms"], v["p95_ms"], v["p99_ms"]]
            for backend, labels in results["in_process"].items()
            for label, v in labels.items()
        ],
    )
    return f"{http}\n\nIn-process (one thread, {IN_PROCESS_ANSWERS} answers):\n\n{inproc}\n"
