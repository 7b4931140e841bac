"""The maintainer pages' login session and CSRF protection.

The session is the catalogue's own short-lived JWT (``auth.create_access_token``) in an HttpOnly,
SameSite=Strict cookie with ``Path=/admin``, so the chat pages and the public API never receive it.
Expiry, a changed password and a deactivated maintainer end it exactly as they end an API token.

CSRF: every form carries a token bound to the session, an HMAC of the token's ``jti`` with the signing
key; every POST checks it, and checks that ``Origin`` (or else ``Referer``) names this host when the
browser sends one. The login form, the one form without a session, uses a double-submit token: a
random nonce in a ``Path=/admin`` cookie and its HMAC in the form. SameSite=Strict keeps both cookies
off requests other sites start.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

import jwt
from fastapi import Depends, Request, Response
from starlette.datastructures import FormData

from service_catalog.auth import maintainer_from_token, signing_key
from service_catalog.config import Settings
from service_catalog.deps import SessionDep, SettingsDep
from service_catalog.errors import Forbidden, Unauthorized
from service_catalog.models import Maintainer

SESSION_COOKIE = "veiviser_admin"
LOGIN_COOKIE = "veiviser_login"
COOKIE_PATH = "/admin"
CSRF_FIELD = "csrf_token"
LOGIN_NONCE_SECONDS = 60 * 60


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to the login page, saying why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CsrfRefused(Forbidden):
    """A form was posted without this session's CSRF token, or from another site."""


@dataclass(frozen=True)
class SignedIn:
    """The maintainer a valid session cookie names, and the CSRF token of that session."""

    maintainer: Maintainer
    csrf_token: str


def _mac(settings: Settings, purpose: str, value: str) -> str:
    message = f"{purpose}|{value}".encode()
    return hmac.new(signing_key(settings).encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(settings: Settings, purpose: str, value: str) -> str:
    """An HMAC of ``value`` for one purpose (session CSRF, login CSRF, an import carried to its confirmation)."""
    return _mac(settings, purpose, value)


def signature_matches(settings: Settings, purpose: str, value: str, signature: str) -> bool:
    return hmac.compare_digest(_mac(settings, purpose, value), signature)


# ---------------------------------------------------------------- cookies


def _set_cookie(response: Response, settings: Settings, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def _clear_cookie(response: Response, settings: Settings, name: str) -> None:
    response.delete_cookie(name, path=COOKIE_PATH, secure=settings.secure_cookies, httponly=True, samesite="strict")


def start_session(response: Response, settings: Settings, token: str) -> None:
    """Put the session token in its cookie and forget the login nonce."""
    _set_cookie(response, settings, SESSION_COOKIE, token, settings.token_minutes * 60)
    _clear_cookie(response, settings, LOGIN_COOKIE)


def end_session(response: Response, settings: Settings) -> None:
    _clear_cookie(response, settings, SESSION_COOKIE)


def login_nonce(request: Request) -> tuple[str, bool]:
    """The browser's login nonce, or a fresh one (True: it still has to be set with ``remember_login_nonce``)."""
    nonce = request.cookies.get(LOGIN_COOKIE)
    if nonce and len(nonce) <= 100:
        return nonce, False
    return secrets.token_urlsafe(24), True


def remember_login_nonce(response: Response, settings: Settings, nonce: str) -> None:
    _set_cookie(response, settings, LOGIN_COOKIE, nonce, LOGIN_NONCE_SECONDS)


# ---------------------------------------------------------------- checks


def check_same_origin(request: Request) -> None:
    """Refuse a POST whose Origin (or, without it, Referer) is another site; browsers send one of them."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is None:
        return
    host = request.headers.get("host", "")
    if claimed == "null" or urlsplit(claimed).netloc.lower() != host.lower():
        raise CsrfRefused("the form was sent from another site")


def _session_claims_jti(token: str) -> str:
    # Only called after maintainer_from_token has checked the signature and expiry.
    claims = jwt.decode(token, options={"verify_signature": False})
    return str(claims["jti"])


def signed_in(request: Request, session: SessionDep, settings: SettingsDep) -> SignedIn:
    """The maintainer of the session cookie (LoginRequired when missing, expired or no longer valid)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequired("krever")
    try:
        maintainer = maintainer_from_token(session, token, settings)
    except Unauthorized as refused:
        raise LoginRequired("utlopt" if "expired" in refused.message else "ugyldig") from None
    return SignedIn(maintainer=maintainer, csrf_token=sign(settings, "csrf", _session_claims_jti(token)))


SignedInDep = Annotated[SignedIn, Depends(signed_in)]


async def checked_form(request: Request, who: SignedInDep, settings: SettingsDep) -> FormData:
    """The posted form, once its origin and this session's CSRF token are checked (403 otherwise)."""
    check_same_origin(request)
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not hmac.compare_digest(sent, who.csrf_token):
        raise CsrfRefused("the form's security token is missing or wrong")
    return form


async def checked_login_form(request: Request, settings: SettingsDep) -> FormData:
    """The posted login form, once its origin and double-submit token are checked (403 otherwise)."""
    check_same_origin(request)
    form = await request.form()
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    sent = form.get(CSRF_FIELD)
    if not nonce or not isinstance(sent, str) or not signature_matches(settings, "login", nonce, sent):
        raise CsrfRefused("the login form's security token is missing or wrong")
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]
CheckedLoginForm = Annotated[FormData, Depends(checked_login_form)]
