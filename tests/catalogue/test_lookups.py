"""Public lookups: municipalities, services, doors, needs, health and readiness."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from service_catalog.models import Municipality


@pytest.mark.parametrize("query", ["Bærum", "bærum", "baerum", "Barum", "BÆRUM KOMMUNE", "3201"])
def test_municipality_search_finds_baerum_however_written(client: TestClient, query: str) -> None:
    matches = client.get("/api/v1/municipalities", params={"q": query}).json()
    assert matches[0]["kommunenummer"] == "3201" and matches[0]["sure"] is True


def test_municipality_search_says_a_loose_match_is_not_sure(client: TestClient) -> None:
    matches = client.get("/api/v1/municipalities", params={"q": "Bergsdalen"}).json()
    assert all(m["sure"] is (m["score"] >= 0.85) for m in matches)
    assert not any(m["sure"] for m in matches if m["name"] != "Bergsdalen")


def test_municipality_search_finds_sami_parallel_name(client: TestClient) -> None:
    matches = client.get("/api/v1/municipalities", params={"q": "Guovdageaidnu"}).json()
    assert matches[0]["name"] == "Kautokeino"


def test_municipality_search_nonsense_finds_nothing(client: TestClient) -> None:
    assert client.get("/api/v1/municipalities", params={"q": "qqqqxxz"}).json() == []


def test_municipality_by_number(client: TestClient) -> None:
    assert client.get("/api/v1/municipalities/0301").json()["name"] == "Oslo"


def test_municipality_unknown_number_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/municipalities/0000").status_code == 404


def test_municipality_list_has_every_kommune_and_the_example(session: Session) -> None:
    # 357 municipalities since 2024, plus the invented example 9999
    assert session.exec(select(func.count()).select_from(Municipality)).one() == 358
    example = session.get(Municipality, "9999")
    assert example is not None and example.example


def test_services_of_kommune_are_listed(client: TestClient) -> None:
    page = client.get("/api/v1/services", params={"kommune": "9999", "limit": 100}).json()
    assert page["count"] == len(page["data"]) > 10
    assert all(s["kommunenummer"] == "9999" for s in page["data"])


def test_national_services_carry_source_and_last_verified(client: TestClient) -> None:
    page = client.get("/api/v1/services", params={"limit": 100}).json()
    assert page["data"]
    for service in page["data"]:
        assert service["source"] and service["last_verified"]


def test_national_emergency_numbers_are_right(client: TestClient) -> None:
    page = client.get("/api/v1/services", params={"limit": 100}).json()
    phones = {s["phone"] for s in page["data"]}
    assert {"113", "112", "110", "116 117", "116 111", "116 123"} <= phones


def test_service_by_id_and_unknown_id(client: TestClient) -> None:
    first = client.get("/api/v1/services", params={"kommune": "9999"}).json()["data"][0]
    assert client.get(f"/api/v1/services/{first['id']}").json()["key"] == first["key"]
    assert client.get("/api/v1/services/999999").status_code == 404


def test_door_codes_match_the_taxonomy(client: TestClient) -> None:
    import yaml

    from service_catalog.config import get_settings

    taxonomy = yaml.safe_load(get_settings().taxonomy_path.read_text(encoding="utf-8"))
    codes = {d["code"] for d in client.get("/api/v1/doors").json()}
    assert codes == set(taxonomy["doors"])


def test_need_codes_are_listed(client: TestClient) -> None:
    needs = client.get("/api/v1/needs").json()
    assert "selvmordstanker" in needs["urgent"] and "angst_uro" in needs["other"]


def test_health_and_ready(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json() == {"status": "ready"}


def test_ready_is_503_when_the_database_is_unreachable(client: TestClient) -> None:
    from service_catalog.db import get_engine, make_engine
    from service_catalog.main import app

    app.dependency_overrides[get_engine] = lambda: make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert client.get("/ready").status_code == 503


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/openapi.json").json()["info"]["title"] == "Veiviser service catalogue"
    assert client.get("/docs").status_code == 200


def test_responses_carry_security_headers_and_no_cookies(client: TestClient) -> None:
    response = client.get("/api/v1/needs")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in response.headers


def test_oversized_body_is_413(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/token", content=b"x" * 3_000_000, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413


def test_nul_character_in_query_is_400_on_every_backend(client: TestClient) -> None:
    response = client.get("/api/v1/services?q=a%00b")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_character_in_a_login_form_is_400_on_every_backend(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/token",
        content=b"username=kari%00&password=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
