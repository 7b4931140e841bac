"""GET /api/v1/route over real HTTP against the seeded catalogue (national services and example kommune 9999)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

from veiviser_contract.doors import CHAT_DOORS, DOOR_FIELDS, DOORS_PAYLOAD_SCHEMA

MONDAY_10 = "2026-11-23T10:00:00+01:00"
MONDAY_23 = "2026-11-23T23:00:00+01:00"
MUNICIPAL_LOW_THRESHOLD = {
    "helsesykepleier",
    "helsestasjon_for_ungdom",
    "rask_psykisk_helsehjelp",
    "psykisk_helsetjeneste",
}


def get_route(client: TestClient, **params: object) -> dict:
    response = client.get("/api/v1/route", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_route_angst_in_9999_puts_municipal_doors_first(client: TestClient) -> None:
    answer = get_route(client, need="angst_uro", kommune="9999", age=15, at=MONDAY_10)
    first = answer["doors"][0]
    assert first["scope"] == "municipal" and first["kommunenummer"] == "9999"
    assert first["category"] in MUNICIPAL_LOW_THRESHOLD
    assert answer["kommune"]["name"] == "Eksempel kommune" and answer["kommune"]["example"] is True


def test_route_every_door_carries_the_chat_contract_fields(client: TestClient) -> None:
    answer = get_route(client, need="angst_uro", kommune="9999", age=15, at=MONDAY_10)
    for door in answer["doors"]:
        for field in (
            "category",
            "name",
            "phone",
            "url",
            "open_now",
            "referral_required",
            "anonymous",
            "age_min",
            "age_max",
        ):
            assert field in door


def test_route_open_now_is_computed_for_the_given_time(client: TestClient) -> None:
    day = get_route(client, need="angst_uro", kommune="9999", age=15, at=MONDAY_10)
    night = get_route(client, need="angst_uro", kommune="9999", age=15, at=MONDAY_23)
    nurse_day = next(d for d in day["doors"] if d["category"] == "helsesykepleier")
    nurse_night = next(d for d in night["doors"] if d["key"] == nurse_day["key"])
    assert nurse_day["open_now"] is True
    assert nurse_night["open_now"] is False and nurse_night["next_open"] is not None


def test_route_age_15_leaves_out_rask_psykisk_helsehjelp_with_reason(client: TestClient) -> None:
    answer = get_route(client, need="angst_uro", kommune="9999", age=15, at=MONDAY_10)
    assert "rask_psykisk_helsehjelp" not in {d["category"] for d in answer["doors"]}


def test_route_age_17_includes_rask_psykisk_helsehjelp(client: TestClient) -> None:
    answer = get_route(client, need="angst_uro", kommune="9999", age=17, at=MONDAY_10)
    assert "rask_psykisk_helsehjelp" in {d["category"] for d in answer["doors"]}


def test_route_without_age_says_whether_age_matters(client: TestClient) -> None:
    answer = get_route(client, need="angst_uro", kommune="9999", at=MONDAY_10)
    assert answer["age_dependent"] is True


def test_route_unknown_kommune_still_names_doors_and_national_services(client: TestClient) -> None:
    answer = get_route(client, need="angst_uro", kommune="0000", at=MONDAY_10)
    assert answer["kommune_known"] is False
    assert answer["doors"], "a known need never gets an empty list"
    assert answer["doors"][0]["generic"] is True
    assert any(d["scope"] == "national" and not d["generic"] for d in answer["doors"])


def test_route_real_kommune_without_entries_names_doors_generically(client: TestClient) -> None:
    answer = get_route(client, need="nedstemthet", kommune="Bærum", at=MONDAY_10)
    assert answer["kommune"]["kommunenummer"] == "3201"
    assert any(d["generic"] and d["category"] == "helsesykepleier" for d in answer["doors"])


def test_route_kommune_by_name_without_diacritics(client: TestClient) -> None:
    answer = get_route(client, need="mobbing", kommune="baerum", at=MONDAY_10)
    assert answer["kommune"]["name"] == "Bærum"


def test_route_every_known_need_gets_doors(client: TestClient) -> None:
    needs = client.get("/api/v1/needs").json()
    for need in needs["urgent"] + needs["other"]:
        for kommune in ("9999", None):
            answer = get_route(client, need=need, kommune=kommune, at=MONDAY_23)
            assert answer["doors"], f"{need} in {kommune} has no doors"


def test_route_urgent_need_starts_with_emergency_numbers(client: TestClient) -> None:
    answer = get_route(client, need="selvmordstanker", kommune="9999", at=MONDAY_23)
    assert answer["urgency"] == "akutt"
    first = answer["doors"][0]
    assert first["category"] in {"nodtelefon", "krisetelefon"} and first["open_now"] is True
    assert any(d["phone"] == "113" for d in answer["doors"])


def test_route_suicidal_thoughts_names_113_and_the_talk_lines_never_the_fire_brigade(client: TestClient) -> None:
    answer = get_route(client, need="selvmordstanker", kommune="9999", at=MONDAY_23)
    phones = [d["phone"] for d in answer["doors"] if d["phone"]]
    assert phones[:4] == ["113", "116 123", "22 40 00 40", "116 117"]
    assert "110" not in phones and "112" not in phones


def test_route_violence_now_starts_with_the_police_then_113(client: TestClient) -> None:
    answer = get_route(client, need="vold_pagar", kommune="9999", at=MONDAY_23)
    assert [d["phone"] for d in answer["doors"][:3]] == ["112", "113", "116 111"]


def test_route_doors_are_the_chat_payload_the_contract_describes(client: TestClient) -> None:
    answer = get_route(client, need="nedstemthet", kommune="9999", age=17, at=MONDAY_10, lang="nn")
    payload = {
        "type": "doors",
        "need": answer["need"],
        "urgency": answer["urgency"],
        "doors": [{field: door[field] for field in DOOR_FIELDS} for door in answer["doors"]],
    }
    Draft202012Validator(DOORS_PAYLOAD_SCHEMA).validate(payload)
    assert all(door["text"].startswith(door["name"]) for door in answer["doors"])


def test_route_shows_at_most_six_doors_and_lists_the_rest_as_not_shown(client: TestClient) -> None:
    answer = get_route(client, need="nedstemthet", kommune="9999", age=17, at=MONDAY_10)
    assert len(answer["doors"]) == CHAT_DOORS
    assert answer["not_shown"], "the rule for nedstemthet names more doors than the chat shows"


def test_route_opening_is_said_in_the_asked_language(client: TestClient) -> None:
    answer = get_route(client, need="angst_uro", kommune="9999", age=15, at=MONDAY_23, lang="en")
    openings = {door["opening"] for door in answer["doors"] if door["opening"]}
    assert openings and all(o.startswith(("Open", "Closed")) for o in openings)


def test_route_specialist_door_comes_after_the_first_line_doors(client: TestClient) -> None:
    answer = get_route(client, need="utredning", kommune="9999", age=14, at=MONDAY_10)
    specialist = [door["specialist"] for door in answer["doors"]]
    assert specialist[-1] is True and specialist == sorted(specialist)


def test_route_specialist_door_is_never_the_first(client: TestClient) -> None:
    needs = client.get("/api/v1/needs").json()
    for need in needs["urgent"] + needs["other"]:
        answer = get_route(client, need=need, kommune="9999", age=15, at=MONDAY_10)
        assert answer["doors"][0]["category"] not in {"bup", "statens_barnehus"}, need


def test_route_unknown_need_is_422_with_a_clear_message(client: TestClient) -> None:
    response = client.get("/api/v1/route", params={"need": "'; DROP TABLE service; --"})
    assert response.status_code == 422
    assert "not a need code" in response.json()["detail"]


def test_route_absurd_age_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/route", params={"need": "angst_uro", "age": 300})
    assert response.status_code == 422


def test_route_malformed_time_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/route", params={"need": "angst_uro", "at": "i morgen"})
    assert response.status_code == 422


def test_route_naive_time_is_read_as_norwegian_time(client: TestClient) -> None:
    answer = get_route(client, need="angst_uro", kommune="9999", at="2026-07-01T10:00")
    assert answer["at"].endswith("+02:00")
