"""Maintainer authentication: password hashes, signed tokens, login lockout, and the route dependencies.

Passwords are hashed with Argon2id (``argon2-cffi``, OWASP's parameters: 19 MiB, two passes, one lane;
stored in the PHC format ``$argon2id$v=19$m=...``). Hashes of the scrypt scheme used before
(``scrypt$n$r$p$salt$hash``, N=2^14) are still verified, and rewritten as Argon2id at the next successful
login, as are Argon2 hashes with weaker parameters than today's. A login hands out a short-lived JWT (HS256, signed with
``settings.secret_key``) whose ``ver`` claim is a fingerprint of the password hash, so changing the
password ends every token issued before; deactivating the maintainer ends them too, since each
request looks the maintainer up again.

Every refused login answers with the same message and does the same hashing work whether the username
exists, is deactivated, is locked or simply typed the wrong password, so the answer tells an attacker
nothing about which usernames exist.

Lockout is per username *and client address* (:class:`service_catalog.ratelimit.Lockout`): someone who
knows a username can lock it only for the address they try from, never for its owner elsewhere.

CSRF: the admin API is token-based. The token travels in the ``Authorization: Bearer`` header, never
in a cookie, so a browser never attaches it to a request another site makes; the admin API is
therefore not exposed to cross-site request forgery. The browser pages of a later issue, which will
use a session cookie, add CSRF tokens of their own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import argon2
import jwt
from fastapi import Depends, Query
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session, col, select

from service_catalog.config import REPO_ROOT, Settings
from service_catalog.deps import SessionDep, SettingsDep
from service_catalog.errors import CatalogError, Conflict, Forbidden, NotFound, Unauthorized
from service_catalog.models import Maintainer, MaintainerMunicipality, Municipality
from service_catalog.ratelimit import Lockout, login_key

PASSWORD_MIN_LENGTH = 12
# Far above any real password; keeps one login from costing more than one hash of a short text.
PASSWORD_MAX_LENGTH = 1024
# OWASP's Password Storage Cheat Sheet, first Argon2id option: 19 MiB, two passes, one lane (about 30 ms here).
# Cheap enough that the login rate limits, not the hashing, bound what a login costs the server.
_HASHER = argon2.PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=argon2.Type.ID)
# Verifying hashes of the scheme used before Argon2id (N=2^14 needs 16 MiB; the bound refuses absurd rows).
_SCRYPT_MAXMEM = 64 * 1024 * 1024
ALGORITHM = "HS256"
SECRET_KEY_MIN_LENGTH = 32  # HS256 wants a key at least as long as its 256-bit hash
TOKEN_URL = "/api/v1/auth/token"
LOGIN_FAILED = "wrong username or password, or too many failed attempts (wait a while before trying again)"
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,79}$")


class WeakPassword(CatalogError):
    status_code = 422


class InvalidUsername(CatalogError):
    status_code = 422


class MissingSecretKey(RuntimeError):
    """Production was started without VEIVISER_SECRET_KEY."""


# ---------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    """A salted Argon2id hash of the password, in the PHC string format."""
    return _HASHER.hash(password)


def verify_password(password: str, stored: str) -> bool:
    """True when the password matches the stored hash: Argon2, or the scrypt scheme used before."""
    if stored.startswith("scrypt$"):
        return _verify_scrypt(password, stored)
    try:
        return _HASHER.verify(stored, password)
    except argon2.exceptions.VerificationError:
        return False
    except argon2.exceptions.InvalidHashError:
        return False


def needs_rehash(stored: str) -> bool:
    """True when the hash is not Argon2id with today's parameters (checked after a successful login)."""
    if stored.startswith("scrypt$"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except argon2.exceptions.InvalidHashError:
        return True


def _verify_scrypt(password: str, stored: str) -> bool:
    try:
        _kind, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=_SCRYPT_MAXMEM,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def check_password_strength(password: str) -> None:
    """Refuse passwords that are too short (length beats composition rules, NIST SP 800-63B)."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise WeakPassword(f"the password must have at least {PASSWORD_MIN_LENGTH} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise WeakPassword(f"the password may have at most {PASSWORD_MAX_LENGTH} characters")


@lru_cache
def _decoy_hash() -> str:
    # Checked against when there is no usable account, so a refusal costs the same hashing work.
    return hash_password(secrets.token_urlsafe(16))


# ---------------------------------------------------------------- maintainers


def normalise_username(username: str) -> str:
    return username.strip().lower()


def create_maintainer(
    session: Session, username: str, password: str, *, municipalities: list[str], national: bool
) -> Maintainer:
    """Add a maintainer who may edit these municipalities (or everything, when national); flushes, no commit."""
    name = normalise_username(username)
    if not _USERNAME.fullmatch(name):
        raise InvalidUsername("a username has 2 to 80 characters: a-z, 0-9, '.', '_', '@' and '-'")
    check_password_strength(password)
    kommuner = list(dict.fromkeys(k.strip() for k in municipalities))
    if not national and not kommuner:
        raise CatalogError("a maintainer edits at least one kommune (or is national)")
    known = set(
        session.exec(select(Municipality.kommunenummer).where(col(Municipality.kommunenummer).in_(kommuner))).all()
    )
    missing = [k for k in kommuner if k not in known]
    if missing:
        raise NotFound(f"no municipality with number {', '.join(m[:10] for m in missing)}")
    if session.exec(select(Maintainer.id).where(Maintainer.username == name)).first() is not None:
        raise Conflict(f"the username '{name}' is taken")
    maintainer = Maintainer(username=name, password_hash=hash_password(password), is_national=national)
    session.add(maintainer)
    session.flush()
    assert maintainer.id is not None
    for kommune in kommuner:
        session.add(MaintainerMunicipality(maintainer_id=maintainer.id, kommunenummer=kommune))
    session.flush()
    return maintainer


def get_maintainer(session: Session, username: str) -> Maintainer | None:
    return session.exec(select(Maintainer).where(Maintainer.username == normalise_username(username))).first()


def municipalities_of(session: Session, maintainer: Maintainer) -> list[str]:
    """The kommunenummer of every municipality the maintainer was given (national maintainers may have none)."""
    stmt = select(MaintainerMunicipality.kommunenummer).where(MaintainerMunicipality.maintainer_id == maintainer.id)
    return sorted(session.exec(stmt).all())


def may_edit(session: Session, maintainer: Maintainer, kommunenummer: str | None) -> bool:
    """True when the maintainer may change this municipality's data (``None``: the national catalogue)."""
    if maintainer.is_national:
        return True
    if kommunenummer is None:
        return False
    return kommunenummer in municipalities_of(session, maintainer)


# ---------------------------------------------------------------- login and lockout


def _now() -> datetime:
    return datetime.now(UTC)


def authenticate(
    session: Session, username: str, password: str, settings: Settings, *, address: str
) -> Maintainer | None:
    """The maintainer when the login from ``address`` succeeds, else None.

    Failures are counted for the username from this address, and lock that pair only. A successful login
    rewrites an outdated password hash (the caller commits).
    """
    maintainer = get_maintainer(session, username[:200])
    if len(password) > PASSWORD_MAX_LENGTH:
        password = ""  # cannot match; still pays for one hash below
    if maintainer is None or not maintainer.active:
        verify_password(password, _decoy_hash())
        return None
    matches = verify_password(password, maintainer.password_hash)
    lockout, key = Lockout.of(settings), login_key(maintainer.username, address)
    if lockout.locked(key):
        return None  # refused even with the right password until the lock ends
    if not matches:
        lockout.failed(key)
        return None
    lockout.succeeded(key)
    if needs_rehash(maintainer.password_hash):
        maintainer.password_hash = hash_password(password)
        session.add(maintainer)
    return maintainer


# ---------------------------------------------------------------- tokens


def signing_key(settings: Settings) -> str:
    """The key that signs tokens: the configured one, or in dev and test a random one kept in var/."""
    if settings.secret_key is not None:
        key = settings.secret_key.get_secret_value()
        if len(key) < SECRET_KEY_MIN_LENGTH:
            raise MissingSecretKey(f"VEIVISER_SECRET_KEY must have at least {SECRET_KEY_MIN_LENGTH} characters")
        return key
    if settings.environment == "prod":
        raise MissingSecretKey(
            "VEIVISER_SECRET_KEY is not set: production refuses to start without a secret key for maintainer "
            'tokens (make one with: python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )
    return local_secret_key(REPO_ROOT / "var" / "secret_key")


@lru_cache
def local_secret_key(path: Path) -> str:
    """The random key kept in ``path`` (readable by its owner only), made on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two processes start at once, one writes the key and the other reads it.
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(48)
    with os.fdopen(handle, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key


def token_version(maintainer: Maintainer) -> str:
    """A fingerprint of the password hash: a new password makes every older token invalid."""
    return hashlib.sha256(maintainer.password_hash.encode("utf-8")).hexdigest()[:16]


def create_access_token(maintainer: Maintainer, settings: Settings, *, now: datetime | None = None) -> str:
    """A signed token naming the maintainer, valid for ``settings.token_minutes``."""
    issued = now or _now()
    claims: dict[str, Any] = {
        "sub": maintainer.username,
        "iat": issued,
        "exp": issued + timedelta(minutes=settings.token_minutes),
        "ver": token_version(maintainer),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, signing_key(settings), algorithm=ALGORITHM)


def maintainer_from_token(session: Session, token: str, settings: Settings) -> Maintainer:
    """The active maintainer a valid token names, or Unauthorized."""
    try:
        claims = jwt.decode(
            token,
            signing_key(settings),
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "iat", "ver", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("the token has expired; log in again") from None
    except jwt.PyJWTError:
        raise Unauthorized("the token is not valid; log in again") from None
    maintainer = get_maintainer(session, str(claims["sub"]))
    if maintainer is None or not maintainer.active or claims["ver"] != token_version(maintainer):
        raise Unauthorized("the token is no longer valid; log in again")
    return maintainer


# ---------------------------------------------------------------- dependencies

# auto_error=False: a missing token gets our own 401 answer (with WWW-Authenticate: Bearer) from main.py.
_bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


def current_maintainer(
    session: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(_bearer)]
) -> Maintainer:
    """The maintainer the request's bearer token names (401 when missing, invalid or expired)."""
    if not token:
        raise Unauthorized("log in first: this needs a bearer token from " + TOKEN_URL)
    return maintainer_from_token(session, token, settings)


MaintainerDep = Annotated[Maintainer, Depends(current_maintainer)]

KommuneQuery = Annotated[
    str | None,
    Query(pattern=r"^\d{4}$", description="Kommunenummer; leave out for the national catalogue"),
]


def require_editable(session: Session, maintainer: Maintainer, kommunenummer: str | None) -> None:
    """NotFound for an unknown municipality, then Forbidden when it is not the maintainer's."""
    if kommunenummer is not None and session.get(Municipality, kommunenummer) is None:
        raise NotFound(f"no municipality with number {kommunenummer}")
    if not may_edit(session, maintainer, kommunenummer):
        if kommunenummer is None:
            raise Forbidden("only national maintainers edit the national catalogue; give ?kommune= for yours")
        raise Forbidden(f"you do not maintain kommune {kommunenummer}")


def editable_scope(session: SessionDep, maintainer: MaintainerDep, kommune: KommuneQuery = None) -> str | None:
    """The ``kommune`` query parameter when the maintainer may edit it (None: the national catalogue)."""
    require_editable(session, maintainer, kommune)
    return kommune


def editable_kommune(
    session: SessionDep,
    maintainer: MaintainerDep,
    kommune: Annotated[str, Query(pattern=r"^\d{4}$", description="Kommunenummer")],
) -> str:
    """The required ``kommune`` query parameter when the maintainer may edit it."""
    require_editable(session, maintainer, kommune)
    return kommune


def visible_kommuner(session: SessionDep, maintainer: MaintainerDep, kommune: KommuneQuery = None) -> list[str] | None:
    """Whose entries a listing shows: the one asked for, else all of the maintainer's (None: every one)."""
    if kommune is not None:
        require_editable(session, maintainer, kommune)
        return [kommune]
    return None if maintainer.is_national else municipalities_of(session, maintainer)


EditableScope = Annotated[str | None, Depends(editable_scope)]
EditableKommune = Annotated[str, Depends(editable_kommune)]
VisibleKommuner = Annotated[list[str] | None, Depends(visible_kommuner)]
