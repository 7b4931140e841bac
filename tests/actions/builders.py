"""Readable builders for doors and route answers, with invented example values."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from actions.catalogue_client import Address, Door, RouteResult

_NURSE = Door(
    category="helsesykepleier",
    name="Helsesykepleier på Eksempel ungdomsskole (oppdiktet)",
    category_label="Helsesykepleier / skolehelsetjenesten",
    description="Du kan komme innom uten time.",
    scope="municipal",
    key="eksempel-helsesykepleier",
    phone="10 00 01 01",
    phone_href="tel:+4710000101",
    sms="10 00 01 01",
    sms_href="sms:+4710000101",
    url="https://eksempel.kommune.example/helsesykepleier",
    address=Address(street="Skoleveien 1", postal_code="9999", city="Eksempelby"),
    map_url="https://www.openstreetmap.org/search?query=Skoleveien+1",
    open_now=True,
    age_min=13,
    age_max=16,
    referral_required=False,
    cost="free",
    anonymous=False,
    example=True,
)


def make_door(category: str = "helsesykepleier", **overrides: Any) -> Door:
    """A door with readable defaults (an invented school nurse); ``category`` and any field can be changed."""
    return replace(_NURSE, category=category, **overrides)


def make_result(*doors: Door, need: str = "angst_uro", urgency: str = "snart", **overrides: Any) -> RouteResult:
    """A route answer with these doors."""
    return RouteResult(need=need, urgency=urgency, doors=tuple(doors), **overrides)


def at(text: str) -> datetime:
    """An aware datetime from ISO text, e.g. ``at("2026-11-23T20:00:00+01:00")``."""
    return datetime.fromisoformat(text)
