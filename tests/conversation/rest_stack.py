"""Starting the whole stack (catalogue, action server, Rasa) on free loopback ports, and reading its replies."""

from __future__ import annotations

import socket
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
VEIVISER_BIN = ROOT / ".venv" / "bin" / "veiviser"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, seconds: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@dataclass
class Stack:
    rasa_url: str
    catalogue_url: str
    action_url: str
    processes: dict[str, subprocess.Popen[bytes]]
    env: dict[str, str]
    logs: Path

    def stop(self, name: str) -> None:
        """Stop one process of the stack (to test how the rest copes)."""
        proc = self.processes[name]
        proc.terminate()
        proc.wait(timeout=20)

    def restart(self, name: str, health_url: str) -> None:
        """Start a stopped process again with the same command and wait until it answers."""
        proc = _start(list(self.processes[name].args), self.env, self.logs / f"{name}-restarted.log")  # type: ignore[arg-type]
        self.processes[name] = proc
        _wait(health_url, 90, proc)

    def say(self, text: str, *, sender: str | None = None, kommune: str | None = "9999") -> list[dict]:
        """Send one message through the REST channel; an empty answer is a failure (Rasa sends [] on errors)."""
        body: dict[str, object] = {"sender": sender or uuid.uuid4().hex, "message": text}
        if kommune is not None:
            body["metadata"] = {"kommune": kommune}
        response = httpx.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=30)
        assert response.status_code == 200, response.text
        messages = response.json()
        assert messages, f"no reply to {text!r}"
        return messages


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


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
