"""Held-out evaluation of the trained assistant's NLU (classifier + crisis gate + language), run in .venv-rasa.

Parses every row of tests/data/crisis_heldout.tsv and tests/data/nlu_heldout.tsv with the newest model in
models/ and reports need accuracy, urgent recall and the false-urgent rate as the bot would act on them
(the final intent after FallbackClassifier and CrisisGate), plus the most common confusions.

    .venv-rasa/bin/python bench/nlu_heldout.py        # writes bench/results/nlu_heldout.{md,json}
"""

from __future__ import annotations

import asyncio
import collections
import csv
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bot"))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from rasa.core.agent import Agent  # noqa: E402

URGENT = {"selvmordstanker", "akutt_fare", "overdose", "vold_pagar", "overgrep_nylig", "selvskading_akutt"}
FILES = [ROOT / "tests" / "data" / "crisis_heldout.tsv", ROOT / "tests" / "data" / "nlu_heldout.tsv"]
RESULTS = ROOT / "bench" / "results"


async def evaluate(agent: Agent, path: Path) -> dict[str, object]:
    """Scores of one held-out file."""
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    right = urgent_total = urgent_hit = harmless = false_urgent = fallback = 0
    scored: list[tuple[float, bool]] = []  # the classifier's own best guess and whether it was right
    confusions: collections.Counter[str] = collections.Counter()
    for row in rows:
        parsed = await agent.parse_message(row["text"])
        intent = parsed["intent"]["name"]
        fallback += intent == "nlu_fallback"
        guess = next((r for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"), None)
        if guess is not None:
            scored.append((float(guess["confidence"]), guess["name"] == row["need"]))
        right += intent == row["need"]
        if row["urgent"].strip().lower() == "true":
            urgent_total += 1
            urgent_hit += intent in URGENT
        else:
            harmless += 1
            false_urgent += intent in URGENT
        if intent != row["need"]:
            confusions[f"{row['need']} -> {intent}"] += 1
    return {
        "file": path.name,
        "rows": len(rows),
        "need_accuracy": round(right / len(rows), 3),
        "urgent_recall": f"{urgent_hit}/{urgent_total}",
        "false_urgent": f"{false_urgent}/{harmless}",
        "fallback": fallback,
        "top_confusions": confusions.most_common(10),
        "thresholds": threshold_table(scored),
    }


def threshold_table(scored: list[tuple[float, bool]]) -> list[dict[str, float]]:
    """For each fallback threshold: the share of messages answered directly and how many of those were right."""
    table = []
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        answered = [right for confidence, right in scored if confidence >= threshold]
        table.append(
            {
                "threshold": threshold,
                "answered": round(len(answered) / len(scored), 3),
                "right_when_answered": round(sum(answered) / len(answered), 3) if answered else 0.0,
            }
        )
    return table


def main() -> None:
    """Evaluate the newest model and write the results."""
    model = max((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    agent = Agent.load(str(model))
    results = [asyncio.run(evaluate(agent, path)) for path in FILES]
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "model": model.name}
    (RESULTS / "nlu_heldout.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    lines = [
        f"Measured {meta['date']} with {meta['model']} (final intent after FallbackClassifier and CrisisGate).",
        "",
    ]
    lines += [
        "| file | rows | need accuracy | urgent recall | false urgent | nlu_fallback |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        cells = [r["file"], r["rows"], r["need_accuracy"], r["urgent_recall"], r["false_urgent"], r["fallback"]]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    for r in results:
        lines += ["", f"Fallback threshold in {r['file']} (classifier's best guess, before the fallback):", ""]
        lines += ["| threshold | answered directly | right when answered |", "|---|---|---|"]
        lines += [
            f"| {t['threshold']} | {t['answered']} | {t['right_when_answered']} |"
            for t in r["thresholds"]  # type: ignore[attr-defined]
        ]
        lines += ["", f"Most common confusions in {r['file']}:", ""]
        lines += [f"- {pair}: {count}" for pair, count in r["top_confusions"]]  # type: ignore[union-attr]
    (RESULTS / "nlu_heldout.md").write_text("\n".join(lines) + "\n")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
