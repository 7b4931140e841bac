"""The maintainers' API for services, absent doors, import/export and the audit log (/api/v1/admin)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from factories import ensure_municipality, make_maintainer, make_rule, make_service, service_data, token_headers
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from service_catalog.interchange import CatalogueDocument, dump_yaml
from service_catalog.models import AuditEntry, ClosedDate, DoorAbsence, Schedule, Service
from service_catalog.models.service import ServiceIn

ADMIN = "/api/v1/admin"
MONDAY_17 = "2026-11-23T17:00:00+01:00"


@pytest.fixture
def home(session: Session) -> dict[str, str]:
    """Headers of a maintainer of the example municipality 9999."""
    return token_headers(make_maintainer(session, username="hjemme", municipalities=["9999"]))


@pytest.fixture
def oslo(session: Session) -> dict[str, str]:
    """Headers of a maintainer of 0301 Oslo only."""
    return token_headers(make_maintainer(session, username="oslo", municipalities=["0301"]))


@pytest.fixture
def national(session: Session) -> dict[str, str]:
    return token_headers(make_maintainer(session, username="nasjonal", municipalities=[], national=True))


def counts(session: Session) -> dict[str, int]:
    """Rows in every table a service write touches."""
    tables = {"service": Service, "schedule": Schedule, "closed": ClosedDate, "audit": AuditEntry}
    return {name: session.exec(select(func.count()).select_from(table)).one() for name, table in tables.items()}


def last_audit(session: Session) -> AuditEntry:
    return session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()  # type: ignore[return-value]


# ---------------------------------------------------------------- create


def test_create_service_in_own_kommune_is_201_and_audited(client: TestClient, session: Session, home: dict) -> None:
    body = service_data(key="oppdiktet-ny-tjeneste")
    response = client.post(f"{ADMIN}/services", params={"kommune": "9999"}, json=body, headers=home)
    assert response.status_code == 201, response.text
    created = response.json()
    entry = last_audit(session)
    assert created["kommunenummer"] == "9999" and created["key"] == "oppdiktet-ny-tjeneste"
    assert (entry.action, entry.actor, entry.entity_id) == ("service.create", "hjemme", str(created["id"]))
    assert entry.before is None and entry.after is not None and entry.after["name"] == body["name"]


def test_create_service_in_other_kommune_is_403_and_writes_nothing(
    client: TestClient, session: Session, oslo: dict
) -> None:
    before = counts(session)
    response = client.post(f"{ADMIN}/services", params={"kommune": "9999"}, json=service_data(), headers=oslo)
    assert response.status_code == 403
    assert counts(session) == before


def test_create_service_in_unknown_kommune_is_404(client: TestClient, national: dict) -> None:
    response = client.post(f"{ADMIN}/services", params={"kommune": "0000"}, json=service_data(), headers=national)
    assert response.status_code == 404


def test_create_national_service_as_municipal_maintainer_is_403(client: TestClient, home: dict) -> None:
    body = service_data(scope="national")
    assert client.post(f"{ADMIN}/services", json=body, headers=home).status_code == 403


def test_create_national_service_as_national_maintainer_has_no_kommune(client: TestClient, national: dict) -> None:
    response = client.post(f"{ADMIN}/services", json=service_data(scope="national"), headers=national)
    assert response.status_code == 201 and response.json()["kommunenummer"] is None


def test_create_municipal_service_without_kommune_is_422(client: TestClient, national: dict) -> None:
    response = client.post(f"{ADMIN}/services", json=service_data(), headers=national)
    assert response.status_code == 422 and "kommune" in response.json()["detail"]


def test_create_service_with_a_taken_key_is_409(client: TestClient, session: Session, home: dict) -> None:
    existing = make_service(session)
    body = service_data(key=existing.key)
    assert client.post(f"{ADMIN}/services", params={"kommune": "9999"}, json=body, headers=home).status_code == 409


def test_create_regional_service_covering_unknown_kommune_is_422(
    client: TestClient, session: Session, home: dict
) -> None:
    before = counts(session)
    body = service_data(scope="regional", covers=["9999", "0000"])
    response = client.post(f"{ADMIN}/services", params={"kommune": "9999"}, json=body, headers=home)
    assert response.status_code == 422 and "0000" in response.json()["detail"]
    assert counts(session) == before


# ---------------------------------------------------------------- regional services: whose chat they reach


def regional(**overrides: Any) -> dict[str, Any]:
    """A regional service of 9999 (the body of a request) that covers ``covers``."""
    return service_data(scope="regional", **overrides)


def test_create_regional_service_covering_a_kommune_not_yours_is_403_and_writes_nothing(
    client: TestClient, session: Session, home: dict
) -> None:
    before = counts(session)
    body = regional(covers=["9999", "0301"])
    response = client.post(f"{ADMIN}/services", params={"kommune": "9999"}, json=body, headers=home)
    assert response.status_code == 403 and "0301" in response.json()["detail"]
    assert counts(session) == before


def test_create_regional_service_covering_every_kommune_you_maintain_is_201(
    client: TestClient, session: Session
) -> None:
    headers = token_headers(make_maintainer(session, username="to-kommuner", municipalities=["9999", "9998"]))
    body = regional(covers=["9999", "9998"])
    response = client.post(f"{ADMIN}/services", params={"kommune": "9999"}, json=body, headers=headers)
    assert response.status_code == 201, response.text


def test_create_regional_service_covering_any_kommune_as_national_maintainer_is_201(
    client: TestClient, national: dict
) -> None:
    body = regional(covers=["9999", "0301"])
    assert client.post(f"{ADMIN}/services", params={"kommune": "9999"}, json=body, headers=national).status_code == 201


def test_update_regional_service_adding_a_kommune_not_yours_is_403_and_writes_nothing(
    client: TestClient, session: Session, home: dict
) -> None:
    service = make_service(session, "9999", scope="regional", covers=["9999"])
    response = client.patch(f"{ADMIN}/services/{service.id}", json={"covers": ["9999", "0301"]}, headers=home)
    assert response.status_code == 403
    session.refresh(service)
    assert [a.kommunenummer for a in service.areas] == ["9999"]


def test_update_regional_service_keeps_a_kommune_someone_allowed_put_there(
    client: TestClient, session: Session, home: dict
) -> None:
    service = make_service(session, "9999", scope="regional", covers=["9999", "0301"])  # as a national maintainer
    response = client.patch(f"{ADMIN}/services/{service.id}", json={"name": "Oppdiktet nytt navn"}, headers=home)
    assert response.status_code == 200 and response.json()["covers"] == ["0301", "9999"]


def test_update_regional_service_taking_out_a_kommune_not_yours_is_allowed(
    client: TestClient, session: Session, home: dict
) -> None:
    service = make_service(session, "9999", scope="regional", covers=["9999", "0301"])
    response = client.patch(f"{ADMIN}/services/{service.id}", json={"covers": ["9999"]}, headers=home)
    assert response.status_code == 200 and response.json()["covers"] == ["9999"]


def test_import_regional_service_covering_a_kommune_not_yours_is_403_naming_the_line(
    client: TestClient, session: Session, home: dict
) -> None:
    before = counts(session)
    service = ServiceIn.model_validate(regional(key="oppdiktet-region", covers=["9999", "0301"]))
    document = CatalogueDocument(scope="municipal", kommune="9999", example=True, services=[service])
    files = upload(document)
    response = client.post(f"{ADMIN}/import", params={"kommune": "9999", "dry_run": "false"}, files=files, headers=home)
    assert response.status_code == 403
    [problem] = response.json()["problems"]
    text = dump_yaml(document).splitlines()
    assert problem["field"] == "services[0].covers[1]" and "0301" in problem["message"]
    assert "'0301'" in text[problem["line"] - 1]
    assert counts(session) == before


def test_regional_services_lists_a_neighbours_service_that_reaches_your_chat(
    client: TestClient, session: Session
) -> None:
    headers = token_headers(make_maintainer(session, username="nabo", municipalities=["9998"]))
    reaching = make_service(session, "9999", scope="regional", covers=["9999", "9998"], name="Oppdiktet region")
    make_service(session, "9999", scope="regional", covers=["9999"], name="Oppdiktet bare 9999")
    response = client.get(f"{ADMIN}/regional-services", params={"kommune": "9998"}, headers=headers)
    assert response.status_code == 200
    assert [s["id"] for s in response.json()["data"]] == [reaching.id]
    assert response.json()["data"][0]["kommunenummer"] == "9999"


def test_regional_service_of_a_neighbour_stays_read_only(client: TestClient, session: Session) -> None:
    headers = token_headers(make_maintainer(session, username="nabo", municipalities=["9998"]))
    reaching = make_service(session, "9999", scope="regional", covers=["9999", "9998"])
    assert client.get(f"{ADMIN}/services/{reaching.id}", headers=headers).status_code == 403
    assert client.post(f"{ADMIN}/services/{reaching.id}/deactivate", headers=headers).status_code == 403


BAD_SERVICE_FIELDS: dict[str, dict[str, Any]] = {
    "unknown door code": {"door": "finnes_ikke"},
    "malformed hours": {"hours": {"mon": ["8 til sent"]}},
    "unknown weekday": {"hours": {"someday": ["08:00-15:00"]}},
    "age 500": {"age_max": 500},
    "age band upside down": {"age_min": 18, "age_max": 13},
    "script in name": {"name": "<script>alert(1)</script>"},
    "http url": {"url": "http://eksempel.example/"},
    "no way to reach": {"phone": None},
    "real-looking fictional phone": {"phone": "10 00 12 34", "example": False},
}


@pytest.mark.parametrize("changes", BAD_SERVICE_FIELDS.values(), ids=BAD_SERVICE_FIELDS.keys())
def test_create_service_bad_input_is_422_and_writes_nothing(
    client: TestClient, session: Session, home: dict, changes: dict[str, Any]
) -> None:
    before = counts(session)
    body = service_data(**changes)
    response = client.post(f"{ADMIN}/services", params={"kommune": "9999"}, json=body, headers=home)
    assert response.status_code == 422
    assert "<script>" not in response.text  # the answer says what is wrong without echoing the input
    assert counts(session) == before


def test_create_service_oversized_body_is_413_and_writes_nothing(
    client: TestClient, session: Session, home: dict
) -> None:
    before = counts(session)
    body = service_data(description="x" * 2_100_000)
    response = client.post(f"{ADMIN}/services", params={"kommune": "9999"}, json=body, headers=home)
    assert response.status_code == 413
    assert counts(session) == before


# ---------------------------------------------------------------- read


def test_get_service_of_other_kommune_is_403(client: TestClient, session: Session, oslo: dict) -> None:
    service = make_service(session, "9999")
    assert client.get(f"{ADMIN}/services/{service.id}", headers=oslo).status_code == 403


def test_get_missing_service_is_404_even_for_a_maintainer_of_another_kommune(client: TestClient, oslo: dict) -> None:
    assert client.get(f"{ADMIN}/services/2147483000", headers=oslo).status_code == 404


def test_list_services_shows_only_the_maintainers_kommuner(client: TestClient, session: Session, home: dict) -> None:
    mine = make_service(session, "9999")
    theirs = make_service(session, "0301")
    response = client.get(f"{ADMIN}/services", params={"limit": 200}, headers=home)
    ids = {s["id"] for s in response.json()["data"]}
    assert response.status_code == 200
    assert mine.id in ids and theirs.id not in ids
    assert {s["kommunenummer"] for s in response.json()["data"]} == {"9999"}


def test_list_services_filters_by_door_text_and_state(client: TestClient, session: Session, home: dict) -> None:
    wanted = make_service(session, "9999", door="fastlege", name="Oppdiktet legekontor Solsiden")
    make_service(session, "9999", door="fastlege", name="Oppdiktet legekontor Skyggen", active=False)
    params = {"kommune": "9999", "door": "fastlege", "q": "solsiden", "active": "true"}
    data = client.get(f"{ADMIN}/services", params=params, headers=home).json()["data"]
    assert [s["id"] for s in data] == [wanted.id]


def test_list_services_national_flag_as_municipal_maintainer_is_403(client: TestClient, home: dict) -> None:
    assert client.get(f"{ADMIN}/services", params={"national": "true"}, headers=home).status_code == 403


def test_list_services_national_flag_shows_national_services_only(
    client: TestClient, session: Session, national: dict
) -> None:
    make_service(session, None, scope="national")
    make_service(session, "9999")
    data = client.get(f"{ADMIN}/services", params={"national": "true", "limit": 200}, headers=national).json()["data"]
    assert data and {s["kommunenummer"] for s in data} == {None}


# ---------------------------------------------------------------- update


def test_update_service_changes_only_the_fields_sent_and_audits(
    client: TestClient, session: Session, home: dict
) -> None:
    service = make_service(session, "9999")
    old_name, phone = service.name, service.phone
    response = client.patch(f"{ADMIN}/services/{service.id}", json={"name": "Oppdiktet nytt navn"}, headers=home)
    assert response.status_code == 200, response.text
    entry = last_audit(session)
    assert response.json()["name"] == "Oppdiktet nytt navn" and response.json()["phone"] == phone
    assert entry.action == "service.update" and entry.before is not None and entry.after is not None
    assert (entry.before["name"], entry.after["name"]) == (old_name, "Oppdiktet nytt navn")


def test_update_service_of_other_kommune_is_403_and_writes_nothing(
    client: TestClient, session: Session, oslo: dict
) -> None:
    service = make_service(session, "9999")
    before = counts(session)
    response = client.patch(f"{ADMIN}/services/{service.id}", json={"name": "Kapret"}, headers=oslo)
    session.refresh(service)
    assert response.status_code == 403 and service.name != "Kapret"
    assert counts(session) == before


@pytest.mark.parametrize(
    "changes",
    [
        {"age_min": 25},
        {"door": "finnes_ikke"},
        {"hours": {"mon": ["25:00-26:00"]}},
        {"name": None},
        {"age_max": 500},
        {"address": {"street": "Skoleveien 1", "postal_code": "7×¨ùØã", "city": "Eksempelby"}},
        {"address": {"street": "Skoleveien 1", "postal_code": "٩٩٩٩", "city": "Eksempelby"}},
    ],
    ids=[
        "band made upside down by one field",
        "unknown door",
        "impossible time",
        "name erased",
        "age 500",
        "postal code that is not four digits",
        "postal code in other digits",
    ],
)
def test_update_service_invalid_result_is_422_and_writes_nothing(
    client: TestClient, session: Session, home: dict, changes: dict[str, Any]
) -> None:
    service = make_service(session, "9999")
    before, name = counts(session), service.name
    response = client.patch(f"{ADMIN}/services/{service.id}", json=changes, headers=home)
    session.refresh(service)
    assert response.status_code == 422
    assert counts(session) == before and service.name == name and service.age_min == 12


def test_update_service_to_national_scope_is_422(client: TestClient, session: Session, home: dict) -> None:
    service = make_service(session, "9999")
    response = client.patch(f"{ADMIN}/services/{service.id}", json={"scope": "national"}, headers=home)
    assert response.status_code == 422


def test_update_opening_hours_shows_in_the_next_route_answer(client: TestClient, session: Session, home: dict) -> None:
    service = make_service(session, "9999", door="helsesykepleier")
    make_rule(session, "9999", need="angst_uro", doors=["helsesykepleier", "fastlege"])
    params = {"need": "angst_uro", "kommune": "9999", "age": 15, "at": MONDAY_17}

    def door_of_service() -> dict[str, Any]:
        answer = client.get("/api/v1/route", params=params)
        assert answer.status_code == 200, answer.text
        return next(d for d in answer.json()["doors"] if d["service_id"] == service.id)

    assert door_of_service()["open_now"] is False
    hours = {"mon": ["08:00-18:00"], "tue": ["08:00-15:30"]}
    assert client.patch(f"{ADMIN}/services/{service.id}", json={"hours": hours}, headers=home).status_code == 200
    door = door_of_service()
    assert door["open_now"] is True and door["hours"]["mon"] == ["08:00-18:00"]


# ---------------------------------------------------------------- deactivate, restore, verify


def test_deactivate_service_sets_inactive_and_audits(client: TestClient, session: Session, home: dict) -> None:
    service = make_service(session, "9999")
    response = client.post(f"{ADMIN}/services/{service.id}/deactivate", headers=home)
    entry = last_audit(session)
    assert response.status_code == 200 and response.json()["active"] is False
    assert entry.action == "service.deactivate" and entry.before is not None and entry.after is not None
    assert (entry.before["active"], entry.after["active"]) == (True, False)


def test_restore_service_undoes_deactivate_and_audits(client: TestClient, session: Session, home: dict) -> None:
    service = make_service(session, "9999", active=False)
    response = client.post(f"{ADMIN}/services/{service.id}/restore", headers=home)
    entry = last_audit(session)
    assert response.status_code == 200 and response.json()["active"] is True
    assert entry.action == "service.restore" and entry.after is not None and entry.after["active"] is True


def test_deactivate_service_already_inactive_writes_no_audit_entry(
    client: TestClient, session: Session, home: dict
) -> None:
    service = make_service(session, "9999", active=False)
    before = counts(session)
    assert client.post(f"{ADMIN}/services/{service.id}/deactivate", headers=home).status_code == 200
    assert counts(session) == before


def test_deactivated_service_leaves_the_route_answer(client: TestClient, session: Session, home: dict) -> None:
    service = make_service(session, "9999", door="helsesykepleier")
    make_rule(session, "9999", need="angst_uro", doors=["helsesykepleier", "fastlege"])
    client.post(f"{ADMIN}/services/{service.id}/deactivate", headers=home)
    answer = client.get("/api/v1/route", params={"need": "angst_uro", "kommune": "9999", "age": 15, "at": MONDAY_17})
    assert service.id not in {d["service_id"] for d in answer.json()["doors"]}


def test_verify_service_sets_today_and_the_new_source(client: TestClient, session: Session, home: dict) -> None:
    service = make_service(session, "9999", last_verified="2024-01-15")
    body = {"source": "Telefon med tjenesten (oppdiktet)"}
    response = client.post(f"{ADMIN}/services/{service.id}/verify", json=body, headers=home)
    assert response.status_code == 200, response.text
    assert response.json()["last_verified"] == date.today().isoformat()
    assert response.json()["source"] == body["source"]
    assert last_audit(session).action == "service.verify"


def test_verify_service_without_body_keeps_the_source(client: TestClient, session: Session, home: dict) -> None:
    service = make_service(session, "9999", last_verified="2024-01-15")
    response = client.post(f"{ADMIN}/services/{service.id}/verify", headers=home)
    assert response.status_code == 200 and response.json()["source"] == service.source


def test_unverified_lists_only_entries_not_checked_recently(client: TestClient, session: Session, home: dict) -> None:
    stale = make_service(session, "9999", last_verified=(date.today() - timedelta(days=400)).isoformat())
    fresh = make_service(session, "9999")
    ids = [s["id"] for s in client.get(f"{ADMIN}/unverified", params={"kommune": "9999"}, headers=home).json()]
    assert stale.id in ids and fresh.id not in ids


# ---------------------------------------------------------------- absent doors


def test_replace_absent_doors_stores_the_list_and_audits(client: TestClient, session: Session, home: dict) -> None:
    body = [{"door": "rask_psykisk_helsehjelp", "source": "Oppdiktet testdata", "last_verified": "2026-11-23"}]
    response = client.put(f"{ADMIN}/absent-doors", params={"kommune": "9999"}, json=body, headers=home)
    listed = client.get(f"{ADMIN}/absent-doors", params={"kommune": "9999"}, headers=home).json()
    assert response.status_code == 200, response.text
    assert [a["door"] for a in listed] == ["rask_psykisk_helsehjelp"]
    assert last_audit(session).action == "absent_doors.replace"


def test_replace_absent_doors_with_a_door_twice_is_422(client: TestClient, session: Session, home: dict) -> None:
    row = {"door": "fastlege", "source": "Oppdiktet testdata", "last_verified": "2026-11-23"}
    response = client.put(f"{ADMIN}/absent-doors", params={"kommune": "9999"}, json=[row, row], headers=home)
    assert response.status_code == 422
    assert session.exec(select(DoorAbsence).where(DoorAbsence.door == "fastlege")).first() is None


def test_replace_absent_doors_unknown_door_is_422(client: TestClient, home: dict) -> None:
    row = {"door": "finnes_ikke", "source": "Oppdiktet testdata", "last_verified": "2026-11-23"}
    response = client.put(f"{ADMIN}/absent-doors", params={"kommune": "9999"}, json=[row], headers=home)
    assert response.status_code == 422


# ---------------------------------------------------------------- import and export


def upload(document: CatalogueDocument, name: str = "katalog.yml") -> dict[str, Any]:
    return {"file": (name, dump_yaml(document).encode("utf-8"), "application/yaml")}


def document_for(kommune: str, *keys: str) -> CatalogueDocument:
    services = [ServiceIn.model_validate(service_data(key=key)) for key in keys]
    return CatalogueDocument(scope="municipal", kommune=kommune, example=True, services=services)


def test_import_dry_run_reports_the_plan_and_writes_nothing(client: TestClient, session: Session, home: dict) -> None:
    before = counts(session)
    params = {"kommune": "9999", "dry_run": "true", "replace": "false"}
    files = upload(document_for("9999", "oppdiktet-import-a"))
    response = client.post(f"{ADMIN}/import", params=params, files=files, headers=home)
    assert response.status_code == 200, response.text
    assert response.json()["dry_run"] is True and response.json()["plan"]["created"] == ["oppdiktet-import-a"]
    assert counts(session) == before


def test_import_applied_writes_and_audits_as_the_maintainer(client: TestClient, session: Session, home: dict) -> None:
    params = {"kommune": "9999", "dry_run": "false", "replace": "false"}
    files = upload(document_for("9999", "oppdiktet-import-b"))
    response = client.post(f"{ADMIN}/import", params=params, files=files, headers=home)
    assert response.status_code == 200, response.text
    row = session.exec(select(Service).where(Service.key == "oppdiktet-import-b")).one()
    entry = last_audit(session)
    assert row.kommunenummer == "9999" and (entry.actor, entry.action) == ("hjemme", "import.create")


def test_import_file_for_a_kommune_not_yours_is_403(client: TestClient, session: Session, home: dict) -> None:
    ensure_municipality(session, "0301")
    files = upload(document_for("0301", "oppdiktet-import-c"))
    response = client.post(f"{ADMIN}/import", params={"kommune": "9999"}, files=files, headers=home)
    assert response.status_code == 403


def test_import_file_for_another_kommune_than_asked_is_422(client: TestClient, session: Session) -> None:
    headers = token_headers(make_maintainer(session, username="to-kommuner", municipalities=["9999", "9998"]))
    files = upload(document_for("9998", "oppdiktet-import-d"))
    response = client.post(f"{ADMIN}/import", params={"kommune": "9999"}, files=files, headers=headers)
    assert response.status_code == 422 and "9998" in response.json()["detail"]


def test_import_broken_file_is_422_with_every_problem_and_writes_nothing(
    client: TestClient, session: Session, home: dict
) -> None:
    before = counts(session)
    text = 'format: veiviser-catalogue/1\nkommune: "9999"\nservices:\n  - key: Ugyldig Nøkkel\n    door: finnes_ikke\n'
    files = {"file": ("feil.yml", text.encode("utf-8"), "application/yaml")}
    params = {"kommune": "9999", "dry_run": "false"}
    response = client.post(f"{ADMIN}/import", params=params, files=files, headers=home)
    assert response.status_code == 422
    assert response.json()["problems"] and all("line" in p for p in response.json()["problems"])
    assert counts(session) == before


def test_import_file_of_another_type_is_422(client: TestClient, home: dict) -> None:
    files = {"file": ("katalog.xlsx", b"PK\x03\x04", "application/octet-stream")}
    assert client.post(f"{ADMIN}/import", params={"kommune": "9999"}, files=files, headers=home).status_code == 422


def test_import_file_that_is_not_utf8_is_422(client: TestClient, home: dict) -> None:
    files = {"file": ("katalog.csv", "kommune;nøkkel".encode("latin-1"), "text/csv")}
    assert client.post(f"{ADMIN}/import", params={"kommune": "9999"}, files=files, headers=home).status_code == 422


def test_export_yaml_holds_the_kommunes_services(client: TestClient, session: Session, home: dict) -> None:
    service = make_service(session, "9999")
    response = client.get(f"{ADMIN}/export", params={"kommune": "9999"}, headers=home)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/yaml")
    assert f"key: {service.key}" in response.text and 'kommune: "9999"' in response.text.replace("'", '"')


def test_export_csv_starts_with_the_header_row(client: TestClient, session: Session, home: dict) -> None:
    make_service(session, "9999")
    response = client.get(f"{ADMIN}/export", params={"kommune": "9999", "format": "csv"}, headers=home)
    assert response.status_code == 200 and response.text.startswith("kommune,example,key,door")


# ---------------------------------------------------------------- audit log


def test_audit_lists_the_maintainers_changes_newest_first(client: TestClient, session: Session, home: dict) -> None:
    service = make_service(session, "9999")
    client.patch(f"{ADMIN}/services/{service.id}", json={"name": "Oppdiktet første"}, headers=home)
    client.post(f"{ADMIN}/services/{service.id}/deactivate", headers=home)
    entries = client.get(f"{ADMIN}/audit", params={"kommune": "9999"}, headers=home).json()["data"]
    assert [e["action"] for e in entries[:2]] == ["service.deactivate", "service.update"]


def test_audit_leaves_out_other_kommuners_entries(client: TestClient, session: Session, home: dict, oslo: dict) -> None:
    service = make_service(session, "0301")
    client.patch(f"{ADMIN}/services/{service.id}", json={"name": "Oppdiktet Oslo-endring"}, headers=oslo)
    entries = client.get(f"{ADMIN}/audit", params={"limit": 200}, headers=home).json()["data"]
    assert all(e["kommunenummer"] == "9999" for e in entries)
    assert "Oppdiktet Oslo-endring" not in str(entries)
