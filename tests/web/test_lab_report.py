"""The routing lab's scoring and report, on results made here (the runs against the assistant are in tests/lab)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from service_catalog.lab.batch import CaseResult, summarise
from service_catalog.lab.report import markdown, write_report

AT = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


def result(
    expected: str, got: str, *, doors: list[str], acceptable: list[str], urgent: bool = False, **kw
) -> CaseResult:
    got_urgent = kw.pop("got_urgent", urgent)
    return CaseResult(
        text=kw.pop("text", f"{expected} -> {got}"),
        expected_need=expected,
        got_need=got,
        got_intent=got,
        confidence=0.9,
        acceptable_doors=acceptable,
        reply_doors=doors,
        right_door=None if not acceptable else any(d in acceptable for d in doors[:3]),
        expected_urgent=urgent,
        got_urgent=got_urgent,
    )


def test_right_door_counts_an_acceptable_door_among_the_first_three_only() -> None:
    results = [
        result("angst_uro", "angst_uro", doors=["a", "b", "helsesykepleier"], acceptable=["helsesykepleier"]),
        result("angst_uro", "mobbing", doors=["a", "b", "c", "helsesykepleier"], acceptable=["helsesykepleier"]),
    ]

    report = summarise(results, source="t", at=AT)

    assert (report.right_door.hits, report.right_door.total) == (1, 2)


def test_small_talk_rows_are_not_judged_for_doors() -> None:
    report = summarise([result("none", "none", doors=[], acceptable=[])], source="t", at=AT)

    assert report.right_door.total == 0
    assert report.right_door.percent() == "–"


def test_urgent_recall_and_false_urgent_rate_use_the_expected_flag() -> None:
    results = [
        result("selvmordstanker", "selvmordstanker", doors=["nodtelefon"], acceptable=["nodtelefon"], urgent=True),
        result("overdose", "sorg", doors=["x"], acceptable=["nodtelefon"], urgent=True, got_urgent=False),
        result("sorg", "selvmordstanker", doors=["nodtelefon"], acceptable=["x"], got_urgent=True),
        result("sorg", "sorg", doors=["x"], acceptable=["x"]),
    ]

    report = summarise(results, source="t", at=AT)

    assert (report.urgent_recall.hits, report.urgent_recall.total) == (1, 2)
    assert (report.false_urgent.hits, report.false_urgent.total) == (1, 2)
    assert report.confusion["sorg"] == {"selvmordstanker": 1, "sorg": 1}
    assert [r.expected_need for r in report.misrouted] == ["overdose", "sorg"]


def test_markdown_lists_the_rates_and_every_misrouted_message() -> None:
    results = [
        result("mobbing", "skolestress", doors=["skole"], acceptable=["helsesykepleier"], text="de | plager meg"),
        result("mobbing", "mobbing", doors=["helsesykepleier"], acceptable=["helsesykepleier"]),
    ]

    page = markdown(summarise(results, source="mitt-sett.tsv", at=AT))

    assert "| right door (an acceptable door among the first 3) | 1/2 (50.0 %) |" in page
    assert "## Misrouted messages (1)" in page
    assert "de \\| plager meg" in page  # a pipe in a message does not break the table


def test_write_report_makes_markdown_json_and_a_png(tmp_path: Path) -> None:
    results = [
        result("sorg", "sorg", doors=["x"], acceptable=["x"]),
        result("sorg", "mobbing", doors=[], acceptable=["x"]),
    ]

    paths = write_report(summarise(results, source="s", at=AT), tmp_path, name="s")

    assert [p.name for p in paths] == ["s.md", "s.json", "s-confusion.png"]
    assert json.loads(paths[1].read_text("utf-8"))["cases"] == 2
    assert paths[2].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
