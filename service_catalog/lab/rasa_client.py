"""The lab's two calls to Rasa: ``/model/parse`` (the HTTP API, JWT only) and the REST channel (the reply).

Rasa's HTTP API is enabled with JWT auth and never with ``--auth-token``: a token in the URL ends up in logs
and proxies. The lab signs a short-lived token with the same secret (HS256, role ``admin``, which
``/model/parse`` requires in Rasa 3.6; it expires after TOKEN_SECONDS, and Rasa started by bot/run_rasa.py
refuses tokens without an expiry). In production the secret must have at least 32 characters, and the
catalogue does not start without it (main.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt

from service_catalog.auth import local_secret_key
from service_catalog.config import REPO_ROOT, Settings

LAB_USER = "veiviser-lab"
TOKEN_SECONDS = 300
SECRET_MIN_LENGTH = 32  # HS256 wants a key at least as long as its 256-bit hash


class RasaUnavailable(RuntimeError):
    """Rasa did not answer, or refused the lab (wrong secret, API not enabled)."""


class MissingRasaSecret(RasaUnavailable):
    """Production without RASA_JWT_SECRET, or with one shorter than SECRET_MIN_LENGTH."""


def rasa_jwt_secret(settings: Settings) -> str:
    """The secret Rasa's HTTP API checks tokens with: RASA_JWT_SECRET, or in dev and test one kept in var/."""
    if settings.rasa_jwt_secret is not None:
        secret = settings.rasa_jwt_secret.get_secret_value()
        if settings.environment == "prod" and len(secret) < SECRET_MIN_LENGTH:
            raise MissingRasaSecret(f"RASA_JWT_SECRET must have at least {SECRET_MIN_LENGTH} characters in production")
        return secret
    if settings.environment == "prod":
        raise MissingRasaSecret("RASA_JWT_SECRET is not set; the routing lab cannot reach Rasa's API in production")
    return local_secret_key(REPO_ROOT / "var" / "rasa_jwt_secret")


@dataclass
class RasaClient:
    """Talks to one Rasa server; one client per lab run (it keeps an HTTP connection pool)."""

    base_url: str
    jwt_secret: str
    timeout: float = 30.0

    def __post_init__(self) -> None:
        self._http = httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(self.timeout, connect=2.0))

    @classmethod
    def from_settings(cls, settings: Settings) -> RasaClient:
        """A client for the configured Rasa (RASA_URL, or Rasa on RASA_PORT of this machine)."""
        return cls(settings.rasa_base_url, rasa_jwt_secret(settings))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RasaClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _token(self) -> str:
        now = datetime.now(UTC)
        claims = {
            "user": {"username": LAB_USER, "role": "admin"},
            "iat": now,
            "exp": now + timedelta(seconds=TOKEN_SECONDS),
        }
        return jwt.encode(claims, self.jwt_secret, algorithm="HS256")

    def parse(self, text: str) -> dict[str, Any]:
        """What the NLU pipeline makes of ``text``: intent, ranking, entities, ``language`` and ``crisis``."""
        response = self._post("/model/parse", {"text": text}, {"Authorization": f"Bearer {self._token()}"})
        result = response.json()
        if not isinstance(result, dict):
            raise RasaUnavailable("Rasa's /model/parse answered something that is not an object")
        return result

    def intents(self) -> list[str]:
        """The intents the running assistant knows (its domain), so a test set can name small-talk intents."""
        response = self._get("/domain", {"Authorization": f"Bearer {self._token()}", "Accept": "application/json"})
        names = []
        for intent in response.json().get("intents") or []:
            names.append(intent if isinstance(intent, str) else next(iter(intent), ""))
        return [name for name in names if name]

    def say(self, text: str, *, kommune: str | None, age: int | None) -> list[dict[str, Any]]:
        """The assistant's reply to ``text`` as the first message of a new conversation (REST channel)."""
        metadata: dict[str, Any] = {}
        if kommune:
            metadata["kommune"] = kommune
        if age is not None:
            metadata["alder"] = age
        body = {"sender": f"lab-{uuid.uuid4().hex}", "message": text, "metadata": metadata}
        # Signed, so the chat channel's rate limits (for young people's messages) do not count the lab's test sets.
        headers = {"Authorization": f"Bearer {self._token()}"}
        messages = self._post("/webhooks/rest/webhook", body, headers).json()
        if not isinstance(messages, list):
            raise RasaUnavailable("Rasa's REST channel answered something that is not a list")
        return [m for m in messages if isinstance(m, dict)]

    def _get(self, path: str, headers: dict[str, str]) -> httpx.Response:
        return self._checked(path, lambda: self._http.get(path, headers=headers))

    def _post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        return self._checked(path, lambda: self._http.post(path, json=body, headers=headers))

    def _checked(self, path: str, send: Callable[[], httpx.Response]) -> httpx.Response:
        try:
            response = send()
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"Rasa at {self.base_url} does not answer ({type(error).__name__})") from None
        if response.status_code in (401, 403):
            raise RasaUnavailable(
                f"Rasa refused the lab on {path} ({response.status_code}): is it started with --enable-api and "
                "--jwt-secret set to RASA_JWT_SECRET?"
            )
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered {response.status_code} on {path}")
        return response
