"""What every maintainer page shares: the route class that turns errors into pages, rendering, and scopes.

``PageRoute`` wraps each page: a missing or expired session becomes a redirect to the login page, a
refused request (not found, not yours, a wrong CSRF token) becomes an HTML error page with the right
status, and every answer gets the Content-Security-Policy and ``Cache-Control: no-store``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from sqlmodel import Session, col, select

from service_catalog.auth import municipalities_of, require_editable
from service_catalog.config import get_settings
from service_catalog.errors import CatalogError, NotFound
from service_catalog.models import Maintainer, Municipality
from service_catalog.web.csp import content_security_policy
from service_catalog.web.maintainer.session import COOKIE_PATH, CsrfRefused, LoginRequired, SignedIn, end_session
from service_catalog.web.templating import templates

log = logging.getLogger("veiviser.catalogue.pages")

NATIONAL = "nasjonal"  # the form value that stands for the national catalogue
# Fixed texts for the message a page shows after a redirect; the query string never carries text itself.
NOTICES = {
    "lagret": "Endringene er lagret.",
    "opprettet": "Tjenesten er opprettet.",
    "deaktivert": "Tjenesten er deaktivert. Den vises ikke lenger i chatten.",
    "gjenopprettet": "Tjenesten er gjenopprettet.",
    "kontrollert": "Tjenesten er markert som kontrollert i dag.",
    "regel-lagret": "Regelen er lagret.",
    "regel-slettet": "Regelen er slettet.",
    "importert": "Importen er gjennomført.",
}
# Fixed texts for a refusal shown after a redirect.
PROBLEMS = {
    "kilde-ugyldig": "Kilden kan ikke brukes: skriv minst 3 tegn vanlig tekst. Ingenting er endret.",
}
ERROR_TITLES = {
    400: "Forespørselen kan ikke brukes",
    403: "Du har ikke tilgang",
    404: "Fant ikke siden",
    409: "Konflikt",
    422: "Kan ikke lagres",
}
ERROR_TEXTS = {
    403: "Du kan bare se og endre tjenestene i kommunene du har ansvar for.",
    404: "Det du ba om finnes ikke, eller du har ikke tilgang til det.",
}
CSRF_TEXT = (
    "Skjemaet manglet sikkerhetsnøkkelen, eller det ble sendt fra et annet nettsted. Ingenting er endret. "
    "Gå tilbake, last siden på nytt og prøv igjen."
)
LOGIN_REASONS = {"krever", "utlopt", "ugyldig", "ute"}


def _page_headers(response: Response) -> None:
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["Cache-Control"] = "no-store"
    # Under "no-referrer" a browser sends "Origin: null" with our own forms; "same-origin" lets the CSRF
    # origin check see this site's origin while still sending nothing to other sites.
    response.headers["Referrer-Policy"] = "same-origin"


def login_redirect(reason: str) -> RedirectResponse:
    """Back to the login page with a reason it explains, and without the old session cookie."""
    response = RedirectResponse(f"{COOKIE_PATH}/login?{urlencode({'grunn': reason})}", status_code=303)
    end_session(response, get_settings())
    return response


def error_page(request: Request, status: int, text: str | None = None) -> HTMLResponse:
    """A plain page that says what went wrong, never echoing the request."""
    title = ERROR_TITLES.get(status, "Noe gikk galt")
    context = {"title": title, "text": text or ERROR_TEXTS.get(status, "Ingenting er endret."), "who": None}
    return templates.TemplateResponse(request, "admin/error.html", context, status_code=status)


class PageRoute(APIRoute):
    """A maintainer page: errors become pages or the login redirect, and every answer gets the page headers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            response: Response
            try:
                response = await handler(request)
            except LoginRequired as needed:
                response = login_redirect(needed.reason)
            except CsrfRefused:
                response = error_page(request, 403, CSRF_TEXT)
            except CatalogError as refused:
                response = error_page(request, refused.status_code)
            except RequestValidationError:
                response = error_page(request, 400, "Adressen eller skjemaet har verdier siden ikke kan bruke.")
            _page_headers(response)
            return response

        return handle


def render(request: Request, template: str, who: SignedIn | None, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a template under templates/admin/ with the session's maintainer and CSRF token."""
    said = request.query_params.get("melding", "")
    values = {"who": who, "notice": NOTICES.get(said), "problem": PROBLEMS.get(said), **context}
    return templates.TemplateResponse(request, f"admin/{template}", values, status_code=status)


def redirect(path: str, notice: str | None = None, **params: str) -> RedirectResponse:
    """Post-redirect-get: 303 to a page under /admin, with a fixed notice."""
    query = {**params, **({"melding": notice} if notice else {})}
    return RedirectResponse(f"{COOKIE_PATH}{path}" + (f"?{urlencode(query)}" if query else ""), status_code=303)


# ---------------------------------------------------------------- scopes


@dataclass(frozen=True)
class ScopeOption:
    """A catalogue a maintainer may choose: a kommune, or the national one (value ``nasjonal``)."""

    value: str
    label: str


def scope_options(session: Session, maintainer: Maintainer) -> list[ScopeOption]:
    """The catalogues the maintainer edits: their kommuner, and for national maintainers all of them."""
    stmt = select(Municipality).order_by(col(Municipality.kommunenummer))
    if not maintainer.is_national:
        stmt = stmt.where(col(Municipality.kommunenummer).in_(municipalities_of(session, maintainer)))
    options = [ScopeOption(m.kommunenummer, f"{m.kommunenummer} {m.name}") for m in session.exec(stmt)]
    if maintainer.is_national:
        options.insert(0, ScopeOption(NATIONAL, "Nasjonal katalog"))
    return options


def chosen_scope(session: Session, maintainer: Maintainer, value: str | None) -> str | None:
    """The kommune a form or address chose (None: the national catalogue), when the maintainer edits it."""
    if not value:
        options = scope_options(session, maintainer)
        if not options:
            raise NotFound("the maintainer edits no catalogue")
        value = options[0].value
    if value == NATIONAL:
        require_editable(session, maintainer, None)
        return None
    if not (len(value) == 4 and value.isascii() and value.isdigit()):
        raise NotFound("not a kommunenummer")
    require_editable(session, maintainer, value)
    return value


def scope_value(kommune: str | None) -> str:
    """The form value of a scope."""
    return NATIONAL if kommune is None else kommune


def municipality_names(session: Session) -> dict[str, str]:
    """Every kommunenummer with its name, for tables."""
    return {m.kommunenummer: m.name for m in session.exec(select(Municipality))}
