"""The shared test-set format (routing lab): TSV out and back, and clear line-numbered errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service_catalog.lab_cases import COLUMNS, CaseFormatError, CaseRow, one_line, parse_tsv, to_tsv

HEADER = "\t".join(COLUMNS)
CODES = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
CASES = st.builds(
    CaseRow,
    text=st.text(min_size=1, max_size=200).map(one_line).filter(bool),
    need=CODES,
    doors=st.lists(CODES, max_size=4).map(tuple),
    urgent=st.booleans(),
    kommune=st.none() | st.from_regex(r"[0-9]{4}", fullmatch=True),
    age=st.none() | st.integers(0, 120),
    lang=st.none() | st.sampled_from(["nb", "nn", "en", "slang"]),
    note=st.text(max_size=100).map(one_line),
)


@given(st.lists(CASES, max_size=10))
def test_to_tsv_then_parse_tsv_gives_the_same_cases(cases: list[CaseRow]) -> None:
    assert parse_tsv(to_tsv(cases)) == cases


def test_empty_cells_are_unknown_values() -> None:
    text = f"{HEADER}\njeg gruer meg\tskolestress\t\tfalse\t\t\t\t\n"
    assert parse_tsv(text) == [CaseRow(text="jeg gruer meg", need="skolestress")]


def test_problems_name_their_line_and_column() -> None:
    text = f"{HEADER}\nok\tsorg\t\tfalse\t\t\t\t\n\tsorg\t\tkanskje\t123\tung\tDeutsch\t\nfor få\tsorg\n"
    with pytest.raises(CaseFormatError) as refused:
        parse_tsv(text)
    problems = refused.value.problems
    assert "line 3: text: is empty" in problems
    assert "line 3: urgent: must be true or false" in problems
    assert any(p.startswith("line 3: kommune:") for p in problems)
    assert any(p.startswith("line 3: age:") for p in problems)
    assert any(p.startswith("line 3: lang:") for p in problems)
    assert any(p.startswith("line 4: expected 8 tab-separated cells") for p in problems)
    assert not any(p.startswith("line 2") for p in problems)


def test_optional_columns_may_be_left_out_and_come_in_any_order() -> None:
    cases = parse_tsv("need\ttext\turgent\tlang\tnote\nnone\thei\tfalse\tnb\tsmall talk\n")

    assert cases == [CaseRow(text="hei", need="none", lang="nb", note="small talk")]


def test_each_case_knows_its_line_in_the_file() -> None:
    cases = parse_tsv(f"{HEADER}\nen\tsorg\t\tfalse\t\t\t\t\n\nto\tsorg\t\tfalse\t\t\t\t\n")

    assert [c.line for c in cases] == [2, 4]


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("text\tneed\turgent\tmood", "unknown column 'mood'"),
        ("text\tneed\tdoors", "column 'urgent' is missing"),
        ("text\tneed\turgent\tneed", "column 'need' appears twice"),
    ],
)
def test_a_header_that_is_not_the_format_is_refused_on_line_1(header: str, said: str) -> None:
    with pytest.raises(CaseFormatError) as refused:
        parse_tsv(f"{header}\nhei\tnone\tfalse\tx\n")
    assert refused.value.problems[0].startswith("line 1: ")
    assert said in refused.value.problems[0]


def test_the_held_out_sets_in_tests_data_are_in_the_format() -> None:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "data"
    for name in ("crisis_heldout.tsv", "nlu_heldout.tsv"):
        assert parse_tsv((folder / name).read_text("utf-8"))


def test_codes_are_checked_against_the_taxonomy_when_given() -> None:
    text = f"{HEADER}\nhei\tikke_et_behov\tfastlege,ingen_dor\tfalse\t\t\t\t\n"
    with pytest.raises(CaseFormatError) as refused:
        parse_tsv(text, needs=["sorg"], doors=["fastlege"])
    assert refused.value.problems == [
        "line 2: need: 'ikke_et_behov' is not a need code in taxonomy.yml",
        "line 2: doors: 'ingen_dor' is not a door code",
    ]
