"""A hung or stopped action server never leaves a young person without doors and 113 (issue 13, finding 15).

Rasa waits five minutes for the action server and holds the conversation meanwhile. Here Rasa waits
``VEIVISER_ACTION_TIMEOUT_SECONDS`` (6) at most, then answers from the domain: the general first-line doors and
113, in the language of the message. Frozen means SIGSTOP: the process still accepts connections (the kernel
does) but never answers, as a hung server does.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest
from rest_stack import Stack, doors_payload, texts

# The widget shows the emergency block after 4 s and gives up after 30 s; the reply must come well before that.
WITHIN_SECONDS = 12


def _timed_say(stack: Stack, text: str, sender: str | None = None) -> tuple[list[dict], float]:
    started = time.monotonic()
    reply = stack.say(text, sender=sender)
    return reply, time.monotonic() - started


def _first_line_doors_and_113(reply: list[dict]) -> None:
    payload = doors_payload(reply)
    assert payload["doors"], "at least one door"
    assert {"helsesykepleier", "krisetelefon"} & {door["category"] for door in payload["doors"]}
    assert payload["urgency"] != "akutt"
    assert re.search(r"\b113\b", texts(reply))


@pytest.mark.parametrize("fault", ["frozen", "down"])
def test_with_the_action_server_hung_or_stopped_a_need_gets_the_first_line_doors_and_113_within_seconds(
    stack: Stack, fault: str
) -> None:
    with getattr(stack, fault)("actions"):
        reply, seconds = _timed_say(stack, "jeg får panikk på bussen")
    assert seconds < WITHIN_SECONDS
    _first_line_doors_and_113(reply)


def test_with_the_action_server_frozen_the_reply_is_in_the_language_of_the_message(stack: Stack) -> None:
    with stack.frozen("actions"):
        english, _ = _timed_say(stack, "hi, i'm 16 and i keep having panic attacks at school")
        nynorsk, _ = _timed_say(stack, "eg er så einsam heile tida, ingen vil vere med meg")
    assert re.search(r"\b(you|help)\b", texts(english), re.I)
    assert "Helsesykepleier" not in doors_payload(english)["doors"][0]["name"]
    assert re.search(r"\b(eg|ikkje|nokon|deg)\b", texts(nynorsk))


def test_with_the_action_server_frozen_the_next_message_is_answered_too(stack: Stack) -> None:
    sender = uuid.uuid4().hex
    with stack.frozen("actions"):
        _timed_say(stack, "jeg får panikk på bussen", sender=sender)
        reply, seconds = _timed_say(stack, "jeg blir mobbet på skolen", sender=sender)
    assert seconds < WITHIN_SECONDS
    _first_line_doors_and_113(reply)


def test_with_the_action_server_frozen_a_crisis_still_gets_its_reply_at_once(stack: Stack) -> None:
    with stack.frozen("actions"):
        reply, seconds = _timed_say(stack, "jeg vil ta livet mitt")
    assert seconds < 3
    assert doors_payload(reply)["urgency"] == "akutt"
