"""One measured fix to Rasa 3.6's hot path, applied when Veiviser's components are imported.

Rasa checks every action server response with ``jsonschema.validate`` against a schema it builds anew for
each call, and ``validate`` first checks that schema against the JSON Schema meta-schema. Profiled under
load (bench/README.md), that was about 12 % of the Rasa process's CPU. Here the validator is built once;
what is accepted and what is refused, and the error raised, stay as in Rasa.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jsonschema
import jsonschema.exceptions
import jsonschema.validators
from rasa.core.actions.action import RemoteAction


@lru_cache(maxsize=1)
def action_response_validator() -> Any:
    """The validator for action server responses, built (and its schema checked) once per process."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = jsonschema.exceptions.best_match(action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action "
        "endpoint is valid. For more information about the format visit https://rasa.com/docs/rasa/custom-actions"
    )
    raise error


def install() -> None:
    """Use the once-built validator for action server responses (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result
