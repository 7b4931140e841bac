"""Every maintainer page under /admin, enumerated from the app: without a session, as a maintainer of another
kommune, and without a CSRF token.

- Without a session every page (except the login form) redirects to the login page, and shows no data.
- A maintainer of Oslo (0301) never sees or changes Eksempel kommune's (9999) service, rule or audit entries.
- Every POST under /admin refuses a missing or wrong CSRF token, and a form sent from another site, with 403,
  and changes nothing.

A route registered under /admin without a case here fails ``test_every_admin_page_has_a_case``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from factories import INVENTED_PASSWORD, make_maintainer, make_rule, make_service, token_headers
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from service_catalog.main import app
from service_catalog.models import AuditEntry, RoutingRule, Service
from service_catalog.web.maintainer.rendering import CSRF_TEXT

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Page:
    method: str
    route: str  # as registered; {service_id}, {rule_id}, {message_id}, {case_id} are filled from the fixture
    params: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)
    # What the Oslo maintainer gets when the page is about 9999's data: "refused" (403/404) or "own" (the page
    # answers, with Oslo's data only). Either way 9999's secret never shows.
    other: str = "refused"

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}"


K = {"kommune": "9999"}
PAGES = [
    Page("GET", "/admin", other="own"),
    Page("GET", "/admin/login", other="own"),
    Page("POST", "/admin/login", data={"username": "x", "password": "y"}, other="own"),
    Page("POST", "/admin/logout", other="own"),
    Page("GET", "/admin/services", K),
    Page("GET", "/admin/services/new", K),
    Page("POST", "/admin/services/new", data={"target": "9999", "name": "Oppdiktet", "door": "helsesykepleier"}),
    Page("GET", "/admin/services/{service_id}"),
    Page("POST", "/admin/services/{service_id}", data={"name": "Oppdiktet overtatt"}),
    Page("POST", "/admin/services/{service_id}/deactivate"),
    Page("POST", "/admin/services/{service_id}/restore"),
    Page("POST", "/admin/services/{service_id}/verify", data={"source": "Oppdiktet telefonsamtale"}),
    Page("GET", "/admin/unverified", other="own"),
    Page("GET", "/admin/routing", K),
    Page("GET", "/admin/routing/new", K),
    Page("POST", "/admin/routing/new", data={"target": "9999", "need": "sovn", "urgency": "snart"}),
    Page("GET", "/admin/routing/{rule_id}"),
    Page("POST", "/admin/routing/{rule_id}", data={"note": "Oppdiktet"}),
    Page("POST", "/admin/routing/{rule_id}/delete"),
    Page("GET", "/admin/import", other="own"),
    Page("POST", "/admin/import", data={"target": "9999"}),
    Page("POST", "/admin/import/confirm", data={"target": "9999"}),
    Page("GET", "/admin/export", K),
    Page("GET", "/admin/audit", other="own"),
    Page("GET", "/admin/feedback", other="own"),
    Page("POST", "/admin/feedback/shared/{message_id}/testcase"),
    Page("POST", "/admin/feedback/shared/{message_id}/delete"),
    Page("POST", "/admin/feedback/testcases/{case_id}/delete"),
    Page("GET", "/admin/feedback/testcases.tsv"),
    Page("GET", "/admin/lab", other="own"),
    Page("POST", "/admin/lab", data={"message": "", "kommune": "9999"}, other="own"),
    Page("POST", "/admin/lab/batch", other="own"),
]


def registered_pages() -> set[tuple[str, str]]:
    """Every (method, path) the app serves under /admin, read from ``app.routes``."""
    found: set[tuple[str, str]] = set()

    def walk(routes: Iterable[Any], prefix: str) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.update((m, prefix + route.path) for m in route.methods if m != "HEAD")
            elif (inner := getattr(route, "original_router", None)) is not None:
                walk(inner.routes, prefix + getattr(getattr(route, "include_context", None), "prefix", ""))

    walk(app.routes, "")
    return {(method, path) for method, path in found if path == "/admin" or path.startswith("/admin/")}


def test_every_admin_page_has_a_case() -> None:
    registered = registered_pages()
    assert registered, "no /admin routes found: has the way FastAPI lists routes changed?"
    assert registered == {(p.method, p.route) for p in PAGES}


@pytest.fixture
def secret(client: TestClient, session: Session) -> dict[str, Any]:
    """9999's service and rule, with a name only they carry, changed once through the API (an audit entry)."""
    marker = f"Hemmelig oppdiktet {uuid.uuid4().hex[:8]}"
    home = make_maintainer(session, username="kari.hjemme", municipalities=["9999"])
    service = make_service(session, "9999")
    rule = make_rule(session, "9999", note=marker, age_min=101, age_max=102)
    changed = client.patch(f"/api/v1/admin/services/{service.id}", json={"name": marker}, headers=token_headers(home))
    assert changed.status_code == 200, changed.text
    shared = {"need": "sovn", "doors": ["helsesykepleier"], "helpful": False, "text": marker, "consent": True}
    assert client.post("/api/v1/feedback/share", json=shared).status_code == 201
    client.cookies.clear()
    ids = {"service_id": service.id, "rule_id": rule.id, "message_id": 1, "case_id": 1}
    return {"marker": marker, "ids": ids}


