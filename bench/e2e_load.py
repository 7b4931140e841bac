"""End-to-end latency, throughput and peak memory through Rasa's REST channel, Veiviser against plain Rasa.

Each conversation is a short script sent one message after another under its own sender id; 1, 10 and 50
conversations run at once. Veiviser runs with its whole stack (catalogue on a fresh seeded SQLite, action
server, Rasa), then the plain ``rasa init`` moodbot runs the same load shape with equivalent English
messages; never both at once. An error is a non-200 answer, an empty reply list or a failed request.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench import report, stack
from bench.load import LevelResult, summarise
from bench.memory import PeakMemory
from bench.profiling import PySpy

LEVELS = (1, 10, 50)
# Conversations per level: enough messages for a p99 at every level, bounded in count and in time.
CONVERSATIONS = {1: 25, 10: 100, 50: 200}
LEVEL_DEADLINE_S = 240.0
REQUEST_TIMEOUT_S = 60.0
WARMUP_CONVERSATIONS = 2
KOMMUNE = "9999"

VEIVISER_SCRIPTS = [
    ["hei", "jeg får panikk på bussen", "15", "takk"],
    ["hei", "e så lei meg hele tida asså", "17", "takk for hjelpen"],
    ["hallo", "jeg blir mobbet på skolen", "14", "ha det"],
    # Every fourth conversation is a crisis: 113 and 116 123 come first, without questions.
    ["hei", "jeg vil ikke leve lenger", "16", "takk"],
]
PLAIN_SCRIPTS = [
    ["hello", "I am sad", "yes", "bye"],
    ["hi", "I am very sad", "no", "goodbye"],
    ["hey", "I feel unhappy", "yes", "bye"],
    ["hello", "I am sad", "no", "bye"],
]


@dataclass
class Tally:
    """Latencies and errors of one level (shared by its workers: asyncio runs them on one thread)."""

    samples: list[float] = field(default_factory=list)
    errors: int = 0
    doors_replies: int = 0


async def _say(client: httpx.AsyncClient, url: str, sender: str, text: str, tally: Tally) -> None:
    body = {"sender": sender, "message": text, "metadata": {"kommune": KOMMUNE}}
    started = time.perf_counter()
    try:
        response = await client.post(url, json=body)
        ok = response.status_code == 200
        messages = response.json() if ok else []
    except (httpx.HTTPError, ValueError):
        ok, messages = False, []
    tally.samples.append(time.perf_counter() - started)
    if not ok or not messages:
        tally.errors += 1
    tally.doors_replies += any(isinstance(m.get("custom"), dict) for m in messages)


Pause = tuple[float, float]


async def _converse(
    client: httpx.AsyncClient, url: str, script: list[str], tally: Tally, pause: Pause | None = None
) -> None:
    """One conversation; with ``pause``, each message after the first waits a random time in that range (s)."""
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    for number, text in enumerate(script):
        if pause and number:
            await asyncio.sleep(random.uniform(*pause))  # noqa: S311 - a typing pause, not a secret
        await _say(client, url, sender, text, tally)


async def run_level(
    url: str,
    scripts: list[list[str]],
    concurrency: int,
    *,
    conversations: int | None = None,
    pause: Pause | None = None,
) -> tuple[LevelResult, Tally]:
    """``concurrency`` clients, each running whole conversations until the level's share is done.

    Without ``pause`` each client sends its next message as soon as the reply is in (the most load that many
    clients can make). With it, clients also start spread over the pause range, as people do not all arrive
    in the same second."""
    total = conversations or CONVERSATIONS.get(concurrency, 4 * concurrency)
    queue = iter(range(total))
    tally = Tally()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
        deadline = time.monotonic() + LEVEL_DEADLINE_S

        async def worker() -> None:
            if pause:
                await asyncio.sleep(random.uniform(0, pause[1]))  # noqa: S311
            for index in queue:
                if time.monotonic() > deadline:
                    return
                await _converse(client, url, scripts[index % len(scripts)], tally, pause)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return summarise(concurrency, tally.samples, tally.errors, elapsed), tally


async def warm_up(url: str, scripts: list[list[str]]) -> None:
    """A few conversations first: the first messages load TensorFlow graphs and open connections."""
    tally = Tally()
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S) as client:
        for script in itertools.islice(itertools.cycle(scripts), WARMUP_CONVERSATIONS):
            await _converse(client, url, script, tally)
    if tally.errors:
        # Rasa answers "/" even when its model failed to load; measuring that would time error pages.
        raise RuntimeError(f"{tally.errors} of {len(tally.samples)} warm-up messages failed; see the Rasa log")


def measure(
    assistant: str,
    running: stack.Running,
    scripts: list[list[str]],
    profile_level: int | None,
    profiles: Path,
) -> dict[str, Any]:
    """Every level against one running assistant, with the peak memory of each of its processes."""
    pids = {name: proc.pid for name, proc in running.processes.items()}
    rows = []
    with PeakMemory(pids) as memory:
        asyncio.run(warm_up(running.webhook, scripts))
        for level in LEVELS:
            result, tally = asyncio.run(run_level(running.webhook, scripts, level))
            row = {"assistant": assistant, **result.as_dict(), "doors_replies": tally.doors_replies}
            rows.append(row)
            _log(row)
    measured: dict[str, Any] = {"levels": rows, "peak_rss_mb": memory.peaks_mb}
    if profile_level is not None:
        # An extra pass, not in the tables: the sampler costs a little CPU on the same two cores.
        with PySpy(pids, profiles / f"{assistant}-c{profile_level}"):
            result, _ = asyncio.run(run_level(running.webhook, scripts, profile_level))
        measured["profiled_pass"] = result.as_dict()
    return measured


def ratios(veiviser: list[dict[str, Any]], plain: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Veiviser / plain for p95 (target at most 1.0) and for throughput (target at least 1.0), per level."""
    out = []
    for v, p in zip(veiviser, plain, strict=True):
        out.append(
            {
                "concurrency": v["concurrency"],
                "p95_ratio": round(v["p95_ms"] / p["p95_ms"], 2) if p["p95_ms"] else None,
                "throughput_ratio": round(v["per_second"] / p["per_second"], 2) if p["per_second"] else None,
            }
        )
    return out


