"""Where results go: JSON and a Markdown table per benchmark in bench/results/, with the machine conditions."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

RESULTS = Path(__file__).resolve().parent / "results"


def conditions() -> dict[str, Any]:
    """Date, machine and how busy it is right now (other engineers' test runs share these cores)."""
    load1, load5, load15 = os.getloadavg()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {round(psutil.virtual_memory().total / 2**30)} GB",
        "python": platform.python_version(),
        "load_average": [round(load1, 2), round(load5, 2), round(load15, 2)],
    }


def describe(meta: dict[str, Any]) -> str:
    """One line for the top of a Markdown result."""
    load = meta.get("load_average", ["?"] * 3)
    start = meta.get("load_average_start")
    busy = f", load average at start {start[0]}" if start else ""
    return f"Measured {meta['date']} on {meta['machine']}, Python {meta['python']}{busy}, at end {load[0]}."


def table(header: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write(name: str, meta: dict[str, Any], results: Any, markdown: str) -> Path:
    """Write results/<name>.json and results/<name>.md; returns the Markdown path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    path = RESULTS / f"{name}.md"
    path.write_text(describe(meta) + "\n\n" + markdown.rstrip() + "\n")
    return path
