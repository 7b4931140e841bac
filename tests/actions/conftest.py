"""Fixtures for the action tests: readable trackers, a fresh dispatcher, and real catalogues over HTTP.

- ``make_tracker(slots=..., intent=..., text=..., metadata=..., entities=..., intent_ranking=...)`` builds a
  rasa-sdk ``Tracker`` the way the REST channel fills it (style.md §10: builders, no pickles).
- ``catalogue_url``: the real catalogue (``veiviser serve``) on a fresh seeded SQLite database, once per run.
- ``down_url``: a loopback port nobody listens on; ``fake_catalogue``: a tiny local server that misbehaves
  on request (sleeps, trickles, answers 503 or broken JSON), for the timeout and failure cases.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue_client import CatalogueClient
from actions.settings import ActionSettings

ROOT = Path(__file__).resolve().parents[2]
VEIVISER = ROOT / ".venv" / "bin" / "veiviser"

# The domain's initial slot values (bot/domain/core.yml), so a tracker starts like a new conversation.
INITIAL_SLOTS: dict[str, Any] = {
    "language": None,
    "kommune_text": None,
    "kommunenummer": None,
    "alder": None,
    "om_hvem": None,
    "need": None,
    "urgency": None,
    "doors_shown": False,
    "age_asked": False,
}

TrackerFactory = Callable[..., Tracker]


def _make_tracker(
    *,
    slots: Mapping[str, Any] | None = None,
    intent: str | None = None,
    text: str = "",
    metadata: Mapping[str, Any] | None = None,
    entities: Mapping[str, str] | None = None,
    intent_ranking: Sequence[tuple[str, float]] | None = None,
) -> Tracker:
    """A tracker whose latest message has this intent, text, REST metadata and entities."""
    ranking: list[dict[str, Any]] = [{"name": n, "confidence": c} for n, c in (intent_ranking or ())]
    if intent is None and intent_ranking:
        intent = intent_ranking[0][0]
    confidence = intent_ranking[0][1] if intent_ranking else 0.95
    latest_message = {
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "intent_ranking": ranking or ([{"name": intent, "confidence": confidence}] if intent else []),
        "entities": [
            {"entity": name, "value": value, "start": 0, "end": len(value), "extractor": "test"}
            for name, value in (entities or {}).items()
        ],
        "text": text,
        "metadata": dict(metadata or {}),
    }
    return Tracker(
        sender_id="test-user",
        slots={**INITIAL_SLOTS, **(slots or {})},
        latest_message=latest_message,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
def make_tracker() -> TrackerFactory:
    """The tracker builder (see ``_make_tracker``)."""
    return _make_tracker


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """A fresh dispatcher that collects what an action utters."""
    return CollectingDispatcher()


# --- the real catalogue -----------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def catalogue_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real catalogue service on a fresh, seeded SQLite database, started once and stopped after the run."""
    if not VEIVISER.exists():
        pytest.fail(f"{VEIVISER} is missing: run `make install` to create the catalogue's .venv")
    folder = tmp_path_factory.mktemp("catalogue")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'catalogue.db'}", "VEIVISER_ENVIRONMENT": "test"}
    subprocess.run([str(VEIVISER), "setup"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    log = (folder / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(VEIVISER), "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, seconds=60)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_ready(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"veiviser serve exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the catalogue at {url} was not ready within {seconds} s")


@pytest.fixture
def live_client(catalogue_url: str) -> CatalogueClient:
    """A client of the real catalogue; timeouts roomy enough for a busy test machine."""
    return CatalogueClient(ActionSettings(catalogue_url=catalogue_url, timeout=10.0, connect_timeout=2.0))


@pytest.fixture
def down_url() -> str:
    """A loopback URL where nothing listens: the catalogue is down."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def down_client(down_url: str) -> CatalogueClient:
    """A client whose catalogue is down, with the production timeouts."""
    return CatalogueClient(ActionSettings(catalogue_url=down_url))


# --- a catalogue that misbehaves on request ---------------------------------------------------------


@dataclass
class FakeCatalogue:
    """A local HTTP server in a thread; set ``status``, ``body``, ``delay`` or ``trickle`` before asking."""

    url: str = ""
    status: int = 200
    body: bytes = b"[]"
    delay: float = 0.0  # seconds before the answer starts
    trickle: float = 0.0  # seconds between single bytes of the body
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def fake_catalogue() -> Iterator[FakeCatalogue]:
    """A misbehaving catalogue on a free loopback port, shut down after the test."""
    fake = FakeCatalogue()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            fake.requests.append(self.path)
            time.sleep(fake.delay)
            try:
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(fake.body)))
                self.end_headers()
                if fake.trickle:
                    for byte in fake.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(fake.trickle)
                else:
                    self.wfile.write(fake.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, which is what the timeout tests want

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
            """Keep the test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False  # a handler still sleeping must not hold the test run
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
