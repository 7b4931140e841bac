"""The REST chat channel with a length cap and rate limits (issue 6, security).

``GuardedRestInput`` is Rasa's ``RestInput`` (same name "rest", same URL ``/webhooks/rest/webhook``) with a
check in front of the webhook:

1. More than ``VEIVISER_RATE_PER_SENDER`` messages (20) from one sender, or ``VEIVISER_RATE_PER_ADDRESS``
   (300: a school class behind one address) from one client address, within ``VEIVISER_RATE_WINDOW_SECONDS``
   (60): HTTP 429 with a JSON body whose text still names 113, and a Retry-After header.
2. A message longer than ``VEIVISER_MAX_MESSAGE_CHARS`` (1000): a friendly answer naming 113, in the
   channel's usual reply shape; the message never reaches the model or the tracker store.
3. A request Rasa's channel would answer with a 500 or an empty list (a body that is not a JSON object, no text
   message, no sender or a sender longer than the tracker store's column, metadata that is not an object):
   HTTP 400 with a text that names 113. Lone surrogates in the text (which cannot be stored as UTF-8) become
   "?" before Rasa reads the message.

4. Only the metadata Veiviser reads is kept (``allowed_metadata``): ``kommune`` (a four-digit kommunenummer,
   actions/dialogue.py ``metadata_kommune``), ``alder`` (a whole number of years, 1 to 120; the routing lab
   sends it, ``metadata_age``) and ``cards`` (``true``: the web chat shows the doors as cards,
   actions/doors.py ``shows_cards``). Any other key or form is dropped before the model and the tracker
   store; so are ``model_id`` and ``assistant_id``, which Rasa then sets itself. The input channel is always
   "rest", whatever the request names.
5. The message's text never reaches a log: the handler is Veiviser's own (Rasa's logs the whole text at ERROR
   when its request is cancelled or fails), and ``log_privacy`` withholds the text of every message in flight
   from every log record of the process. A request cancelled before the reply (the client left, or Sanic's
   response timeout) is logged without its text and stays cancelled; one whose handling raises is logged with
   the exception's type and place only, and answered with what was said so far and a line naming 113.
   Rasa's ``?stream=true`` variant of the webhook is not offered: every answer is one JSON list.

Counts are fixed windows, kept in memory per process, or in Redis when ``REDIS_URL`` is set so that several
Rasa instances share them. Redis keys hold a hash of the sender or address, never the value itself.
Requests signed for the routing lab (``Authorization: Bearer`` with a token signed by ``RASA_JWT_SECRET``, role
admin, as for Rasa's HTTP API) are not counted: a helper's test set of hundreds of messages is not a flood.
The client address is Sanic's ``remote_addr`` (from forwarding headers when Sanic is configured to trust a
proxy) or else the peer address.

credentials.yml::

    channels.GuardedRestInput:
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import os
import re
import time
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import log_privacy
import rasa_patches
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

TOO_LONG_TEXT = "Meldingen er for lang for meg. Skriv den gjerne kortere. Haster det? Ring 113."
INVALID_TEXT = "Meldingen kom ikke fram som den skulle. Prøv å skrive den på nytt. Haster det? Ring 113."
# Rasa's SQL tracker store keeps the sender in a VARCHAR(255); the widget's ids are 32 characters.
MAX_SENDER_CHARS = 128
FAILED_TEXT = "Noe gikk galt hos meg, så jeg fikk ikke svart deg. Prøv igjen om litt. Haster det? Ring 113."
TOO_MANY_TEXT = (
    "Du har sendt mange meldinger på kort tid. Vent litt før du skriver igjen. "
    "Haster det? Ring 113. Vil du snakke med noen nå, ring Mental Helse Hjelpetelefonen på 116 123."
)


def _signed_by_the_lab(request: Request) -> bool:
    """True when the request carries a token Rasa's own HTTP API would accept as admin (the routing lab)."""
    secret = os.environ.get("RASA_JWT_SECRET", "")
    header = request.headers.get("authorization", "")
    if not secret or not header.lower().startswith("bearer "):
        return False
    try:
        # A lab token without an expiry could skip the limits forever once leaked (bot/run_rasa.py refuses it too).
        claims = jwt.decode(header[7:].strip(), secret, algorithms=["HS256"], options={"require": ["exp"]})
    except jwt.PyJWTError:
        return False
    user = claims.get("user")
    return isinstance(user, dict) and user.get("role") == "admin"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from error
    if value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value


