"""Specification of catalogue files (service_catalog.interchange): what is read, what is refused, and where.

Pure: no database. Every refusal names the line and field of each problem, and a file with several
problems reports all of them.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from textwrap import dedent, indent

import pytest

from service_catalog import interchange
from service_catalog.errors import ImportProblem, ImportRejected
from service_catalog.interchange import CatalogueDocument, dump_csv, dump_yaml, parse_csv, parse_yaml

GOOD_SERVICE = """\
- key: prove-helsesykepleier
  door: helsesykepleier
  name: Helsesykepleier på Prøve ungdomsskole
  description: Du kan komme innom uten time.
  phone: "22 40 00 40"
  url: https://prove.kommune.example/helsesykepleier
  hours:
    mon: ["08:00-15:30"]
  source: Oppdiktet testdata
  last_verified: 2026-11-23
"""


def yaml_file(services: str = GOOD_SERVICE, *, head: str = 'format: veiviser-catalogue/1\nkommune: "9990"\n') -> str:
    """A catalogue file with ``services`` (a YAML list written at column 0) under the top-level fields."""
    return head + "services:\n" + indent(dedent(services), "  ")


def service(key: str, **fields: str) -> str:
    """One YAML service entry: the good service with ``fields`` replaced or added (values as written)."""
    pairs = (line.strip().split(": ", 1) for line in GOOD_SERVICE.removeprefix("- ").splitlines() if ": " in line)
    lines = {name: value for name, value in pairs if name != "mon"}
    lines["key"] = key
    lines.update(fields)
    return "- " + "\n  ".join(f"{k}: {v}" for k, v in lines.items()) + "\n"


def line_of(text: str, fragment: str, nth: int = 1) -> int:
    """The 1-based line number of the ``nth`` line that contains ``fragment``."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if fragment in line]
    return hits[nth - 1]


def problems_of(text: str, *, csv: bool = False) -> list[ImportProblem]:
    with pytest.raises(ImportRejected) as rejected:
        (parse_csv if csv else parse_yaml)(text)
    return rejected.value.problems


def only_problem(text: str, *, csv: bool = False) -> ImportProblem:
    problems = problems_of(text, csv=csv)
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------- YAML: good files


def test_parse_yaml_good_file_gives_document() -> None:
    doc = parse_yaml(yaml_file())
    assert doc.scope == "municipal" and doc.kommune == "9990" and not doc.example
    assert [s.key for s in doc.services] == ["prove-helsesykepleier"]
    assert doc.services[0].hours == {"mon": ["08:00-15:30"]}
    assert doc.absent_doors is None and doc.routing is None


def test_parse_yaml_unquoted_digits_keep_leading_zero() -> None:
    doc = parse_yaml(
        yaml_file(
            service("prove-a", address="{street: Gata 1, postal_code: 0150, city: Oslo}"),
            head="format: veiviser-catalogue/1\nkommune: 0301\n",
        )
    )
    assert doc.kommune == "0301"
    assert doc.services[0].address is not None and doc.services[0].address.postal_code == "0150"


def test_parse_yaml_language_no_stays_norwegian_not_false() -> None:
    doc = parse_yaml(yaml_file(service("prove-a", languages="[nb, no, en]")))
    assert doc.services[0].languages == ["nb", "no", "en"]


def test_parse_yaml_example_file_may_use_fictional_phone_block() -> None:
    head = 'format: veiviser-catalogue/1\nkommune: "9990"\nexample: true\n'
    doc = parse_yaml(yaml_file(service("prove-a", phone='"10 00 12 34"'), head=head))
    assert doc.services[0].phone == "10 00 12 34" and doc.services[0].example


def test_parse_yaml_national_file_needs_no_kommune() -> None:
    head = "format: veiviser-catalogue/1\nscope: national\n"
    doc = parse_yaml(yaml_file(service("prove-nasjonal", door="ung_no", scope="national"), head=head))
    assert doc.scope == "national" and doc.kommune is None


