"""Maintainer authentication: password hashes, login and lockout, tokens, and the refusal to run unsafely."""

from __future__ import annotations

import base64
import hashlib
import stat
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import argon2
import jwt
import pytest
from factories import INVENTED_PASSWORD, auth_headers, make_maintainer, token_headers
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlmodel import Session, select

from service_catalog import auth
from service_catalog.config import Settings, get_settings
from service_catalog.errors import CatalogError, Conflict, NotFound
from service_catalog.main import app, create_app
from service_catalog.models import Maintainer, MaintainerMunicipality
from service_catalog.ratelimit import MemoryCounter, get_counter

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"


def login(client: TestClient, username: str, password: str = INVENTED_PASSWORD):
    return client.post(TOKEN_URL, data={"username": username, "password": password})


@pytest.fixture
def strict_lockout(client: TestClient) -> Iterator[Settings]:
    """Settings with a lockout after two failures, used by the app for this test."""
    settings = get_settings().model_copy(update={"login_max_failures": 2, "login_lockout_minutes": 5})
    app.dependency_overrides[get_settings] = lambda: settings
    yield settings
    app.dependency_overrides.pop(get_settings, None)


# ---------------------------------------------------------------- passwords


def test_hash_password_verifies_the_same_password_only() -> None:
    stored = auth.hash_password("korrekt hest batteri stift")
    assert auth.verify_password("korrekt hest batteri stift", stored)
    assert not auth.verify_password("korrekt hest batteri stifT", stored)


def test_hash_password_uses_a_fresh_salt_each_time() -> None:
    first, second = auth.hash_password("samme passord her"), auth.hash_password("samme passord her")
    assert first != second


def test_hash_password_is_argon2id_at_least_as_strong_as_owasp_asks() -> None:
    # OWASP Password Storage Cheat Sheet: Argon2id with at least 19 MiB of memory and 2 iterations.
    parameters = argon2.extract_parameters(auth.hash_password("korrekt hest batteri stift"))
    assert parameters.type is argon2.Type.ID
    assert parameters.memory_cost >= 19 * 1024 and parameters.time_cost >= 2


