"""The whole stack (catalogue, action server, Rasa) on free loopback ports, for conversation and browser tests.

The ``stack`` fixture is started once per run and shared: ``tests/conftest.py`` imports it, so the
conversation tests and the browser tests use the same three processes.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from testing.processes import free_port, start, stop_all, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
VEIVISER_BIN = ROOT / ".venv" / "bin" / "veiviser"


@dataclass
class Stack:
    rasa_url: str
    catalogue_url: str
    action_url: str
    processes: dict[str, subprocess.Popen[bytes]]
    env: dict[str, str]
    logs: Path
    rasa_urls: dict[str, str] = field(default_factory=dict)  # every Rasa instance by process name

    def stop(self, name: str) -> None:
        """Stop one process of the stack (to test how the rest copes)."""
        proc = self.processes[name]
        proc.terminate()
        proc.wait(timeout=20)

    @contextmanager
    def down(self, name: str) -> Iterator[None]:
        """The block runs with process ``name`` (catalogue or actions) stopped; it is started again afterwards."""
        health = {"catalogue": f"{self.catalogue_url}/ready", "actions": f"{self.action_url}/health"}[name]
        self.stop(name)
        try:
            yield
        finally:
            self.restart(name, health)

    @contextmanager
    def frozen(self, name: str) -> Iterator[None]:
        """The block runs with process ``name`` hung: it accepts connections but never answers (SIGSTOP)."""
        proc = self.processes[name]
        proc.send_signal(signal.SIGSTOP)
        try:
            yield
        finally:
            proc.send_signal(signal.SIGCONT)

    def restart(self, name: str, health_url: str) -> None:
        """Start a stopped process again with the same command and wait until it answers."""
        proc = start(list(self.processes[name].args), self.env, self.logs / f"{name}-restarted.log")  # type: ignore[arg-type]
        self.processes[name] = proc
        wait_until_up(health_url, 90, proc)

    def say(
        self, text: str, *, sender: str | None = None, kommune: str | None = "9999", rasa: str = "rasa"
    ) -> list[dict]:
        """Send one message through the REST channel; an empty answer is a failure (Rasa sends [] on errors)."""
        body: dict[str, object] = {"sender": sender or uuid.uuid4().hex, "message": text}
        if kommune is not None:
            body["metadata"] = {"kommune": kommune}
        url = self.rasa_urls.get(rasa, self.rasa_url)
        response = httpx.post(f"{url}/webhooks/rest/webhook", json=body, timeout=30)
        assert response.status_code == 200, response.text
        messages = response.json()
        assert messages, f"no reply to {text!r}"
        return messages

    def log_text(self) -> str:
        """Everything every process of the stack has logged so far."""
        return "\n".join(log.read_text(errors="replace") for log in sorted(self.logs.glob("*.log")))

    def stop_all(self) -> None:
        """Stop every process (SIGTERM, then SIGKILL after 20 s)."""
        stop_all(self.processes)


def texts(messages: list[dict]) -> str:
    """All text of a reply, joined."""
    return "\n".join(m.get("text", "") for m in messages if m.get("text"))


def doors_payload(messages: list[dict]) -> dict:
    """The doors message of a reply (the contract); fails when there is none."""
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "doors":
            return custom
    raise AssertionError(f"no doors payload in {messages}")


Say = Callable[..., list[dict]]


def stack_env(folder: Path, ports: dict[str, int], **extra: str) -> dict[str, str]:
    """The environment of every process of a stack (ports: catalogue, actions, rasa)."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'catalogue.db'}",
        "VEIVISER_ENVIRONMENT": "test",
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # bot/ for the components; the shared veiviser_contract is installed in .venv-rasa (as scripts/rasa-env.sh).
        "PYTHONPATH": "bot",
        # As scripts/rasa-env.sh: INFO is the explicit default, and the action server binds loopback only.
        "LOG_LEVEL": "INFO",
        "SANIC_HOST": "127.0.0.1",
        "RASA_TRACKER_DB": str(folder / "tracker.db"),
        # Every test talks from 127.0.0.1: the per-address limit is tested with other loopback addresses.
        "VEIVISER_RATE_PER_ADDRESS": "100000",
        "CATALOGUE_URL": f"http://127.0.0.1:{ports['catalogue']}",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports['actions']}/webhook",
        # The widget on the catalogue's pages talks to this Rasa across origins, as it does under `make run`.
        "VEIVISER_CHAT_URL": f"http://127.0.0.1:{ports['rasa']}/webhooks/rest/webhook",
        # The routing lab (CLI and /admin/lab) reaches Rasa's HTTP API with tokens signed by this secret.
        "RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
        "RASA_JWT_SECRET": secrets.token_urlsafe(32),
        **extra,
    }


