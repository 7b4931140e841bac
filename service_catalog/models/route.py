"""The answer of ``GET /api/v1/route``: the doors for a need, best first, and why."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from service_catalog.models.municipality import MunicipalityPublic
from service_catalog.models.service import Address
from service_catalog.vocabulary import Scope, Urgency

ExclusionReason = Literal["age", "inactive", "absent", "not_covered"]


class DoorOut(BaseModel):
    """One door the young person can use, with what the chat needs to show it."""

    category: str = Field(description="Door code from taxonomy.yml")
    category_label: str
    name: str
    description: str
    generic: bool = Field(description="True when no catalogue entry exists and the door is named generically")
    how_to_reach: str | None = None
    service_id: int | None = None
    key: str | None = None
    scope: Scope
    kommunenummer: str | None = None
    phone: str | None = None
    phone_href: str | None = None
    sms: str | None = None
    sms_href: str | None = None
    chat_url: str | None = None
    url: str | None = None
    email: str | None = None
    address: Address | None = None
    map_url: str | None = None
    open_24_7: bool = False
    open_now: bool | None = Field(description="None when the hours are not known (generic doors)")
    next_open: datetime | None = None
    closes_at: datetime | None = None
    hours: dict[str, list[str]] = Field(default_factory=dict)
    age_min: int | None = None
    age_max: int | None = None
    referral_required: bool | None = None
    cost: str | None = None
    cost_note: str | None = None
    anonymous: bool | None = None
    languages: list[str] = Field(default_factory=list)
    last_verified: date | None = None
    source: str | None = None
    example: bool = False
    specialist: bool = Field(default=False, description="Reached only by referral (BUP, Statens barnehus)")
    opening: str | None = Field(
        default=None, description="Open now, or when it opens, in the answer's language; None when not known"
    )
    text: str = Field(default="", description="The door as readable text in the answer's language")
    why: str = Field(description="Why this door is here, for helpers")


class Excluded(BaseModel):
    """A door or service the rule named that was left out, and why."""

    category: str
    service_id: int | None = None
    name: str
    reason: ExclusionReason
    detail: str


class RuleUsed(BaseModel):
    id: int
    kommunenummer: str | None
    need: str
    urgency: Urgency
    doors: list[str]
    age_min: int | None
    age_max: int | None


class RouteAnswer(BaseModel):
    need: str
    urgency: Urgency
    kommune: MunicipalityPublic | None
    kommune_known: bool
    age: int | None
    at: datetime
    lang: str
    rule: RuleUsed | None
    age_dependent: bool = Field(description="True when the doors would differ by age: worth asking for it")
    fallback: bool = Field(default=False, description="True when the general doors were added")
    doors: list[DoorOut] = Field(description="What the chat shows, in order: specialist doors last, never alone")
    not_shown: list[DoorOut] = Field(
        default_factory=list, description="Doors the rules gave beyond what the chat shows, in order"
    )
    excluded: list[Excluded] = Field(default_factory=list)