def _legacy_scrypt_hash(password: str) -> str:
    """A hash as Veiviser wrote them before Argon2id: scrypt$n$r$p$salt$hash with N=2^14."""
    salt = b"oppdiktet-salt16"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return "$".join(["scrypt", "16384", "8", "1", base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


def test_verify_password_still_accepts_a_legacy_scrypt_hash() -> None:
    stored = _legacy_scrypt_hash(INVENTED_PASSWORD)
    assert auth.verify_password(INVENTED_PASSWORD, stored)
    assert not auth.verify_password("et annet passord", stored)


@pytest.fixture
def legacy_kari(session: Session) -> Maintainer:
    """A maintainer whose password hash is still the scrypt one of before."""
    maintainer = make_maintainer(session, username="kari")
    maintainer.password_hash = _legacy_scrypt_hash(INVENTED_PASSWORD)
    session.add(maintainer)
    session.flush()
    return maintainer


def test_login_with_a_legacy_scrypt_hash_rehashes_it_as_argon2id(
    client: TestClient, session: Session, legacy_kari: Maintainer
) -> None:
    assert login(client, "kari").status_code == 200
    session.refresh(legacy_kari)
    assert argon2.extract_parameters(legacy_kari.password_hash).type is argon2.Type.ID
    assert login(client, "kari").status_code == 200  # the new hash holds the same password


def test_login_with_a_wrong_password_keeps_the_legacy_hash(
    client: TestClient, session: Session, legacy_kari: Maintainer
) -> None:
    legacy = legacy_kari.password_hash
    assert login(client, "kari", "feil passord igjen").status_code == 401
    session.refresh(legacy_kari)
    assert legacy_kari.password_hash == legacy


@pytest.mark.parametrize(
    "stored", ["", "plain-text", "bcrypt$1$2$3$4$5", "scrypt$x$8$1$AAAA$AAAA", "scrypt$16384$8$1$!$!"]
)
def test_verify_password_malformed_hash_is_false(stored: str) -> None:
    assert auth.verify_password("what ever it is", stored) is False


def test_create_maintainer_short_password_is_refused(session: Session) -> None:
    with pytest.raises(auth.WeakPassword, match="at least 12"):
        auth.create_maintainer(session, "kortpassord", "elleve tegn", municipalities=["9999"], national=False)


def test_create_maintainer_unknown_kommune_is_refused(session: Session) -> None:
    with pytest.raises(NotFound, match="0000"):
        auth.create_maintainer(session, "ukjent", INVENTED_PASSWORD, municipalities=["0000"], national=False)


def test_create_maintainer_taken_username_is_conflict(session: Session) -> None:
    make_maintainer(session, username="opptatt")
    with pytest.raises(Conflict):
        auth.create_maintainer(session, "Opptatt", INVENTED_PASSWORD, municipalities=["9999"], national=False)


def test_create_maintainer_without_kommune_or_national_is_refused(session: Session) -> None:
    with pytest.raises(CatalogError, match="at least one kommune"):
        auth.create_maintainer(session, "ingensteds", INVENTED_PASSWORD, municipalities=[], national=False)


def test_create_maintainer_stores_a_hash_and_the_municipalities(session: Session) -> None:
    created = auth.create_maintainer(session, "Ny.Person", INVENTED_PASSWORD, municipalities=["9999"], national=False)
    rows = session.exec(select(MaintainerMunicipality).where(MaintainerMunicipality.maintainer_id == created.id)).all()
    assert created.username == "ny.person"
    assert INVENTED_PASSWORD not in created.password_hash and auth.verify_password(
        INVENTED_PASSWORD, created.password_hash
    )
    assert [r.kommunenummer for r in rows] == ["9999"]


# ---------------------------------------------------------------- login and lockout


def test_login_correct_password_returns_bearer_token(client: TestClient, session: Session) -> None:
    make_maintainer(session, username="kari")
    response = login(client, "kari")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == get_settings().token_minutes * 60
    assert jwt.decode(body["access_token"], options={"verify_signature": False})["sub"] == "kari"


def test_login_wrong_password_is_401(client: TestClient, session: Session) -> None:
    make_maintainer(session, username="kari")
    response = login(client, "kari", "feil passord igjen")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_login_unknown_user_answers_like_a_wrong_password(client: TestClient, session: Session) -> None:
    make_maintainer(session, username="kari")
    wrong_password = login(client, "kari", "feil passord igjen")
    unknown_user = login(client, "finnes-ikke", "feil passord igjen")
    assert (unknown_user.status_code, unknown_user.json()) == (wrong_password.status_code, wrong_password.json())


def test_login_fewer_failures_than_the_limit_do_not_lock(
    client: TestClient, session: Session, strict_lockout: Settings
) -> None:
    make_maintainer(session, username="kari")
    for _ in range(strict_lockout.login_max_failures - 1):
        login(client, "kari", "feil passord igjen")
    assert login(client, "kari").status_code == 200


def test_login_after_max_failures_is_refused_even_with_the_right_password(
    client: TestClient, session: Session, strict_lockout: Settings
) -> None:
    make_maintainer(session, username="kari")
    for _ in range(strict_lockout.login_max_failures):
        assert login(client, "kari", "feil passord igjen").status_code == 401
    assert login(client, "kari").status_code == 401


def test_login_locked_account_answers_like_an_unknown_user(
    client: TestClient, session: Session, strict_lockout: Settings
) -> None:
    make_maintainer(session, username="kari")
    for _ in range(strict_lockout.login_max_failures):
        login(client, "kari", "feil passord igjen")
    locked = login(client, "kari")
    unknown = login(client, "finnes-ikke")
    assert (locked.status_code, locked.json()) == (unknown.status_code, unknown.json())


def test_login_after_the_lockout_period_succeeds(
    client: TestClient, session: Session, strict_lockout: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_maintainer(session, username="kari")
    for _ in range(strict_lockout.login_max_failures):
        login(client, "kari", "feil passord igjen")
    counter = get_counter()
    assert isinstance(counter, MemoryCounter)
    later = time.monotonic() + strict_lockout.login_lockout_minutes * 60 + 1  # the lockout period has passed
    monkeypatch.setattr(counter, "clock", lambda: later)
    assert login(client, "kari").status_code == 200


ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"  # documentation addresses (RFC 5737)


@pytest.fixture
def from_address(client: TestClient) -> Callable[[str], TestClient]:
    """A client of the same app whose requests come from the given address (the app's overrides apply)."""
    return lambda address: TestClient(app, client=(address, 50000))


def test_login_locked_out_from_one_address_still_succeeds_from_another(
    session: Session, strict_lockout: Settings, from_address: Callable[[str], TestClient]
) -> None:
    make_maintainer(session, username="kari")
    attacker, owner = from_address(ATTACKER), from_address(OWNER)
    for _ in range(strict_lockout.login_max_failures):
        assert login(attacker, "kari", "feil passord igjen").status_code == 401
    assert login(attacker, "kari").status_code == 401  # locked where the failures came from
    assert login(owner, "kari").status_code == 200


def test_login_past_the_username_limit_from_one_address_still_succeeds_from_another(
    session: Session, from_address: Callable[[str], TestClient]
) -> None:
    make_maintainer(session, username="kari")
    attacker, owner = from_address(ATTACKER), from_address(OWNER)
    answers = [login(attacker, "kari", "feil passord igjen").status_code for _ in range(11)]
    assert answers[-1] == 429  # the per-username limit (10 in 300 s) holds for the attacker's address
    assert login(owner, "kari").status_code == 200


def test_login_success_resets_the_failure_count(client: TestClient, session: Session, strict_lockout: Settings) -> None:
    make_maintainer(session, username="kari")
    for _ in range(2):
        for _ in range(strict_lockout.login_max_failures - 1):
            login(client, "kari", "feil passord igjen")
        assert login(client, "kari").status_code == 200


def test_login_deactivated_maintainer_is_401(client: TestClient, session: Session) -> None:
    maintainer = make_maintainer(session, username="kari")
    maintainer.active = False
    session.add(maintainer)
    session.flush()
    assert login(client, "kari").status_code == 401


def test_login_without_form_fields_is_422(client: TestClient) -> None:
    assert client.post(TOKEN_URL, data={}).status_code == 422


# ---------------------------------------------------------------- tokens


def test_me_returns_username_and_municipalities(client: TestClient, session: Session) -> None:
    make_maintainer(session, username="kari", municipalities=["9999"])
    response = client.get(ME_URL, headers=auth_headers(client, "kari"))
    assert response.status_code == 200
    assert response.json() == {"username": "kari", "is_national": False, "municipalities": ["9999"]}


def test_me_without_token_is_401_with_bearer_challenge(client: TestClient) -> None:
    response = client.get(ME_URL)
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


def test_me_expired_token_is_401(client: TestClient, session: Session) -> None:
    maintainer = make_maintainer(session, username="kari")
    settings = get_settings()
    token = auth.create_access_token(maintainer, settings, now=datetime.now(UTC) - timedelta(hours=25))
    response = client.get(ME_URL, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_me_tampered_token_is_401(client: TestClient, session: Session) -> None:
    make_maintainer(session, username="kari")
    make_maintainer(session, username="nasjonal", municipalities=[], national=True)
    header, payload, signature = auth_headers(client, "kari")["Authorization"].removeprefix("Bearer ").split(".")
    claims = jwt.decode(f"{header}.{payload}.{signature}", options={"verify_signature": False})
    forged_payload = jwt.encode({**claims, "sub": "nasjonal"}, "x" * 32, algorithm="HS256").split(".")[1]
    response = client.get(ME_URL, headers={"Authorization": f"Bearer {header}.{forged_payload}.{signature}"})
    assert response.status_code == 401


def test_me_token_signed_with_another_key_is_401(client: TestClient, session: Session) -> None:
    maintainer = make_maintainer(session, username="kari")
    other = get_settings().model_copy(update={"secret_key": SecretStr("en-annen-hemmelig-nokkel-" + "x" * 20)})
    token = auth.create_access_token(maintainer, other)
    assert client.get(ME_URL, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_me_unsigned_token_is_401(client: TestClient, session: Session) -> None:
    make_maintainer(session, username="kari")
    now = datetime.now(UTC)
    claims = {"sub": "kari", "iat": now, "exp": now + timedelta(minutes=5), "ver": "x", "jti": "y"}
    token = jwt.encode(claims, None, algorithm="none")
    assert client.get(ME_URL, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_me_token_of_a_deactivated_maintainer_is_401(client: TestClient, session: Session) -> None:
    maintainer = make_maintainer(session, username="kari")
    headers = token_headers(maintainer)
    maintainer.active = False
    session.add(maintainer)
    session.flush()
    assert client.get(ME_URL, headers=headers).status_code == 401


def test_me_token_issued_before_a_password_change_is_401(client: TestClient, session: Session) -> None:
    maintainer = make_maintainer(session, username="kari")
    headers = token_headers(maintainer)
    maintainer.password_hash = auth.hash_password("et helt nytt passord")
    session.add(maintainer)
    session.flush()
    assert client.get(ME_URL, headers=headers).status_code == 401


def test_me_token_for_a_deleted_username_is_401(client: TestClient, session: Session) -> None:
    headers = token_headers(Maintainer(username="borte", password_hash="scrypt$1$1$1$AA$AA"))
    assert client.get(ME_URL, headers=headers).status_code == 401


# ---------------------------------------------------------------- the signing key


def test_signing_key_in_prod_without_a_secret_refuses() -> None:
    with pytest.raises(auth.MissingSecretKey, match="VEIVISER_SECRET_KEY"):
        auth.signing_key(Settings(environment="prod", secret_key=None))


def test_app_in_prod_without_a_secret_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VEIVISER_ENVIRONMENT", "prod")
    monkeypatch.delenv("VEIVISER_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(auth.MissingSecretKey), TestClient(create_app()):
            pass
    finally:
        get_settings.cache_clear()


def test_signing_key_too_short_is_refused() -> None:
    with pytest.raises(auth.MissingSecretKey, match="at least 32"):
        auth.signing_key(Settings(environment="prod", secret_key=SecretStr("kort")))


def test_signing_key_configured_is_used_as_given() -> None:
    key = "k" * 40
    assert auth.signing_key(Settings(environment="prod", secret_key=SecretStr(key))) == key


def test_local_secret_key_is_made_once_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret_key"
    first = auth.local_secret_key(path)
    auth.local_secret_key.cache_clear()
    second = auth.local_secret_key(path)
    assert first == second and len(first) >= auth.SECRET_KEY_MIN_LENGTH
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
