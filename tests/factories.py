"""Readable builders for test data. Everything they make is invented: example services use the fictional
``10 xx xx xx`` phone block, and names say "oppdiktet" (invented)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from service_catalog import catalog
from service_catalog.auth import create_access_token, hash_password
from service_catalog.config import get_settings
from service_catalog.models import Maintainer, MaintainerMunicipality, Municipality, RoutingRule, Service
from service_catalog.models.service import ServiceIn

INVENTED_PASSWORD = "oppdiktet-passord-2026"
# Names for the municipalities tests use; created when the seeded list does not have them.
KNOWN_NAMES = {"9999": "Eksempel kommune", "0301": "Oslo", "9998": "Oppdiktet nabokommune"}


@lru_cache
def _password_hash(password: str) -> str:
    # Password hashing is slow on purpose; one hash per distinct password per run keeps the suite fast.
    return hash_password(password)


def ensure_municipality(session: Session, kommunenummer: str, name: str | None = None) -> Municipality:
    """The municipality, added (as invented example data) when the database lacks it."""
    found = session.get(Municipality, kommunenummer)
    if found is not None:
        return found
    municipality = Municipality(
        kommunenummer=kommunenummer,
        name=name or KNOWN_NAMES.get(kommunenummer, f"Oppdiktet kommune {kommunenummer}"),
        fylke="Oppdiktet fylke",
        example=True,
    )
    session.add(municipality)
    session.flush()
    return municipality


def make_maintainer(
    session: Session,
    username: str = "vedlikeholder",
    municipalities: Sequence[str] = ("9999",),
    national: bool = False,
    password: str = INVENTED_PASSWORD,
) -> Maintainer:
    """A maintainer of these municipalities (or a national one), able to log in with ``password``."""
    for kommune in municipalities:
        ensure_municipality(session, kommune)
    maintainer = Maintainer(username=username, password_hash=_password_hash(password), is_national=national)
    session.add(maintainer)
    session.flush()
    assert maintainer.id is not None
    for kommune in municipalities:
        session.add(MaintainerMunicipality(maintainer_id=maintainer.id, kommunenummer=kommune))
    session.flush()
    return maintainer


def service_data(**overrides: Any) -> dict[str, Any]:
    """The JSON body of an invented helsesykepleier service, with ``overrides`` applied."""
    data: dict[str, Any] = {
        "key": f"oppdiktet-{uuid.uuid4().hex[:10]}",
        "door": "helsesykepleier",
        "name": "Helsesykepleier på Prøveskolen (oppdiktet)",
        "description": "Oppdiktet tjeneste for tester: du kan komme innom uten time.",
        "phone": "10 00 12 34",
        "hours": {day: ["08:00-15:30"] for day in ("mon", "tue", "wed", "thu", "fri")},
        "age_min": 12,
        "age_max": 20,
        "source": "Oppdiktet testdata, ikke en ekte tjeneste",
        "last_verified": date.today().isoformat(),
        "example": True,
    }
    data.update(overrides)
    return data


def make_service(session: Session, kommune: str | None = "9999", **overrides: Any) -> Service:
    """An invented service owned by ``kommune`` (None with ``scope="national"`` for a national one)."""
    if kommune is not None:
        ensure_municipality(session, kommune)
    data = ServiceIn.model_validate(service_data(**overrides))
    return catalog.write_service(session, data, kommunenummer=kommune)


def make_rule(session: Session, kommune: str | None = "9999", **overrides: Any) -> RoutingRule:
    """A routing rule for ``kommune`` (None: national); by default angst_uro -> helsesykepleier, fastlege."""
    if kommune is not None:
        ensure_municipality(session, kommune)
    fields: dict[str, Any] = {"need": "angst_uro", "urgency": "snart", "doors": ["helsesykepleier", "fastlege"]}
    fields.update(overrides)
    rule = RoutingRule(**fields, kommunenummer=kommune)
    session.add(rule)
    session.flush()
    return rule


def auth_headers(client: TestClient, username: str, password: str = INVENTED_PASSWORD) -> dict[str, str]:
    """Log in through the API and return the Authorization header."""
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def token_headers(maintainer: Maintainer) -> dict[str, str]:
    """An Authorization header for the maintainer without a login round trip (for the many-case tests)."""
    return {"Authorization": f"Bearer {create_access_token(maintainer, get_settings())}"}
