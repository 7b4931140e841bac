"""Services: one door of one provider, with contacts, weekly hours, closed dates and the area served.

Field names follow Open Referral HSDS 3 where they fit (``minimum_age`` is ``age_min`` here for
brevity; the HSDS export maps them back).
"""

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Literal, Optional

from pydantic import ConfigDict, field_validator, model_validator
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from service_catalog.field_types import (
    Age,
    Description,
    Email,
    HttpsUrl,
    Kommunenummer,
    LanguageCode,
    Line,
    Note,
    PostalCode,
    ShortText,
    Slug,
    Source,
    normalise_phone,
)
from service_catalog.opening_hours import format_week, parse_week
from service_catalog.vocabulary import DoorCode, Scope

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Cost(StrEnum):
    free = "free"
    paid = "paid"
    partly_free = "partly_free"


class Address(SQLModel):
    street: ShortText
    # A plain Annotated type: SQLModel's Field(regex=...) is not enforced under pydantic 2 (found by schemathesis).
    postal_code: PostalCode
    city: ShortText


class ClosedDateIn(SQLModel):
    date: date
    note: Line | None = Field(default=None, max_length=100)


class ServiceFields(SQLModel):
    """The facts a maintainer writes about a service (shared by the table and the API)."""

    key: Slug = Field(max_length=80)
    door: DoorCode = Field(max_length=40, description="Door code from taxonomy.yml")
    name: ShortText = Field(max_length=200)
    description: Description = Field(default="", max_length=300)
    scope: Scope = Field(default=Scope.municipal, max_length=10)
    phone: str | None = Field(default=None, max_length=20)
    sms: str | None = Field(default=None, max_length=20)
    chat_url: HttpsUrl | None = Field(default=None, max_length=500)
    url: HttpsUrl | None = Field(default=None, max_length=500)
    email: Email | None = Field(default=None, max_length=200)
    open_24_7: bool = False
    closed_on_holidays: bool = Field(
        default=True,
        description="Closed on Norwegian public holidays (17. mai, Easter, Christmas …); not read when open_24_7",
    )
    age_min: Age | None = None
    age_max: Age | None = None
    referral_required: bool = False
    cost: Cost = Field(default=Cost.free, max_length=12)
    cost_note: Note | None = Field(default=None, max_length=500)
    anonymous: bool = False
    source: Source = Field(max_length=500)
    last_verified: date
    active: bool = True
    example: bool = Field(default=False, description="Invented example data")


class Service(ServiceFields, table=True):
    __table_args__ = (UniqueConstraint("key"),)
    id: int | None = Field(default=None, primary_key=True)
    # The municipality that owns the entry; empty for national services.
    kommunenummer: str | None = Field(default=None, foreign_key="municipality.kommunenummer", max_length=4, index=True)
    street: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=4)
    city: str | None = Field(default=None, max_length=200)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    schedules: list["Schedule"] = Relationship(
        back_populates="service", sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )
    closed_dates: list["ClosedDate"] = Relationship(
        back_populates="service", sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )
    areas: list["ServiceArea"] = Relationship(
        back_populates="service", sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )


class Schedule(SQLModel, table=True):
    """One weekly opening range (HSDS schedule: byday, opens_at, closes_at) in minutes after midnight."""

    id: int | None = Field(default=None, primary_key=True)
    service_id: int | None = Field(
        default=None, foreign_key="service.id", index=True, ondelete="CASCADE", nullable=False
    )
    weekday: int = Field(ge=0, le=6)
    opens_min: int = Field(ge=0, le=1439)
    closes_min: int = Field(ge=0, le=1440)
    service: Optional["Service"] = Relationship(back_populates="schedules")


class ClosedDate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    service_id: int | None = Field(
        default=None, foreign_key="service.id", index=True, ondelete="CASCADE", nullable=False
    )
    date: date
    note: str | None = Field(default=None, max_length=100)
    service: Optional["Service"] = Relationship(back_populates="closed_dates")