def test_parse_yaml_routing_and_absent_doors_are_read() -> None:
    text = yaml_file() + dedent("""\
        absent_doors:
          - {door: rask_psykisk_helsehjelp, source: Telefon med kommunen, last_verified: 2026-11-23}
        routing:
          - {need: angst_uro, urgency: snart, doors: [helsesykepleier, fastlege]}
        """)
    doc = parse_yaml(text)
    assert doc.absent_doors is not None and doc.absent_doors[0].door == "rask_psykisk_helsehjelp"
    assert doc.routing is not None and doc.routing[0].doors == ["helsesykepleier", "fastlege"]


# ---------------------------------------------------------------- YAML: field problems, with line and field


def test_parse_yaml_bad_phone_names_line_and_field() -> None:
    text = yaml_file(GOOD_SERVICE + service("prove-b", phone='"12345678"'))
    problem = only_problem(text)
    assert problem == ImportProblem(line_of(text, '"12345678"'), "services[1].phone", problem.message)
    assert problem.message.startswith("phone: not a Norwegian phone number")


def test_parse_yaml_fictional_phone_outside_example_file_is_refused() -> None:
    problem = only_problem(yaml_file(service("prove-a", phone='"10 00 12 34"')))
    assert problem.field == "services[0].phone" and "example data" in problem.message


def test_parse_yaml_unknown_door_names_line_and_field() -> None:
    text = yaml_file(service("prove-a", door="helsesøster"))
    problem = only_problem(text)
    assert (problem.line, problem.field) == (line_of(text, "helsesøster"), "services[0].door")
    assert problem.message == "door: 'helsesøster' is not a door code in taxonomy.yml"


@pytest.mark.parametrize("hours", ['{mon: ["25:00-26:00"]}', '{mon: ["08:00-24:30"]}', '{mon: ["kl 8-16"]}'])
def test_parse_yaml_malformed_hours_are_refused(hours: str) -> None:
    text = yaml_file(service("prove-a", hours=hours))
    problem = only_problem(text)
    assert (problem.line, problem.field) == (line_of(text, "hours:"), "services[0].hours")


def test_parse_yaml_overlapping_hours_are_refused() -> None:
    problem = only_problem(yaml_file(service("prove-a", hours='{mon: ["08:00-12:00", "11:00-15:00"]}')))
    assert problem.field == "services[0].hours" and "overlaps" in problem.message


def test_parse_yaml_night_running_into_next_morning_overlap_is_refused() -> None:
    problem = only_problem(yaml_file(service("prove-a", hours='{fri: ["16:00-08:00"], sat: ["07:00-12:00"]}')))
    assert "overlaps" in problem.message


def test_parse_yaml_unknown_weekday_is_refused() -> None:
    problem = only_problem(yaml_file(service("prove-a", hours='{mandag: ["08:00-15:00"]}')))
    assert problem.field == "services[0].hours.mandag"


@pytest.mark.parametrize(
    ("ages", "field"),
    [({"age_min": "300"}, "age_min"), ({"age_max": "-1"}, "age_max"), ({"age_min": "20", "age_max": "13"}, "age_max")],
)
def test_parse_yaml_absurd_ages_are_refused(ages: dict[str, str], field: str) -> None:
    text = yaml_file(service("prove-a", **ages))
    problem = only_problem(text)
    assert (problem.line, problem.field) == (line_of(text, f"{field}:"), f"services[0].{field}")


def test_parse_yaml_script_in_name_is_refused() -> None:
    problem = only_problem(yaml_file(service("prove-a", name="<script>alert(1)</script>")))
    assert problem.field == "services[0].name" and "plain text" in problem.message


def test_parse_yaml_statement_in_description_is_refused() -> None:
    problem = only_problem(yaml_file(service("prove-a", description='"\'; DROP TABLE service; --"')))
    assert problem.field == "services[0].description" and "database statement" in problem.message


def test_parse_yaml_plain_http_url_is_refused() -> None:
    problem = only_problem(yaml_file(service("prove-a", url="http://prove.kommune.example")))
    assert problem.field == "services[0].url" and "https://" in problem.message


