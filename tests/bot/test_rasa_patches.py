"""The fix to Rasa's action-response check (bot/rasa_patches.py): same verdicts, validator built once."""

from __future__ import annotations

import components.crisis_gate  # noqa: F401 - importing the pipeline's module installs the fix
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa_patches import action_response_validator


def _validate(result: dict) -> bool:
    return RemoteAction._validate_action_result(None, result)  # type: ignore[arg-type]


def test_a_valid_action_response_is_accepted() -> None:
    response = {"events": [{"event": "slot", "name": "need", "value": "sorg"}], "responses": [{"text": "hei"}]}

    assert _validate(response) is True


def test_an_invalid_action_response_is_refused_with_rasas_explanation() -> None:
    with pytest.raises(ValidationError) as refused:
        _validate({"events": [{"event": "slot", "name": "need"}], "responses": "not a list"})

    assert "Failed to validate Action server response" in refused.value.message


def test_the_validator_is_built_once_per_process() -> None:
    _validate({"events": [], "responses": []})
    _validate({"events": [], "responses": []})

    assert action_response_validator.cache_info().misses == 1
