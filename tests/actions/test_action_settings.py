"""The action server's settings: defaults, conversion from the environment, and clear errors."""

from __future__ import annotations

import pytest

from actions.settings import ActionSettings, SettingsError


def test_settings_have_safe_defaults() -> None:
    settings = ActionSettings.from_env({})

    assert settings == ActionSettings(catalogue_url="http://127.0.0.1:8000", timeout=2.0, connect_timeout=0.5)


def test_settings_read_and_convert_the_environment() -> None:
    settings = ActionSettings.from_env(
        {"CATALOGUE_URL": "http://catalogue:8000/", "CATALOGUE_TIMEOUT": "1.5", "CATALOGUE_CONNECT_TIMEOUT": "0.2"}
    )

    assert settings == ActionSettings(catalogue_url="http://catalogue:8000", timeout=1.5, connect_timeout=0.2)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CATALOGUE_TIMEOUT", "two"),
        ("CATALOGUE_TIMEOUT", "0"),
        ("CATALOGUE_TIMEOUT", "-1"),
        ("CATALOGUE_TIMEOUT", "nan"),
        ("CATALOGUE_CONNECT_TIMEOUT", "600"),
        ("CATALOGUE_URL", "catalogue:8000"),
        ("CATALOGUE_URL", "ftp://catalogue"),
    ],
)
def test_settings_refuse_a_bad_value_and_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        ActionSettings.from_env({name: value})
