"""Training time, model size and peak memory of ``scripts/train.sh --force`` into a temporary folder.

models/ is never touched: the model goes to a temporary ``--out`` folder and is deleted afterwards.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import report
from bench.memory import PeakMemory
from bench.stack import ROOT

TRAIN_TIMEOUT_S = 1800
TARGET_S = 300


def main() -> dict[str, Any]:
    """Train once from scratch and write results/training.{json,md}."""
    meta = report.conditions()
    meta["load_average_start"] = meta["load_average"]
    with tempfile.TemporaryDirectory(prefix="veiviser-train-") as tmp:
        out = Path(tmp)
        log = out / "train.log"
        started = time.perf_counter()
        with log.open("wb") as handle:
            proc = subprocess.Popen(
                ["scripts/train.sh", "--force", "--out", str(out)], cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT
            )
            with PeakMemory({"train": proc.pid}) as memory:
                code = proc.wait(timeout=TRAIN_TIMEOUT_S)
        seconds = time.perf_counter() - started
        models = sorted(out.glob("*.tar.gz"))
        if code != 0 or not models:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"training failed with {code}:\n{tail}")
        size = models[0].stat().st_size
    meta["load_average"] = report.conditions()["load_average"]
    result = {
        "seconds": round(seconds, 1),
        "model_mb": round(size / 2**20, 1),
        "peak_rss_mb": memory.peaks_mb["train"],
        "target_s": TARGET_S,
        "met": seconds < TARGET_S,
    }
    markdown = report.table(
        ["training (config, domain, data from scratch)", "model .tar.gz", "peak RSS", "target"],
        [[f"{result['seconds']} s", f"{result['model_mb']} MB", f"{result['peak_rss_mb']} MB", "< 300 s"]],
    )
    report.write("training", meta, result, markdown)
    return result
