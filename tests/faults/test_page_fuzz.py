"""Malformed requests to every HTML page route (schemathesis covers the JSON API): never a 500, and the
process keeps serving.

For each GET and POST route of the pages (enumerated from ``app.routes``), Hypothesis sends query strings
and form posts of odd shapes: huge fields, NUL and control characters, numbers where text goes and text
where numbers go, repeated fields, unknown fields, odd path ids, and a valid, missing or broken CSRF token,
as a signed-in national maintainer (who gets past every scope check). Each request gets its own session on
the test's connection, inside a savepoint, as a real request gets its own session.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from factories import INVENTED_PASSWORD, make_maintainer, make_rule, make_service
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine
from sqlmodel import Session

from service_catalog.db import get_engine, get_session
from service_catalog.main import app


def page_routes() -> list[tuple[str, str]]:
    found: set[tuple[str, str]] = set()

    def walk(routes: Any, prefix: str) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                if not (prefix + route.path).startswith("/api/"):  # the JSON API is schemathesis's
                    found.update((m, prefix + route.path) for m in route.methods if m in ("GET", "POST"))
            elif (inner := getattr(route, "original_router", None)) is not None:
                walk(inner.routes, prefix + getattr(getattr(route, "include_context", None), "prefix", ""))

    walk(app.routes, "")
    return sorted(found)


ROUTES = page_routes()
HUGE = "<100 000 characters>"  # stands for the huge value (keeps Hypothesis's report short)
FIELDS = ["csrf_token", "target", "kommune", "name", "door", "need", "urgency", "note", "source", "username",
          "password", "message", "age", "phone", "age_min", "age_max", "hours_mon", "q", "status", "side", "format",
          "grunn", "melding", "replace", "doors", "description", "key", "scope", "file"]  # fmt: skip
_TEXT = st.one_of(
    st.text(max_size=30),
    st.just(HUGE),
    st.just("\x00"),
    st.just("ok\x00ok"),
    st.just("\r\n\t\x1b\x7f"),
    st.just("<script>alert(1)</script>"),
    st.just("' OR 1=1 --"),
    st.sampled_from(["-1", "0", "2147483648", "1e309", "NaN", "9999", "nasjonal", "on", "true", "[]", "{}"]),
)
_IDS = st.sampled_from(["1", "0", "-1", "2147483648", "99999999999999999999", "abc", "%00", "1.5"])


@pytest.fixture
def national(session: Session, engine: Engine) -> Iterator[tuple[TestClient, str]]:
    """A client signed in as a national maintainer (with the session's CSRF token), one session per request."""
    connection = session.get_bind()
    assert isinstance(connection, Connection)
    make_maintainer(session, username="fuzz.side", municipalities=[], national=True)
    make_service(session, "9999")
    make_rule(session, "9999", age_min=101, age_max=102)
    session.commit()

    def fresh_session() -> Iterator[Session]:
        with Session(bind=connection, join_transaction_mode="create_savepoint") as request_session:
            yield request_session

    app.dependency_overrides[get_session] = fresh_session
    app.dependency_overrides[get_engine] = lambda: engine
    try:
        with TestClient(app) as client:
            page = client.get("/admin/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token
            data = {"username": "fuzz.side", "password": INVENTED_PASSWORD, "csrf_token": token.group(1)}
            assert client.post("/admin/login", data=data, follow_redirects=False).status_code == 303
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/services").text)
            assert csrf
            yield client, csrf.group(1)
    finally:
        app.dependency_overrides.clear()


@pytest.mark.parametrize(("method", "route"), ROUTES, ids=[f"{m} {r}" for m, r in ROUTES])
def test_page_never_answers_500_and_the_process_keeps_serving(
    national: tuple[TestClient, str], method: str, route: str
) -> None:
    client, csrf = national
    if route == "/admin/logout":
        pytest.skip("ends the session the other cases need; its CSRF refusal is in tests/security")

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        ids=_IDS,
        query=st.dictionaries(st.sampled_from(FIELDS), _TEXT, max_size=4),
        form=st.lists(st.tuples(st.sampled_from(FIELDS), _TEXT), max_size=8),
        token=st.sampled_from(["valid", "missing", "broken"]),
    )
    def run(ids: str, query: dict[str, str], form: list[tuple[str, str]], token: str) -> None:
        path = re.sub(r"\{\w+\}", ids, route)
        query = {k: "x" * 4000 if v == HUGE else v for k, v in query.items()}  # URLs have limits of their own
        fields = [(k, "x" * 100_000 if v == HUGE else v) for k, v in form if k != "csrf_token"]
        if token == "valid":
            fields.append(("csrf_token", csrf))
        elif token == "broken":
            fields.append(("csrf_token", csrf[:10] + "\x00"))
        if method == "GET":
            response = client.get(path, params=query, follow_redirects=False)
        else:
            body = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in fields)
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            response = client.post(path, params=query, content=body, headers=headers, follow_redirects=False)
        # The lab asks Rasa, which is not running here: its page says so with a deliberate 503.
        expected_503 = route.startswith("/admin/lab") and response.status_code == 503 and "Rasa" in response.text
        assert response.status_code < 500 or expected_503, (
            f"{method} {path}: {response.status_code} {response.text[:300]}"
        )

    run()
    assert client.get("/health").status_code == 200
    assert client.get("/admin/services").status_code == 200  # still signed in, still serving pages


def _quote(value: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(value)
