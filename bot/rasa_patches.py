"""Two changes to how Rasa 3.6 calls the action server, applied when Veiviser's channel or components load.

1. A measured fix to the hot path. Rasa checks every action server response with ``jsonschema.validate``
   against a schema it builds anew for each call, and ``validate`` first checks that schema against the JSON
   Schema meta-schema. Profiled under load (bench/README.md), that was about 12 % of the Rasa process's CPU.
   Here the validator is built once; what is accepted and what is refused, and the error raised, stay as in
   Rasa.
2. A bound on the wait, and an answer when there is none (issue 13, finding 15). Rasa waits five minutes for
   the action server (``DEFAULT_REQUEST_TIMEOUT``) and holds the conversation all the while; when the call
   fails, the turn ends with no reply at all. Here a custom action gets ``VEIVISER_ACTION_TIMEOUT_SECONDS`` (6)
   seconds; when the action server is down, hangs, or answers with an error, the action answers from the
   domain instead with ``FALLBACK_RESPONSE``: the general first-line doors and 113, in the conversation's
   language. The default is longer than the action server's own worst case with the catalogue down (two
   catalogue calls of 2.5 s, ``CATALOGUE_TIMEOUT`` + ``CATALOGUE_CONNECT_TIMEOUT``) and far shorter than the
   web chat's 30-second give-up. An action server that refuses a call (``ActionExecutionRejection``) is
   left to Rasa, as before.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jsonschema
import jsonschema.exceptions
import jsonschema.validators
from rasa.core.actions.action import ActionBotResponse, ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import Event

if TYPE_CHECKING:
    from rasa.core.channels.channel import OutputChannel
    from rasa.core.nlg import NaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

FALLBACK_RESPONSE = "utter_first_line_doors"
DEFAULT_ACTION_TIMEOUT = 6.0
# Rasa's own wait: a longer setting would change nothing.
MAX_ACTION_TIMEOUT = 300.0


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


@lru_cache(maxsize=1)
def action_timeout() -> float:
    """Seconds a custom action may take: ``VEIVISER_ACTION_TIMEOUT_SECONDS``, read once (default 6)."""
    raw = os.environ.get("VEIVISER_ACTION_TIMEOUT_SECONDS", "").strip() or str(DEFAULT_ACTION_TIMEOUT)
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= MAX_ACTION_TIMEOUT:  # also false for nan
        limit = f"above 0 and at most {MAX_ACTION_TIMEOUT:g}"
        raise ValueError(f"VEIVISER_ACTION_TIMEOUT_SECONDS must be a number of seconds {limit}, not {raw!r}")
    return seconds


# Rasa's own call, kept on the class, so that importing this module again never wraps the wrapper.
if not hasattr(RemoteAction, "rasa_run"):
    RemoteAction.rasa_run = RemoteAction.run


async def _run_or_answer_from_the_domain(
    self: RemoteAction,
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
    domain: Domain,
) -> list[Event]:
    seconds = action_timeout()
    try:
        events: list[Event] = await asyncio.wait_for(self.rasa_run(output_channel, nlg, tracker, domain), seconds)
        return events
    except ActionExecutionRejection:
        raise
    except Exception as error:  # down, hung (TimeoutError), or an error answer: the young person still gets doors
        logger.error(
            "Custom action %s got no usable answer from the action server (%s); answered with %s from the domain",
            self.name(),
            type(error).__name__,
            FALLBACK_RESPONSE,
        )
        answer: list[Event] = await ActionBotResponse(FALLBACK_RESPONSE).run(output_channel, nlg, tracker, domain)
        return answer


def install() -> None:
    """Use the once-built validator and the bounded call with its answer from the domain (idempotent).

    Raises:
        ValueError: ``VEIVISER_ACTION_TIMEOUT_SECONDS`` is not a number of seconds Rasa could wait.
    """
    action_timeout()  # a wrong setting stops Rasa at start, not at the first message
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction.run = _run_or_answer_from_the_domain