def _log(row: dict[str, Any]) -> None:
    sys.stdout.write(f"e2e {row}\n")
    sys.stdout.flush()


def main(*, profile: bool = False) -> dict[str, Any]:
    """Measure Veiviser, then plain Rasa, and write results/e2e.{json,md}."""
    meta = report.conditions()
    meta["load_average_start"] = meta["load_average"]
    profiles = report.RESULTS / "profiles"
    profile_level = 10 if profile else None
    with tempfile.TemporaryDirectory(prefix="veiviser-bench-") as tmp:
        folder = Path(tmp)
        model = stack.snapshot_model(folder)
        meta["model"] = model.name
        with stack.veiviser(folder, model) as running:
            veiviser = measure("veiviser", running, VEIVISER_SCRIPTS, profile_level, profiles)
        with stack.plain_rasa(folder) as running:
            plain = measure("plain-rasa", running, PLAIN_SCRIPTS, profile_level, profiles)
    meta["load_average"] = report.conditions()["load_average"]
    meta["shape"] = _shape()
    results = {"veiviser": veiviser, "plain": plain, "ratios": ratios(veiviser["levels"], plain["levels"])}
    report.write("e2e", meta, results, markdown(results, meta))
    return results


def whatif() -> dict[str, Any]:
    """Veiviser as it is, then with bench/whatif/ loaded (two outside fixes), against the last plain Rasa run."""
    meta = report.conditions()
    meta["load_average_start"] = meta["load_average"]
    # Back to back with the same model and code: others may have retrained models/ since the last e2e run.
    with tempfile.TemporaryDirectory(prefix="veiviser-whatif-") as tmp:
        (Path(tmp) / "as-is").mkdir()
        (Path(tmp) / "whatif").mkdir()
        model = stack.snapshot_model(Path(tmp))
        meta["model"] = model.name
        with stack.veiviser(Path(tmp) / "as-is", model) as running:
            as_is = measure("veiviser", running, VEIVISER_SCRIPTS, None, report.RESULTS)
        with stack.veiviser(Path(tmp) / "whatif", model, whatif=True) as running:
            patched = measure("veiviser+whatif", running, VEIVISER_SCRIPTS, None, report.RESULTS)
    meta["load_average"] = report.conditions()["load_average"]
    meta["shape"] = _shape()
    plain = json.loads((report.RESULTS / "e2e.json").read_text())["results"]["plain"]
    results = {
        "veiviser": as_is,
        "veiviser+whatif": patched,
        "plain": plain,
        "ratios": ratios(patched["levels"], plain["levels"]),
        "ratios_as_is": ratios(as_is["levels"], plain["levels"]),
    }
    report.write("e2e_whatif", meta, results, markdown(results, meta, ("veiviser", "veiviser+whatif", "plain")))
    return results


def _shape() -> str:
    return (
        f"Conversations of 4 messages per level {CONVERSATIONS} (conversations at once: count), after "
        f"{WARMUP_CONVERSATIONS} warm-up conversations; a level starts no conversation after {LEVEL_DEADLINE_S:.0f} s"
    )


def markdown(results: dict[str, Any], meta: dict[str, Any], parts: tuple[str, ...] = ("veiviser", "plain")) -> str:
    """The three tables of the end-to-end benchmark (the ratio table compares the first part with plain)."""
    rows = [
        [r["assistant"], r["concurrency"], r["requests"], r["errors"], r["per_second"], r["p50_ms"],
         r["p95_ms"], r["p99_ms"]]
        for part in parts
        for r in results[part]["levels"]
    ]  # fmt: skip
    latency = report.table(
        ["assistant", "conversations at once", "messages", "errors", "messages/s", "p50 ms", "p95 ms", "p99 ms"],
        rows,
    )
    ratio = report.table(
        [
            "conversations at once",
            f"p95 {parts[-2]}/plain (target ≤ 1.0)",
            f"throughput {parts[-2]}/plain (target ≥ 1.0)",
        ],
        [[r["concurrency"], r["p95_ratio"], r["throughput_ratio"]] for r in results["ratios"]],
    )
    memory = report.table(
        ["assistant", "process", "peak RSS MB (with children)"],
        [[part, name, mb] for part in parts for name, mb in results[part]["peak_rss_mb"].items()],
    )
    return f"Model {meta.get('model', '?')}. {meta['shape']}.\n\n{latency}\n\n{ratio}\n\n{memory}\n"
