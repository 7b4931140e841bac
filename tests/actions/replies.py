"""Reading what an action uttered and returned, so the tests state behaviour rather than dict plumbing."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher


def kinds(dispatcher: CollectingDispatcher) -> list[str]:
    """Each message as one word: the response name, ``text``, ``doors`` (payload) or ``buttons``."""
    out = []
    for message in dispatcher.messages:
        if message.get("response"):
            out.append(message["response"])
        elif message.get("custom"):
            out.append(message["custom"].get("type", "custom"))
        elif message.get("buttons"):
            out.append("buttons")
        elif message.get("text"):
            out.append("text")
    return out


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """The names of the domain responses uttered, in order."""
    return [message["response"] for message in dispatcher.messages if message.get("response")]


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    """The plain texts uttered, in order."""
    return [message["text"] for message in dispatcher.messages if message.get("text")]


def doors_payload(dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """The one ``doors`` payload of the reply (fails if there is none or more than one)."""
    payloads: list[dict[str, Any]] = [
        m["custom"] for m in dispatcher.messages if m.get("custom", {}).get("type") == "doors"
    ]
    assert len(payloads) == 1, f"expected one doors payload, got {len(payloads)}"
    return payloads[0]


def categories(dispatcher: CollectingDispatcher) -> list[str]:
    """The door codes of the reply's payload, best first."""
    return [door["category"] for door in doors_payload(dispatcher)["doors"]]


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots the returned events set, last value wins."""
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def message_for(dispatcher: CollectingDispatcher, response: str) -> dict[str, Any]:
    """The message that uttered ``response``."""
    return next(message for message in dispatcher.messages if message.get("response") == response)
