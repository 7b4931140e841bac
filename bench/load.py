"""Percentiles and the summary of one load level (latencies in seconds in, milliseconds out)."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass
from typing import Any


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95 and p99 in milliseconds (inclusive method: defined for small samples too)."""
    if len(samples) < 2:
        only = round(samples[0] * 1000, 2) if samples else float("nan")
        return {"p50_ms": only, "p95_ms": only, "p99_ms": only}
    q = statistics.quantiles(sorted(samples), n=100, method="inclusive")
    return {"p50_ms": round(q[49] * 1000, 2), "p95_ms": round(q[94] * 1000, 2), "p99_ms": round(q[98] * 1000, 2)}


@dataclass(frozen=True)
class LevelResult:
    """What one load level measured."""

    concurrency: int
    requests: int
    errors: int
    seconds: float
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarise(concurrency: int, samples: list[float], errors: int, seconds: float) -> LevelResult:
    """Throughput counts every request sent, answered or not, over the wall time of the level."""
    requests = len(samples)
    return LevelResult(
        concurrency=concurrency,
        requests=requests,
        errors=errors,
        seconds=round(seconds, 2),
        per_second=round(requests / seconds, 1) if seconds > 0 else 0.0,
        **percentiles(samples),
    )
