"""The catalogue as a real process: ``veiviser setup``, a maintainer, then ``veiviser serve`` (uvicorn) on a
free loopback port. For the tests that must go over real HTTP: rate limits shared between processes, and a
database that drops its connections under load (tests/security, tests/faults)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
VEIVISER = Path(sys.executable).parent / "veiviser"
PASSWORD = "oppdiktet-passord-2026"
# A key of the right length for tests only; the processes of one test share it, so tokens work in each.
TEST_SECRET = "oppdiktet-test-nokkel-" + "x" * 32


@dataclass(frozen=True)
class Catalogue:
    url: str
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(VEIVISER), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=dict(env),
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the catalogue stopped at start: {log.read_text(errors='replace')[-2000:]}")
                try:
                    if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the catalogue did not answer /health within 30 s")
                time.sleep(0.2)
            yield Catalogue(url=url, process=process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def token(url: str, username: str) -> str:
    response = httpx.post(f"{url}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
