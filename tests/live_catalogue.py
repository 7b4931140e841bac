"""The catalogue as a real process: ``veiviser setup``, a maintainer, then ``veiviser serve`` (uvicorn) on a
free loopback port. For the tests that must go over real HTTP: rate limits shared between processes, and a
database that drops its connections under load (tests/security, tests/faults)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from testing.processes import free_port, start, stop_all, wait_until_up

REPO = Path(__file__).resolve().parent.parent
VEIVISER = Path(sys.executable).parent / "veiviser"
PASSWORD = "oppdiktet-passord-2026"
# A key of the right length for tests only; the processes of one test share it, so tokens work in each.
TEST_SECRET = "oppdiktet-test-nokkel-" + "x" * 32


@dataclass(frozen=True)
class Catalogue:
    url: str
    process: subprocess.Popen[bytes]


def catalogue_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VEIVISER_") and k != "DATABASE_URL"}
    env.update(
        {
            "DATABASE_URL": database_url,
            "VEIVISER_ENVIRONMENT": "test",
            "VEIVISER_SECRET_KEY": TEST_SECRET,
            "VEIVISER_COOKIE_SECURE": "false",
        }
    )
    env.update(extra)
    return env


def prepare(env: Mapping[str, str], maintainers: Mapping[str, list[str]]) -> None:
    """Migrate and seed the database, then add maintainers (username -> kommuner; [] for national)."""
    subprocess.run([str(VEIVISER), "setup"], env=dict(env), cwd=REPO, check=True, capture_output=True)
    for username, kommuner in maintainers.items():
        scope = [arg for k in kommuner for arg in ("--kommune", k)] or ["--national"]
        subprocess.run(
            [str(VEIVISER), "maintainer", "add", username, *scope, "--password-stdin"],
            env=dict(env),
            cwd=REPO,
            input=(PASSWORD + "\n").encode(),
            check=True,
            capture_output=True,
        )


@contextmanager
def serving(env: Mapping[str, str], log: Path) -> Iterator[Catalogue]:
    """``veiviser serve`` on a free port until the block ends; its output goes to ``log``."""
    port = free_port()
    process = start([str(VEIVISER), "serve", "--host", "127.0.0.1", "--port", str(port)], dict(env), log, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_up(f"{url}/health", 30, process)
        except RuntimeError as failed:
            raise RuntimeError(f"{failed}: {log.read_text(errors='replace')[-2000:]}") from None
        yield Catalogue(url=url, process=process)
    finally:
        stop_all({"catalogue": process})


def token(url: str, username: str) -> str:
    response = httpx.post(f"{url}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
