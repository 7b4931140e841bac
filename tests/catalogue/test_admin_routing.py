"""The maintainers' API for the routing table (/api/v1/admin/routing): need -> ordered doors, per scope."""

from __future__ import annotations

from typing import Any

import pytest
from factories import make_maintainer, make_rule, make_service, token_headers
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from service_catalog.models import AuditEntry, RoutingRule

ROUTING = "/api/v1/admin/routing"
HOME = {"kommune": "9999"}
MONDAY_10 = "2026-11-23T10:00:00+01:00"


@pytest.fixture
def home(session: Session) -> dict[str, str]:
    return token_headers(make_maintainer(session, username="hjemme", municipalities=["9999"]))


@pytest.fixture
def national(session: Session) -> dict[str, str]:
    return token_headers(make_maintainer(session, username="nasjonal", municipalities=[], national=True))


def rule(**changes: Any) -> dict[str, Any]:
    """A routing rule body: angst_uro -> helsesykepleier, fastlege, with ``changes``."""
    return {"need": "angst_uro", "urgency": "snart", "doors": ["helsesykepleier", "fastlege"], **changes}


def rows(session: Session, kommune: str | None = "9999") -> list[RoutingRule]:
    owner = col(RoutingRule.kommunenummer).is_(None) if kommune is None else RoutingRule.kommunenummer == kommune
    return list(session.exec(select(RoutingRule).where(owner).order_by(col(RoutingRule.id))).all())


def audit_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEntry)).one()


def last_audit(session: Session) -> AuditEntry:
    return session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()  # type: ignore[return-value]


# ---------------------------------------------------------------- replace the table


def test_replace_routing_stores_exactly_the_rules_sent_and_audits(
    client: TestClient, session: Session, home: dict
) -> None:
    make_rule(session, "9999", need="sorg", doors=["helsesykepleier"])
    body = [rule(), rule(need="ensomhet", doors=["ungdomskontakt", "helsesykepleier"], age_min=13, age_max=19)]
    response = client.put(ROUTING, params=HOME, json=body, headers=home)
    assert response.status_code == 200, response.text
    assert [(r.need, r.doors) for r in rows(session)] == [(b["need"], b["doors"]) for b in body]
    entry = last_audit(session)
    assert entry.action == "routing.replace" and entry.before is not None and entry.after is not None
    assert [r["need"] for r in entry.before["rules"]] == ["sorg"]
    assert [r["need"] for r in entry.after["rules"]] == ["angst_uro", "ensomhet"]


@pytest.mark.parametrize("doors", [["bup"], ["bup", "fastlege"], ["statens_barnehus", "helsesykepleier"]])
def test_replace_routing_with_a_specialist_door_first_is_422_and_writes_nothing(
    client: TestClient, session: Session, home: dict, doors: list[str]
) -> None:
    make_rule(session, "9999")
    before, audits = [r.id for r in rows(session)], audit_count(session)
    response = client.put(ROUTING, params=HOME, json=[rule(doors=doors)], headers=home)
    assert response.status_code == 422
    said = response.text
    assert "referral" in said and doors[0] in said
    assert [r.id for r in rows(session)] == before and audit_count(session) == audits


def test_replace_routing_with_a_specialist_door_after_a_first_line_door_is_accepted(
    client: TestClient, home: dict
) -> None:
    response = client.put(ROUTING, params=HOME, json=[rule(doors=["fastlege", "bup"])], headers=home)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "changes",
    [
        {"doors": ["finnes_ikke"]},
        {"need": "finnes_ikke"},
        {"urgency": "straks"},
        {"doors": []},
        {"doors": ["fastlege", "fastlege"]},
        {"age_min": 500},
        {"age_min": 18, "age_max": 13},
        {"note": "<script>alert(1)</script>"},
    ],
    ids=["unknown door", "unknown need", "unknown urgency", "no doors", "door twice", "age 500", "band", "markup"],
)
def test_replace_routing_bad_rule_is_422_and_writes_nothing(
    client: TestClient, session: Session, home: dict, changes: dict[str, Any]
) -> None:
    make_rule(session, "9999")
    before = [(r.id, r.doors) for r in rows(session)]
    response = client.put(ROUTING, params=HOME, json=[rule(**changes)], headers=home)
    assert response.status_code == 422
    assert [(r.id, r.doors) for r in rows(session)] == before


def test_replace_routing_with_the_same_band_twice_is_422(client: TestClient, home: dict) -> None:
    response = client.put(ROUTING, params=HOME, json=[rule(), rule(urgency="haster")], headers=home)
    assert response.status_code == 422


def test_replace_national_routing_as_municipal_maintainer_is_403(
    client: TestClient, session: Session, home: dict
) -> None:
    before = [r.id for r in rows(session, None)]
    assert client.put(ROUTING, json=[rule()], headers=home).status_code == 403
    assert [r.id for r in rows(session, None)] == before


def test_get_national_routing_as_national_maintainer_lists_national_rules(
    client: TestClient, session: Session, national: dict
) -> None:
    made = make_rule(session, None, need="sovn", doors=["helsesykepleier"])
    listed = client.get(ROUTING, headers=national).json()
    assert made.id in {r["id"] for r in listed} and {r["kommunenummer"] for r in listed} == {None}


# ---------------------------------------------------------------- one rule at a time


def test_create_rule_is_201_and_audited(client: TestClient, session: Session, home: dict) -> None:
    response = client.post(ROUTING, params=HOME, json=rule(need="sovn"), headers=home)
    assert response.status_code == 201, response.text
    assert response.json()["kommunenummer"] == "9999"
    entry = last_audit(session)
    assert entry.action == "routing.create" and entry.before is None and entry.after is not None


