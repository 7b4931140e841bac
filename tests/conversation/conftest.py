"""The whole stack for conversation tests, started once per run on free loopback ports."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest
from rest_stack import RASA_BIN, ROOT, VEIVISER_BIN, Stack, _free_port, _start, _wait


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Catalogue (fresh SQLite, seeded), action server and Rasa, stopped after the session."""
    models = ROOT / "models"
    if not RASA_BIN.exists() or not any(models.glob("*.tar.gz")):
        pytest.fail("conversation tests need .venv-rasa and a trained model: run `make train` first")
    folder = tmp_path_factory.mktemp("stack")
    ports = {"catalogue": _free_port(), "actions": _free_port(), "rasa": _free_port()}
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'catalogue.db'}",
        "VEIVISER_ENVIRONMENT": "test",
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONPATH": "bot",
        "CATALOGUE_URL": f"http://127.0.0.1:{ports['catalogue']}",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports['actions']}/webhook",
    }
    subprocess.run([str(VEIVISER_BIN), "setup"], cwd=ROOT, env=env, check=True, capture_output=True)
    processes = {
        "catalogue": _start(
            [str(VEIVISER_BIN), "serve", "--port", str(ports["catalogue"])], env, folder / "catalogue.log"
        ),
        "actions": _start(
            [str(RASA_BIN), "run", "actions", "--actions", "actions", "--port", str(ports["actions"])],
            env,
            folder / "actions.log",
        ),
        "rasa": _start(
            [str(RASA_BIN), "run", "--model", "models", "--endpoints", "bot/endpoints.yml",
             "--credentials", "bot/credentials.yml", "--port", str(ports["rasa"]), "--interface", "127.0.0.1"],
            env,
            folder / "rasa.log",
        ),
    }  # fmt: skip
    stack = Stack(
        rasa_url=f"http://127.0.0.1:{ports['rasa']}",
        catalogue_url=f"http://127.0.0.1:{ports['catalogue']}",
        action_url=f"http://127.0.0.1:{ports['actions']}",
        processes=processes,
        env=env,
        logs=folder,
    )
    try:
        _wait(f"{stack.catalogue_url}/ready", 30, processes["catalogue"])
        _wait(f"{stack.action_url}/health", 90, processes["actions"])
        _wait(f"{stack.rasa_url}/", 240, processes["rasa"])
        yield stack
    finally:
        for proc in processes.values():
            proc.terminate()
        for proc in processes.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
