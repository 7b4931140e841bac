"""Applying a catalogue document to the database, all or nothing, and exporting one back.

:func:`plan_import` checks the document against the database (the kommune and the covered kommuner
exist, no key belongs to another scope) and works out what would change; it writes nothing.
:func:`apply_import` runs the plan first, so any problem stops the import before the first write,
then writes and audits every change in the caller's transaction. The caller commits, or rolls back
when anything raised, so one import is one transaction.

A file that lists services replaces its scope's services: active services of the scope that the file
leaves out are deactivated (never deleted), unless ``replace=False``. A file that lists no services
changes no services (the national routing table is such a file). Routing rules and absent doors are
replaced when the file speaks about them (the field is present) and differ from what is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from sqlmodel import Session, col, select

from service_catalog.catalog import (
    absence_data,
    audit_service,
    replace_and_audit,
    rule_data,
    scope_rules,
    service_to_in,
    set_active,
    snapshot,
    write_service,
)
from service_catalog.errors import ImportProblem, ImportRejected, NotFound
from service_catalog.field_types import Kommunenummer
from service_catalog.interchange import CatalogueDocument
from service_catalog.models import DoorAbsence, Municipality, RoutingRule, Service
from service_catalog.models.municipality import DoorAbsenceIn
from service_catalog.models.routing_rule import RoutingRuleIn
from service_catalog.models.service import ServiceIn
from service_catalog.vocabulary import Scope

_KOMMUNE = TypeAdapter(Kommunenummer)


class ImportPlan(BaseModel):
    """What an import changes (or would change): service keys by outcome, and the routing data."""

    kommune: str | None = Field(description="The municipality the file is for; None for the national file")
    created: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    deactivated: list[str] = Field(default_factory=list)
    restored: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    rules_replaced: bool = Field(default=False, description="True when the scope's routing rules change")
    rules: int = Field(default=0, description="The scope's routing rules after the import")
    absences_replaced: bool = Field(default=False, description="True when the scope's absent doors change")
    absences: int = Field(default=0, description="The scope's absent doors after the import")


@dataclass
class _Work:
    """The plan with the rows it was computed from, so that applying it does not query again."""

    plan: ImportPlan
    existing: dict[str, Service]
    missing: list[Service]
    actions: dict[str, str] = field(default_factory=dict)  # service key -> audit action
    rules: list[RoutingRule] = field(default_factory=list)
    absent: list[DoorAbsence] = field(default_factory=list)


# ---------------------------------------------------------------- checking and planning


def plan_import(session: Session, doc: CatalogueDocument, *, replace: bool = True) -> ImportPlan:
    """Check the document against the database and list what importing it would change; write nothing."""
    return _plan(session, doc, replace=replace).plan


def _plan(session: Session, doc: CatalogueDocument, *, replace: bool) -> _Work:
    problems = _cross_record_problems(session, doc)
    if problems:
        raise ImportRejected(problems=problems)
    keys = [s.key for s in doc.services]
    existing = {s.key: s for s in session.exec(select(Service).where(col(Service.key).in_(keys)))} if keys else {}
    plan = ImportPlan(kommune=doc.kommune)
    work = _Work(plan=plan, existing=existing, missing=[])
    for incoming in doc.services:
        outcome = _outcome(existing.get(incoming.key), incoming)
        getattr(plan, outcome).append(incoming.key)
        if outcome != "unchanged":
            work.actions[incoming.key] = _ACTIONS[outcome]
    if replace and doc.services:
        listed = set(keys)
        work.missing = [s for s in _scope_services(session, doc.kommune) if s.active and s.key not in listed]
        plan.deactivated.extend(s.key for s in work.missing)
    work.rules = scope_rules(session, doc.kommune)
    if doc.routing is not None:
        plan.rules_replaced = _rule_table(doc.routing) != _rule_table(work.rules)
    plan.rules = len(doc.routing) if doc.routing is not None else len(work.rules)
    if doc.kommune is not None:
        work.absent = _scope_absences(session, doc.kommune)
    if doc.absent_doors is not None:
        plan.absences_replaced = _absence_table(doc.absent_doors) != _absence_table(work.absent)
    plan.absences = len(doc.absent_doors) if doc.absent_doors is not None else len(work.absent)
    return work


_ACTIONS = {
    "created": "import.create",
    "updated": "import.update",
    "deactivated": "import.deactivate",
    "restored": "import.restore",
}


def _outcome(existing: Service | None, incoming: ServiceIn) -> str:
    if existing is None:
        return "created"
    if _canonical_row(existing) == _canonical(incoming):
        return "unchanged"
    if incoming.active and not existing.active:
        return "restored"
    if existing.active and not incoming.active:
        return "deactivated"
    return "updated"


def _canonical(service: ServiceIn) -> dict[str, Any]:
    """The service with its unordered parts in one order, so that listing them differently is no change."""
    data = service.model_dump(mode="json")
    data["covers"] = sorted(set(data["covers"]))
    data["closed_dates"] = sorted(data["closed_dates"], key=lambda c: (c["date"], c["note"] or ""))
    return data


def _canonical_row(service: Service) -> dict[str, Any] | None:
    try:
        return _canonical(service_to_in(service))
    except ValidationError:
        return None  # a row that no longer passes today's checks is rewritten from the file


def _cross_record_problems(session: Session, doc: CatalogueDocument) -> list[ImportProblem]:
    """Every problem that needs the database to see, each with the line and field it concerns."""
    problems: list[ImportProblem] = []

    def add(path: str, message: str) -> None:
        leaf = path.rsplit(".", 1)[-1].split("[", 1)[0]
        problems.append(ImportProblem(doc.line_of(path), path, f"{leaf}: {message}"))

    if doc.kommune is not None and session.get(Municipality, doc.kommune) is None:
        add("kommune", f"'{doc.kommune}' is not a kommunenummer in the municipality list")
    covered = {k for s in doc.services for k in s.covers}
    known = set(
        session.exec(select(Municipality.kommunenummer).where(col(Municipality.kommunenummer).in_(covered))).all()
    )
    keys = [s.key for s in doc.services]
    owners: dict[str, str | None] = {}
    if keys:
        rows = session.exec(select(Service.key, Service.kommunenummer).where(col(Service.key).in_(keys))).all()
        owners = {row[0]: row[1] for row in rows}
    for index, service in enumerate(doc.services):
        here = f"services[{index}]"
        if doc.scope == "national" and service.scope is not Scope.national:
            add(
                f"{here}.scope", "the national file holds national services only; others belong in their kommune's file"
            )
        if doc.scope == "municipal" and service.scope is Scope.national:
            add(f"{here}.scope", "national services belong in the national file")
        for position, kommune in enumerate(service.covers):
            if kommune not in known:
                add(f"{here}.covers[{position}]", f"'{kommune}' is not a kommunenummer in the municipality list")
        if service.key in owners and owners[service.key] != doc.kommune:
            owner = owners[service.key]
            where = "the national catalogue" if owner is None else f"kommune {owner}"
            add(f"{here}.key", f"'{service.key}' already belongs to {where}; choose another key")
    return sorted(problems, key=lambda p: (p.line or 0, p.field))


def _scope_services(session: Session, kommune: str | None) -> list[Service]:
    owner = col(Service.kommunenummer).is_(None) if kommune is None else Service.kommunenummer == kommune
    return list(session.exec(select(Service).where(owner).order_by(Service.key)).all())


def _scope_absences(session: Session, kommune: str) -> list[DoorAbsence]:
    stmt = select(DoorAbsence).where(DoorAbsence.kommunenummer == kommune).order_by(DoorAbsence.door)
    return list(session.exec(stmt).all())


def _rule_order(rule: dict[str, Any]) -> tuple[Any, ...]:
    low, high = rule["age_min"], rule["age_max"]
    return (rule["need"], -1 if low is None else low, 999 if high is None else high, rule["urgency"])


def _rule_table(rules: Sequence[RoutingRuleIn | RoutingRule]) -> list[dict[str, Any]]:
    return sorted((rule_data(r) for r in rules), key=_rule_order)


def _absence_table(absences: Sequence[DoorAbsenceIn | DoorAbsence]) -> list[dict[str, Any]]:
    return sorted((absence_data(a) for a in absences), key=lambda a: str(a["door"]))


# ---------------------------------------------------------------- writing


def apply_import(session: Session, doc: CatalogueDocument, *, actor: str, replace: bool = True) -> ImportPlan:
    """Check, then write and audit every change of the document; the caller commits (or rolls back)."""
    work = _plan(session, doc, replace=replace)
    for incoming in doc.services:
        action = work.actions.get(incoming.key)
        if action is None:
            continue  # unchanged: no write, no audit entry
        row = work.existing.get(incoming.key)
        before = snapshot(row) if row is not None else None
        row = write_service(session, incoming, kommunenummer=doc.kommune, existing=row)
        audit_service(session, actor=actor, action=action, service=row, before=before)
    for row in work.missing:
        before = snapshot(row)
        set_active(session, row, False)
        audit_service(session, actor=actor, action="import.deactivate", service=row, before=before)
    if doc.routing is not None and work.plan.rules_replaced:
        _replace_rules(session, doc.kommune, work.rules, doc.routing, actor)
    if doc.absent_doors is not None and work.plan.absences_replaced:
        assert doc.kommune is not None  # a national document has no absent doors (CatalogueDocument checks)
        _replace_absences(session, doc.kommune, work.absent, doc.absent_doors, actor)
    session.flush()
    return work.plan


def _replace_rules(
    session: Session, kommune: str | None, old: list[RoutingRule], new: list[RoutingRuleIn], actor: str
) -> None:
    replace_and_audit(
        session,
        old=old,
        new=[RoutingRule(**rule_data(rule_in), kommunenummer=kommune) for rule_in in new],
        data=rule_data,
        table="rules",
        actor=actor,
        action="import.routing",
        entity="routing_rules",
        kommunenummer=kommune,
    )


def _replace_absences(
    session: Session, kommune: str, old: list[DoorAbsence], new: list[DoorAbsenceIn], actor: str
) -> None:
    replace_and_audit(
        session,
        old=old,
        new=[DoorAbsence(**absence_in.model_dump(), kommunenummer=kommune) for absence_in in new],
        data=absence_data,
        table="absent_doors",
        actor=actor,
        action="import.absent_doors",
        entity="door_absences",
        kommunenummer=kommune,
    )


# ---------------------------------------------------------------- exporting


def export_document(session: Session, kommunenummer: str | None) -> CatalogueDocument:
    """The scope's whole catalogue (active and inactive services, absent doors, routing) as a document."""
    if kommunenummer is None:
        return CatalogueDocument(
            scope="national",
            example=False,
            services=[service_to_in(s) for s in _scope_services(session, None)],
            routing=_export_rules(session, None),
        )
    try:
        kommune = _KOMMUNE.validate_python(kommunenummer)
    except ValidationError:
        raise NotFound(f"'{kommunenummer[:20]}' is not a kommunenummer") from None
    municipality = session.get(Municipality, kommune)
    if municipality is None:
        raise NotFound(f"no municipality with number {kommune}")
    return CatalogueDocument(
        scope="municipal",
        kommune=kommune,
        example=municipality.example,
        services=[service_to_in(s) for s in _scope_services(session, kommune)],
        absent_doors=[DoorAbsenceIn.model_validate(a, from_attributes=True) for a in _scope_absences(session, kommune)],
        routing=_export_rules(session, kommune),
    )


def _export_rules(session: Session, kommune: str | None) -> list[RoutingRuleIn]:
    return [RoutingRuleIn.model_validate(rule) for rule in _rule_table(scope_rules(session, kommune))]
