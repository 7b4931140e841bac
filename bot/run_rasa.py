"""``rasa run`` with the HTTP API's JWT secret from the environment or a file, never from the command line.

``rasa run --jwt-secret=...`` shows the secret to anyone on the machine who can list processes (``ps``,
``/proc/<pid>/cmdline``). This starts the same server with the secret read from ``RASA_JWT_SECRET_FILE`` (a
file, such as a Docker secret) or else ``RASA_JWT_SECRET``, and hands it to Rasa inside this process; the
other arguments are those of ``rasa run``::

    python -m run_rasa --model models --endpoints bot/endpoints-prod.yml --enable-api --jwt-method HS256

Two checks come with it. The secret has at least 32 characters (HS256 wants a key as long as its hash).
And Rasa's API refuses a token without an expiry: sanic-jwt checks ``exp`` only when a token carries one,
so a token signed without it would open the API for ever. The routing lab's tokens live five minutes
(service_catalog/lab/rasa_client.py); a token here must expire within the hour.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

MIN_SECRET_LENGTH = 32
MAX_TOKEN_SECONDS = 3600


class Refused(SystemExit):
    """The server is not started; the message says why."""


def jwt_secret(environ: Mapping[str, str]) -> str:
    """The secret from RASA_JWT_SECRET_FILE, or else RASA_JWT_SECRET; Refused when missing or too short."""
    path = environ.get("RASA_JWT_SECRET_FILE", "").strip()
    secret = Path(path).read_text(encoding="utf-8").strip() if path else environ.get("RASA_JWT_SECRET", "")
    if len(secret) < MIN_SECRET_LENGTH:
        raise Refused(
            f"RASA_JWT_SECRET_FILE or RASA_JWT_SECRET must hold a secret of at least {MIN_SECRET_LENGTH} characters"
        )
    return secret


def expires_soon(payload: dict[str, Any]) -> bool:
    """A token's claims: True when it has an expiry within MAX_TOKEN_SECONDS (sanic-jwt checks it has not passed)."""
    exp = payload.get("exp")
    return isinstance(exp, int | float) and not isinstance(exp, bool) and exp <= time.time() + MAX_TOKEN_SECONDS


def require_expiry() -> None:
    """Make Rasa's HTTP API refuse (401) tokens without ``exp``, or that expire later than the hour (idempotent)."""
    import rasa.server

    original: Callable[..., Any] = rasa.server.Initialize
    if getattr(original, "requires_expiry", False):
        return

    def initialize(app: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["extra_verifications"] = [*kwargs.get("extra_verifications", []), expires_soon]
        return original(app, *args, **kwargs)

    initialize.requires_expiry = True  # type: ignore[attr-defined]
    rasa.server.Initialize = initialize


def rasa_arguments(argv: Sequence[str], secret: str) -> list[str]:
    """``rasa run`` with ``argv`` and the secret; Refused when the secret was given on the command line."""
    if any(arg == "--jwt-secret" or arg.startswith("--jwt-secret=") for arg in argv):
        raise Refused("give the secret in RASA_JWT_SECRET_FILE or RASA_JWT_SECRET, not on the command line")
    return ["rasa", "run", *argv, f"--jwt-secret={secret}"]


def main(argv: Sequence[str], environ: Mapping[str, str]) -> None:
    """Start ``rasa run`` (it returns when the server stops)."""
    arguments = rasa_arguments(argv, jwt_secret(environ))
    require_expiry()
    from rasa.__main__ import main as rasa_main

    # Rasa reads sys.argv; the process's command line (what ps shows) stays as it was started.
    sys.argv = arguments
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:], os.environ)
