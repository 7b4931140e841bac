"""``POST /api/v1/feedback`` and ``/feedback/share``: "Var dette til hjelp?" from the chat widget, no login.

The widget runs on municipalities' own sites, so these two endpoints (and only these) answer CORS: the sites
that embed the chat (``VEIVISER_CHAT_ORIGINS``; none by default) may post, never with credentials, and this
catalogue's own pages always may. Posts from any other site are refused (403) and nothing is stored. No cookie
is read or set.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response, status
from fastapi.routing import APIRoute

from service_catalog import feedback, ratelimit
from service_catalog.config import get_settings
from service_catalog.deps import SessionDep, SettingsDep, VocabularyDep
from service_catalog.errors import Forbidden
from service_catalog.models.feedback import FeedbackIn, FeedbackPublic, SharedPublic, ShareIn

PREFLIGHT_MAX_AGE = "600"


def allowed_origin(request: Request) -> str | None:
    """The value for ``Access-Control-Allow-Origin``, or None when the request's origin may not post."""
    origin = request.headers.get("origin")
    allowed = get_settings().chat_origin_list
    if "*" in allowed:
        return "*"
    if origin is None:
        return None
    if (
        origin.rstrip("/").lower() in allowed
        or urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()
    ):
        return origin
    return None


def _cors_headers(request: Request, response: Response) -> None:
    origin = allowed_origin(request)
    if origin is None:
        return
    response.headers["Access-Control-Allow-Origin"] = origin
    if origin != "*":
        response.headers["Vary"] = "Origin"


class CorsRoute(APIRoute):
    """Adds the CORS answer to every response, the error answers (422) included."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                response = await handler(request)
            except Exception as exc:
                answer = _handler_for(request, exc)
                if answer is None:
                    raise
                response = await answer(request, exc)
            _cors_headers(request, response)
            return response

        return handle


def _handler_for(request: Request, exc: Exception) -> Any:
    handlers = request.app.exception_handlers
    for kind in type(exc).__mro__:
        if kind in handlers and kind is not Exception:
            return handlers[kind]
    return None


router = APIRouter(prefix="/api/v1", tags=["feedback"], route_class=CorsRoute)


def _refuse_other_sites(request: Request) -> None:
    # Browsers enforce CORS on the answer; refusing here as well means a disallowed site's post is not stored.
    if request.headers.get("origin") is not None and allowed_origin(request) is None:
        raise Forbidden("this site may not send feedback")


@router.post("/feedback", status_code=status.HTTP_201_CREATED)
def post_feedback(
    *, request: Request, session: SessionDep, settings: SettingsDep, answer: FeedbackIn
) -> FeedbackPublic:
    """Count one answer to "Var dette til hjelp?": the need, the doors shown, yes or no, and the day."""
    _refuse_other_sites(request)
    ratelimit.check_feedback(request, settings)
    row = feedback.record_feedback(session, settings, answer)
    return FeedbackPublic(day=row.day, need=row.need, doors=row.doors, helpful=row.helpful)


@router.post("/feedback/share", status_code=status.HTTP_201_CREATED)
def share(
    *, request: Request, session: SessionDep, settings: SettingsDep, vocabulary: VocabularyDep, shared: ShareIn
) -> SharedPublic:
    """Store a message its writer chose to share, redacted of personal data (422 for urgent needs, crisis words)."""
    _refuse_other_sites(request)
    ratelimit.check_feedback(request, settings)
    row = feedback.share_message(session, settings, vocabulary, shared)
    return SharedPublic(day=row.day, need=row.need, doors=row.doors, helpful=row.helpful, text=row.text)


@router.options("/feedback", include_in_schema=False)
@router.options("/feedback/share", include_in_schema=False)
def preflight(request: Request) -> Response:
    """The CORS preflight: POST with a JSON body, from the allowed origins, without credentials."""
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    if allowed_origin(request) is not None:
        response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response
