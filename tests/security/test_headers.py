"""Security headers on every GET route the app serves, enumerated from ``app.routes``.

Every HTML page has a Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval' that loads scripts
only from this origin and lets no site frame it; every answer (the JSON API included) sends nosniff, a
Referrer-Policy and X-Frame-Options. The API reference pages /docs and /redoc load pinned files from a CDN
under a policy of their own (tests/security/test_api_docs.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from factories import INVENTED_PASSWORD, make_maintainer, make_rule, make_service
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.routing import Route

from service_catalog.main import app

OWN_PAGES = {"/docs", "/redoc"}


def get_paths() -> list[str]:
    """The path of every GET route (mounted apps such as /static aside)."""
    paths: set[str] = set()

    def walk(routes: Any, prefix: str) -> None:
        for route in routes:
            if isinstance(route, Route) and "GET" in (route.methods or ()):
                paths.add(prefix + route.path)
            elif (inner := getattr(route, "original_router", None)) is not None:
                walk(inner.routes, prefix + getattr(getattr(route, "include_context", None), "prefix", ""))

    walk(app.routes, "")
    return sorted(paths - OWN_PAGES)


@pytest.fixture
def signed_in(client: TestClient, session: Session) -> dict[str, str]:
    make_maintainer(session, username="nina.hode", municipalities=[], national=True)
    service, rule = make_service(session, "9999"), make_rule(session, "9999", age_min=101, age_max=102)
    page = client.get("/admin/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    data = {"username": "nina.hode", "password": INVENTED_PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/admin/login", data=data, follow_redirects=False).status_code == 303
    return {
        "service_id": str(service.id),
        "rule_id": str(rule.id),
        "kommunenummer": "9999",
        "path": "",
        "message_id": "1",
        "case_id": "1",
    }


def test_every_get_route_sends_the_security_headers(client: TestClient, signed_in: dict[str, str]) -> None:
    paths = get_paths()
    assert "/" in paths and "/api/v1/services" in paths and "/admin/services" in paths
    html_pages = 0
    for path in paths:
        response = client.get(re.sub(r"\{(\w+)(:\w+)?\}", lambda m: signed_in[m.group(1)], path))
        assert response.status_code < 500, path
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        assert response.headers.get("Referrer-Policy") in ("no-referrer", "same-origin"), path
        assert response.headers.get("X-Frame-Options") == "DENY", path
        if response.headers.get("content-type", "").startswith("text/html"):
            html_pages += 1
            csp = response.headers.get("Content-Security-Policy", "")
            assert csp, f"{path} has no Content-Security-Policy"
            directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if " " in d.strip())
            assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
            assert directives["default-src"] == "'none'", path
            assert directives["script-src"] == "'self'", path
            assert directives["frame-ancestors"] == "'none'", path
            assert directives["object-src"] == "'none'", path
            assert "<script>" not in response.text and " onclick=" not in response.text, path
    assert html_pages >= 10


def test_the_chat_page_allows_the_widget_endpoint_and_nothing_else(client: TestClient) -> None:
    csp = client.get("/").headers["Content-Security-Policy"]
    connect = dict(d.strip().split(" ", 1) for d in csp.split(";"))["connect-src"].split()
    assert connect[0] == "'self'"
    assert len(connect) <= 2  # this origin, and the Rasa REST channel when it lives elsewhere


def test_json_errors_carry_the_headers_too(client: TestClient) -> None:
    for response in (client.get("/api/v1/nope"), client.get("/api/v1/admin/services"), client.post("/api/v1/route")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["content-type"].startswith("application/json")
