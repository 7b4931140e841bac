"""How well Veiviser understands young people: the held-out sets through the whole stack, and intent F1.

Part ``nlu`` (``python -m bench nlu``; ``heldout`` is the same part under its old name): the newest model,
the action server and a fresh seeded catalogue start on free ports, and the routing lab
(``service_catalog.lab.batch``) sends every row of every held-out set in tests/data/ as the first message of
a new conversation through the REST channel (kommune 9999 where a row names none). Scored as a young person
meets it: right door among the first three, urgent recall, false-urgent rate, need messages answered with no
door, and messages asked the direct question, overall and per language. Then, unless ``--no-cv``, 3-fold
cross-validation of the NLU pipeline on the training data gives macro F1 (three trainings).

Only rows never used for training count; bench/README.md says which rows were written after which tuning.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.stack import ROOT, snapshot_model, veiviser

HELDOUT = ROOT / "tests" / "data"
# Every held-out set, in the shared test-set format. The first is the one this targets are read on
# first; together they are "the project's held-out sets".
FILES = (
    "understanding_heldout.tsv",
    "confirmation_heldout.tsv",
    "final_check_heldout.tsv",
    "crisis_heldout.tsv",
    "nlu_heldout.tsv",
    "other_language_heldout.tsv",
)
# Files that are not Norwegian or English: reported, but outside the per-language targets.
OTHER_LANGUAGE_FILES = frozenset({"other_language_heldout.tsv"})
LANGS = ("nb", "nn", "en", "slang")
KOMMUNE = "9999"
CV_TIMEOUT_S = 3600
CV_FOLDS = 3

TARGETS = {"right_door": 0.92, "right_door_per_lang": 0.88, "urgent_recall": 1.0, "false_urgent": 0.05}


def main(cv: bool = True) -> dict[str, Any]:
    """Score every held-out set through the stack, then (``cv``) cross-validate; write results/nlu.{md,json}."""
    meta = report.conditions()
    started = meta["load_average"]
    held_out = heldout()
    cv_result = cross_validation() if cv else cv_summary()
    meta = {**report.conditions(), "load_average_start": started, "model": held_out["model"]}
    results = {"heldout": held_out, "cv": cv_result}
    markdown = render(results)
    report.write("nlu", meta, results, markdown)
    sys.stdout.write(markdown + "\n")
    return results


def heldout() -> dict[str, Any]:
    """Every held-out set through the lab against a private stack; per-file and per-language rates."""
    from sqlmodel import Session, create_engine

    from service_catalog.lab.batch import rates, score_cases
    from service_catalog.lab.rasa_client import RasaClient
    from service_catalog.lab.report import write_report
    from service_catalog.lab_cases import parse_tsv
    from service_catalog.vocabulary import get_vocabulary

    vocabulary = get_vocabulary()
    secret = secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="veiviser-bench-nlu-") as tmp:
        folder = Path(tmp)
        model = snapshot_model(folder)
        with veiviser(folder, model, api_secret=secret) as running:
            engine = create_engine(f"sqlite:///{folder / 'catalogue.db'}")
            files: dict[str, Any] = {}
            all_results = []
            with RasaClient(running.rasa_url, secret) as rasa, Session(engine) as session:
                known = [*vocabulary.needs, *rasa.intents()]
                at = datetime.now(UTC)
                for name in FILES:
                    path = HELDOUT / name
                    cases = parse_tsv(path.read_text(encoding="utf-8"), needs=known, doors=list(vocabulary.doors))
                    cases = [c if c.kommune else _with_kommune(c) for c in cases]
                    batch = score_cases(cases, source=name, at=at, rasa=rasa, session=session, vocabulary=vocabulary)
                    write_report(batch, report.RESULTS / "lab", name=path.stem)
                    files[name] = _figures(batch)
                    if name not in OTHER_LANGUAGE_FILES:
                        all_results += batch.results
            engine.dispose()
    combined = rates(all_results)
    per_lang = {lang: _figures(rates([r for r in all_results if r.lang == lang])) for lang in LANGS}
    return {"model": model.name, "files": files, "combined": _figures(combined), "per_lang": per_lang}


def _with_kommune(case: Any) -> Any:
    from dataclasses import replace

    return replace(case, kommune=KOMMUNE)


def _figures(figures: Any) -> dict[str, Any]:
    """The rates of a report (or of a subset) as plain numbers: hits, totals and shares."""
    out: dict[str, Any] = {"cases": figures.cases}
    for key in ("right_door", "urgent_recall", "false_urgent", "need_accuracy", "no_door", "asked"):
        rate = getattr(figures, key)
        out[key] = {"hits": rate.hits, "total": rate.total, "share": rate.value}
    if getattr(figures, "per_lang", None):
        out["per_lang"] = {lang: _figures(sub) for lang, sub in figures.per_lang.items()}
    return out


def cross_validation() -> dict[str, Any] | None:
    """Run bench/nlu_cv.sh (three trainings) and summarise its report."""
    subprocess.run(
        ["bench/nlu_cv.sh"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=CV_TIMEOUT_S,
        env={**os.environ, "FOLDS": str(CV_FOLDS)},
    )
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


def _pct(rate: dict[str, Any]) -> str:
    if not rate["total"]:
        return "–"
    return f"{rate['hits']}/{rate['total']} ({100 * rate['hits'] / rate['total']:.1f} %)"


def _row(label: str, figures: dict[str, Any]) -> list[Any]:
    keys = ("right_door", "urgent_recall", "false_urgent", "no_door", "asked", "need_accuracy")
    return [label, figures["cases"], *(_pct(figures[k]) for k in keys)]


HEADER = ["", "messages", "right door (top 3)", "urgent recall", "false urgent", "no door", "asked", "need accuracy"]


def render(results: dict[str, Any]) -> str:
    """The Markdown of results/nlu.md: the combined set per language, each file, and cross-validation."""
    held = results["heldout"]
    rows = [_row(lang, held["per_lang"][lang]) for lang in LANGS]
    rows.append(_row("**all (nb, nn, en, slang)**", held["combined"]))
    parts = [
        f"Model {held['model']}. Every row of tests/data/*_heldout.tsv as the first message of a new conversation "
        f"through the REST channel (kommune {KOMMUNE}), scored by the routing lab.",
        "",
        "### The Norwegian and English held-out sets together, per language",
        "",
        report.table(HEADER, rows),
        "",
        "### Per file",
        "",
        report.table(HEADER, [_row(name, figures) for name, figures in held["files"].items()]),
    ]
    for name, figures in held["files"].items():
        per_lang = figures.get("per_lang") or {}
        if not per_lang:
            continue
        parts += ["", f"#### {name} per language", ""]
        parts.append(report.table(HEADER, [_row(lang, sub) for lang, sub in per_lang.items()]))
    cv = results.get("cv")
    parts += ["", "### Cross-validation", ""]
    if cv:
        parts.append(
            f"{CV_FOLDS}-fold cross-validation of the NLU pipeline on data/rasa/nlu ({cv['date']}): accuracy "
            f"{cv['accuracy']}, weighted F1 {cv['weighted_f1']}, **macro F1 {cv['macro_f1']}**. Worst: "
            + ", ".join(f"{n} {f}" for n, f in cv["worst"])
            + "."
        )
    else:
        parts.append("Not run (`python -m bench cv`).")
    parts += ["", "### Targets", "", report.table(["target", "measured", ""], target_rows(results))]
    return "\n".join(parts)


def target_rows(results: dict[str, Any]) -> list[list[Any]]:
    """The understanding targets against the last results."""
    held = results["heldout"]
    combined = held["combined"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    def share(rate: dict[str, Any]) -> float:
        return rate["hits"] / rate["total"] if rate["total"] else 0.0

    out = [
        [
            "urgent recall 100 % (all held-out sets, nb/nn/en/slang)",
            _pct(combined["urgent_recall"]),
            verdict(share(combined["urgent_recall"]) >= TARGETS["urgent_recall"]),
        ],
        [
            "false urgent ≤ 5 %",
            _pct(combined["false_urgent"]),
            verdict(share(combined["false_urgent"]) <= TARGETS["false_urgent"]),
        ],
        [
            "right door among the first three ≥ 92 %",
            _pct(combined["right_door"]),
            verdict(share(combined["right_door"]) >= TARGETS["right_door"]),
        ],
    ]
    for lang in ("nb", "nn", "en"):
        rate = held["per_lang"][lang]["right_door"]
        out.append([f"right door ≥ 88 % ({lang})", _pct(rate), verdict(share(rate) >= TARGETS["right_door_per_lang"])])
    out.append(["no door to a need message: 0", _pct(combined["no_door"]), verdict(combined["no_door"]["hits"] == 0)])
    cv = results.get("cv")
    if cv:
        out.append(["cross-validated macro F1 ≥ 0.80", str(cv["macro_f1"]), verdict(cv["macro_f1"] >= 0.80)])
    return out
