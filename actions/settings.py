"""Settings of the action server, read once from the environment.

The Rasa environment has pydantic 1 only, so this is a frozen dataclass with its own conversion
instead of the catalogue's pydantic-settings class (style.md §2).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

DEFAULT_CATALOGUE_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = 2.0
DEFAULT_CONNECT_TIMEOUT = 0.5
# A reply that waits longer than this for the catalogue is worse than the cached national doors.
MAX_TIMEOUT = 30.0


class SettingsError(ValueError):
    """An environment variable of the action server has a value it cannot use."""


@dataclass(frozen=True)
class ActionSettings:
    """Where the catalogue is and how long a reply may wait for it."""

    catalogue_url: str = DEFAULT_CATALOGUE_URL
    timeout: float = DEFAULT_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT

    def __post_init__(self) -> None:
        """Refuse values that would make every reply fail or hang."""
        _check_url("CATALOGUE_URL", self.catalogue_url)
        _check_seconds("CATALOGUE_TIMEOUT", self.timeout)
        _check_seconds("CATALOGUE_CONNECT_TIMEOUT", self.connect_timeout)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ActionSettings:
        """Build the settings from environment variables, with the defaults for those not set."""
        env = os.environ if environ is None else environ
        return cls(
            catalogue_url=_text(env, "CATALOGUE_URL", DEFAULT_CATALOGUE_URL).rstrip("/"),
            timeout=_seconds(env, "CATALOGUE_TIMEOUT", DEFAULT_TIMEOUT),
            connect_timeout=_seconds(env, "CATALOGUE_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
        )


@lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    """The settings of this process, built on first use (never at import time)."""
    return ActionSettings.from_env()


def _text(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip()
    return value or default


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, such as 2.0; got {raw!r}") from None


def _check_seconds(name: str, value: float) -> None:
    if not (math.isfinite(value) and 0 < value <= MAX_TIMEOUT):
        raise SettingsError(f"{name} must be more than 0 and at most {MAX_TIMEOUT:g} seconds; got {value!r}")


def _check_url(name: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{name} must be an http(s) URL such as {DEFAULT_CATALOGUE_URL}; got {value!r}")
