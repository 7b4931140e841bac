"""Municipalities (from the shipped list) and the doors a municipality records that it lacks."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel, UniqueConstraint

from service_catalog.field_types import Kommunenummer, Note, Source
from service_catalog.vocabulary import DoorCode


class Municipality(SQLModel, table=True):
    kommunenummer: str = Field(primary_key=True, max_length=4)
    name: str = Field(max_length=100, index=True)
    fylke: str = Field(max_length=100)
    other_names: str = Field(default="", max_length=500, description="Parallel names and spellings, '|'-separated")
    example: bool = Field(default=False, description="Invented example data, not a real municipality")


class MunicipalityPublic(SQLModel):
    kommunenummer: str
    name: str
    fylke: str
    other_names: list[str] = []
    example: bool = False


class MunicipalityMatch(MunicipalityPublic):
    score: float = Field(ge=0, le=1, description="1.0 for an exact match of number or name")
    sure: bool = Field(description="True when the match is good enough to act on (the chat uses only these)")


class DoorAbsenceBase(SQLModel):
    door: DoorCode = Field(max_length=40)
    note: Note | None = Field(default=None, max_length=500)
    source: Source = Field(max_length=500)
    last_verified: date


class DoorAbsence(DoorAbsenceBase, table=True):
    """A door this municipality does not have; routing moves on instead of inventing one."""

    __table_args__ = (UniqueConstraint("kommunenummer", "door"),)
    id: int | None = Field(default=None, primary_key=True)
    kommunenummer: str = Field(foreign_key="municipality.kommunenummer", max_length=4, index=True)


class DoorAbsenceIn(DoorAbsenceBase):
    pass


class DoorAbsencePublic(DoorAbsenceBase):
    id: int
    kommunenummer: Kommunenummer
