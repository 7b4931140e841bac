"""Recall and false alarms of the crisis LEXICON ALONE on tests/data/crisis_heldout.tsv (no NLU model).

Run with `.venv-rasa/bin/python bench/crisis_recall.py` (any Python with PyYAML works: the matcher imports
no Rasa). Writes bench/results/crisis_lexicon.md and bench/results/crisis_lexicon.json. The gate as a
whole (classifier OR lexicon) is measured by the NLU benchmark; this one shows what the deterministic
half catches by itself, including on which words it fired.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "bot"))

from components.crisis_lexicon import DEFAULT_LEXICON_PATH, Lexicon, load_lexicon  # noqa: E402

HELDOUT = REPO_ROOT / "tests" / "data" / "crisis_heldout.tsv"
RESULTS = REPO_ROOT / "bench" / "results"
# tests/data/README.md: the lexicon was tuned after reading the misses among the first 157 urgent rows,
# so only the urgent rows after them give an honest estimate of recall on unseen wording.
TUNED_URGENT_ROWS = 157


@dataclass(frozen=True)
class Row:
    """One held-out message with the lexicon's verdict."""

    text: str
    need: str
    urgent: bool
    lang: str
    note: str
    level: str
    lexicon_need: str | None
    words: tuple[str, ...]
    unseen: bool


def read_rows(path: Path = HELDOUT) -> list[dict[str, str]]:
    """The held-out rows as dicts (the file has no quoting, see tests/data/README.md)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def evaluate(lexicon: Lexicon, rows: list[dict[str, str]]) -> list[Row]:
    """Run the lexicon over every row."""
    out: list[Row] = []
    urgent_seen = 0
    for raw in rows:
        urgent = raw["urgent"].strip().lower() == "true"
        if urgent:
            urgent_seen += 1
        hit = lexicon.check(raw["text"])
        out.append(
            Row(
                text=raw["text"],
                need=raw["need"],
                urgent=urgent,
                lang=raw["lang"],
                note=raw.get("note") or "",
                level=hit.level if hit else "none",
                lexicon_need=hit.need if hit else None,
                words=hit.words if hit else (),
                unseen=urgent and urgent_seen > TUNED_URGENT_ROWS,
            )
        )
    return out


def _rate(part: int, whole: int) -> float | None:
    """part/whole, or None for an empty group."""
    return round(part / whole, 4) if whole else None


def summarise(rows: list[Row]) -> dict[str, Any]:
    """Recall (urgent, and urgent-or-maybe) and false-alarm rates, overall and per group."""
    pos = [r for r in rows if r.urgent]
    neg = [r for r in rows if not r.urgent]

    def recall(group: list[Row]) -> dict[str, Any]:
        return {
            "rows": len(group),
            "urgent": _rate(sum(r.level == "urgent" for r in group), len(group)),
            "urgent_or_maybe": _rate(sum(r.level != "none" for r in group), len(group)),
            "right_need": _rate(sum(r.level == "urgent" and r.lexicon_need == r.need for r in group), len(group)),
        }

    by_need: dict[str, list[Row]] = defaultdict(list)
    by_lang: dict[str, list[Row]] = defaultdict(list)
    for r in pos:
        by_need[r.need].append(r)
        by_lang[r.lang].append(r)
    return {
        "overall": recall(pos),
        "tuned_rows": recall([r for r in pos if not r.unseen]),
        "unseen_rows": recall([r for r in pos if r.unseen]),
        "by_need": {k: recall(v) for k, v in sorted(by_need.items())},
        "by_lang": {k: recall(v) for k, v in sorted(by_lang.items())},
        "false_alarms": {
            "rows": len(neg),
            "urgent": _rate(sum(r.level == "urgent" for r in neg), len(neg)),
            "urgent_or_maybe": _rate(sum(r.level != "none" for r in neg), len(neg)),
        },
    }


def timing(lexicon: Lexicon) -> list[dict[str, Any]]:
    """Seconds per check for ordinary text of growing length (should grow about linearly)."""
    sentence = "jeg er så lei meg og vet ikke hva jeg skal gjøre, mamma og pappa krangler hele tiden. "
    out = []
    for size in (100, 1_000, 10_000, 100_000):
        text = (sentence * (size // len(sentence) + 1))[:size]
        repeats = max(1, 20_000 // size)
        start = time.perf_counter()
        for _ in range(repeats):
            lexicon.check(text)
        out.append({"chars": size, "seconds": round((time.perf_counter() - start) / repeats, 5)})
    return out


def _sha(path: Path) -> str:
    """Short content hash, so a result can be tied to the files it was measured on."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _pct(value: float | None) -> str:
    """A rate as a percentage for the table."""
    return "–" if value is None else f"{100 * value:.1f} %"


