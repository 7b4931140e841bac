"""Maintainer pages under ``/admin``: login and logout here, the rest in one module per subject.

- ``session.py``: the session cookie and CSRF tokens; ``rendering.py``: the route class, rendering, scopes.
- ``services.py``: services and the not-verified list; ``routing.py``: the routing table; ``lab.py``: the routing lab;
  ``transfer.py``: import and export; ``audit.py``: the audit log; ``forms.py``: form fields <-> models;
  ``feedback.py``: "Var dette til hjelp?" counts, shared messages and the lab's test cases.

Every write goes through ``service_catalog.maintenance``, the same functions the admin API uses.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from service_catalog.auth import authenticate, create_access_token
from service_catalog.deps import SessionDep, SettingsDep
from service_catalog.ratelimit import TooManyRequests, check_login, client_address
from service_catalog.web.maintainer import audit, feedback, lab, routing, services, transfer
from service_catalog.web.maintainer.rendering import PageRoute, redirect, render
from service_catalog.web.maintainer.session import (
    SESSION_COOKIE,
    CheckedForm,
    CheckedLoginForm,
    LoginRequired,
    SignedInDep,
    end_session,
    login_nonce,
    remember_login_nonce,
    sign,
    signed_in,
    start_session,
)

router = APIRouter(prefix="/admin", include_in_schema=False, route_class=PageRoute)

# One answer for every refused login (wrong password, unknown user, locked, deactivated), as the API gives.
LOGIN_REFUSED = "Feil brukernavn eller passord, eller for mange mislykkede forsøk. Vent litt før du prøver igjen."
LOGIN_TOO_MANY = "For mange innloggingsforsøk. Vent {minutes} minutt(er) før du prøver igjen."
LOGIN_REASONS = {
    "krever": "Logg inn for å se sidene for katalogansvarlige.",
    "utlopt": "Økten din er utløpt. Logg inn igjen.",
    "ugyldig": "Økten din gjelder ikke lenger (for eksempel fordi passordet er endret). Logg inn igjen.",
    "ute": "Du er logget ut.",
}


@router.get("")
def home() -> Response:
    """The service list is the maintainers' start page."""
    return redirect("/services")


@router.get("/login")
def login_page(
    *,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    grunn: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The login form (a signed-in maintainer goes straight to the services)."""
    if request.cookies.get(SESSION_COOKIE):
        try:
            signed_in(request, session, settings)
            return redirect("/services")
        except LoginRequired:
            pass  # an old or broken session: show the form
    return _login_form(request, settings, reason=LOGIN_REASONS.get(grunn))


@router.post("/login")
def login(*, request: Request, session: SessionDep, settings: SettingsDep, form: CheckedLoginForm) -> Response:
    """Check the password with the catalogue's lockout rules and start a session."""
    username = str(form.get("username", ""))[:200]
    password = str(form.get("password", ""))
    try:
        check_login(request, username, settings)
    except TooManyRequests as refused:
        wait = LOGIN_TOO_MANY.format(minutes=max(1, -(-refused.retry_after // 60)))
        response = _login_form(request, settings, error=wait, username=username, status=429)
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    maintainer = authenticate(session, username, password, settings, address=client_address(request))
    session.commit()  # a password hash rewritten with today's parameters
    if maintainer is None:
        return _login_form(request, settings, error=LOGIN_REFUSED, username=username, status=401)
    response = redirect("/services")
    start_session(response, settings, create_access_token(maintainer, settings))
    return response


@router.post("/logout")
def logout(*, settings: SettingsDep, who: SignedInDep, form: CheckedForm) -> Response:
    """End the session in this browser."""
    response = redirect("/login", grunn="ute")
    end_session(response, settings)
    return response


def _login_form(
    request: Request,
    settings: SettingsDep,
    *,
    reason: str | None = None,
    error: str | None = None,
    username: str = "",
    status: int = 200,
) -> Response:
    nonce, fresh = login_nonce(request)
    response = render(
        request,
        "login.html",
        None,
        status=status,
        reason=reason,
        error=error,
        username=username[:80],
        login_token=sign(settings, "login", nonce),
    )
    if fresh:
        remember_login_nonce(response, settings, nonce)
    return response


for module in (services, routing, transfer, audit, feedback, lab):
    router.include_router(module.router)
