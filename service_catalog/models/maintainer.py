"""Catalogue maintainers and the municipalities each may edit."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


class Maintainer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    password_hash: str = Field(max_length=300)
    # National maintainers edit national services and the national routing table, and every municipality.
    is_national: bool = False
    active: bool = True
    # No longer used: since issue 13 the lockout counts per username and client address, in the rate-limit store
    # (service_catalog.ratelimit.Lockout), so that nobody can lock an account for its owner. Kept until a
    # migration drops the columns.
    failed_logins: int = 0
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class MaintainerMunicipality(SQLModel, table=True):
    maintainer_id: int = Field(foreign_key="maintainer.id", primary_key=True)
    kommunenummer: str = Field(foreign_key="municipality.kommunenummer", primary_key=True, max_length=4)


class MaintainerPublic(SQLModel):
    username: str
    is_national: bool
    municipalities: list[str]
