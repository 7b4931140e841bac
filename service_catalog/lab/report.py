"""A batch report written three ways: Markdown for people, JSON for machines, a confusion-matrix PNG."""

from __future__ import annotations

from pathlib import Path

from service_catalog.lab.batch import BatchReport

MAX_MISROUTED_ROWS = 200


def write_report(report: BatchReport, folder: Path, name: str = "lab-report") -> list[Path]:
    """Write ``<name>.md``, ``<name>.json`` and ``<name>-confusion.png`` into ``folder``; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    md = folder / f"{name}.md"
    js = folder / f"{name}.json"
    png = folder / f"{name}-confusion.png"
    md.write_text(markdown(report), encoding="utf-8")
    js.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    confusion_png(report, png)
    return [md, js, png]


def markdown(report: BatchReport) -> str:
    """The report as a Markdown page: the rates, per-need results, and the misrouted messages."""
    lines = [
        f"# Routing lab: {report.source}",
        "",
        f"{report.cases} messages, run {report.at:%Y-%m-%d %H:%M} against the running assistant and catalogue.",
        "",
        "| measure | result |",
        "|---|---|",
        f"| right door (an acceptable door among the first {3}) | {report.right_door.percent()} |",
        f"| urgent recall | {report.urgent_recall.percent()} |",
        f"| false-urgent rate | {report.false_urgent.percent()} |",
        f"| need accuracy | {report.need_accuracy.percent()} |",
        f"| no door (need messages whose reply had no door) | {report.no_door.percent()} |",
        f"| asked directly (ambiguous signal: 116 123 and 113 first, one question) | {report.asked.percent()} |",
        "",
    ]
    if report.per_lang:
        lines += [
            "## Per language",
            "",
            "| language | messages | right door | urgent recall | false urgent | no door | asked |",
            "|---|---|---|---|---|---|---|",
        ]
        for lang, figures in report.per_lang.items():
            lines.append(
                f"| {lang} | {figures.cases} | {figures.right_door.percent()} | {figures.urgent_recall.percent()} "
                f"| {figures.false_urgent.percent()} | {figures.no_door.percent()} | {figures.asked.percent()} |"
            )
        lines.append("")
    lines += [
        "## Per need",
        "",
        "| expected need | messages | right need | most often read as |",
        "|---|---|---|---|",
    ]
    for need, got in report.confusion.items():
        total = sum(got.values())
        others = sorted(((n, c) for n, c in got.items() if n != need), key=lambda item: -item[1])[:3]
        read_as = ", ".join(f"{n} ({c})" for n, c in others) or "–"
        lines.append(f"| {need} | {total} | {got.get(need, 0)} | {read_as} |")
    misrouted = report.misrouted
    lines += ["", f"## Misrouted messages ({len(misrouted)})", ""]
    if misrouted:
        lines += [
            "| line | lang | message | expected | got | urgent (expected/got) | first doors |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in misrouted[:MAX_MISROUTED_ROWS]:
            text = r.text.replace("|", "\\|")
            urgent = f"{_yes(r.expected_urgent)}/{_yes(r.got_urgent)}"
            doors = ", ".join(r.reply_doors[:3]) or "–"
            where = f"| {r.line or ''} | {r.lang or ''} | {text} |"
            lines.append(f"{where} {r.expected_need} | {r.got_intent} | {urgent} | {doors} |")
        if len(misrouted) > MAX_MISROUTED_ROWS:
            lines.append(f"\n({len(misrouted) - MAX_MISROUTED_ROWS} more in the JSON report)")
    return "\n".join(lines) + "\n"


def confusion_png(report: BatchReport, path: Path) -> None:
    """A confusion matrix of expected need (rows) against the need acted on (columns), as row shares."""
    import matplotlib

    matplotlib.use("Agg")  # no screen, and no GUI toolkit on a server
    import matplotlib.pyplot as plt

    labels = sorted(set(report.confusion) | {g for got in report.confusion.values() for g in got})
    index = {label: i for i, label in enumerate(labels)}
    size = len(labels)
    counts = [[0] * size for _ in range(size)]
    for need, got in report.confusion.items():
        for other, count in got.items():
            counts[index[need]][index[other]] = count
    shares = [[c / (sum(row) or 1) for c in row] for row in counts]
    side = max(6.0, 0.32 * size + 2)
    figure, axes = plt.subplots(figsize=(side, side))
    axes.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    axes.set_xticks(range(size), labels, rotation=90, fontsize=7)
    axes.set_yticks(range(size), labels, fontsize=7)
    axes.set_xlabel("need the assistant acted on")
    axes.set_ylabel("expected need")
    axes.set_title(f"{report.source}: {report.cases} messages")
    for row in range(size):
        for col in range(size):
            if counts[row][col]:
                colour = "white" if shares[row][col] > 0.5 else "black"
                axes.text(col, row, str(counts[row][col]), ha="center", va="center", fontsize=6, color=colour)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _yes(value: bool) -> str:
    return "yes" if value else "no"
