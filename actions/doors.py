"""The doors of a reply: the ``doors`` payload as the catalogue arranged it, and its plain-text form.

The catalogue decides which doors, in which order, and how each reads (``/api/v1/route``); this module only
wraps them in the reply contract (veiviser_contract.doors) and, for clients that show no cards (``rasa shell``,
a plain REST client), numbers the doors' own texts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from actions.catalogue_client import Door, RouteResult
from veiviser_contract.doors import CHAT_DOORS


def doors_payload(result: RouteResult) -> dict[str, Any]:
    """The ``custom`` message of the reply contract: ``{"type": "doors", need, urgency, doors}``."""
    return {
        "type": "doors",
        "need": result.need,
        "urgency": result.urgency,
        "doors": [door.as_payload() for door in result.doors[:CHAT_DOORS]],
    }


def doors_text(doors: Sequence[Door]) -> str:
    """The doors as one readable text, numbered, for a client that shows no cards."""
    return "\n\n".join(f"{number}. {door.text}" for number, door in enumerate(doors[:CHAT_DOORS], start=1))


def shows_cards(latest_message: Mapping[str, Any] | None) -> bool:
    """Whether the client renders the doors payload as cards (the web chat says so in its metadata)."""
    metadata = (latest_message or {}).get("metadata")
    return isinstance(metadata, Mapping) and metadata.get("cards") is True