def test_parse_yaml_missing_required_field_points_at_the_service() -> None:
    text = yaml_file("- key: prove-a\n  door: fastlege\n  name: Fastlege\n  phone: '22 40 00 40'\n  source: Test\n")
    problem = only_problem(text)
    assert (problem.line, problem.field) == (line_of(text, "key: prove-a"), "services[0].last_verified")
    assert "missing" in problem.message


def test_parse_yaml_service_without_any_contact_is_refused() -> None:
    text = yaml_file("- {key: prove-a, door: fastlege, name: Fastlege, source: Test, last_verified: 2026-11-23}\n")
    problem = only_problem(text)
    assert problem.field == "services[0]" and "at least one way to reach" in problem.message


def test_parse_yaml_regional_service_without_covers_is_refused() -> None:
    problem = only_problem(yaml_file(service("prove-a", scope="regional")))
    assert problem.field == "services[0].covers"


def test_parse_yaml_misspelt_service_field_is_refused() -> None:
    text = yaml_file(service("prove-a", phnoe='"22 40 00 40"'))
    assert only_problem(text) == ImportProblem(
        line_of(text, "phnoe"), "services[0].phnoe", "phnoe: is not a field of this format (check the spelling)"
    )


def test_parse_yaml_example_flag_on_a_service_is_refused() -> None:
    problem = only_problem(yaml_file(service("prove-a", example="true")))
    assert problem.field == "services[0].example" and "whole file" in problem.message


# ---------------------------------------------------------------- YAML: file-level problems


def test_parse_yaml_duplicate_key_names_both_lines() -> None:
    text = yaml_file(service("prove-a") + service("prove-b") + service("prove-a"))
    problem = only_problem(text)
    assert (problem.line, problem.field) == (line_of(text, "key: prove-a", 2), "services[2].key")
    assert f"(line {line_of(text, 'key: prove-a')})" in problem.message


def test_parse_yaml_same_field_twice_in_a_service_is_refused() -> None:
    text = yaml_file(GOOD_SERVICE + '  phone: "22 40 00 41"\n')
    problem = only_problem(text)
    assert (problem.line, problem.field) == (line_of(text, "22 40 00 41"), "services[0].phone")


def test_parse_yaml_wrong_format_version_is_refused() -> None:
    problem = only_problem(yaml_file(head='format: veiviser-catalogue/2\nkommune: "9990"\n'))
    assert (problem.line, problem.field) == (1, "format") and "veiviser-catalogue/1" in problem.message


def test_parse_yaml_missing_format_is_refused() -> None:
    assert only_problem(yaml_file(head='kommune: "9990"\n')).field == "format"


def test_parse_yaml_unknown_top_level_field_is_refused() -> None:
    text = yaml_file(head='format: veiviser-catalogue/1\nkommune: "9990"\nkomune: "9990"\n')
    assert only_problem(text) == ImportProblem(3, "komune", only_problem(text).message)


def test_parse_yaml_syntax_error_gives_its_line() -> None:
    text = yaml_file(GOOD_SERVICE + "- key: prove-b\n  name: [unclosed\n  door: fastlege\n")
    problem = only_problem(text)
    assert problem.field == "file" and "not valid YAML" in problem.message
    assert problem.line is not None and problem.line >= line_of(text, "[unclosed")


def test_parse_yaml_bad_indentation_gives_its_line() -> None:
    text = yaml_file() + "  door: fastlege\n    name: x\n"
    problem = only_problem(text)
    assert (problem.line, problem.field) == (line_of(text, "door: fastlege"), "file")


def test_parse_yaml_aliases_are_refused() -> None:
    text = yaml_file(GOOD_SERVICE.replace("hours:", "hours: &week") + service("prove-b", hours="*week"))
    problem = only_problem(text)
    assert (problem.line, problem.field) == (line_of(text, "*week"), "file") and "aliases" in problem.message


@pytest.mark.parametrize("value", ["!!python/object/apply:os.system [ls]", "!!python/name:os.system", "!custom x"])
def test_parse_yaml_tags_other_than_plain_values_are_refused(value: str) -> None:
    problem = only_problem(yaml_file(service("prove-a", name=value)))
    assert problem.field == "services[0].name" and "is not allowed" in problem.message


