"""The doors payload: the ``custom`` message every reply with doors carries, and what the web chat renders.

The catalogue writes the doors (``/api/v1/route``, and ``veiviser generate`` for the crisis replies and the
cached national doors), the action server forwards them, the widget renders them. Each door is one object
with exactly ``DOOR_FIELDS``; ``DOORS_PAYLOAD_SCHEMA`` is the JSON Schema that the catalogue's, the action
server's and the widget's tests all validate against.
"""

from __future__ import annotations

from typing import Any

# A phone screen holds about this many doors; more is a list nobody reads.
CHAT_DOORS = 6

_TEXT = {"type": "string"}
_MAYBE_TEXT = {"type": ["string", "null"]}
_MAYBE_BOOL = {"type": ["boolean", "null"]}
_MAYBE_AGE = {"type": ["integer", "null"], "minimum": 0, "maximum": 120}
_DOOR_PROPERTIES: dict[str, dict[str, Any]] = {
    "category": {"type": "string", "pattern": "^[a-z_]+$"},
    "key": _MAYBE_TEXT,
    "name": {"type": "string", "minLength": 1},
    "description": _TEXT,
    "generic": {"type": "boolean"},
    "scope": {"enum": ["municipal", "regional", "national"]},
    "how_to_reach": _MAYBE_TEXT,
    "phone": _MAYBE_TEXT,
    "phone_href": {"type": ["string", "null"], "pattern": "^tel:\\+?[0-9]+$"},
    "sms": _MAYBE_TEXT,
    "sms_href": {"type": ["string", "null"], "pattern": "^sms:\\+?[0-9]+$"},
    "chat_url": _MAYBE_TEXT,
    "url": _MAYBE_TEXT,
    "map_url": _MAYBE_TEXT,
    "address": {
        "type": ["object", "null"],
        "properties": {"street": _TEXT, "postal_code": _MAYBE_TEXT, "city": _MAYBE_TEXT},
        "required": ["street"],
    },
    "open_now": _MAYBE_BOOL,
    "next_open": {"type": ["string", "null"], "format": "date-time"},
    "open_24_7": {"type": "boolean"},
    "opening": _MAYBE_TEXT,
    "referral_required": _MAYBE_BOOL,
    "specialist": {"type": "boolean"},
    "anonymous": _MAYBE_BOOL,
    "cost": _MAYBE_TEXT,
    "age_min": _MAYBE_AGE,
    "age_max": _MAYBE_AGE,
    "example": {"type": "boolean"},
    "text": {"type": "string", "minLength": 1},
}
# The fields of one door, in the order the payload lists them.
DOOR_FIELDS: tuple[str, ...] = tuple(_DOOR_PROPERTIES)

DOORS_PAYLOAD_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Veiviser doors payload",
    "type": "object",
    "required": ["type", "need", "urgency", "doors"],
    "additionalProperties": False,
    "properties": {
        "type": {"const": "doors"},
        # None for the ambiguous-signal check, which answers no need yet.
        "need": {"type": ["string", "null"], "pattern": "^[a-z_]+$"},
        "urgency": {"enum": ["akutt", "haster", "snart", "info"]},
        "doors": {
            "type": "array",
            "minItems": 1,
            "maxItems": CHAT_DOORS,
            "items": {
                "type": "object",
                "required": list(DOOR_FIELDS),
                "additionalProperties": False,
                "properties": _DOOR_PROPERTIES,
            },
        },
    },
}
