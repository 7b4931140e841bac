"""Malformed requests to the chat channel and the action server: a clear 4xx (or a normal answer), never a 500,
and the stack keeps answering real messages afterwards (issue 6, faults)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from rest_stack import Stack, texts

MALFORMED_CHAT_BODIES: list[tuple[str, bytes]] = [
    ("not json", b"hei dette er ikke json"),
    ("cut-off json", b'{"sender": "x", "message": "hei'),
    ("json list", b'["hei"]'),
    ("json string", b'"hei"'),
    ("no message", b'{"sender": "x"}'),
    ("message is a number", b'{"sender": "x", "message": 15}'),
    ("message is null", b'{"sender": "x", "message": null}'),
    ("message is an object", b'{"sender": "x", "message": {"text": "hei"}}'),
    ("sender is a list", b'{"sender": ["x"], "message": "hei"}'),
    ("metadata is a string", b'{"sender": "x", "message": "hei", "metadata": "9999"}'),
    ("kommune is an object", b'{"sender": "x", "message": "hei", "metadata": {"kommune": {"a": 1}}}'),
    ("lone surrogate", b'{"sender": "x", "message": "\\ud800 hei"}'),
    ("empty", b""),
]


@pytest.mark.parametrize(("case", "body"), MALFORMED_CHAT_BODIES, ids=[c for c, _ in MALFORMED_CHAT_BODIES])
def test_malformed_chat_request_gets_a_clear_answer_never_a_500(stack: Stack, case: str, body: bytes) -> None:
    response = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code < 500, f"{case}: {response.status_code} {response.text[:200]}"
    if response.status_code == 200:
        assert response.json(), f"{case}: an empty reply is no answer"
    else:
        assert "113" in response.json()["text"], f"{case}: a refusal still names the emergency number"
    assert "Veiviser" in texts(stack.say("hei", sender=uuid.uuid4().hex))  # and the channel still answers


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"next_action": 5}', b'{"next_action": "action_show_doors"}', b'{"tracker": "x"}'],
)
def test_malformed_action_request_is_refused_without_a_500(stack: Stack, body: bytes) -> None:
    response = httpx.post(
        f"{stack.action_url}/webhook", content=body, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert 400 <= response.status_code < 500, f"{response.status_code} {response.text[:200]}"
    assert httpx.get(f"{stack.action_url}/health", timeout=10).status_code == 200
