"""Settings for the catalogue service, read from environment variables in one place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
# One origin of VEIVISER_CHAT_ORIGINS: scheme and host (and port), no path; or "*".
_ORIGIN = r"(\*|https?://[^/,\s]+/?)"


class Settings(BaseSettings):
    """Catalogue settings; every field can be set as VEIVISER_<NAME> in the environment."""

    model_config = SettingsConfigDict(env_prefix="VEIVISER_", extra="ignore")

    environment: Literal["dev", "test", "prod"] = "dev"
    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'var' / 'catalogue.db'}",
        validation_alias=AliasChoices("DATABASE_URL", "VEIVISER_DATABASE_URL"),
    )
    data_dir: Path = REPO_ROOT / "data"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Signs maintainer tokens. In dev a random key is kept in var/ (never in git); prod refuses to start without one.
    secret_key: SecretStr | None = None
    token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    login_max_failures: int = Field(default=5, ge=1, le=100)
    login_lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    max_body_bytes: int = Field(default=2_000_000, ge=1024)
    # Rate limits (service_catalog/ratelimit.py): login attempts per client address and per username in a
    # window, and feedback posts per client address. In this process's memory, or in Redis when it is set.
    login_rate_per_address: int = Field(default=30, ge=1)
    login_rate_per_username: int = Field(default=10, ge=1)
    login_rate_window_seconds: int = Field(default=300, ge=1, le=24 * 3600)
    feedback_rate_per_address: int = Field(default=30, ge=1)
    feedback_rate_window_seconds: int = Field(default=60, ge=1, le=24 * 3600)
    # e.g. redis://redis:6379/1; several catalogue processes then share the counts.
    redis_url: SecretStr | None = None
    rate_limit_prefix: str = Field(default="veiviser:ratelimit:", max_length=100)
    timezone: str = "Europe/Oslo"
    unverified_after_days: int = Field(default=183, ge=1)

    # --- the web: the chat widget and the maintainer pages (service_catalog/web)
    # The Rasa REST webhook the widget on our own pages talks to. Unset: Rasa on RASA_PORT of the host the
    # page was asked for (``make run``); behind the reverse proxy, the same origin: "/webhooks/rest/webhook".
    chat_url: str | None = Field(default=None, max_length=500)
    rasa_port: int = Field(
        default=5005, ge=1, le=65535, validation_alias=AliasChoices("RASA_PORT", "VEIVISER_RASA_PORT")
    )
    # Where the quick exit goes: a neutral page that reveals nothing (GOV.UK's "Exit this page" uses a weather site).
    exit_url: str = Field(default="https://www.yr.no/nb", pattern=r"^https?://", max_length=500)
    # The municipality the sample page at / shows (9999 is the invented Eksempel kommune).
    demo_kommune: str = Field(default="9999", pattern=r"^\d{4}$")
    # Maintainer pages: the session cookie is marked Secure unless this is false (plain http on localhost).
    cookie_secure: bool | None = None

    # --- user participation (service_catalog/feedback.py): "Var dette til hjelp?" and shared messages
    # The municipalities' sites that embed the chat (comma-separated origins such as https://www.bodo.kommune.no,
    # or "*" for any site). Their widget may post feedback; this catalogue's own pages always may.
    chat_origins: str = Field(default="", max_length=2000, pattern=rf"^\s*({_ORIGIN}(\s*,\s*{_ORIGIN})*)?\s*$")
    # Shared messages are deleted this many days after they were shared; the counts are kept.
    shared_message_days: int = Field(default=90, ge=1, le=366)
    # Routing-lab test cases made of shared messages are deleted this many days after they were made.
    lab_case_days: int = Field(default=365, ge=1, le=3660)

    # --- the routing lab (service_catalog/lab): Rasa's HTTP API, enabled only with JWT auth (never ?token=)
    rasa_url: str | None = Field(
        default=None, max_length=500, validation_alias=AliasChoices("RASA_URL", "VEIVISER_RASA_URL")
    )
    # Signs the lab's tokens for Rasa's /model/parse. In dev a random key is kept in var/; prod must set it.
    rasa_jwt_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("RASA_JWT_SECRET", "VEIVISER_RASA_JWT_SECRET")
    )

    @property
    def rasa_base_url(self) -> str:
        """Where the lab reaches Rasa: RASA_URL, else Rasa on RASA_PORT of this machine."""
        return (self.rasa_url or f"http://127.0.0.1:{self.rasa_port}").rstrip("/")

    @property
    def chat_origin_list(self) -> list[str]:
        """The origins in ``chat_origins`` (``["*"]``: any site; empty: only this catalogue's own pages)."""
        return [o.strip().rstrip("/").lower() for o in self.chat_origins.split(",") if o.strip()]

    @property
    def secure_cookies(self) -> bool:
        """Whether cookies carry the Secure flag: always in production, unless set otherwise."""
        return self.cookie_secure if self.cookie_secure is not None else self.environment == "prod"

    @property
    def taxonomy_path(self) -> Path:
        return self.data_dir / "taxonomy.yml"

    @property
    def doors_path(self) -> Path:
        return self.data_dir / "catalogue" / "doors.yml"

    @property
    def municipalities_path(self) -> Path:
        return self.data_dir / "municipalities" / "kommuner.csv"

    @property
    def seed_files(self) -> list[Path]:
        """National files first, then every municipality file, in a stable order."""
        folder = self.data_dir / "catalogue"
        national = [folder / "national.yml", folder / "routing.yml"]
        local = sorted(p for p in folder.glob("[0-9][0-9][0-9][0-9]-*.yml"))
        return [p for p in national if p.exists()] + local


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
