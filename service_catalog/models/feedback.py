"""User participation: "Var dette til hjelp?" counts, messages young people chose to share, and lab test cases.

``Feedback`` holds only the need, the doors shown, the answer and the day: no time, no kommune, no sender,
no address or browser. ``SharedMessage`` holds a message its writer explicitly chose to share, already
redacted, and is deleted after 90 days. ``LabCase`` is a routing-lab test case in the shared test-set
format (``service_catalog.lab_cases``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from service_catalog.vocabulary import DoorCode, NeedCode
from veiviser_contract.doors import CHAT_DOORS

MAX_DOORS = CHAT_DOORS
MAX_SHARED_TEXT = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _readable(value: str) -> str:
    # NUL and other control characters never reach the database (PostgreSQL refuses NUL in text).
    value = " ".join(_CONTROL.sub(" ", value).split())
    if not value:
        raise ValueError("the message is empty")
    return value


SharedText = Annotated[str, AfterValidator(_readable)]


class Feedback(SQLModel, table=True):
    """One answer to "Var dette til hjelp?"."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    need: str = Field(max_length=40, index=True)
    doors: list[str] = Field(sa_column=Column(JSON, nullable=False))
    helpful: bool


class SharedMessage(SQLModel, table=True):
    """A message its writer chose to share to improve Veiviser, redacted before it was stored."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    text: str = Field(max_length=MAX_SHARED_TEXT)
    need: str = Field(max_length=40)
    doors: list[str] = Field(sa_column=Column(JSON, nullable=False))
    helpful: bool


class LabCase(SQLModel, table=True):
    """A routing-lab test case; ``doors`` empty means the doors of the need's routing rule."""

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=MAX_SHARED_TEXT)
    need: str = Field(max_length=40)
    doors: list[str] = Field(sa_column=Column(JSON, nullable=False))
    urgent: bool = False
    kommune: str | None = Field(default=None, max_length=4)
    age: int | None = None
    lang: str | None = Field(default=None, max_length=5)
    note: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    created_by: str = Field(max_length=100)


# ---------------------------------------------------------------- what the widget sends


class FeedbackIn(SQLModel):
    """The answer to "Var dette til hjelp?": the need, the door codes in the order shown, yes or no."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]
    need: NeedCode = Field(max_length=40)
    doors: list[DoorCode] = Field(min_length=1, max_length=MAX_DOORS)
    helpful: bool


class ShareIn(FeedbackIn):
    """A message shared on an explicit click; ``consent`` must be true."""

    text: SharedText = Field(min_length=1, max_length=MAX_SHARED_TEXT)
    consent: Literal[True]


class FeedbackPublic(SQLModel):
    day: date
    need: str
    doors: list[str]
    helpful: bool


class SharedPublic(FeedbackPublic):
    """What was stored: the redacted text."""

    text: str