def test_parse_yaml_national_file_with_kommune_is_refused() -> None:
    problem = only_problem(yaml_file(head='format: veiviser-catalogue/1\nscope: national\nkommune: "9990"\n'))
    assert problem.field == "kommune"


def test_parse_yaml_file_without_kommune_or_scope_is_refused() -> None:
    assert only_problem(yaml_file(head="format: veiviser-catalogue/1\n")).field == "scope"


def test_parse_yaml_empty_file_is_refused() -> None:
    assert only_problem("").message == "the file is empty"


def test_parse_yaml_duplicate_routing_rule_is_refused() -> None:
    rules = "routing:\n  - {need: angst_uro, urgency: snart, doors: [fastlege]}\n" + (
        "  - {need: angst_uro, urgency: info, doors: [ung_no]}\n"
    )
    text = yaml_file() + rules
    problem = only_problem(text)
    assert (problem.line, problem.field) == (len(text.splitlines()), "routing[1].need")


def test_parse_yaml_unknown_need_in_routing_is_refused() -> None:
    text = yaml_file() + "routing:\n  - {need: lykke, urgency: snart, doors: [fastlege]}\n"
    problem = only_problem(text)
    assert (problem.line, problem.field) == (len(text.splitlines()), "routing[0].need")


def test_parse_yaml_every_problem_in_the_file_is_reported() -> None:
    text = yaml_file(
        GOOD_SERVICE
        + service("prove-b", phone='"123456789"', door="helsesøster")
        + service("prove-c", url="http://x.example", age_min="300")
        + service("prove-b", name="<b>fet</b>"),
        head='format: veiviser-catalogue/1\nkommune: "9990"\nfarge: blå\n',
    )
    found = {(p.line, p.field) for p in problems_of(text)}
    assert found == {
        (3, "farge"),
        (line_of(text, "helsesøster"), "services[1].door"),
        (line_of(text, '"123456789"'), "services[1].phone"),
        (line_of(text, "http://x.example"), "services[2].url"),
        (line_of(text, "age_min: 300"), "services[2].age_min"),
        (line_of(text, "<b>fet</b>"), "services[3].name"),
        (line_of(text, "key: prove-b", 2), "services[3].key"),
    }


def test_parse_yaml_file_over_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interchange, "MAX_FILE_BYTES", 1000)
    problem = only_problem(yaml_file(GOOD_SERVICE * 10))
    assert problem.field == "file" and "at most 1,000" in problem.message


def test_parse_yaml_too_many_services_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interchange, "MAX_SERVICES", 2)
    problem = only_problem(yaml_file(service("prove-a") + service("prove-b") + service("prove-c")))
    assert problem.field == "services" and "at most 2" in problem.message


# ---------------------------------------------------------------- YAML: writing


def test_dump_yaml_keeps_norwegian_letters_and_format_order() -> None:
    text = dump_yaml(parse_yaml(yaml_file()))
    assert "Helsesykepleier på Prøve ungdomsskole" in text
    top = [line.split(":")[0] for line in text.splitlines()[:5]]
    assert top == ["format", "scope", "kommune", "example", "services"]


def test_dump_yaml_then_parse_gives_same_document() -> None:
    dates = "[{date: 2026-12-24, note: Julaften}, {date: 2026-12-31}]"
    doc = parse_yaml(yaml_file(service("prove-a", closed_dates=dates)))
    assert parse_yaml(dump_yaml(doc)) == doc


def test_dump_yaml_same_document_gives_same_text() -> None:
    doc = parse_yaml(yaml_file())
    assert dump_yaml(doc) == dump_yaml(parse_yaml(dump_yaml(doc)))


# ---------------------------------------------------------------- CSV

