"""A what-if for the end-to-end benchmark only: two fixes applied from outside, to measure them before anyone
changes Rasa's process or the action server. ``python -m bench e2e --whatif`` puts this folder on the
PYTHONPATH of Rasa and the action server; nothing else imports it.

1. ``jsonschema.validate`` checks a schema against the meta-schema on every call. Rasa validates every
   action server response that way, with a schema it builds anew each time; here the validator is built
   once per schema.
2. The action server opens a new ``httpx.AsyncClient`` per catalogue request, and each one loads the
   certificate store into a new SSL context even for plain http; here the context is built once, which
   is what one shared client would do.
"""

from __future__ import annotations

import json
from typing import Any

import httpx._transports.default as _transport
import jsonschema
import jsonschema.exceptions
import jsonschema.validators

_original_validate = jsonschema.validate
_validators: dict[str, Any] = {}


def _validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    if cls is not None or args or kwargs:
        _original_validate(instance, schema, cls, *args, **kwargs)
        return
    key = json.dumps(schema, sort_keys=True, default=str)
    validator = _validators.get(key)
    if validator is None:
        validator_class = jsonschema.validators.validator_for(schema)
        validator_class.check_schema(schema)
        validator = _validators[key] = validator_class(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


_original_context = _transport.create_ssl_context
_contexts: dict[tuple[Any, ...], Any] = {}


def _ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
    key = (verify, cert, trust_env)
    try:
        context = _contexts.get(key)
    except TypeError:  # an unhashable argument: build it as before
        return _original_context(verify, cert, trust_env)
    if context is None:
        context = _contexts[key] = _original_context(verify, cert, trust_env)
    return context


jsonschema.validate = _validate
_transport.create_ssl_context = _ssl_context  # type: ignore[assignment]
