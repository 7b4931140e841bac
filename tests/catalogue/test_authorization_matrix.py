"""Who may call what: every admin route x {anonymous, maintainer of 9999, maintainer of Oslo, national}.

Each case targets data of the example municipality 9999 (or, for ``national_only`` cases, the national
catalogue, or a regional service of 9999 that reaches the chat of Oslo, a kommune the 9999 maintainer does
not maintain). Expected: anonymous 401; the 9999 maintainer 2xx (403 on national-only cases); the Oslo
maintainer 403; the national maintainer 2xx. A route registered under /api/v1/admin without a case
here fails ``test_matrix_covers_every_admin_route``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from factories import make_maintainer, make_rule, make_service, service_data, token_headers
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session

from service_catalog.interchange import CatalogueDocument, dump_yaml
from service_catalog.main import app
from service_catalog.models.service import ServiceIn

ADMIN = "/api/v1/admin"
IDENTITIES = ("anonymous", "home", "other", "national")


def _import_file(**overrides: Any) -> dict[str, Any]:
    service = ServiceIn.model_validate(service_data(key="oppdiktet-matrise-import", **overrides))
    document = CatalogueDocument(scope="municipal", kommune="9999", example=True, services=[service])
    return {"file": ("9999.yml", dump_yaml(document).encode("utf-8"), "application/yaml")}


# A regional service of 9999 that would also show in the chat of Oslo (0301).
INTO_OSLO = {"scope": "regional", "covers": ["9999", "0301"]}


# An age band no real rule uses, so a new rule never clashes with the seeded routing tables.
RULE = {"need": "sovn", "urgency": "snart", "doors": ["helsesykepleier", "fastlege"], "age_min": 101, "age_max": 102}
ABSENCE = {"door": "rask_psykisk_helsehjelp", "source": "Oppdiktet testdata", "last_verified": "2026-11-23"}


@dataclass(frozen=True)
class Case:
    method: str
    route: str  # the path as registered; {service_id} and {rule_id} are filled from the fixtures
    params: dict[str, str] = field(default_factory=dict)
    json: Callable[[], Any] | None = None
    files: Callable[[], Any] | None = None
    national_only: bool = False  # the national catalogue: a municipal maintainer is refused too
    target: str = "home"  # whose service or rule the {id} names: "home" (9999) or "national"
    what: str = ""  # what sets the case apart from another on the same route

    @property
    def id(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        what = f" {self.what}" if self.what else ""
        return f"{self.method} {self.route.removeprefix(ADMIN)}{'?' + query if query else ''} [{self.target}]{what}"

    def expected(self, identity: str) -> int | str:
        if identity == "anonymous":
            return 401
        if identity == "other" or (identity == "home" and self.national_only):
            return 403
        return "2xx"


K = {"kommune": "9999"}
CASES = [
    Case("GET", f"{ADMIN}/services", K),
    Case("GET", f"{ADMIN}/services", {"national": "true"}, national_only=True),
    Case("POST", f"{ADMIN}/services", K, json=lambda: service_data(key="oppdiktet-matrise-ny")),
    Case("POST", f"{ADMIN}/services", json=lambda: service_data(scope="national"), national_only=True),
    Case("POST", f"{ADMIN}/services", K, json=lambda: service_data(**INTO_OSLO), national_only=True, what="into 0301"),
    Case("GET", f"{ADMIN}/regional-services", K),
    Case("GET", f"{ADMIN}/services/{{service_id}}"),
    Case("GET", f"{ADMIN}/services/{{service_id}}", national_only=True, target="national"),
    Case("PATCH", f"{ADMIN}/services/{{service_id}}", json=lambda: {"name": "Oppdiktet endret navn"}),
    Case(
        "PATCH",
        f"{ADMIN}/services/{{service_id}}",
        json=lambda: {"name": "Oppdiktet endret navn"},
        national_only=True,
        target="national",
    ),
    Case("PATCH", f"{ADMIN}/services/{{service_id}}", json=lambda: INTO_OSLO, national_only=True, what="into 0301"),
    Case("POST", f"{ADMIN}/services/{{service_id}}/deactivate"),
    Case("POST", f"{ADMIN}/services/{{service_id}}/restore"),
    Case("POST", f"{ADMIN}/services/{{service_id}}/verify", json=lambda: {"source": "Oppdiktet telefonsamtale"}),
    Case("GET", f"{ADMIN}/unverified", K),
    Case("GET", f"{ADMIN}/routing", K),
    Case("GET", f"{ADMIN}/routing", national_only=True),
    Case("PUT", f"{ADMIN}/routing", K, json=lambda: [RULE]),
    Case("PUT", f"{ADMIN}/routing", json=lambda: [RULE], national_only=True),
    Case("POST", f"{ADMIN}/routing", K, json=lambda: RULE),
    Case("POST", f"{ADMIN}/routing", json=lambda: RULE, national_only=True),
    Case("PATCH", f"{ADMIN}/routing/{{rule_id}}", json=lambda: {"note": "Oppdiktet merknad"}),
    Case(
        "PATCH",
        f"{ADMIN}/routing/{{rule_id}}",
        json=lambda: {"note": "Oppdiktet"},
        national_only=True,
        target="national",
    ),
    Case("DELETE", f"{ADMIN}/routing/{{rule_id}}"),
    Case("DELETE", f"{ADMIN}/routing/{{rule_id}}", national_only=True, target="national"),
    Case("GET", f"{ADMIN}/absent-doors", K),
    Case("PUT", f"{ADMIN}/absent-doors", K, json=lambda: [ABSENCE]),
    Case("POST", f"{ADMIN}/import", {**K, "dry_run": "true"}, files=_import_file),
    Case("POST", f"{ADMIN}/import", {**K, "dry_run": "false"}, files=_import_file),
    Case(
        "POST",
        f"{ADMIN}/import",
        {**K, "dry_run": "false"},
        files=lambda: _import_file(**INTO_OSLO),
        national_only=True,
        what="into 0301",
    ),
    Case("GET", f"{ADMIN}/export", K),
    Case("GET", f"{ADMIN}/export", {**K, "format": "csv"}),
    Case("GET", f"{ADMIN}/export", national_only=True),
    Case("GET", f"{ADMIN}/audit", K),
]


def registered_admin_routes() -> set[tuple[str, str]]:
    """Every (method, path) the app serves under /api/v1/admin, read from ``app.routes``."""
    found: set[tuple[str, str]] = set()

    def walk(routes: Iterable[Any], prefix: str) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.update((m, prefix + route.path) for m in route.methods if m != "HEAD")
            elif (inner := getattr(route, "original_router", None)) is not None:
                # FastAPI keeps an included router as one entry wrapping the router's own routes.
                walk(inner.routes, prefix + getattr(getattr(route, "include_context", None), "prefix", ""))

    walk(app.routes, "")
    return {(method, path) for method, path in found if path.startswith(ADMIN)}


def test_matrix_covers_every_admin_route() -> None:
    covered = {(case.method, case.route) for case in CASES}
    registered = registered_admin_routes()
    assert registered, "no admin routes found: has the way FastAPI lists routes changed?"
    assert registered == covered


@pytest.fixture
def targets(session: Session) -> dict[str, dict[str, int]]:
    """A service and a routing rule in 9999 and in the national catalogue, by owner."""
    home_service, home_rule = make_service(session, "9999", last_verified="2024-01-15"), make_rule(session, "9999")
    national_service = make_service(session, None, scope="national")
    national_rule = make_rule(session, None, need="skjerm_spill", doors=["ung_no"])
    assert home_service.id and home_rule.id and national_service.id and national_rule.id
    return {
        "home": {"service_id": home_service.id, "rule_id": home_rule.id},
        "national": {"service_id": national_service.id, "rule_id": national_rule.id},
    }


def headers_for(session: Session, identity: str) -> dict[str, str]:
    if identity == "anonymous":
        return {}
    if identity == "national":
        return token_headers(make_maintainer(session, username="nasjonal", municipalities=[], national=True))
    kommune = "9999" if identity == "home" else "0301"
    return token_headers(make_maintainer(session, username=f"vedlikehold-{kommune}", municipalities=[kommune]))


@pytest.mark.parametrize("identity", IDENTITIES)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_admin_route_answers_each_identity_as_specified(
    client: TestClient, session: Session, targets: dict[str, dict[str, int]], case: Case, identity: str
) -> None:
    response = client.request(
        case.method,
        case.route.format(**targets[case.target]),
        params=case.params,
        json=case.json() if case.json else None,
        files=case.files() if case.files else None,
        headers=headers_for(session, identity),
    )
    expected = case.expected(identity)
    if expected == "2xx":
        assert 200 <= response.status_code < 300, response.text
    else:
        assert response.status_code == expected, response.text
