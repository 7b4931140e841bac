"""Malformed action calls get a 400 before rasa-sdk's webhook sees them (issue 6, faults).

rasa-sdk 3.6 answers a body that is a JSON list, a call without a tracker or a tracker without ``sender_id``
with a 500 (its webhook indexes into the body unchecked). Only Rasa talks to the action server, but a fault in
between should still get a clear 4xx and leave the process serving. The check is the shape rasa-sdk reads
(``ActionCall`` below); the actions themselves never see a request that fails it.

``rasa run actions --actions actions`` creates its Sanic app, then imports this package, whose ``__init__``
calls ``install_on_running_server()``: the guard is added as request middleware of that app. Imported anywhere
else (tests, tools), there is no such app and nothing happens.
"""

from __future__ import annotations

import json
import logging
import zlib
from typing import Any

from pydantic import BaseModel, ValidationError, root_validator
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

RASA_SDK_APP = "rasa_sdk"


class TrackerState(BaseModel):
    """The tracker as rasa-sdk's ``Tracker.from_dict`` reads it."""

    sender_id: str
    slots: dict[str, Any] = {}
    latest_message: dict[str, Any] | None = None
    events: list[dict[str, Any]] = []
    paused: bool = False
    followup_action: str | None = None
    active_loop: dict[str, Any] | None = None
    latest_action_name: str | None = None


class ActionCall(BaseModel):
    """The body of ``POST /webhook`` as rasa-sdk's executor reads it."""

    next_action: str | None = None
    sender_id: str | None = None
    tracker: TrackerState | None = None
    domain: dict[str, Any] = {}
    version: str | None = None

    @root_validator(skip_on_failure=True)
    def _an_action_needs_a_tracker(cls, values: dict[str, Any]) -> dict[str, Any]:  # noqa: N805 - pydantic
        if values.get("next_action") and values.get("tracker") is None:
            raise ValueError("an action call needs a tracker")
        return values


def problem(body: bytes, content_encoding: str | None) -> str | None:
    """What is wrong with an action call body, or None when rasa-sdk can run it."""
    if content_encoding == "deflate":
        try:
            body = zlib.decompress(body)
        except zlib.error:
            return "the body is not deflate data"
    try:
        call = json.loads(body) if body else None
    except ValueError:
        return "the body is not JSON"
    if not isinstance(call, dict):
        return "the body is not a JSON object"
    try:
        ActionCall.parse_obj(call)
    except ValidationError as error:
        # Field names and messages only: pydantic v1 does not echo the values, which may carry what was typed.
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return None


async def guard(request: Request) -> HTTPResponse | None:
    """Request middleware: 400 with the reason for a malformed ``POST /webhook``, else pass."""
    if request.method != "POST" or request.path.rstrip("/") != "/webhook":
        return None
    reason = problem(request.body, request.headers.get("Content-Encoding"))
    if reason is None:
        return None
    logger.warning("Refused a malformed action call: %s", reason)
    return response.json({"error": f"Invalid body request: {reason}"}, status=400)


def install(app: Sanic) -> None:
    """Put ``guard`` in front of the app's routes."""
    app.register_middleware(guard, "request")


def install_on_running_server() -> None:
    """Install the guard on rasa-sdk's app when this package is being loaded by ``rasa run actions``."""
    try:
        app = Sanic.get_app(RASA_SDK_APP)
    except SanicException:
        return
    install(app)