CSV_HEADER = "kommune,example,key,door,name,phone,url,hours,closed_dates,languages,source,last_verified\n"
CSV_ROW = (
    "9990,false,prove-helsesykepleier,helsesykepleier,Helsesykepleier på Prøve,22 40 00 40,"
    'https://prove.kommune.example,"mon 08:00-15:30; wed 08:00-11:00, 12:00-15:30",'
    "2026-12-24 Julaften; 2026-12-31,nb; en,Oppdiktet testdata,2026-11-23\n"
)


def test_parse_csv_good_file_gives_services() -> None:
    doc = parse_csv(CSV_HEADER + CSV_ROW)
    assert (doc.scope, doc.kommune, doc.example) == ("municipal", "9990", False)
    assert doc.routing is None and doc.absent_doors is None
    found = doc.services[0]
    assert found.hours == {"mon": ["08:00-15:30"], "wed": ["08:00-11:00", "12:00-15:30"]}
    assert [(c.date, c.note) for c in found.closed_dates] == [
        (date(2026, 12, 24), "Julaften"),
        (date(2026, 12, 31), None),
    ]
    assert found.languages == ["nb", "en"]


def test_parse_csv_byte_order_mark_and_semicolons_are_read() -> None:
    text = (
        "\ufeffkommune;key;door;name;url;source;last_verified\n"
        "9990;prove-a;fastlege;Fastlege;https://x.example;Test;2026-11-23\n"
    )
    assert parse_csv(text).services[0].key == "prove-a"


def test_parse_csv_address_columns_make_the_address() -> None:
    text = (
        "kommune,key,door,name,street,postal_code,city,source,last_verified\n"
        "9990,prove-a,fastlege,Lege,Gata 1,150,Oslo,Test,2026-11-23\n"
    )
    address = parse_csv(text).services[0].address
    assert address is not None and (address.street, address.postal_code, address.city) == ("Gata 1", "0150", "Oslo")


@pytest.mark.parametrize(
    ("cell", "value"), [("true", True), ("ja", True), ("Nei", False), ("false", False), ("", False)]
)
def test_parse_csv_booleans_are_true_false_ja_nei(cell: str, value: bool) -> None:
    text = CSV_HEADER.replace("\n", ",anonymous\n") + CSV_ROW.replace("\n", f",{cell}\n")
    assert parse_csv(text).services[0].anonymous is value


def test_parse_csv_other_boolean_words_are_refused() -> None:
    header = CSV_HEADER.replace("\n", ",anonymous\n")
    second = CSV_ROW.replace("prove-helsesykepleier", "prove-b")
    text = header + CSV_ROW.replace("\n", ",true\n") + second.replace("\n", ",kanskje\n")
    problem = only_problem(text, csv=True)
    assert (problem.line, problem.field) == (3, "services[1].anonymous") and "true or false" in problem.message


def test_parse_csv_unknown_column_is_refused_on_line_one() -> None:
    problem = only_problem(CSV_HEADER.replace("\n", ",telefon\n") + CSV_ROW.replace("\n", ",22 40 00 40\n"), csv=True)
    assert (problem.line, problem.field) == (1, "telefon")


def test_parse_csv_missing_required_column_is_refused() -> None:
    text = "key,door,name,url,source,last_verified\nprove-a,fastlege,Lege,https://x.example,Test,2026-11-23\n"
    problem = only_problem(text, csv=True)
    assert (problem.line, problem.field) == (1, "kommune")


def test_parse_csv_line_numbers_count_lines_inside_quoted_cells() -> None:
    text = (
        "kommune,key,door,description,url,name,source,last_verified\n"
        '9990,prove-a,fastlege,"To\nlinjer",https://x.example,Lege,Test,2026-11-23\n'
        "9990,prove-b,helsesøster,,https://x.example,Lege,Test,2026-11-23\n"
    )
    problem = only_problem(text, csv=True)
    assert (problem.line, problem.field) == (4, "services[1].door")


def test_parse_csv_rows_with_different_kommune_are_refused() -> None:
    other = CSV_ROW.replace("9990,", "9991,", 1).replace("prove-helsesykepleier", "prove-b")
    problem = only_problem(CSV_HEADER + CSV_ROW + other, csv=True)
    assert (problem.line, problem.field) == (3, "services[1].kommune")