def render(summary: dict[str, Any], rows: list[Row], times: list[dict[str, Any]], meta: dict[str, str]) -> str:
    """The Markdown report."""
    lines = [
        "# Crisis lexicon alone on the held-out set",
        "",
        f"Measured {meta['date']} with `bench/crisis_recall.py`: lexicon `{meta['lexicon']}` (sha256 "
        f"{meta['lexicon_sha']}), held-out `{meta['heldout']}` (sha256 {meta['heldout_sha']}).",
        "",
        "`urgent` = the lexicon alone triggers the crisis reply; `urgent or maybe` also counts messages",
        "that get the short crisis line in a normal reply. The gate as a whole is classifier OR lexicon.",
        "",
        "| urgent rows | n | urgent | urgent or maybe | urgent with the right need |",
        "|---|---|---|---|---|",
    ]
    for key, label in (("overall", "all"), ("tuned_rows", "first 157 (tuned on)"), ("unseen_rows", "later (unseen)")):
        g = summary[key]
        lines.append(
            f"| {label} | {g['rows']} | {_pct(g['urgent'])} | {_pct(g['urgent_or_maybe'])} | {_pct(g['right_need'])} |"
        )
    for section in ("by_need", "by_lang"):
        for name, g in summary[section].items():
            lines.append(
                f"| {name} | {g['rows']} | {_pct(g['urgent'])} | {_pct(g['urgent_or_maybe'])} | "
                f"{_pct(g['right_need'])} |"
            )
    fa = summary["false_alarms"]
    lines += [
        "",
        f"False alarms on the {fa['rows']} non-urgent rows: urgent {_pct(fa['urgent'])}, "
        f"urgent or maybe {_pct(fa['urgent_or_maybe'])}.",
        "",
        "Time per check (one process, ordinary Norwegian text; linear in length):",
        "",
        "| characters | ms |",
        "|---|---|",
        *(f"| {t['chars']} | {1000 * t['seconds']:.1f} |" for t in times),
        "",
        "## Urgent rows the lexicon does not make urgent",
        "",
        "| level | need | lang | unseen | text |",
        "|---|---|---|---|---|",
        *(
            f"| {r.level} | {r.need} | {r.lang} | {'yes' if r.unseen else ''} | {r.text} |"
            for r in rows
            if r.urgent and r.level != "urgent"
        ),
        "",
        "## Non-urgent rows it flags",
        "",
        "| level | need | lexicon need | words | text |",
        "|---|---|---|---|---|",
        *(
            f"| {r.level} | {r.need} | {r.lexicon_need or ''} | {', '.join(r.words)} | {r.text} |"
            for r in rows
            if not r.urgent and r.level != "none"
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    """Measure, write the results, print the headline."""
    lexicon = load_lexicon()
    rows = evaluate(lexicon, read_rows())
    summary = summarise(rows)
    times = timing(lexicon)
    meta = {
        "date": date.today().isoformat(),
        "lexicon": str(DEFAULT_LEXICON_PATH.relative_to(REPO_ROOT)),
        "lexicon_sha": _sha(DEFAULT_LEXICON_PATH),
        "heldout": str(HELDOUT.relative_to(REPO_ROOT)),
        "heldout_sha": _sha(HELDOUT),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "crisis_lexicon.md").write_text(render(summary, rows, times, meta), encoding="utf-8")
    payload = {"meta": meta, "summary": summary, "timing": times}
    (RESULTS / "crisis_lexicon.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    overall, unseen, fa = summary["overall"], summary["unseen_rows"], summary["false_alarms"]
    sys.stdout.write(
        f"urgent recall {_pct(overall['urgent'])} (with maybe {_pct(overall['urgent_or_maybe'])}) on "
        f"{overall['rows']} urgent rows; unseen rows {_pct(unseen['urgent'])} ({_pct(unseen['urgent_or_maybe'])}); "
        f"false urgent {_pct(fa['urgent'])} on {fa['rows']} other rows\n"
    )
    counts = Counter(r.level for r in rows)
    sys.stdout.write(f"levels: {dict(counts)}; results in {RESULTS.relative_to(REPO_ROOT)}/crisis_lexicon.md\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
