"""bot/run_rasa.py: Rasa's HTTP API with its JWT secret off the command line, and tokens that must expire.

One real ``rasa run`` (no model: the API answers 409 "no agent" to a request it has authenticated, 401 to one
it has not), started the way docker-compose.yml starts it.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("rasa")
import httpx  # noqa: E402
import jwt  # noqa: E402
import run_rasa  # noqa: E402

from testing.processes import free_port, start, stop_all, wait_until_up  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
AUTHENTICATED_WITHOUT_MODEL = 409


@dataclass(frozen=True)
class RunningRasa:
    url: str
    secret: str
    process: subprocess.Popen[bytes]


@pytest.fixture(scope="module")
def rasa_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningRasa]:
    folder = tmp_path_factory.mktemp("rasa-api")
    secret = secrets.token_urlsafe(32)
    env = {**os.environ, "PYTHONPATH": str(REPO / "bot"), "RASA_JWT_SECRET": secret, "RASA_TELEMETRY_ENABLED": "false"}
    no_models = folder / "models"  # empty (a path that does not exist would make Rasa look in ./models)
    no_models.mkdir()
    port = free_port()
    command = [sys.executable, "-m", "run_rasa", "--model", str(no_models), "--port", str(port)]
    command += ["--interface", "127.0.0.1", "--enable-api", "--jwt-method", "HS256"]
    process = start(command, env, folder / "rasa.log", cwd=REPO)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", 120, process)
        yield RunningRasa(f"http://127.0.0.1:{port}", secret, process)
    finally:
        stop_all({"rasa": process})


def _status(rasa: RunningRasa, claims: dict[str, Any], secret: str | None = None) -> int:
    token = jwt.encode(claims, secret or rasa.secret, algorithm="HS256")
    return httpx.get(f"{rasa.url}/status", headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code


ADMIN = {"user": {"username": "veiviser-lab", "role": "admin"}}


@pytest.mark.slow
def test_rasa_api_accepts_a_token_that_expires_as_the_labs_do(rasa_api: RunningRasa) -> None:
    now = int(time.time())
    assert _status(rasa_api, {**ADMIN, "iat": now, "exp": now + 300}) == AUTHENTICATED_WITHOUT_MODEL


@pytest.mark.slow
def test_rasa_api_refuses_a_token_without_expiry(rasa_api: RunningRasa) -> None:
    assert _status(rasa_api, ADMIN) == 401


@pytest.mark.slow
def test_rasa_api_refuses_a_token_that_expires_in_years(rasa_api: RunningRasa) -> None:
    assert _status(rasa_api, {**ADMIN, "exp": int(time.time()) + 10 * 365 * 86400}) == 401


@pytest.mark.slow
def test_rasa_api_refuses_a_token_signed_with_another_secret(rasa_api: RunningRasa) -> None:
    assert _status(rasa_api, {**ADMIN, "exp": int(time.time()) + 300}, secret="en-annen-hemmelighet-" * 3) == 401


@pytest.mark.slow
def test_rasa_process_command_line_does_not_hold_the_secret(rasa_api: RunningRasa) -> None:
    command_line = Path(f"/proc/{rasa_api.process.pid}/cmdline").read_bytes().decode()
    assert "run_rasa" in command_line and rasa_api.secret not in command_line


def test_secret_shorter_than_32_characters_is_refused() -> None:
    with pytest.raises(run_rasa.Refused, match="at least 32"):
        run_rasa.jwt_secret({"RASA_JWT_SECRET": "x" * 31})


def test_secret_is_read_from_the_file_before_the_environment(tmp_path: Path) -> None:
    secret_file = tmp_path / "rasa_jwt_secret"
    secret_file.write_text("f" * 40 + "\n", encoding="utf-8")
    environ = {"RASA_JWT_SECRET_FILE": str(secret_file), "RASA_JWT_SECRET": "e" * 40}
    assert run_rasa.jwt_secret(environ) == "f" * 40


def test_secret_on_the_command_line_is_refused() -> None:
    with pytest.raises(run_rasa.Refused, match="not on the command line"):
        run_rasa.rasa_arguments(["--enable-api", "--jwt-secret=" + "x" * 40], "y" * 40)
