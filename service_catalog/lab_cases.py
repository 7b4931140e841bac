"""The shared test-set format of the routing lab: one test case per row, as TSV.

Columns: ``text need doors urgent kommune age lang note`` (``to_tsv`` writes them in this order). A file
names its columns in the header row, in any order; ``text``, ``need`` and ``urgent`` are required, the rest
may be left out (the held-out sets in tests/data have ``text need urgent lang note``). UTF-8, tab-separated,
no quoting (texts hold no tabs or newlines); ``doors`` comma-separated, ``urgent`` true/false, empty cells
for unknown values. ``tests/data/README.md`` describes it for people. Helpers download it from
``/admin/feedback`` and the batch lab reads it; both go through this module. Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

COLUMNS = ("text", "need", "doors", "urgent", "kommune", "age", "lang", "note")
REQUIRED = ("text", "need", "urgent")
NO_NEED = "none"
LANGS = ("nb", "nn", "en", "slang")
# Test sets for the languages Veiviser does not answer in name them by their ISO 639 code (pl, ar, ti ...).
_OTHER_LANG = re.compile(r"^[a-z]{2,3}$")
MAX_TEXT = 1000
MAX_NOTE = 200
MAX_AGE = 120
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class CaseRow:
    """One test case: a message and what the chat should do with it.

    ``doors`` empty means "the doors of the need's routing rule"; ``need`` is ``none`` when the message
    should not be routed (small talk, harmless figurative speech).
    """

    text: str
    need: str
    doors: tuple[str, ...] = ()
    urgent: bool = False
    kommune: str | None = None
    age: int | None = None
    lang: str | None = None
    note: str = ""
    line: int | None = field(default=None, compare=False)  # where the case stands in the file it was read from


@dataclass
class CaseFormatError(ValueError):
    """The file is not in the shared test-set format; ``problems`` say where ("line 3: need: …")."""

    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__("; ".join(self.problems[:5]) + (" …" if len(self.problems) > 5 else ""))


def one_line(text: str) -> str:
    """The text on one line: every run of whitespace (tabs and newlines too) becomes one space."""
    return " ".join(text.split())


def to_tsv(cases: Iterable[CaseRow]) -> str:
    """The cases as TSV in the shared format, header first (texts and notes put on one line)."""
    lines = ["\t".join(COLUMNS)]
    for case in cases:
        cells = [
            one_line(case.text),
            case.need,
            ",".join(case.doors),
            "true" if case.urgent else "false",
            case.kommune or "",
            "" if case.age is None else str(case.age),
            case.lang or "",
            one_line(case.note),
        ]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def parse_tsv(
    text: str, *, needs: Collection[str] | None = None, doors: Collection[str] | None = None
) -> list[CaseRow]:
    """Read TSV in the shared format; every problem is reported with its line number (CaseFormatError).

    With ``needs`` and ``doors`` (the taxonomy's codes), codes are checked against them too.
    """
    lines = text.removeprefix("\ufeff").split("\n")
    lines = [line.removesuffix("\r") for line in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise CaseFormatError(["line 1: the file is empty; it needs the header row " + "\t".join(COLUMNS)])
    header = tuple(cell.strip() for cell in lines[0].split("\t"))
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if unknown or missing or repeated:
        said = [f"unknown column {name[:40]!r}" for name in unknown[:5]]
        said += [f"column {name!r} is missing" for name in missing]
        said += [f"column {name!r} appears twice" for name in repeated]
        columns = " ".join(COLUMNS)
        raise CaseFormatError([f"line 1: {'; '.join(said)} (the columns are {columns}; text, need, urgent required)"])
    cases: list[CaseRow] = []
    problems: list[str] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        case = _row(header, line, number, problems, needs, doors)
        if case is not None:
            cases.append(case)
    if problems:
        raise CaseFormatError(problems)
    return cases


def _row(
    header: tuple[str, ...],
    line: str,
    number: int,
    problems: list[str],
    needs: Collection[str] | None,
    doors: Collection[str] | None,
) -> CaseRow | None:
    cells = line.split("\t")
    if len(cells) != len(header):
        problems.append(f"line {number}: expected {len(header)} tab-separated cells, found {len(cells)}")
        return None
    values = dict.fromkeys(COLUMNS, "") | dict(zip(header, (cell.strip() for cell in cells), strict=True))
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(f"line {number}: {column}: {message}")

    text = values["text"]
    if not text:
        problem("text", "is empty")
    elif len(text) > MAX_TEXT:
        problem("text", f"is longer than {MAX_TEXT} characters")
    need = values["need"]
    if need != NO_NEED and not _CODE.match(need):
        problem("need", f"'{need[:40]}' is not a need code or '{NO_NEED}'")
    elif need != NO_NEED and needs is not None and need not in needs:
        problem("need", f"'{need}' is not a need code in taxonomy.yml")
    door_codes = tuple(code.strip() for code in values["doors"].split(",") if code.strip())
    for code in door_codes:
        if not _CODE.match(code) or (doors is not None and code not in doors):
            problem("doors", f"'{code[:40]}' is not a door code")
    urgent = values["urgent"].lower()
    if urgent not in ("true", "false"):
        problem("urgent", "must be true or false")
    kommune = values["kommune"] or None
    if kommune is not None and not re.fullmatch(r"\d{4}", kommune):
        problem("kommune", "must be four digits, or empty")
    age: int | None = None
    if values["age"]:
        if values["age"].isascii() and values["age"].isdigit() and int(values["age"]) <= MAX_AGE:
            age = int(values["age"])
        else:
            problem("age", f"must be a whole number from 0 to {MAX_AGE}, or empty")
    lang = values["lang"] or None
    if lang is not None and lang not in LANGS and not _OTHER_LANG.match(lang):
        problem("lang", f"must be one of {', '.join(LANGS)}, another language's ISO 639 code, or empty")
    if len(values["note"]) > MAX_NOTE:
        problem("note", f"is longer than {MAX_NOTE} characters")
    if len(problems) > before:
        return None
    return CaseRow(
        text=text,
        need=need,
        doors=door_codes,
        urgent=urgent == "true",
        kommune=kommune,
        age=age,
        lang=lang,
        note=values["note"],
        line=number,
    )
