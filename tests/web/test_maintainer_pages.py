"""The maintainer pages under /admin: login, session cookie, CSRF, scope, and the edits they make.

Real database, real HTTP (in-process), one behaviour each. Forms are filled the way a browser would: the
test reads the page, takes its CSRF token and field values, and posts them back.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from factories import INVENTED_PASSWORD, make_maintainer, make_rule, make_service, token_headers
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from service_catalog.auth import create_access_token
from service_catalog.catalog import service_to_in
from service_catalog.config import get_settings
from service_catalog.interchange import CatalogueDocument, dump_yaml
from service_catalog.models import AuditEntry, RoutingRule, Schedule, Service

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_INPUT = re.compile(r"<input\b[^>]*>", re.S)
_SELECT = re.compile(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
_TEXTAREA = re.compile(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', re.S)


def _attr(tag: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return unescape(found.group(1)) if found else None


def csrf(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def form_fields(html: str, action: str) -> dict[str, str]:
    """The values a browser would send from the form posting to ``action`` (first submit button)."""
    start = html.index(f'action="{action}"')
    body = html[start : html.index("</form>", start)]
    fields: dict[str, str] = {}
    for tag in _INPUT.findall(body):
        name, kind = _attr(tag, "name"), _attr(tag, "type") or "text"
        if not name or kind == "file":
            continue
        if kind in ("checkbox", "radio"):
            if re.search(r"\bchecked\b", tag):
                fields[name] = _attr(tag, "value") or "on"
            continue
        fields[name] = _attr(tag, "value") or ""
    for name, options in _SELECT.findall(body):
        chosen = re.search(r'<option value="([^"]*)" selected', options) or re.search(
            r'<option value="([^"]*)"', options
        )
        fields[name] = unescape(chosen.group(1)) if chosen else ""
    for name, text in _TEXTAREA.findall(body):
        fields[name] = unescape(text)
    return fields


def login(client: TestClient, username: str, password: str = INVENTED_PASSWORD) -> Any:
    page = client.get("/admin/login")
    return client.post(
        "/admin/login",
        data={"username": username, "password": password, "csrf_token": csrf(page.text)},
        follow_redirects=False,
    )


@pytest.fixture
def kari(client: TestClient, session: Session) -> TestClient:
    """The client, logged in as a maintainer of 9999."""
    make_maintainer(session, username="kari.side", municipalities=["9999"])
    assert login(client, "kari.side").status_code == 303
    return client


def audit_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEntry)).one()


# ---------------------------------------------------------------- login and session


def test_login_with_right_password_redirects_to_services(client: TestClient, session: Session) -> None:
    make_maintainer(session, username="kari.side")
    response = login(client, "kari.side")
    assert response.status_code == 303 and response.headers["location"] == "/admin/services"
    assert client.get("/admin/services").status_code == 200


def test_login_with_wrong_password_is_refused_with_the_common_message(client: TestClient, session: Session) -> None:
    make_maintainer(session, username="kari.side")
    response = login(client, "kari.side", "feil-passord-helt-sikkert")
    assert response.status_code == 401
    assert "Feil brukernavn eller passord" in response.text
    assert client.get("/admin/services", follow_redirects=False).status_code == 303


def test_login_after_lockout_gives_the_same_message_even_with_the_right_password(
    client: TestClient, session: Session
) -> None:
    make_maintainer(session, username="kari.side")
    for _ in range(get_settings().login_max_failures):
        wrong = login(client, "kari.side", "feil-passord-helt-sikkert")
    locked = login(client, "kari.side")
    assert locked.status_code == 401 and "Feil brukernavn eller passord" in locked.text
    assert _message(locked.text) == _message(wrong.text)
    assert client.get("/admin/services", follow_redirects=False).status_code == 303


def _message(html: str) -> str:
    return re.search(r'role="alert" id="login-error">([^<]*)<', html).group(1)  # type: ignore[union-attr]


def test_login_cookie_is_httponly_samesite_strict_and_limited_to_admin(client: TestClient, session: Session) -> None:
    make_maintainer(session, username="kari.side")
    cookies = login(client, "kari.side").headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("veiviser_admin="))
    assert "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie and "Path=/admin" in session_cookie
    assert "Secure" not in session_cookie  # plain http in tests; production sets it (settings.secure_cookies)


def test_login_page_sets_only_an_admin_cookie(client: TestClient) -> None:
    response = client.get("/admin/login")
    assert "Path=/admin" in response.headers["set-cookie"] and "HttpOnly" in response.headers["set-cookie"]


def test_login_without_csrf_token_is_403(client: TestClient, session: Session) -> None:
    make_maintainer(session, username="kari.side")
    client.get("/admin/login")
    response = client.post("/admin/login", data={"username": "kari.side", "password": INVENTED_PASSWORD})
    assert response.status_code == 403


def test_pages_without_login_redirect_to_the_login_page(client: TestClient) -> None:
    for path in ("/admin/services", "/admin/routing", "/admin/unverified", "/admin/import", "/admin/audit"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/admin/login"), path


def test_expired_session_redirects_to_login_saying_so(client: TestClient, session: Session) -> None:
    maintainer = make_maintainer(session, username="kari.side")
    old = create_access_token(maintainer, get_settings(), now=datetime.now(UTC) - timedelta(days=1))
    client.cookies.set("veiviser_admin", old, path="/admin")
    response = client.get("/admin/services", follow_redirects=False)
    assert response.headers["location"] == "/admin/login?grunn=utlopt"
    assert "utløpt" in client.get(response.headers["location"]).text


def test_logout_clears_the_session(kari: TestClient) -> None:
    page = kari.get("/admin/services")
    response = kari.post("/admin/logout", data={"csrf_token": csrf(page.text)}, follow_redirects=False)
    assert response.status_code == 303 and 'veiviser_admin=""' in response.headers["set-cookie"]
    assert kari.get("/admin/services", follow_redirects=False).status_code == 303


def test_pages_send_csp_and_no_store(kari: TestClient) -> None:
    for path in ("/admin/login", "/admin/services", "/admin/audit"):
        response = kari.get(path)
        assert "default-src 'none'" in response.headers["content-security-policy"], path
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-frame-options"] == "DENY"
        assert '<html lang="nb">' in response.text


# ---------------------------------------------------------------- CSRF


def test_post_without_csrf_token_is_403_and_writes_nothing(kari: TestClient, session: Session) -> None:
    service = make_service(session, key="oppdiktet-csrf")
    before = audit_count(session)
    response = kari.post(f"/admin/services/{service.id}/deactivate", data={})
    assert response.status_code == 403 and "sikkerhetsnøkkelen" in response.text
    session.refresh(service)
    assert service.active and audit_count(session) == before


def test_post_with_wrong_csrf_token_is_403_and_writes_nothing(kari: TestClient, session: Session) -> None:
    service = make_service(session, key="oppdiktet-csrf")
    before = audit_count(session)
    response = kari.post(f"/admin/services/{service.id}/deactivate", data={"csrf_token": "0" * 64})
    assert response.status_code == 403
    session.refresh(service)
    assert service.active and audit_count(session) == before


def test_post_from_another_origin_is_403_even_with_the_token(kari: TestClient, session: Session) -> None:
    service = make_service(session, key="oppdiktet-csrf")
    token = csrf(kari.get(f"/admin/services/{service.id}").text)
    response = kari.post(
        f"/admin/services/{service.id}/deactivate",
        data={"csrf_token": token},
        headers={"Origin": "https://angriper.example"},
    )
    assert response.status_code == 403
    session.refresh(service)
    assert service.active


# ---------------------------------------------------------------- scope


def test_maintainer_of_9999_cannot_view_a_0301_service(kari: TestClient, session: Session) -> None:
    oslo = make_service(session, kommune="0301", key="oppdiktet-oslo", name="Oppdiktet Oslo-tjeneste")
    response = kari.get(f"/admin/services/{oslo.id}")
    assert response.status_code == 403 and "Oppdiktet Oslo-tjeneste" not in response.text


def test_maintainer_of_9999_cannot_edit_a_0301_service(kari: TestClient, session: Session) -> None:
    oslo = make_service(session, kommune="0301", key="oppdiktet-oslo")
    token = csrf(kari.get("/admin/services").text)
    response = kari.post(f"/admin/services/{oslo.id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 403
    session.refresh(oslo)
    assert oslo.active


def test_service_list_never_shows_another_kommune(kari: TestClient, session: Session) -> None:
    make_service(session, kommune="0301", key="oppdiktet-oslo", name="Oppdiktet Oslo-tjeneste")
    response = kari.get("/admin/services", params={"q": "oppdiktet", "status": "alle"})
    assert "Oppdiktet Oslo-tjeneste" not in response.text
    assert kari.get("/admin/services", params={"kommune": "0301"}).status_code == 403


def test_service_list_filters_by_text_and_marks_rows_with_the_key(kari: TestClient, session: Session) -> None:
    make_service(session, key="oppdiktet-finn-meg", name="Oppdiktet Finnemeg")
    make_service(session, key="oppdiktet-ikke-meg", name="Oppdiktet Annet")
    response = kari.get("/admin/services", params={"q": "finnemeg"})
    assert 'data-service-key="oppdiktet-finn-meg"' in response.text
    assert 'data-service-key="oppdiktet-ikke-meg"' not in response.text


def test_service_list_shows_regional_services_of_others_that_reach_my_chat(kari: TestClient, session: Session) -> None:
    make_service(session, kommune="9998", scope="regional", covers=["9998", "9999"], name="Oppdiktet nabotjeneste")
    make_service(session, kommune="9998", scope="regional", covers=["9998"], name="Oppdiktet bare naboen")
    page = kari.get("/admin/services").text
    section = page[page.index('id="regionale"') :]
    assert "Oppdiktet nabotjeneste" in section and "9998" in section
    assert "Oppdiktet bare naboen" not in page


def test_regional_service_form_covering_a_kommune_not_mine_is_refused_and_saves_nothing(
    kari: TestClient, session: Session
) -> None:
    service = make_service(session, key="oppdiktet-region", scope="regional", covers=["9999"])
    before = audit_count(session)
    response = _edit(kari, service.id, covers="9999, 0301")
    assert response.status_code == 422
    assert 'id="e-covers"' in response.text and "0301" in response.text
    session.refresh(service)
    assert [a.kommunenummer for a in service.areas] == ["9999"] and audit_count(session) == before


# ---------------------------------------------------------------- editing a service


def _edit(client: TestClient, service_id: int, **changes: str) -> Any:
    page = client.get(f"/admin/services/{service_id}").text
    fields = form_fields(page, f"/admin/services/{service_id}")
    fields.update(changes)
    return client.post(f"/admin/services/{service_id}", data=fields, follow_redirects=False)


def test_edit_hours_changes_the_service_and_shows_in_the_audit_log(kari: TestClient, session: Session) -> None:
    service = make_service(session, key="oppdiktet-timer")
    response = _edit(kari, service.id, **{"hours-sat-0-opens": "10:00", "hours-sat-0-closes": "14:30"})
    assert response.status_code == 303
    session.refresh(service)
    assert service_to_in(service).hours["sat"] == ["10:00-14:30"]
    log = kari.get("/admin/audit").text
    assert "Endret tjeneste" in log and "kari.side" in log and "sat: 10:00-14:30" in log


def test_edit_with_invalid_hours_keeps_the_form_and_changes_nothing(kari: TestClient, session: Session) -> None:
    service = make_service(session, key="oppdiktet-timer")
    schedules = session.exec(select(func.count()).select_from(Schedule)).one()
    before = audit_count(session)
    response = _edit(kari, service.id, **{"hours-mon-0-opens": "25:00", "hours-mon-0-closes": "16:00"})
    assert response.status_code == 422
    assert 'id="e-hours-mon"' in response.text and 'value="25:00"' in response.text
    assert session.exec(select(func.count()).select_from(Schedule)).one() == schedules
    assert audit_count(session) == before


def test_edit_with_half_a_range_names_the_day(kari: TestClient, session: Session) -> None:
    service = make_service(session, key="oppdiktet-timer")
    response = _edit(kari, service.id, **{"hours-tue-0-opens": "09:00", "hours-tue-0-closes": ""})
    assert response.status_code == 422 and "Tirsdag: fyll inn både" in response.text


def test_edit_with_invalid_email_shows_the_error_next_to_the_field(kari: TestClient, session: Session) -> None:
    service = make_service(session, key="oppdiktet-epost")
    response = _edit(kari, service.id, email="ikke en adresse")
    assert response.status_code == 422
    assert 'aria-describedby="e-email"' in response.text and "gyldig e-postadresse" in response.text
    session.refresh(service)
    assert service.email is None


def test_edit_closed_dates_adds_and_removes_rows(kari: TestClient, session: Session) -> None:
    service = make_service(session, key="oppdiktet-stengt", closed_dates=[{"date": "2026-12-24", "note": "Julaften"}])
    response = _edit(
        kari,
        service.id,
        **{"closed-0-remove": "on", "closed-1-date": "2026-12-31", "closed-1-note": "Nyttårsaften"},
    )
    assert response.status_code == 303
    session.refresh(service)
    assert [(c.date.isoformat(), c.note) for c in service.closed_dates] == [("2026-12-31", "Nyttårsaften")]


def test_create_service_through_the_form(kari: TestClient, session: Session) -> None:
    page = kari.get("/admin/services/new", params={"kommune": "9999"}).text
    fields = form_fields(page, "/admin/services/new")
    fields.update(
        key="oppdiktet-ny-side",
        name="Oppdiktet ny tjeneste",
        door="helsesykepleier",
        phone="10 00 55 55",
        source="Oppdiktet testdata",
        last_verified=date.today().isoformat(),
        **{"hours-wed-0-opens": "8", "hours-wed-0-closes": "1530"},
    )
    response = kari.post("/admin/services/new", data=fields, follow_redirects=False)
    assert response.status_code == 303
    created = session.exec(select(Service).where(Service.key == "oppdiktet-ny-side")).one()
    assert created.kommunenummer == "9999" and service_to_in(created).hours == {"wed": ["08:00-15:30"]}


def test_deactivate_and_restore(kari: TestClient, session: Session) -> None:
    service = make_service(session, key="oppdiktet-av-paa")
    token = csrf(kari.get(f"/admin/services/{service.id}").text)
    assert kari.post(f"/admin/services/{service.id}/deactivate", data={"csrf_token": token}).status_code == 200
    session.refresh(service)
    assert not service.active
    assert kari.post(f"/admin/services/{service.id}/restore", data={"csrf_token": token}).status_code == 200
    session.refresh(service)
    assert service.active
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.entity_id == str(service.id))).all()
    assert list(actions) == ["service.deactivate", "service.restore"]


def test_verify_from_the_unverified_list_sets_today(kari: TestClient, session: Session) -> None:
    old = date.today() - timedelta(days=get_settings().unverified_after_days + 10)
    service = make_service(session, key="oppdiktet-gammel", last_verified=old.isoformat())
    page = kari.get("/admin/unverified").text
    assert 'data-service-key="oppdiktet-gammel"' in page
    response = kari.post(
        f"/admin/services/{service.id}/verify",
        data={"csrf_token": csrf(page), "back": "unverified", "source": "Ringte tjenesten (oppdiktet)"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session.refresh(service)
    assert service.last_verified == date.today() and service.source == "Ringte tjenesten (oppdiktet)"
    assert 'data-service-key="oppdiktet-gammel"' not in kari.get("/admin/unverified").text


# ---------------------------------------------------------------- routing table


def test_routing_rule_with_a_specialist_door_first_is_refused(kari: TestClient, session: Session) -> None:
    rule = make_rule(session, kommune="9999")
    page = kari.get(f"/admin/routing/{rule.id}").text
    fields = form_fields(page, f"/admin/routing/{rule.id}")
    fields.update({"door-0": "bup", "door-1": "helsesykepleier"})
    response = kari.post(f"/admin/routing/{rule.id}", data=fields)
    assert response.status_code == 422 and "krever henvisning" in response.text
    session.refresh(rule)
    assert rule.doors == ["helsesykepleier", "fastlege"]


def test_routing_rule_edit_changes_the_order(kari: TestClient, session: Session) -> None:
    rule = make_rule(session, kommune="9999")
    page = kari.get(f"/admin/routing/{rule.id}").text
    fields = form_fields(page, f"/admin/routing/{rule.id}")
    fields.update({"door-0": "fastlege", "door-1": "helsesykepleier"})
    assert kari.post(f"/admin/routing/{rule.id}", data=fields, follow_redirects=False).status_code == 303
    session.refresh(rule)
    assert rule.doors == ["fastlege", "helsesykepleier"]


def test_routing_rule_for_a_taken_need_and_band_is_refused(kari: TestClient, session: Session) -> None:
    make_rule(session, kommune="9999")
    page = kari.get("/admin/routing/new", params={"kommune": "9999"}).text
    fields = form_fields(page, "/admin/routing/new")
    fields.update({"need": "angst_uro", "door-0": "fastlege"})
    response = kari.post("/admin/routing/new", data=fields)
    assert response.status_code == 422 and "finnes allerede en regel" in response.text


def test_routing_rule_add_and_delete(kari: TestClient, session: Session) -> None:
    page = kari.get("/admin/routing/new", params={"kommune": "9999"}).text
    fields = form_fields(page, "/admin/routing/new")
    fields.update({"need": "ensomhet", "door-0": "helsesykepleier", "door-1": "ung_no"})
    assert kari.post("/admin/routing/new", data=fields, follow_redirects=False).status_code == 303
    rule = session.exec(select(RoutingRule).where(RoutingRule.kommunenummer == "9999")).one()
    token = csrf(kari.get("/admin/routing").text)
    assert kari.post(f"/admin/routing/{rule.id}/delete", data={"csrf_token": token}).status_code == 200
    assert session.exec(select(RoutingRule).where(RoutingRule.kommunenummer == "9999")).first() is None


# ---------------------------------------------------------------- import and export


def _scope_rows(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Service).where(col(Service.kommunenummer) == "9999")).one()


def _upload(client: TestClient, text: str, name: str = "katalog.yml") -> Any:
    token = csrf(client.get("/admin/import").text)
    return client.post(
        "/admin/import",
        data={"csrf_token": token, "target": "9999", "replace": "on"},
        files={"file": (name, text.encode("utf-8"), "application/yaml")},
    )


def test_import_preview_lists_the_problems_with_line_and_field(kari: TestClient, session: Session) -> None:
    text = "format: veiviser-catalogue/1\nscope: municipal\nkommune: '9999'\nexample: true\nservices:\n"
    text += "  - key: oppdiktet-feil\n    door: helsesykepleier\n    name: Feil\n    phone: 'ikke et nummer'\n"
    text += "    source: Oppdiktet testdata\n    last_verified: 2026-01-01\n"
    response = _upload(kari, text)
    assert response.status_code == 422
    assert "kan ikke importeres" in response.text and "services[0].phone" in response.text
    assert "<td>9</td>" in response.text


def test_import_preview_refuses_a_regional_service_covering_a_kommune_not_mine(
    kari: TestClient, session: Session
) -> None:
    service = make_service(session, key="oppdiktet-region", scope="regional", covers=["9999"])
    into_oslo = service_to_in(service).model_copy(update={"covers": ["9999", "0301"]})
    document = CatalogueDocument(scope="municipal", kommune="9999", example=True, services=[into_oslo])
    response = _upload(kari, dump_yaml(document))
    assert response.status_code == 422 and "services[0].covers[1]" in response.text and "0301" in response.text
    assert "/admin/import/confirm" not in response.text


def test_import_of_a_broken_file_changes_nothing(kari: TestClient, session: Session) -> None:
    before, audits = _scope_rows(session), audit_count(session)
    _upload(kari, "format: veiviser-catalogue/1\nscope: municipal\nkommune: '9999'\nservices:\n  - key: X\n")
    assert (_scope_rows(session), audit_count(session)) == (before, audits)


def test_import_preview_then_confirm_applies_the_file(kari: TestClient, session: Session) -> None:
    make_service(session, key="oppdiktet-import", name="Gammelt navn")
    existing = session.exec(select(Service).where(Service.key == "oppdiktet-import")).one()
    document = dump_yaml(
        CatalogueDocument(
            scope="municipal",
            kommune="9999",
            example=True,
            services=[service_to_in(existing).model_copy(update={"name": "Nytt navn"})],
        )
    )
    preview = _upload(kari, document)
    assert preview.status_code == 200 and "Endrede tjenester" in preview.text and "oppdiktet-import" in preview.text
    fields = form_fields(preview.text, "/admin/import/confirm")
    assert kari.post("/admin/import/confirm", data=fields, follow_redirects=False).status_code == 303
    session.refresh(existing)
    assert existing.name == "Nytt navn"


def test_import_confirm_with_a_changed_file_is_refused(kari: TestClient, session: Session) -> None:
    existing = make_service(session, key="oppdiktet-import", name="Gammelt navn")
    document = dump_yaml(
        CatalogueDocument(scope="municipal", kommune="9999", example=True, services=[service_to_in(existing)])
    )
    fields = form_fields(_upload(kari, document).text, "/admin/import/confirm")
    fields["content"] = base64.b64encode(document.replace("Gammelt navn", "Lurt navn").encode()).decode()
    assert kari.post("/admin/import/confirm", data=fields).status_code == 403
    session.refresh(existing)
    assert existing.name == "Gammelt navn"


def test_export_returns_the_catalogue_file(kari: TestClient, session: Session) -> None:
    make_service(session, key="oppdiktet-eksport")
    response = kari.get("/admin/export", params={"kommune": "9999", "format": "yaml"})
    assert response.status_code == 200 and "oppdiktet-eksport" in response.text
    assert response.headers["content-disposition"] == 'attachment; filename="catalogue-9999.yml"'
    csv = kari.get("/admin/export", params={"kommune": "9999", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and "oppdiktet-eksport" in csv.text


def test_export_of_another_kommune_is_refused(kari: TestClient) -> None:
    assert kari.get("/admin/export", params={"kommune": "0301"}).status_code == 403


# ---------------------------------------------------------------- audit log


def test_audit_log_shows_api_changes_too_and_hides_other_kommuner(kari: TestClient, session: Session) -> None:
    oslo = make_maintainer(session, username="oslo.side", municipalities=["0301"])
    make_service(session, kommune="0301", key="oppdiktet-oslo-logg", name="Oppdiktet Oslo-logg")
    own = make_service(session, key="oppdiktet-api-logg")
    kari.post(f"/api/v1/admin/services/{own.id}/deactivate", headers=token_headers(oslo))  # refused: not Oslo's
    nine = make_maintainer(session, username="api.bruker", municipalities=["9999"])
    assert kari.post(f"/api/v1/admin/services/{own.id}/deactivate", headers=token_headers(nine)).status_code == 200
    log = kari.get("/admin/audit").text
    assert "api.bruker" in log and "Deaktivert" in log and "Oppdiktet Oslo-logg" not in log