@dataclass(frozen=True)
class ChannelSettings:
    """Limits of the chat channel, read from the environment once when the channel is created."""

    per_sender: int = 20
    # A school class shares one address: 30 pupils writing ten messages a minute each must get through.
    per_address: int = 300
    window_seconds: int = 60
    max_chars: int = 1000
    redis_url: str | None = None

    @classmethod
    def from_env(cls) -> ChannelSettings:
        """Settings from VEIVISER_RATE_* / VEIVISER_MAX_MESSAGE_CHARS / REDIS_URL, with the defaults above."""
        return cls(
            per_sender=_env_int("VEIVISER_RATE_PER_SENDER", cls.per_sender),
            per_address=_env_int("VEIVISER_RATE_PER_ADDRESS", cls.per_address),
            window_seconds=_env_int("VEIVISER_RATE_WINDOW_SECONDS", cls.window_seconds),
            max_chars=_env_int("VEIVISER_MAX_MESSAGE_CHARS", cls.max_chars),
            redis_url=os.environ.get("REDIS_URL") or None,
        )


class MemoryCounter:
    """Fixed-window counts in this process."""

    def __init__(self) -> None:
        """Empty counts."""
        self._counts: dict[str, int] = {}
        self._window: int | None = None

    async def hit(self, key: str, window: int) -> int:
        """Count one request for ``key`` in the current window ``window``; returns the count so far."""
        if window != self._window:  # a new window: old counts can go
            self._counts.clear()
            self._window = window
        self._counts[key] = self._counts.get(key, 0) + 1
        return self._counts[key]


class RedisCounter:
    """Fixed-window counts in Redis, shared by every Rasa instance that uses the same Redis."""

    def __init__(self, url: str, window_seconds: int) -> None:
        """Connect lazily to ``url``."""
        import redis.asyncio

        self._redis = redis.asyncio.Redis.from_url(url)
        self._ttl = 2 * window_seconds

    async def hit(self, key: str, window: int) -> int:
        """INCR the key of this window (expiring after two windows); returns the count so far."""
        name = f"veiviser:rate:{key}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, self._ttl)
            count, _ = await pipe.execute()
        return int(count)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


