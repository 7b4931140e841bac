"""The NLU parts: held-out crisis recall and false-urgent rate, and (optional) cross-validated intent F1.

Both run in .venv-rasa as subprocesses (Rasa cannot be imported here); this module only starts them and
reads what they wrote to bench/results/.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from typing import Any

from bench import report
from bench.stack import RASA_ENV, ROOT

RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
HELDOUT_TIMEOUT_S = 900
CV_TIMEOUT_S = 3600
CRISIS_FILE = "crisis_heldout.tsv"


def _fraction(text: str) -> tuple[int, int]:
    hit, total = text.split("/")
    return int(hit), int(total)


def heldout() -> dict[str, Any]:
    """Run bench/nlu_heldout.py with the newest model and return recall and false-urgent rates."""
    env = {**os.environ, **RASA_ENV, "PYTHONPATH": "bot"}
    subprocess.run(
        [str(RASA_PYTHON), "bench/nlu_heldout.py"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=HELDOUT_TIMEOUT_S,
    )
    return heldout_summary()


def heldout_summary() -> dict[str, Any]:
    """Crisis recall and false-urgent rate from the last results/nlu_heldout.json."""
    data = json.loads((report.RESULTS / "nlu_heldout.json").read_text())
    rows = []
    for r in data["results"]:
        harmless_hit, harmless = _fraction(r["false_urgent"])
        row: dict[str, Any] = {
            "file": r["file"],
            "rows": r["rows"],
            "false_urgent": r["false_urgent"],
            "false_urgent_pct": round(100 * harmless_hit / harmless, 1) if harmless else None,
        }
        if r["urgent_recall"] and "/" in r["urgent_recall"] and not r["urgent_recall"].endswith("/0"):
            hit, total = _fraction(r["urgent_recall"])
            row["urgent_recall"] = r["urgent_recall"]
            row["urgent_recall_pct"] = round(100 * hit / total, 1)
        rows.append(row)
    return {"meta": data["meta"], "rows": rows}


def cross_validation() -> dict[str, Any] | None:
    """Run bench/nlu_cv.sh (three trainings, about 12 minutes) and summarise its report."""
    subprocess.run(["bench/nlu_cv.sh"], cwd=ROOT, check=True, capture_output=True, timeout=CV_TIMEOUT_S)
    return cv_summary()


def cv_summary() -> dict[str, Any] | None:
    """Accuracy and F1 of the last cross-validation in results/nlu_cv/ (None when it never ran)."""
    path = report.RESULTS / "nlu_cv" / "intent_report.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    measured = path.with_name("measured.txt")
    per_intent = {
        name: round(v["f1-score"], 2)
        for name, v in data.items()
        if isinstance(v, dict) and name not in {"macro avg", "weighted avg", "micro avg"}
    }
    ranked = sorted(per_intent.items(), key=lambda kv: kv[1])
    return {
        "date": measured.read_text().strip()
        if measured.exists()
        else "file dated " + datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds"),
        "accuracy": round(data["accuracy"], 3),
        "weighted_f1": round(data["weighted avg"]["f1-score"], 3),
        "macro_f1": round(data["macro avg"]["f1-score"], 3),
        "worst": ranked[:5],
        "best": ranked[-5:][::-1],
    }
