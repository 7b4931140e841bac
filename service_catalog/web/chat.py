"""The chat's pages: a sample municipal page with the widget at ``/``, the widget files, the privacy page.

The widget talks to the Rasa REST channel (``/webhooks/rest/webhook``), never to the catalogue. Where that
channel is comes from the settings (``chat_url``), or, when unset, from the host the page was asked for and
``RASA_PORT``: that is what ``make run`` needs (catalogue on :8000, Rasa on :5005 with ``--cors``). Nothing
a visitor types reaches a page except the two choices of the sample page, and those are checked against
fixed patterns. No page sets a cookie.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from service_catalog.config import Settings
from service_catalog.deps import SettingsDep
from service_catalog.web.csp import content_security_policy, origin_of
from service_catalog.web.templating import STATIC_DIR, templates

router = APIRouter(include_in_schema=False)

REST_WEBHOOK_PATH = "/webhooks/rest/webhook"
# A DNS name or IPv4 address, or an IPv6 address in brackets, optionally with a port: nothing else may
# become part of the endpoint the page names (a hostile Host header falls back to the loopback address).
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_HEADER = re.compile(
    rf"^(?P<host>{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]{{2,45}}\])(?::(?P<port>\d{{1,5}}))?$",
)
FALLBACK_HOST = "127.0.0.1"
_KOMMUNE = re.compile(r"^\d{4}$")
Lang = Literal["nb", "nn", "en"]
LANGS: tuple[Lang, ...] = ("nb", "nn", "en")
# Short caching for the widget files: a fix reaches every municipality's page within minutes.
WIDGET_CACHE = "public, max-age=300"
# Municipalities embed the files from their own origin; let pages with COEP load them too.
WIDGET_HEADERS = {"Cache-Control": WIDGET_CACHE, "Cross-Origin-Resource-Policy": "cross-origin"}


def request_host(host_header: str | None) -> str:
    """The host name of a Host header when it is a plain name or address, else the loopback address."""
    match = _HOST_HEADER.match(host_header or "")
    if match is None or len(match.group("host")) > 253:
        return FALLBACK_HOST
    return match.group("host")


def chat_endpoint(settings: Settings, *, scheme: str, host_header: str | None) -> str:
    """The Rasa REST webhook the widget on our pages posts to."""
    if settings.chat_url:
        return settings.chat_url
    scheme = scheme if scheme in {"http", "https"} else "http"
    return f"{scheme}://{request_host(host_header)}:{settings.rasa_port}{REST_WEBHOOK_PATH}"


def _endpoint_for(request: Request, settings: Settings) -> str:
    return chat_endpoint(settings, scheme=request.url.scheme, host_header=request.headers.get("host"))


def _page(request: Request, settings: Settings, name: str, context: dict[str, object]) -> HTMLResponse:
    endpoint = _endpoint_for(request, settings)
    origin = origin_of(endpoint)
    response = templates.TemplateResponse(request, name, {"endpoint": endpoint, **context})
    response.headers["Content-Security-Policy"] = content_security_policy(connect=[origin] if origin else [])
    return response


@router.get("/", response_class=HTMLResponse)
def sample_page(
    *,
    request: Request,
    settings: SettingsDep,
    kommune: Annotated[str | None, Query(max_length=20)] = None,
    lang: Annotated[str | None, Query(max_length=10)] = None,
) -> HTMLResponse:
    """An invented municipality's page with the widget embedded by one script tag."""
    chosen_kommune = kommune if kommune is not None and _KOMMUNE.match(kommune) else settings.demo_kommune
    chosen_lang = lang if lang in LANGS else "nb"
    return _page(
        request,
        settings,
        "chat/sample.html",
        {"kommune": chosen_kommune, "lang": chosen_lang, "exit_url": settings.exit_url},
    )


@router.get("/personvern", response_class=HTMLResponse)
def privacy_page(*, request: Request, settings: SettingsDep) -> HTMLResponse:
    """What the chat keeps, where and for how long, for a 14-year-old."""
    return _page(request, settings, "chat/personvern.html", {})


@router.api_route("/widget.js", methods=["GET", "HEAD"])
def widget_script() -> FileResponse:
    """The widget a municipality embeds: one classic script, built from ``web/widget/`` by ``make widget``."""
    return FileResponse(STATIC_DIR / "widget.js", media_type="text/javascript; charset=utf-8", headers=WIDGET_HEADERS)


@router.api_route("/widget.css", methods=["GET", "HEAD"])
def widget_styles() -> FileResponse:
    """The widget's styles, loaded inside its shadow root."""
    return FileResponse(STATIC_DIR / "widget.css", media_type="text/css; charset=utf-8", headers=WIDGET_HEADERS)