def rasa_command(env: dict[str, str], port: int, *, endpoints: str = "bot/endpoints.yml", cors: str = "") -> list[str]:
    """`rasa run` as scripts/run-stack.sh starts it: loopback, API with JWT only (bot/run_rasa.py reads the
    secret from RASA_JWT_SECRET in ``env``, never from the command line)."""
    return [str(RASA_BIN.parent / "python"), "-m", "run_rasa", "--model", "models", "--endpoints", endpoints,
            "--credentials", "bot/credentials.yml", "--port", str(port), "--interface", "127.0.0.1",
            "--enable-api", "--jwt-method", "HS256",
            *(["--cors", cors] if cors else [])]  # fmt: skip


def launch(folder: Path, *, rasa_instances: int = 1, endpoints: str = "bot/endpoints.yml", **extra_env: str) -> Stack:
    """Start catalogue, action server and ``rasa_instances`` Rasa processes ("rasa", "rasa2", ...) and wait."""
    models = ROOT / "models"
    if not RASA_BIN.exists() or not any(models.glob("*.tar.gz")):
        pytest.fail("conversation tests need .venv-rasa and a trained model: run `make train` first")
    names = ["rasa"] + [f"rasa{n}" for n in range(2, rasa_instances + 1)]
    ports = {"catalogue": free_port(), "actions": free_port(), **{name: free_port() for name in names}}
    env = stack_env(folder, ports, **extra_env)
    subprocess.run([str(VEIVISER_BIN), "setup"], cwd=ROOT, env=env, check=True, capture_output=True)
    processes = {
        "catalogue": start(
            [str(VEIVISER_BIN), "serve", "--port", str(ports["catalogue"])], env, folder / "catalogue.log"
        ),
        "actions": start(
            [str(RASA_BIN), "run", "actions", "--actions", "actions", "--port", str(ports["actions"])],
            env,
            folder / "actions.log",
        ),
    }
    for name in names:
        cors = f"http://127.0.0.1:{ports['catalogue']}"
        processes[name] = start(
            rasa_command(env, ports[name], endpoints=endpoints, cors=cors), env, folder / f"{name}.log"
        )
    stack = Stack(
        rasa_url=f"http://127.0.0.1:{ports['rasa']}",
        catalogue_url=f"http://127.0.0.1:{ports['catalogue']}",
        action_url=f"http://127.0.0.1:{ports['actions']}",
        processes=processes,
        env=env,
        logs=folder,
        rasa_urls={name: f"http://127.0.0.1:{ports[name]}" for name in names},
    )
    try:
        wait_until_up(f"{stack.catalogue_url}/ready", 30, processes["catalogue"])
        wait_until_up(f"{stack.action_url}/health", 90, processes["actions"])
        for name in names:
            wait_until_up(f"{stack.rasa_urls[name]}/", 240, processes[name])
    except BaseException:
        stack.stop_all()
        raise
    return stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Catalogue (fresh SQLite, seeded), action server and Rasa, stopped after the session."""
    stack = launch(tmp_path_factory.mktemp("stack"))
    try:
        yield stack
    finally:
        stack.stop_all()
