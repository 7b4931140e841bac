"""The action server's request guard: malformed action calls are refused with a reason, Rasa's calls pass."""

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest

from actions.request_guard import problem

RASA_CALL: dict[str, Any] = {
    "next_action": "action_show_doors",
    "sender_id": "abc",
    "tracker": {
        "sender_id": "abc",
        "slots": {"need": "angst_uro", "age": None},
        "latest_message": {"text": "hei", "intent": {"name": "angst_uro", "confidence": 0.9}, "entities": []},
        "events": [{"event": "action", "name": "action_listen"}],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    },
    "domain": {"version": "3.1"},
    "version": "3.6.21",
}


def _body(value: Any) -> bytes:
    return json.dumps(value).encode()


def test_the_call_rasa_sends_passes() -> None:
    assert problem(_body(RASA_CALL), None) is None


def test_a_deflated_call_passes_and_broken_deflate_data_is_refused() -> None:
    assert problem(zlib.compress(_body(RASA_CALL)), "deflate") is None
    assert problem(b"not deflate", "deflate") == "the body is not deflate data"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not a JSON object"),
        (b"not json", "not JSON"),
        (b"[]", "not a JSON object"),
        (_body({"next_action": "action_show_doors"}), "needs a tracker"),
        (_body({"next_action": "action_show_doors", "tracker": {"slots": {}}}), "tracker.sender_id"),
        (_body({**RASA_CALL, "tracker": {**RASA_CALL["tracker"], "events": "x"}}), "tracker.events"),
        (_body({**RASA_CALL, "next_action": 5}), None),  # pydantic v1 turns 5 into "5": rasa-sdk then answers 404
    ],
)
def test_malformed_calls_are_refused_with_the_reason(body: bytes, reason: str | None) -> None:
    found = problem(body, None)
    if reason is None:
        assert found is None
    else:
        assert found is not None and reason in found


def test_the_reason_never_repeats_what_was_typed() -> None:
    call = {**RASA_CALL, "tracker": {**RASA_CALL["tracker"], "slots": "jeg heter Kari, 41234567"}}
    found = problem(_body(call), None)
    assert found is not None and "41234567" not in found and "Kari" not in found
