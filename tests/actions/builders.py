"""Readable builders for doors and route answers, with invented example values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from actions.catalogue_client import Door, RouteResult

_NURSE: dict[str, Any] = {
    "category": "helsesykepleier",
    "key": "eksempel-helsesykepleier",
    "name": "Helsesykepleier på Eksempel ungdomsskole (oppdiktet)",
    "description": "Du kan komme innom uten time.",
    "generic": False,
    "scope": "municipal",
    "how_to_reach": None,
    "phone": "10 00 01 01",
    "phone_href": "tel:+4710000101",
    "sms": "10 00 01 01",
    "sms_href": "sms:+4710000101",
    "chat_url": None,
    "url": "https://eksempel.kommune.example/helsesykepleier",
    "map_url": "https://www.openstreetmap.org/search?query=Skoleveien+1",
    "address": {"street": "Skoleveien 1", "postal_code": "9999", "city": "Eksempelby"},
    "open_now": True,
    "next_open": None,
    "open_24_7": False,
    "opening": "Åpent nå",
    "referral_required": False,
    "specialist": False,
    "anonymous": False,
    "cost": "free",
    "age_min": 13,
    "age_max": 16,
    "example": True,
    "text": "Helsesykepleier på Eksempel ungdomsskole (oppdiktet)\nRing 10 00 01 01\nÅpent nå · gratis",
}


def door_json(category: str = "helsesykepleier", **overrides: Any) -> dict[str, Any]:
    """One door as the catalogue sends it (an invented school nurse); ``category`` and any field can be changed."""
    return {**_NURSE, "category": category, **overrides}


def make_door(category: str = "helsesykepleier", **overrides: Any) -> Door:
    """The door of ``door_json``, read as the action server reads the catalogue's answer."""
    return Door.from_json(door_json(category, **overrides))


def make_result(*doors: Door, need: str = "angst_uro", urgency: str = "snart", **overrides: Any) -> RouteResult:
    """A route answer with these doors."""
    return RouteResult(need=need, urgency=urgency, doors=tuple(doors), **overrides)


def at(text: str) -> datetime:
    """An aware datetime from ISO text, e.g. ``at("2026-11-23T20:00:00+01:00")``."""
    return datetime.fromisoformat(text)
