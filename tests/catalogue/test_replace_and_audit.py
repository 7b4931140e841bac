"""The one write path for tables a scope replaces whole (service_catalog.catalog.replace_and_audit)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from service_catalog import catalog
from service_catalog.models import AuditEntry, DoorAbsence

KOMMUNE = "9999"  # the invented example municipality of the seed catalogue


def absence(door: str) -> DoorAbsence:
    return DoorAbsence(
        door=door, source="invented example (test)", last_verified=date(2026, 12, 1), kommunenummer=KOMMUNE
    )


def replace(session: Session, doors: list[str]) -> None:
    old = list(session.exec(select(DoorAbsence).where(DoorAbsence.kommunenummer == KOMMUNE)).all())
    catalog.replace_and_audit(
        session,
        old=old,
        new=[absence(d) for d in doors],
        data=catalog.absence_data,
        table="absent_doors",
        actor="test",
        action="absent_doors.replace",
        entity="door_absences",
        kommunenummer=KOMMUNE,
    )


def test_the_new_rows_replace_the_old_and_one_audit_entry_holds_both(session: Session) -> None:
    replace(session, ["familievern"])
    replace(session, ["familievern", "mobbeombud"])
    doors = session.exec(select(DoorAbsence.door).where(DoorAbsence.kommunenummer == KOMMUNE)).all()
    assert sorted(doors) == ["familievern", "mobbeombud"]
    last = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
    assert last is not None and last.action == "absent_doors.replace"
    assert [a["door"] for a in (last.before or {})["absent_doors"]] == ["familievern"]
    assert [a["door"] for a in (last.after or {})["absent_doors"]] == ["familievern", "mobbeombud"]
