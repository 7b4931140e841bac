"""What a client sends beside the message is stored only when Veiviser reads it (issue 13, finding 3).

The REST request's ``metadata`` and ``input_channel`` go into the model's input and the tracker store as they
are in Rasa. The chat channel keeps only the metadata Veiviser reads (``kommune``, ``alder``, ``cards``), each
in the form its reader accepts, and names its own channel; Rasa adds ``model_id`` and ``assistant_id`` itself.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

import httpx
from rest_stack import Stack

RASA_OWN_KEYS = {"model_id", "assistant_id"}


def _send(stack: Stack, **extra: Any) -> str:
    sender = uuid.uuid4().hex
    body = {"sender": sender, "message": "får panikk på bussen", **extra}
    response = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json=body, timeout=30)
    assert response.status_code == 200 and response.json()
    return sender


def _stored(stack: Stack, sender: str) -> list[dict[str, Any]]:
    with sqlite3.connect(stack.env["RASA_TRACKER_DB"]) as conn:
        rows = conn.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return [json.loads(data) for (data,) in rows]


def _user_event(stack: Stack, sender: str) -> dict[str, Any]:
    return next(event for event in _stored(stack, sender) if event["event"] == "user")


def test_metadata_keys_veiviser_does_not_read_are_never_stored(stack: Stack) -> None:
    metadata = {"kommune": "9999", "cards": True, "alder": 15, "notat": "x" * 5000, "telefon": "987 65 432"}
    sender = _send(stack, metadata=metadata)
    assert set(_user_event(stack, sender)["metadata"]) - RASA_OWN_KEYS == {"kommune", "cards", "alder"}
    stored = json.dumps(_stored(stack, sender), ensure_ascii=False)
    assert "x" * 100 not in stored and "987 65 432" not in stored


def test_metadata_values_of_the_wrong_form_are_dropped(stack: Stack) -> None:
    metadata = {"kommune": "Storgata 1, 0150 Oslo", "alder": "femten, går på Eksempel skole", "cards": "ja"}
    sender = _send(stack, metadata=metadata)
    assert set(_user_event(stack, sender)["metadata"]) <= RASA_OWN_KEYS
    assert "Storgata" not in json.dumps(_stored(stack, sender), ensure_ascii=False)


def test_metadata_rasa_sets_itself_cannot_be_set_by_a_client(stack: Stack) -> None:
    sender = _send(stack, metadata={"model_id": "fra-klienten", "assistant_id": "fra-klienten"})
    stored = _user_event(stack, sender)["metadata"]
    assert "fra-klienten" not in stored.values()


def test_the_input_channel_a_client_names_is_not_stored(stack: Stack) -> None:
    sender = _send(stack, input_channel="kari-nordmann-987-65-432")
    assert _user_event(stack, sender)["input_channel"] == "rest"
    assert "kari" not in json.dumps(_stored(stack, sender))