class RateLimiter:
    """Per sender and per address limits over fixed windows."""

    def __init__(self, settings: ChannelSettings, clock: Callable[[], float] = time.time) -> None:
        """Memory counts, or Redis counts when ``settings.redis_url`` is set."""
        self.settings = settings
        self._clock = clock
        self._counter: MemoryCounter | RedisCounter = (
            RedisCounter(settings.redis_url, settings.window_seconds) if settings.redis_url else MemoryCounter()
        )

    async def retry_after(self, sender: str | None, address: str | None) -> int:
        """0 when the request may pass, else the seconds until the window ends."""
        now = self._clock()
        window = int(now // self.settings.window_seconds)
        over = False
        if sender:
            over |= await self._counter.hit(f"s:{_digest(sender)}", window) > self.settings.per_sender
        if address:
            over |= await self._counter.hit(f"a:{_digest(address)}", window) > self.settings.per_address
        if not over:
            return 0
        return max(1, math.ceil((window + 1) * self.settings.window_seconds - now))


def _malformed(body: Any) -> str | None:
    """What is wrong with a chat request body (never its content, which may be personal), or None."""
    if not isinstance(body, dict):
        return "body is not a JSON object"
    if not isinstance(body.get("message"), str):
        return "message is not text"
    sender = body.get("sender")
    if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS:
        return "sender is missing, not text or too long"
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        return "metadata is not an object"
    return None


_KOMMUNENUMMER = re.compile(r"\d{4}")
MAX_AGE = 120


def _kommune(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and _KOMMUNENUMMER.fullmatch(value.strip()) else None


def _alder(value: Any) -> int | None:
    whole = isinstance(value, int) and not isinstance(value, bool)
    return value if whole and 0 < value <= MAX_AGE else None


def _cards(value: Any) -> bool | None:
    return True if value is True else None


# The metadata keys Veiviser reads, each with the check of its form (None: dropped).
METADATA_KEYS: dict[str, Callable[[Any], Any]] = {"kommune": _kommune, "alder": _alder, "cards": _cards}


def allowed_metadata(metadata: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The metadata Veiviser reads, each value in the form its reader accepts; None when nothing is left."""
    if not metadata:
        return None
    kept = {key: value for key, check in METADATA_KEYS.items() if (value := check(metadata.get(key))) is not None}
    if len(kept) < len(metadata):
        dropped = len(metadata) - len(kept)
        logger.info("Chat metadata: %d key(s) Veiviser does not read, or not in their form, dropped", dropped)
    return kept or None


def _where(error: BaseException) -> str:
    """Where ``error`` was raised (file, line, function of the innermost frames), never its message."""
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    return " < ".join(f"{Path(f.filename).name}:{f.lineno} in {f.name}" for f in reversed(frames)) or "unknown"


def _without_lone_surrogates(text: str) -> str:
    """JSON may carry "\\ud800" alone; such text cannot be encoded as UTF-8 for the tracker store or the logs."""
    return text.encode("utf-8", "replace").decode("utf-8")


class GuardedRestInput(RestInput):
    """Rasa's REST channel with a length cap and rate limits (see module docstring)."""

    @classmethod
    def name(cls) -> str:
        """The same name as Rasa's REST channel, so the URL stays /webhooks/rest/webhook."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedRestInput:
        """The channel with limits from the environment (credentials.yml carries no settings)."""
        return cls(ChannelSettings.from_env())

    def __init__(self, settings: ChannelSettings | None = None) -> None:
        """A channel with the given limits (defaults: from the environment); no chat text in any log from now."""
        self.settings = settings or ChannelSettings.from_env()
        self.limiter = RateLimiter(self.settings)
        log_privacy.install()
        rasa_patches.install()

    async def check(self, request: Request) -> HTTPResponse | None:
        """A response that answers the request instead of the model, or None to pass it on."""
        try:
            parsed = request.json
        except SanicException:  # not JSON at all; Sanic would answer 400 without a text for the widget
            parsed = None
        body: dict[str, Any] = parsed if isinstance(parsed, dict) else {}
        sender = body.get("sender")
        sender = sender if isinstance(sender, str) else None
        address = request.remote_addr or request.ip
        wait = 0 if _signed_by_the_lab(request) else await self.limiter.retry_after(sender, address)
        if wait:
            logger.info("Chat rate limit reached; answered 429")
            return response.json(
                {"error": "for_mange_meldinger", "text": TOO_MANY_TEXT, "retry_after": wait},
                status=429,
                headers={"Retry-After": str(wait)},
            )
        problem = _malformed(parsed)
        if problem:
            logger.info("Malformed chat request (%s); answered 400", problem)
            return response.json({"error": "ugyldig_melding", "text": INVALID_TEXT}, status=400)
        message = body["message"] = _without_lone_surrogates(body["message"])
        if len(message) > self.settings.max_chars:
            logger.info("Chat message over %d characters; answered without the model", self.settings.max_chars)
            return response.json([{"recipient_id": sender, "text": TOO_LONG_TEXT}])
        return None

    async def answer(self, on_new_message: OnNewMessage, body: dict[str, Any]) -> HTTPResponse:
        """Rasa's answer to a checked request, with nothing of the message in any log (see module docstring)."""
        text, sender = body["message"], body["sender"]
        collector = CollectingOutputChannel()
        message = UserMessage(
            text, collector, sender, input_channel=self.name(), metadata=allowed_metadata(body.get("metadata"))
        )
        with log_privacy.message_in_flight(text):
            try:
                await on_new_message(message)
            except asyncio.CancelledError:
                logger.warning("rest.message.received.timeout: cancelled before the reply (client gone, or timeout)")
                raise
            except Exception as error:
                logger.error("rest.message.received.failure: %s at %s", type(error).__name__, _where(error))
                return response.json([*collector.messages, {"recipient_id": sender, "text": FAILED_TEXT}])
        return response.json(collector.messages)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The REST channel's routes (health and webhook), with ``check`` and ``answer`` as the webhook."""
        blueprint = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.check(request) or await self.answer(on_new_message, request.json)

        return blueprint
