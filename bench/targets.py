"""The targets of issue 5 against the last results in bench/results/, as one table (results/targets.md)."""

from __future__ import annotations

import json
from typing import Any

from bench import nlu, report


def _load(name: str) -> dict[str, Any] | None:
    path = report.RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _verdict(met: bool | None) -> str:
    return "–" if met is None else ("met" if met else "**missed**")


def rows() -> list[list[Any]]:
    """One row per target: what it asks, what was measured, met or missed."""
    out: list[list[Any]] = []
    e2e = _load("e2e")
    if e2e:
        for r in e2e["results"]["ratios"]:
            level = r["concurrency"]
            out.append([f"turn p95 ≤ 1.0 × plain Rasa ({level} at once)", f"{r['p95_ratio']} ×", _verdict(
                r["p95_ratio"] is not None and r["p95_ratio"] <= 1.0)])  # fmt: skip
            out.append([f"throughput ≥ plain Rasa ({level} at once)", f"{r['throughput_ratio']} ×", _verdict(
                r["throughput_ratio"] is not None and r["throughput_ratio"] >= 1.0)])  # fmt: skip
        whatif = _load("e2e_whatif")
        for r in whatif["results"]["ratios"] if whatif else []:
            out.append([f"with the two whatif fixes, not shipped ({r['concurrency']} at once)",
                        f"p95 {r['p95_ratio']} ×, throughput {r['throughput_ratio']} ×", "–"])  # fmt: skip
        errors = sum(r["errors"] for part in ("veiviser", "plain") for r in e2e["results"][part]["levels"])
        out.append(["no errors through the REST channel", f"{errors} errors", _verdict(errors == 0)])
    route = _load("route_latency")
    if route:
        target = route["results"]["target_p95_ms"]
        for r in route["results"]["http"]:
            if r["path"] != "/api/v1/route":
                continue
            if r["concurrency"] == 1:
                label = f"route p95 < {target} ms ({r['backend']}, one client)"
                out.append([label, f"{r['p95_ms']} ms", _verdict(r["p95_ms"] < target)])
            else:
                # With several requests in flight on one worker, p95 is mostly queueing: throughput is the figure.
                label = f"route, {r['concurrency']} clients ({r['backend']}; for information)"
                out.append([label, f"p95 {r['p95_ms']} ms, {r['per_second']} req/s", "–"])
    understanding = _load("nlu")
    if understanding:
        out += nlu.target_rows(understanding["results"])
    training = _load("training")
    if training:
        t = training["results"]
        out.append(["training < 5 minutes", f"{t['seconds']} s ({t['model_mb']} MB model)", _verdict(t["met"])])
    return out


def main() -> str:
    """Write results/targets.md and return it."""
    markdown = report.table(["target", "measured", ""], rows())
    cv = nlu.cv_summary()
    if cv and not _load("nlu"):
        markdown += (
            f"\n\nLast cross-validation ({cv['date']}): accuracy {cv['accuracy']}, weighted F1 "
            f"{cv['weighted_f1']}, macro F1 {cv['macro_f1']}.\n"
        )
    report.write("targets", report.conditions(), {"rows": rows(), "cv": cv}, markdown)
    return markdown
