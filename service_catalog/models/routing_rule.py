"""The routing table maintainers edit: a need maps to ordered doors, per age band and urgency.

A door entry is a door code (every service of that door) or ``door:service-key`` (that one service).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from service_catalog.field_types import Age, Note
from service_catalog.vocabulary import NeedCode, RuleDoor, Urgency, get_vocabulary, split_rule_door


class RoutingRuleBase(SQLModel):
    need: NeedCode = Field(max_length=40, index=True)
    urgency: Urgency = Field(max_length=10)
    doors: list[RuleDoor] = Field(sa_column=Column(JSON, nullable=False), min_length=1, max_length=20)
    age_min: Age | None = None
    age_max: Age | None = None
    note: Note | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _band_in_order(self) -> RoutingRuleBase:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("age_min is above age_max")
        if len(set(self.doors)) != len(self.doors):
            raise ValueError("a door is listed twice")
        first = get_vocabulary().doors.get(split_rule_door(self.doors[0])[0]) if self.doors else None
        if first is not None and first.specialist:
            # BUP and Statens barnehus need a referral: a young person cannot open them first.
            raise ValueError(f"'{first.code}' needs a referral, so it can never be the first or only door of a rule")
        return self


class RoutingRule(RoutingRuleBase, table=True):
    """``kommunenummer`` is empty for the national rule; a municipal rule overrides it locally."""

    id: int | None = Field(default=None, primary_key=True)
    kommunenummer: str | None = Field(default=None, foreign_key="municipality.kommunenummer", max_length=4, index=True)
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class RoutingRuleIn(RoutingRuleBase):
    pass


class RoutingRulePublic(RoutingRuleBase):
    id: int
    kommunenummer: str | None
    updated_at: datetime
