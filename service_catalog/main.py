"""The catalogue's FastAPI application: routers, error mapping and the limits every request meets."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from service_catalog.api.routes import admin, auth, docs, feedback, health, hsds, lookups, routing
from service_catalog.auth import signing_key
from service_catalog.config import get_settings
from service_catalog.errors import CatalogError, ImportRejected
from service_catalog.lab.rasa_client import rasa_jwt_secret
from service_catalog.ratelimit import TooManyRequests
from service_catalog.web import chat
from service_catalog.web.maintainer import pages as maintainer_pages
from service_catalog.web.templating import STATIC_DIR

log = logging.getLogger("veiviser.catalogue")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    signing_key(settings)  # production without VEIVISER_SECRET_KEY stops here, with the reason
    if settings.environment == "prod":
        rasa_jwt_secret(settings)  # and without a RASA_JWT_SECRET of at least 32 characters
    yield


def create_app() -> FastAPI:
    """Build the application (settings are read when the first request needs them)."""
    app = FastAPI(
        lifespan=_lifespan,
        title="Veiviser service catalogue",
        version="1.0.0",
        description="The municipal catalogue of low-threshold services for young people, and the routing table "
        "that decides which door answers which need.",
        # /docs and /redoc are our own pages (api/routes/docs.py): pinned files, a CSP, and none in production.
        docs_url=None,
        redoc_url=None,
    )
    for module in (health, lookups, routing, feedback, hsds, auth, admin, docs, chat, maintainer_pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _install_error_handlers(app)
    _install_limits(app)
    return app


def _problem(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": message, **extra})


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ImportRejected)
    async def _import_rejected(_request: Request, exc: ImportRejected) -> JSONResponse:
        problems = [{"line": p.line, "field": p.field, "message": p.message} for p in exc.problems]
        return _problem(exc.status_code, exc.message, problems=problems)

    @app.exception_handler(CatalogError)
    async def _catalog_error(_request: Request, exc: CatalogError) -> JSONResponse:
        response = _problem(exc.status_code, exc.message)
        if exc.status_code == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        if isinstance(exc, TooManyRequests):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Say where and what, never echo the input back (ASVS 16.5.4).
        problems = [
            {"field": ".".join(str(p) for p in err.get("loc", ())), "message": str(err.get("msg", "invalid"))}
            for err in exc.errors()
        ]
        return _problem(422, "the request is not valid", problems=problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = _problem(exc.status_code, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(OperationalError)
    async def _database_unavailable(request: Request, exc: OperationalError) -> JSONResponse:
        # The database restarted or dropped the connection: a transaction that had not committed is gone with
        # it, and the pool checks connections before use (pool_pre_ping), so a retry reaches a fresh one.
        request_id = uuid.uuid4().hex[:12]
        log.warning("database unavailable %s on %s %s: %s", request_id, request.method, request.url.path, exc.orig)
        response = _problem(503, "the database is unavailable just now; try again", request_id=request_id)
        response.headers["Retry-After"] = "2"
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = uuid.uuid4().hex[:12]
        log.error("unhandled error %s on %s %s", request_id, request.method, request.url.path, exc_info=exc)
        return _problem(500, "internal error", request_id=request_id)


def _install_limits(app: FastAPI) -> None:
    @app.middleware("http")
    async def _limits(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # PostgreSQL refuses NUL in text; refuse it at the edge so every backend answers the same clear 400.
        raw = request.scope.get("query_string", b"") + request.scope.get("raw_path", b"")
        if b"%00" in raw or b"\x00" in raw:
            return _problem(400, "the request contains a NUL character")
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            form = await request.body()
            if b"%00" in form or b"\x00" in form:
                return _problem(400, "the request contains a NUL character")
        limit = get_settings().max_body_bytes
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return _problem(413, f"the request body is larger than {limit} bytes")
        if declared is None and request.method in {"POST", "PUT", "PATCH"}:
            body = await request.body()
            if len(body) > limit:
                return _problem(413, f"the request body is larger than {limit} bytes")
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Cache-Control", "no-store")
        return response


app = create_app()