def _login(client: TestClient, session: Session, username: str, kommuner: list[str], national: bool = False) -> str:
    make_maintainer(session, username=username, municipalities=kommuner, national=national)
    page = client.get("/admin/login")
    token = _TOKEN.search(page.text)
    assert token
    data = {"username": username, "password": INVENTED_PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/admin/login", data=data, follow_redirects=False).status_code == 303
    services = client.get("/admin/services")
    found = _TOKEN.search(services.text)
    assert found, "a signed-in page carries the session's CSRF token"
    return found.group(1)


def _send(client: TestClient, page: Page, ids: dict[str, Any], data: dict[str, str], **kw: Any) -> Any:
    return client.request(
        page.method,
        page.route.format(**ids),
        params=page.params,
        data=data if page.method == "POST" else None,
        follow_redirects=False,
        **kw,
    )


def _state(session: Session) -> tuple[int, int, int, list[Any]]:
    session.expire_all()
    audit = session.exec(select(func.count()).select_from(AuditEntry)).one()
    services = session.exec(select(func.count()).select_from(Service)).one()
    rules = session.exec(select(func.count()).select_from(RoutingRule)).one()
    names = list(session.exec(select(Service.name, Service.active).order_by(Service.id)).all())
    return audit, services, rules, names


@pytest.mark.parametrize("page", PAGES, ids=[p.id for p in PAGES])
def test_without_a_session_the_page_sends_to_login_and_shows_nothing(
    client: TestClient, secret: dict[str, Any], page: Page
) -> None:
    response = _send(client, page, secret["ids"], page.data)
    if page.route == "/admin/login":
        assert response.status_code in (200, 403)  # the form, or a post without the login form's token
    else:
        assert response.status_code == 303, response.text
        # /admin itself only forwards to the service list, which then asks for the login.
        assert response.headers["location"].startswith("/admin/services" if page.route == "/admin" else "/admin/login")
    assert secret["marker"] not in response.text


@pytest.mark.parametrize("page", PAGES, ids=[p.id for p in PAGES])
def test_another_kommunes_maintainer_never_sees_or_changes_9999s_data(
    client: TestClient, session: Session, secret: dict[str, Any], page: Page
) -> None:
    csrf = _login(client, session, "ola.oslo", ["0301"])
    before = _state(session)
    response = _send(client, page, secret["ids"], {**page.data, "csrf_token": csrf})
    assert response.status_code < 500, response.text
    assert secret["marker"] not in response.text
    if page.other == "refused":
        assert response.status_code in (403, 404), response.text
    if page.route not in ("/admin/login", "/admin/logout"):
        assert _state(session) == before


@pytest.mark.parametrize("page", [p for p in PAGES if p.method == "POST"], ids=lambda p: p.id)
@pytest.mark.parametrize("token", ["missing", "wrong", "other-site"])
def test_every_form_post_refuses_a_missing_or_wrong_csrf_token(
    client: TestClient, session: Session, secret: dict[str, Any], page: Page, token: str
) -> None:
    csrf = _login(client, session, "nina.nasjonal", [], national=True)
    if page.route == "/admin/login":
        client.get("/admin/login")  # the login form's own double-submit token is what is checked there
    before = _state(session)
    data = dict(page.data)
    headers = {}
    if token == "wrong":
        data["csrf_token"] = csrf[:-4] + "0000"
    elif token == "other-site":
        data["csrf_token"] = csrf if page.route != "/admin/login" else ""
        headers["Origin"] = "https://angriper.example"
    response = _send(client, page, secret["ids"], data, headers=headers)
    assert response.status_code == 403, response.text
    assert CSRF_TEXT.split(".")[0] in response.text.replace("&#39;", "'")
    assert _state(session) == before
