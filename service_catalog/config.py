"""Settings for the catalogue service, read from environment variables in one place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


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
    timezone: str = "Europe/Oslo"
    unverified_after_days: int = Field(default=183, ge=1)

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