def test_create_rule_for_a_need_and_band_that_exists_is_409(client: TestClient, session: Session, home: dict) -> None:
    make_rule(session, "9999", need="sovn")
    assert client.post(ROUTING, params=HOME, json=rule(need="sovn"), headers=home).status_code == 409


def test_create_rule_with_only_a_specialist_door_is_422(client: TestClient, home: dict) -> None:
    response = client.post(ROUTING, params=HOME, json=rule(doors=["bup"]), headers=home)
    assert response.status_code == 422 and "bup" in response.text


def test_create_rule_naming_one_national_service_of_a_door_is_201(client: TestClient, home: dict) -> None:
    body = rule(need="sovn", doors=["helsesykepleier", "krisetelefon:nasjonal-kirkens-sos"])
    response = client.post(ROUTING, params=HOME, json=body, headers=home)
    assert response.status_code == 201, response.text
    answer = client.get("/api/v1/route", params={"need": "sovn", "kommune": "9999", "age": 15, "at": MONDAY_10})
    lines = [d["name"] for d in answer.json()["doors"] if d["category"] == "krisetelefon"]
    assert lines == ["Kirkens SOS"]


def test_create_rule_naming_a_service_the_door_does_not_have_is_422(client: TestClient, home: dict) -> None:
    body = rule(need="sovn", doors=["helsesykepleier", "krisetelefon:nasjonal-112-politiet"])
    response = client.post(ROUTING, params=HOME, json=body, headers=home)
    assert response.status_code == 422 and "krisetelefon:nasjonal-112-politiet" in response.text


def test_create_rule_naming_another_kommunes_service_is_422(client: TestClient, session: Session, home: dict) -> None:
    other = make_service(session, "0301", door="helsesykepleier", name="Oppdiktet helsesykepleier i Oslo")
    body = rule(need="sovn", doors=[f"helsesykepleier:{other.key}", "fastlege"])
    assert client.post(ROUTING, params=HOME, json=body, headers=home).status_code == 422


def test_update_rule_changes_the_doors_and_audits(client: TestClient, session: Session, home: dict) -> None:
    made = make_rule(session, "9999")
    response = client.patch(f"{ROUTING}/{made.id}", json={"doors": ["fastlege", "helsesykepleier"]}, headers=home)
    assert response.status_code == 200, response.text
    session.refresh(made)
    entry = last_audit(session)
    assert made.doors == ["fastlege", "helsesykepleier"] and made.need == "angst_uro"
    assert entry.action == "routing.update" and entry.before is not None and entry.after is not None
    assert (entry.before["doors"], entry.after["doors"]) == (["helsesykepleier", "fastlege"], made.doors)


def test_update_rule_to_a_specialist_door_first_is_422(client: TestClient, session: Session, home: dict) -> None:
    made = make_rule(session, "9999")
    response = client.patch(f"{ROUTING}/{made.id}", json={"doors": ["bup", "fastlege"]}, headers=home)
    session.refresh(made)
    assert response.status_code == 422 and made.doors == ["helsesykepleier", "fastlege"]


def test_update_rule_with_an_upside_down_band_is_422(client: TestClient, session: Session, home: dict) -> None:
    made = make_rule(session, "9999", age_min=13, age_max=15)
    assert client.patch(f"{ROUTING}/{made.id}", json={"age_min": 16}, headers=home).status_code == 422


def test_update_missing_rule_is_404(client: TestClient, home: dict) -> None:
    assert client.patch(f"{ROUTING}/2147483000", json={"note": "x"}, headers=home).status_code == 404


def test_update_national_rule_as_municipal_maintainer_is_403(client: TestClient, session: Session, home: dict) -> None:
    made = make_rule(session, None, need="sovn")
    assert client.patch(f"{ROUTING}/{made.id}", json={"doors": ["fastlege"]}, headers=home).status_code == 403


def test_delete_rule_is_204_and_audited(client: TestClient, session: Session, home: dict) -> None:
    made = make_rule(session, "9999")
    made_id = made.id
    response = client.delete(f"{ROUTING}/{made_id}", headers=home)
    entry = last_audit(session)
    assert response.status_code == 204
    assert session.get(RoutingRule, made_id) is None
    assert entry.action == "routing.delete" and entry.before is not None and entry.after is None


def test_local_rule_made_through_the_api_decides_the_route_answer(
    client: TestClient, session: Session, home: dict
) -> None:
    make_service(session, "9999", door="ungdomskontakt", name="Oppdiktet utekontakt")
    body = rule(need="ensomhet", doors=["ungdomskontakt", "helsesykepleier"])
    assert client.post(ROUTING, params=HOME, json=body, headers=home).status_code == 201
    answer = client.get("/api/v1/route", params={"need": "ensomhet", "kommune": "9999", "age": 15, "at": MONDAY_10})
    assert answer.json()["rule"]["kommunenummer"] == "9999"
    assert answer.json()["doors"][0]["category"] == "ungdomskontakt"


# ---------------------------------------------------------------- import


def test_import_file_with_a_specialist_door_first_is_422_with_its_line(
    client: TestClient, session: Session, home: dict
) -> None:
    text = (
        "format: veiviser-catalogue/1\n"
        'kommune: "9999"\n'
        "example: true\n"
        "routing:\n"
        "  - need: angst_uro\n"
        "    urgency: snart\n"
        "    doors: [bup]\n"
    )
    before = [r.id for r in rows(session)]
    files = {"file": ("ruting.yml", text.encode("utf-8"), "application/yaml")}
    response = client.post("/api/v1/admin/import", params={**HOME, "dry_run": "false"}, files=files, headers=home)
    assert response.status_code == 422, response.text
    problem = response.json()["problems"][0]
    assert problem["line"] == 5 and "bup" in problem["message"]  # the line where the rule starts
    assert [r.id for r in rows(session)] == before