class ServiceArea(SQLModel, table=True):
    """A municipality a regional service covers."""

    service_id: int | None = Field(default=None, foreign_key="service.id", primary_key=True, ondelete="CASCADE")
    kommunenummer: str = Field(foreign_key="municipality.kommunenummer", primary_key=True, max_length=4)
    service: Optional["Service"] = Relationship(back_populates="areas")


def _check_phone(value: str | None, example: bool) -> str | None:
    return None if value in (None, "") else normalise_phone(value, allow_fictional=example)


def _check_hours(hours: dict[Weekday, list[str]]) -> dict[Weekday, list[str]]:
    return format_week(parse_week(hours))  # type: ignore[return-value]  # keys are weekdays by construction


class ServiceIn(ServiceFields):
    """A whole service as a maintainer sends it (create, import)."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]  # a misspelt field is an error, not a no-op

    address: Address | None = None
    covers: list[Kommunenummer] = Field(default_factory=list, max_length=400)
    hours: dict[Weekday, list[str]] = Field(default_factory=dict)
    closed_dates: list[ClosedDateIn] = Field(default_factory=list, max_length=400)
    languages: list[LanguageCode] = Field(default_factory=lambda: ["nb"], max_length=20)

    _hours = field_validator("hours")(_check_hours)

    @model_validator(mode="after")
    def _consistent(self) -> "ServiceIn":
        self.phone = _check_phone(self.phone, self.example)
        self.sms = _check_phone(self.sms, self.example)
        _check_band(self.age_min, self.age_max)
        if self.scope is Scope.regional and not self.covers:
            raise ValueError("a regional service lists the kommuner it covers in 'covers'")
        if self.scope is not Scope.regional and self.covers:
            raise ValueError("'covers' is only for regional services")
        if not (self.phone or self.sms or self.chat_url or self.url or self.address or self.email):
            raise ValueError("give at least one way to reach the service (phone, sms, chat_url, url, email or address)")
        return self


class ServiceUpdate(SQLModel):
    """A partial update: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    door: DoorCode | None = Field(default=None, max_length=40)
    name: ShortText | None = Field(default=None, max_length=200)
    description: Description | None = Field(default=None, max_length=300)
    scope: Scope | None = None
    phone: str | None = Field(default=None, max_length=20)
    sms: str | None = Field(default=None, max_length=20)
    chat_url: HttpsUrl | None = Field(default=None, max_length=500)
    url: HttpsUrl | None = Field(default=None, max_length=500)
    email: Email | None = Field(default=None, max_length=200)
    address: Address | None = None
    covers: list[Kommunenummer] | None = Field(default=None, max_length=400)
    open_24_7: bool | None = None
    closed_on_holidays: bool | None = None
    hours: dict[Weekday, list[str]] | None = None
    closed_dates: list[ClosedDateIn] | None = Field(default=None, max_length=400)
    age_min: Age | None = None
    age_max: Age | None = None
    referral_required: bool | None = None
    cost: Cost | None = None
    cost_note: Note | None = Field(default=None, max_length=500)
    anonymous: bool | None = None
    languages: list[LanguageCode] | None = Field(default=None, max_length=20)
    source: Source | None = Field(default=None, max_length=500)
    last_verified: date | None = None

    @field_validator("hours")
    @classmethod
    def _hours_ok(cls, hours: dict[Weekday, list[str]] | None) -> dict[Weekday, list[str]] | None:
        return None if hours is None else _check_hours(hours)


def _check_band(age_min: int | None, age_max: int | None) -> None:
    if age_min is not None and age_max is not None and age_min > age_max:
        raise ValueError("age_min is above age_max")


class ServicePublic(ServiceFields):
    """A service as the API shows it."""

    id: int
    kommunenummer: str | None
    address: Address | None
    map_url: str | None
    covers: list[str]
    hours: dict[str, list[str]]
    closed_dates: list[ClosedDateIn]
    languages: list[str]
    created_at: datetime
    updated_at: datetime


class ServicesPublic(SQLModel):
    data: list[ServicePublic]
    count: int
