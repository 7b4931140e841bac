"""Who changed what in the catalogue, and when, with the state before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=lambda: datetime.now(UTC), index=True)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=100)
    kommunenummer: str | None = Field(default=None, max_length=4, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class AuditEntryPublic(SQLModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    kommunenummer: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