def test_parse_csv_malformed_hours_cell_is_refused() -> None:
    problem = only_problem(CSV_HEADER + CSV_ROW.replace("mon 08:00-15:30;", "mon;"), csv=True)
    assert (problem.line, problem.field) == (2, "services[0].hours")


def test_parse_csv_every_bad_row_is_reported() -> None:
    rows = [CSV_ROW.replace("prove-helsesykepleier", f"prove-{n}") for n in "abc"]
    rows[0] = rows[0].replace("22 40 00 40", "12")
    rows[2] = rows[2].replace("https://prove", "http://prove")
    found = {(p.line, p.field) for p in problems_of(CSV_HEADER + "".join(rows), csv=True)}
    assert found == {(2, "services[0].phone"), (4, "services[2].url")}


def test_parse_csv_duplicate_key_is_refused() -> None:
    problem = only_problem(CSV_HEADER + CSV_ROW + CSV_ROW, csv=True)
    assert (problem.line, problem.field) == (3, "services[1].key")


def test_parse_csv_header_only_is_refused() -> None:
    assert only_problem(CSV_HEADER, csv=True).field == "file"


def test_parse_csv_empty_kommune_column_is_national() -> None:
    row = CSV_ROW.replace("9990,", ",", 1).replace("helsesykepleier,helsesykepleier", "prove-ung,ung_no")
    doc = parse_csv(CSV_HEADER.replace("\n", ",scope\n") + row.replace("\n", ",national\n"))
    assert (doc.scope, doc.kommune) == ("national", None)


def test_dump_csv_then_parse_gives_same_services() -> None:
    doc = parse_yaml(
        yaml_file(
            service(
                "prove-a",
                address="{street: Gata 1, postal_code: '0150', city: Bø}",
                closed_dates="[{date: 2026-12-24, note: Julaften}]",
            )
        )
    )
    assert parse_csv(dump_csv(doc)).services == doc.services


FORMULA_STARTS = ["=", "+", "-", "@"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_dump_csv_neutralises_a_cell_a_spreadsheet_would_run_as_a_formula(start: str) -> None:
    name = f'{start}HYPERLINK("https://angriper.example","Klikk")'
    doc = parse_yaml(yaml_file(service("prove-a", name=f"'{name}'", cost_note=f"'{start}1+1'")))
    [row] = csv.DictReader(io.StringIO(dump_csv(doc)))
    assert row["name"] == f"'{name}" and row["cost_note"] == f"'{start}1+1"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_dump_csv_then_parse_gives_formula_like_text_back_unchanged(start: str) -> None:
    doc = parse_yaml(yaml_file(service("prove-a", name=f"'{start}Helsesykepleier'", source=f"'{start}Testdata'")))
    assert parse_csv(dump_csv(doc)).services == doc.services


def test_dump_csv_then_parse_keeps_text_that_starts_with_an_apostrophe() -> None:
    doc = parse_yaml(yaml_file(service("prove-a", name='"\'-Helsesykepleier"', source='"\'Testdata"')))
    assert parse_csv(dump_csv(doc)).services == doc.services


def test_parse_csv_reads_a_neutralised_phone_cell_without_its_apostrophe() -> None:
    found = parse_csv(CSV_HEADER + CSV_ROW.replace("22 40 00 40", "'+47 22 40 00 40")).services[0]
    assert found.phone == "22 40 00 40"


def test_parse_csv_keeps_an_apostrophe_before_ordinary_text() -> None:
    found = parse_csv(CSV_HEADER + CSV_ROW.replace("Helsesykepleier på Prøve", "'Ung helse")).services[0]
    assert found.name == "'Ung helse"


def test_csv_document_is_equal_to_yaml_document_of_same_services() -> None:
    doc = parse_csv(CSV_HEADER + CSV_ROW)
    assert parse_yaml(dump_yaml(doc)) == doc


def test_catalogue_document_municipal_without_kommune_is_invalid() -> None:
    with pytest.raises(ValueError, match="names its kommune"):
        CatalogueDocument(scope="municipal")
