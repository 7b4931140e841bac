"""Shared setup for the Rasa-side tests: bot/ and the repository root on sys.path, one compiled lexicon."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
for path in (REPO_ROOT / "bot", REPO_ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# Under the catalogue's .venv (no Rasa, no langdetect) only the pure lexicon tests can run.
collect_ignore = []
if importlib.util.find_spec("rasa") is None:
    collect_ignore += ["test_components_in_rasa.py", "test_linear_intent.py", "test_rasa_patches.py", "tracker_db.py"]
    collect_ignore += ["test_redacting_store.py", "test_retention.py", "test_channels.py", "test_lock_store.py"]
    collect_ignore += ["test_chat_logs.py", "test_channel_metadata.py", "test_action_timeout.py"]
if importlib.util.find_spec("langdetect") is None:
    collect_ignore.append("test_language.py")

from components.crisis_lexicon import Lexicon, cached_lexicon  # noqa: E402


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    """The repository's crisis lexicon, compiled once."""
    return cached_lexicon()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return REPO_ROOT


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """The redacting tracker store over Rasa's SQLTrackerStore on a fresh database, and an engine to read it."""
    from tracker_db import sql_store_on

    yield from sql_store_on(request.param, tmp_path)
