"""The HSDS 3.0 export (service_catalog.hsds and /api/v1/hsds), checked against the Open Referral schemas.

The schemas are copied in tests/data/hsds; ``$ref``s between them are resolved through a referencing
Registry. They declare no ``$schema``, so they are read as Draft 2020-12 (jsonschema's default).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from factories import ensure_municipality, make_service
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlmodel import Session

from service_catalog.hsds import DOOR_TAXONOMY, NAMESPACE, to_hsds_service
from service_catalog.models import Service
from service_catalog.vocabulary import get_vocabulary

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "hsds"
NAMES = {"9999": "Eksempel kommune", "9998": "Oppdiktet nabokommune"}
OFFICE = {day: ["08:00-15:30"] for day in ("mon", "tue", "thu", "fri")} | {"wed": ["08:00-11:00", "12:00-15:30"]}

# jsonschema checks "uri" and "date-time" only with optional packages; these stdlib checks stand in.
FORMATS = FormatChecker()


def _is_uri(value: object) -> bool:
    parts = urlsplit(str(value))
    return bool(parts.scheme and (parts.netloc or parts.path))


def _is_date_time(value: object) -> bool:
    return datetime.fromisoformat(str(value)).tzinfo is not None


FORMATS.checks("uri")(_is_uri)
FORMATS.checks("date-time", raises=ValueError)(_is_date_time)


@cache
def registry() -> Registry:
    """Every copied schema file, under its path relative to tests/data/hsds."""
    resources = [
        (path.relative_to(SCHEMAS).as_posix(), Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in sorted(SCHEMAS.rglob("*.json"))
    ]
    return Registry().with_resources(resources)


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, registry=registry(), format_checker=FORMATS)


def schema_errors(instance: Any, schema: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(schema).iter_errors(instance)]


SERVICE = {"$ref": "service.json"}
COMPILED_SERVICE = {"$ref": "compiled/service_with_definitions.json"}
PAGE_FIELDS = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"]
SERVICE_PAGE = {
    "allOf": [{"$ref": "openapi.json#/components/schemas/Page"}],
    "properties": {"contents": {"type": "array", "items": {"$ref": "compiled/service_list.json"}}},
    "required": PAGE_FIELDS,
}


def unknown_fields(instance: Any, schema: dict[str, Any], where: str = "") -> list[str]:
    """Keys the HSDS schema does not define (the schemas allow extra keys, so validation alone misses typos)."""
    definitions = json.loads((SCHEMAS / "compiled" / "service_with_definitions.json").read_text())["definitions"]
    if "$ref" in schema:
        schema = definitions[schema["$ref"].rsplit("/", 1)[-1]]
    if isinstance(instance, list):
        return [f for item in instance for f in unknown_fields(item, schema.get("items", {}), where + "[]")]
    if not isinstance(instance, dict):
        return []
    known = schema.get("properties", {})
    found = [f"{where}.{key}" for key in instance if key not in known]
    for key, value in instance.items():
        if key in known:
            found += unknown_fields(value, known[key], f"{where}.{key}")
    return found


def export(service: Service) -> dict[str, Any]:
    exported = to_hsds_service(service, municipality_names=NAMES, doors=get_vocabulary().doors)
    return exported.model_dump(mode="json", exclude_none=True)


@pytest.fixture
def municipal(session: Session) -> Service:
    return make_service(session, hours=OFFICE, sms="10 00 12 35", url="https://eksempel.example/helse")


@pytest.fixture
def national(session: Session) -> Service:
    return make_service(
        session,
        kommune=None,
        scope="national",
        door="krisetelefon",
        name="Hjelpetelefon (oppdiktet)",
        phone="10 00 99 99",
        open_24_7=True,
        hours={},
        age_min=None,
        age_max=None,
        anonymous=True,
        languages=["nb", "en"],
    )


@pytest.fixture
def regional(session: Session) -> Service:
    ensure_municipality(session, "9998")
    return make_service(
        session,
        door="familievern",
        name="Familievernkontor (oppdiktet)",
        scope="regional",
        covers=["9999", "9998"],
        hours={"fri": ["16:00-08:00"]},
        cost="partly_free",
        cost_note="Første samtale er gratis (oppdiktet).",
    )


@pytest.fixture
def with_closed_dates(session: Session) -> Service:
    closed = [{"date": "2026-12-24", "note": "Julaften"}, {"date": "2026-12-31"}]
    return make_service(session, hours=OFFICE, closed_dates=closed)


# ---------------------------------------------------------------- conformance


@pytest.mark.parametrize("fixture", ["municipal", "national", "regional", "with_closed_dates"])
def test_export_is_valid_against_the_hsds_service_schema(
    session: Session, fixture: str, request: pytest.FixtureRequest
) -> None:
    assert schema_errors(export(request.getfixturevalue(fixture)), SERVICE) == []


@pytest.mark.parametrize("fixture", ["municipal", "national", "regional", "with_closed_dates"])
def test_export_is_valid_against_the_compiled_hsds_schema(
    session: Session, fixture: str, request: pytest.FixtureRequest
) -> None:
    assert schema_errors(export(request.getfixturevalue(fixture)), COMPILED_SERVICE) == []


@pytest.mark.parametrize("fixture", ["municipal", "national", "regional", "with_closed_dates"])
def test_export_uses_only_fields_hsds_defines(session: Session, fixture: str, request: pytest.FixtureRequest) -> None:
    compiled = json.loads((SCHEMAS / "compiled" / "service_with_definitions.json").read_text())
    assert unknown_fields(export(request.getfixturevalue(fixture)), compiled) == []


def test_schema_check_catches_a_missing_required_field(municipal: Service) -> None:
    broken = {key: value for key, value in export(municipal).items() if key != "status"}
    assert schema_errors(broken, SERVICE) == [": 'status' is a required property"]


def test_schema_check_catches_a_nested_id_that_is_not_a_uuid(municipal: Service) -> None:
    broken = export(municipal)
    broken["phones"][0]["id"] = "phone-1"
    assert schema_errors(broken, SERVICE) == ["phones/0/id: 'phone-1' is not a 'uuid'"]


# ---------------------------------------------------------------- mapping


def test_export_id_is_the_uuid5_of_the_service_key(municipal: Service) -> None:
    assert export(municipal)["id"] == str(uuid.uuid5(NAMESPACE, f"service/{municipal.key}"))


def all_ids(value: Any) -> list[str]:
    """Every ``id`` of the object and of the objects nested in it (the organization is shared)."""
    if isinstance(value, list):
        return [i for item in value for i in all_ids(item)]
    if not isinstance(value, dict):
        return []
    nested = [i for key, item in value.items() if key != "organization" for i in all_ids(item)]
    return ([value["id"]] if "id" in value else []) + nested


def test_export_ids_are_unique_within_a_service(session: Session) -> None:
    service = make_service(session, sms="10 00 12 35", languages=["nb", "en"], closed_dates=[{"date": "2026-12-24"}])
    ids = all_ids(export(service))
    assert len(ids) == len(set(ids)) > 10


def schedule_for(exported: dict[str, Any], opens_at: str, closes_at: str) -> dict[str, Any]:
    return next(s for s in exported["schedules"] if (s.get("opens_at"), s.get("closes_at")) == (opens_at, closes_at))


def test_export_same_range_on_several_days_is_one_weekly_schedule(municipal: Service) -> None:
    full_days = schedule_for(export(municipal), "08:00", "15:30")
    assert (full_days["freq"], full_days["byday"]) == ("WEEKLY", "MO,TU,TH,FR")


def test_export_two_ranges_on_one_day_are_two_schedules(municipal: Service) -> None:
    exported = export(municipal)
    assert [schedule_for(exported, *times)["byday"] for times in [("08:00", "11:00"), ("12:00", "15:30")]] == [
        "WE",
        "WE",
    ]


def test_export_schedule_times_are_said_to_be_norwegian_local_time(municipal: Service) -> None:
    assert "Europe/Oslo" in schedule_for(export(municipal), "08:00", "15:30")["notes"]


def test_export_overnight_range_closes_the_next_day(regional: Service) -> None:
    night = schedule_for(export(regional), "16:00", "08:00")
    assert (night["byday"], night["description"]) == ("FR", "Åpent fra 16:00 til 08:00 neste dag.")


def test_export_24_7_is_one_whole_day_schedule_for_every_day(national: Service) -> None:
    [always] = export(national)["schedules"]
    assert (always["byday"], always["opens_at"], always["closes_at"]) == ("MO,TU,WE,TH,FR,SA,SU", "00:00", "24:00")


def test_export_closed_date_is_a_dated_schedule_without_times(with_closed_dates: Service) -> None:
    closed = [s for s in export(with_closed_dates)["schedules"] if s.get("notes") == "closed"]
    assert [(s["valid_from"], s["valid_to"], "opens_at" in s) for s in closed] == [
        ("2026-12-24", "2026-12-24", False),
        ("2026-12-31", "2026-12-31", False),
    ]


def test_export_closed_date_description_gives_the_reason(with_closed_dates: Service) -> None:
    closed = [s["description"] for s in export(with_closed_dates)["schedules"] if s.get("notes") == "closed"]
    assert closed == ["Stengt 2026-12-24: Julaften.", "Stengt 2026-12-31."]


def test_export_age_band_sets_minimum_and_maximum_age(municipal: Service) -> None:
    exported = export(municipal)
    assert (exported["minimum_age"], exported["maximum_age"]) == (12, 20)


def test_export_age_band_is_described_in_words(municipal: Service) -> None:
    assert export(municipal)["eligibility_description"] == "For deg som er 12–20 år."


def test_export_without_age_band_has_no_age_fields(national: Service) -> None:
    assert {"minimum_age", "maximum_age", "eligibility_description"}.isdisjoint(export(national))


def test_export_municipal_service_area_is_its_kommune(municipal: Service) -> None:
    assert [(a["name"], a["description"]) for a in export(municipal)["service_areas"]] == [
        ("Eksempel kommune", "Kommunenummer 9999")
    ]


def test_export_regional_service_areas_are_the_covered_kommuner(regional: Service) -> None:
    assert [a["name"] for a in export(regional)["service_areas"]] == ["Oppdiktet nabokommune", "Eksempel kommune"]


def test_export_national_service_area_is_norge(national: Service) -> None:
    assert [a["name"] for a in export(national)["service_areas"]] == ["Norge"]


def test_export_municipal_service_belongs_to_its_kommune(municipal: Service) -> None:
    exported = export(municipal)
    assert exported["organization"]["name"] == "Eksempel kommune"
    assert exported["organization_id"] == exported["organization"]["id"]


def test_export_services_of_one_kommune_share_one_organization(session: Session, municipal: Service) -> None:
    other = make_service(session)
    assert export(other)["organization"] == export(municipal)["organization"]


def test_export_national_service_is_its_own_organization(national: Service) -> None:
    assert export(national)["organization"]["name"] == "Hjelpetelefon (oppdiktet)"


def test_export_free_service_costs_zero_nok(municipal: Service) -> None:
    [cost] = export(municipal)["cost_options"]
    assert (cost["amount"], cost["currency"]) == (0, "NOK")


def test_export_partly_free_service_has_no_amount_but_the_note(regional: Service) -> None:
    [cost] = export(regional)["cost_options"]
    assert ("amount" in cost, cost["amount_description"]) == (False, "Første samtale er gratis (oppdiktet).")


def test_export_door_code_is_a_veiviser_doors_taxonomy_term(municipal: Service) -> None:
    [attribute] = export(municipal)["attributes"]
    term = attribute["taxonomy_term"]
    assert (term["taxonomy"], term["code"], term["name"]) == (
        DOOR_TAXONOMY,
        "helsesykepleier",
        "Helsesykepleier / skolehelsetjenesten",
    )


def test_export_phone_and_sms_are_voice_and_text(municipal: Service) -> None:
    assert [(p["type"], p["number"]) for p in export(municipal)["phones"]] == [
        ("voice", "10 00 12 34"),
        ("text", "10 00 12 35"),
    ]


def test_export_phone_carries_the_service_languages(national: Service) -> None:
    [phone] = export(national)["phones"]
    assert [language["code"] for language in phone["languages"]] == ["nb", "en"]


def test_export_languages_have_names(national: Service) -> None:
    assert [language["name"] for language in export(national)["languages"]] == ["Norsk bokmål", "English"]


def test_export_assured_date_is_last_verified(municipal: Service) -> None:
    assert export(municipal)["assured_date"] == municipal.last_verified.isoformat()


def test_export_inactive_service_has_status_inactive(session: Session) -> None:
    assert export(make_service(session, active=False))["status"] == "inactive"


def test_export_example_service_is_said_to_be_invented(municipal: Service) -> None:
    assert "Oppdiktet" in export(municipal)["alert"]


def test_export_anonymous_service_says_so_in_application_process(national: Service) -> None:
    assert "Du kan være anonym." in export(national)["application_process"]


# ---------------------------------------------------------------- API


def test_hsds_list_of_kommune_is_a_valid_service_page(
    client: TestClient, municipal: Service, regional: Service
) -> None:
    page = client.get("/api/v1/hsds/services", params={"kommune": "9999"}).json()
    assert schema_errors(page, SERVICE_PAGE) == []


def test_hsds_list_contents_are_valid_hsds_services(client: TestClient, municipal: Service, national: Service) -> None:
    page = client.get("/api/v1/hsds/services", params={"kommune": "9999", "per_page": 100}).json()
    assert [e for service in page["contents"] for e in schema_errors(service, SERVICE)] == []


def test_hsds_list_of_kommune_has_its_own_regional_covering_and_national_services(
    client: TestClient, session: Session, national: Service, regional: Service
) -> None:
    ensure_municipality(session, "9998")
    own = make_service(session, kommune="9998")
    elsewhere = make_service(session, kommune="9999")
    page = client.get("/api/v1/hsds/services", params={"kommune": "9998", "per_page": 100}).json()
    names = {s["id"] for s in page["contents"]}
    assert {export(s)["id"] for s in (own, regional, national)} <= names
    assert export(elsewhere)["id"] not in names


def test_hsds_list_leaves_out_inactive_services(client: TestClient, session: Session) -> None:
    inactive = make_service(session, kommune="9998", active=False)
    page = client.get("/api/v1/hsds/services", params={"kommune": "9998", "per_page": 100}).json()
    assert export(inactive)["id"] not in {s["id"] for s in page["contents"]}


def test_hsds_list_with_include_inactive_exports_them_as_inactive(client: TestClient, session: Session) -> None:
    inactive = make_service(session, kommune="9998", active=False)
    params: dict[str, Any] = {"kommune": "9998", "per_page": 100, "include_inactive": True}
    page = client.get("/api/v1/hsds/services", params=params).json()
    assert {s["id"]: s["status"] for s in page["contents"]}[export(inactive)["id"]] == "inactive"


def test_hsds_list_second_page_continues_the_first(client: TestClient, municipal: Service, regional: Service) -> None:
    first = client.get("/api/v1/hsds/services", params={"kommune": "9999", "per_page": 1}).json()
    second = client.get("/api/v1/hsds/services", params={"kommune": "9999", "per_page": 1, "page": 2}).json()
    assert (second["page_number"], second["first_page"], second["size"]) == (2, False, 1)
    assert second["contents"][0]["id"] != first["contents"][0]["id"]


def test_hsds_list_counts_pages(client: TestClient, municipal: Service, regional: Service) -> None:
    page = client.get("/api/v1/hsds/services", params={"kommune": "9999", "per_page": 1}).json()
    assert page["total_pages"] == page["total_items"] >= 2


def test_hsds_list_beyond_the_last_page_is_empty(client: TestClient) -> None:
    page = client.get("/api/v1/hsds/services", params={"page": 10_000, "per_page": 100}).json()
    assert (page["empty"], page["last_page"], page["contents"]) == (True, True, [])


@pytest.mark.parametrize("params", [{"per_page": 101}, {"per_page": 0}, {"page": 0}, {"kommune": "99"}])
def test_hsds_list_out_of_bounds_paging_or_kommune_is_422(client: TestClient, params: dict[str, Any]) -> None:
    assert client.get("/api/v1/hsds/services", params=params).status_code == 422


def test_hsds_list_unknown_kommune_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/hsds/services", params={"kommune": "0000"}).status_code == 404


def test_hsds_service_by_catalogue_id_is_valid_hsds(client: TestClient, regional: Service) -> None:
    response = client.get(f"/api/v1/hsds/services/{regional.id}")
    assert response.status_code == 200 and schema_errors(response.json(), SERVICE) == []


def test_hsds_service_by_hsds_uuid_is_the_same_service(client: TestClient, regional: Service) -> None:
    hsds_id = export(regional)["id"]
    assert client.get(f"/api/v1/hsds/services/{hsds_id}").json()["id"] == hsds_id


def test_hsds_service_unknown_id_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/hsds/services/999999999").status_code == 404


def test_hsds_service_unknown_uuid_is_404(client: TestClient) -> None:
    assert client.get(f"/api/v1/hsds/services/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize("bad", ["abc", "-1", "1.5", "9999999999", "not-a-uuid-at-all-0000-000000000000"])
def test_hsds_service_malformed_id_is_422(client: TestClient, bad: str) -> None:
    assert client.get(f"/api/v1/hsds/services/{bad}").status_code == 422


def test_hsds_export_needs_no_login(client: TestClient) -> None:
    assert client.get("/api/v1/hsds/services").status_code == 200
