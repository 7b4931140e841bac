"""RASA_JWT_SECRET on the catalogue's side: the routing lab signs tokens for Rasa's HTTP API with it.

Production needs a secret of at least 32 characters (HS256 wants a key as long as its hash) and refuses to
start without one; the lab's tokens always carry a short expiry (Rasa's side refuses tokens without one:
tests/bot/test_run_rasa.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from service_catalog.config import Settings, get_settings
from service_catalog.lab.rasa_client import MissingRasaSecret, RasaClient, rasa_jwt_secret
from service_catalog.main import create_app

PROD_KEY = "oppdiktet-produksjonsnokkel-" + "k" * 20


def test_rasa_jwt_secret_shorter_than_32_characters_in_prod_is_refused() -> None:
    settings = Settings(environment="prod", secret_key=SecretStr(PROD_KEY), rasa_jwt_secret=SecretStr("x" * 31))
    with pytest.raises(MissingRasaSecret, match="at least 32"):
        rasa_jwt_secret(settings)


def test_rasa_jwt_secret_of_32_characters_in_prod_is_used() -> None:
    settings = Settings(environment="prod", secret_key=SecretStr(PROD_KEY), rasa_jwt_secret=SecretStr("x" * 32))
    assert rasa_jwt_secret(settings) == "x" * 32


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("VEIVISER_ENVIRONMENT", "prod")
    monkeypatch.setenv("VEIVISER_SECRET_KEY", PROD_KEY)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.mark.parametrize("secret", [None, "for-kort-hemmelighet"])
def test_app_in_prod_without_a_long_enough_rasa_jwt_secret_refuses_to_start(
    production_env: pytest.MonkeyPatch, secret: str | None
) -> None:
    if secret is None:
        production_env.delenv("RASA_JWT_SECRET", raising=False)
    else:
        production_env.setenv("RASA_JWT_SECRET", secret)
    with pytest.raises(MissingRasaSecret, match="RASA_JWT_SECRET"), TestClient(create_app()):
        pass


def test_app_in_prod_with_a_long_enough_rasa_jwt_secret_starts(production_env: pytest.MonkeyPatch) -> None:
    production_env.setenv("RASA_JWT_SECRET", "r" * 40)
    with TestClient(create_app()) as client:
        assert client.get("/health").status_code == 200


def test_lab_token_expires_after_five_minutes() -> None:
    claims = jwt.decode(RasaClient("http://127.0.0.1:9", "s" * 40)._token(), "s" * 40, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 300 and claims["user"]["role"] == "admin"
