"""Shared setup for the Rasa-side tests: bot/ and the repository root on sys.path, one compiled lexicon."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

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
    collect_ignore += ["test_components_in_rasa.py", "test_rasa_patches.py"]
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
