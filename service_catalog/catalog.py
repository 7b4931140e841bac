"""Queries and writes on the catalogue tables (the template's crud.py, named for the domain).

Every write goes through here so that it is validated as a whole ``ServiceIn`` and audited.
Functions add to the session and flush; the caller commits, so that one import is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from urllib.parse import quote_plus

from pydantic import ValidationError
from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from service_catalog.errors import NotFound
from service_catalog.models import (
    AuditEntry,
    ClosedDate,
    DoorAbsence,
    Municipality,
    RoutingRule,
    Schedule,
    Service,
    ServiceArea,
)
from service_catalog.models.municipality import DoorAbsenceIn
from service_catalog.models.routing_rule import RoutingRuleIn
from service_catalog.models.service import (
    Address,
    ClosedDateIn,
    ServiceFields,
    ServiceIn,
    ServicePublic,
    ServiceUpdate,
)
from service_catalog.opening_hours import Interval, format_week
from service_catalog.routing import Candidate, Rule
from service_catalog.vocabulary import Scope, Urgency

# ---------------------------------------------------------------- reading services


def intervals_of(service: Service) -> list[Interval]:
    """The service's weekly opening ranges."""
    return sorted(Interval(s.weekday, s.opens_min, s.closes_min) for s in service.schedules)


def map_url(service: Service) -> str | None:
    """A map search link for the service's address (no third-party call is made by the catalogue)."""
    if not (service.street and service.city):
        return None
    query = quote_plus(f"{service.street}, {service.postal_code or ''} {service.city}")
    return f"https://www.openstreetmap.org/search?query={query}"


def address_of(service: Service) -> Address | None:
    if not (service.street and service.postal_code and service.city):
        return None
    return Address(street=service.street, postal_code=service.postal_code, city=service.city)


def service_to_in(service: Service) -> ServiceIn:
    """The service as a maintainer would write it (the export and audit shape)."""
    fields = {name: getattr(service, name) for name in ServiceFields.model_fields}
    return ServiceIn.model_validate(
        {
            **fields,
            "address": address_of(service),
            "covers": sorted(a.kommunenummer for a in service.areas),
            "hours": format_week(intervals_of(service)),
            "closed_dates": [
                ClosedDateIn(date=c.date, note=c.note) for c in sorted(service.closed_dates, key=lambda c: c.date)
            ],
            "languages": list(service.languages),
        }
    )


def service_to_public(service: Service) -> ServicePublic:
    """The service as the public API shows it."""
    assert service.id is not None
    data = service_to_in(service).model_dump()
    return ServicePublic.model_validate(
        {
            **data,
            "id": service.id,
            "kommunenummer": service.kommunenummer,
            "map_url": map_url(service),
            "created_at": service.created_at,
            "updated_at": service.updated_at,
        }
    )


def snapshot(service: Service) -> dict[str, Any]:
    """A JSON-ready copy of a service for the audit log."""
    try:
        return {"kommunenummer": service.kommunenummer, **service_to_in(service).model_dump(mode="json")}
    except ValidationError:
        # A row written under older rules still gets an audit entry, with what can be shown of it.
        return {"kommunenummer": service.kommunenummer, "key": service.key, "name": service.name, "invalid": True}


def get_service(session: Session, service_id: int) -> Service:
    """The service with this id, or NotFound."""
    service = session.get(Service, service_id)
    if service is None:
        raise NotFound(f"no service with id {service_id}")
    return service


def get_service_by_key(session: Session, key: str) -> Service | None:
    return session.exec(select(Service).where(Service.key == key)).first()


def list_services(
    session: Session,
    *,
    kommuner: Sequence[str] | None = None,
    national: bool = False,
    door: str | None = None,
    q: str | None = None,
    active: bool | None = True,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Service], int]:
    """Services filtered by owner municipality, door, text and state, with the total count."""
    stmt = select(Service)
    owners = []
    if kommuner is not None:
        owners.append(col(Service.kommunenummer).in_(list(kommuner)))
    if national:
        owners.append(col(Service.kommunenummer).is_(None))
    if owners:
        stmt = stmt.where(or_(*owners))
    elif kommuner is not None:
        stmt = stmt.where(col(Service.id).is_(None))
    if door:
        stmt = stmt.where(Service.door == door)
    if active is not None:
        stmt = stmt.where(Service.active == active)
    if q:
        pattern = f"%{q.lower()}%"
        stmt = stmt.where(or_(func.lower(Service.name).like(pattern), func.lower(Service.description).like(pattern)))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(Service.kommunenummer, Service.door, Service.name).offset(offset).limit(limit))
    return list(rows.all()), int(total)


def regional_services_reaching(
    session: Session, kommuner: Sequence[str] | None, *, active: bool | None = True
) -> list[Service]:
    """Regional services owned by another catalogue than these kommuner that cover one of them (None: all)."""
    stmt = select(Service).where(Service.scope == Scope.regional)
    if kommuner is not None:
        covering = select(ServiceArea.service_id).where(col(ServiceArea.kommunenummer).in_(list(kommuner)))
        stmt = stmt.where(col(Service.id).in_(covering), col(Service.kommunenummer).not_in(list(kommuner)))
    if active is not None:
        stmt = stmt.where(Service.active == active)
    return list(session.exec(stmt.order_by(Service.kommunenummer, Service.door, Service.name)).all())


def unverified_services(
    session: Session, *, before: date, kommuner: Sequence[str] | None, national: bool
) -> list[Service]:
    """Active services whose facts were last checked before ``before``, oldest first."""
    services, _ = list_services(session, kommuner=kommuner, national=national, active=True, limit=10_000)
    return sorted((s for s in services if s.last_verified < before), key=lambda s: (s.last_verified, s.name))


# ---------------------------------------------------------------- writing services


def write_service(
    session: Session, data: ServiceIn, *, kommunenummer: str | None, existing: Service | None = None
) -> Service:
    """Create a service, or overwrite ``existing`` with ``data`` (all fields, hours, dates and area)."""
    service = existing or Service(
        key=data.key, door=data.door, name=data.name, source=data.source, last_verified=data.last_verified
    )
    for name in ServiceFields.model_fields:
        setattr(service, name, getattr(data, name))
    service.kommunenummer = None if data.scope is Scope.national else kommunenummer
    service.street = data.address.street if data.address else None
    service.postal_code = data.address.postal_code if data.address else None
    service.city = data.address.city if data.address else None
    service.languages = list(data.languages)
    service.updated_at = datetime.now(UTC)
    # Replace child rows wholesale: a service has a handful of them and this keeps edits exact.
    service.schedules = [
        Schedule(weekday=iv.weekday, opens_min=iv.opens, closes_min=iv.closes) for iv in _intervals(data)
    ]
    service.closed_dates = [ClosedDate(date=c.date, note=c.note) for c in data.closed_dates]
    service.areas = [ServiceArea(kommunenummer=k) for k in dict.fromkeys(data.covers)]
    session.add(service)
    session.flush()
    return service


def _intervals(data: ServiceIn) -> list[Interval]:
    from service_catalog.opening_hours import parse_week

    return parse_week(data.hours)


def merged(service: Service, update: ServiceUpdate) -> ServiceIn:
    """The whole service after a partial update, validated again as a whole (age band, phones, hours)."""
    current = service_to_in(service).model_dump()
    current.update(update.model_dump(exclude_unset=True))
    return ServiceIn.model_validate(current)


def set_active(session: Session, service: Service, active: bool) -> Service:
    """Deactivate (soft delete) or restore a service."""
    service.active = active
    service.updated_at = datetime.now(UTC)
    session.add(service)
    session.flush()
    return service


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    kommunenummer: str | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Record one change in the audit log (in the caller's transaction)."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        kommunenummer=kommunenummer,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


def audit_service(
    session: Session, *, actor: str, action: str, service: Service, before: dict[str, Any] | None
) -> AuditEntry:
    """Record a change of one service, with its state before and (from the row) after."""
    return audit(
        session,
        actor=actor,
        action=action,
        entity="service",
        entity_id=str(service.id),
        kommunenummer=service.kommunenummer,
        before=before,
        after=snapshot(service),
    )


def audit_entries(
    session: Session, *, kommuner: Sequence[str] | None, limit: int, offset: int
) -> tuple[list[AuditEntry], int]:
    """Audit entries of these municipalities (None: every entry), newest first, with the total count."""
    stmt = select(AuditEntry)
    if kommuner is not None:
        stmt = stmt.where(col(AuditEntry.kommunenummer).in_(list(kommuner)))
    count = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).offset(offset).limit(limit))
    return list(rows.all()), int(count)


# ---------------------------------------------------------------- routing data


def scope_rules(session: Session, kommunenummer: str | None) -> list[RoutingRule]:
    """The routing table of one scope: a municipality's own rules, or the national ones (None)."""
    owner = (
        col(RoutingRule.kommunenummer).is_(None)
        if kommunenummer is None
        else col(RoutingRule.kommunenummer) == kommunenummer
    )
    return list(session.exec(select(RoutingRule).where(owner).order_by(col(RoutingRule.id))).all())


def rule_data(rule: RoutingRuleIn | RoutingRule) -> dict[str, Any]:
    """A routing rule as plain data (audit snapshots, comparisons, writing)."""
    return {
        "need": rule.need,
        "urgency": str(rule.urgency),
        "doors": list(rule.doors),
        "age_min": rule.age_min,
        "age_max": rule.age_max,
        "note": rule.note,
    }


# A row of a table that is replaced whole for a scope.
Row = TypeVar("Row", RoutingRule, DoorAbsence)


def absence_data(absence: DoorAbsenceIn | DoorAbsence) -> dict[str, Any]:
    """A door a municipality lacks, as plain data (audit snapshots, comparisons)."""
    return {
        "door": absence.door,
        "note": absence.note,
        "source": absence.source,
        "last_verified": absence.last_verified.isoformat(),
    }


def replace_and_audit(
    session: Session,
    *,
    old: Sequence[Row],
    new: Sequence[Row],
    data: Callable[[Row], dict[str, Any]],
    table: str,
    actor: str,
    action: str,
    entity: str,
    kommunenummer: str | None,
) -> None:
    """Replace a scope's whole table (routing rules, absent doors) and record one audit entry of before and after.

    The one write path of the admin API, the maintainer pages and the importer; the caller commits or rolls back.
    """
    before = {table: [data(row) for row in old]}
    for row in old:
        session.delete(row)
    session.flush()  # unique keys such as (kommune, door): the old rows go before the new ones arrive
    session.add_all(new)
    session.flush()
    audit(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=kommunenummer or "national",
        kommunenummer=kommunenummer,
        before=before,
        after={table: [data(row) for row in new]},
    )


def rules_for_need(session: Session, need: str, kommunenummer: str | None) -> list[RoutingRule]:
    """National rules for the need plus the municipality's own, if any."""
    owners: list[ColumnElement[bool]] = [col(RoutingRule.kommunenummer).is_(None)]
    if kommunenummer:
        owners.append(col(RoutingRule.kommunenummer) == kommunenummer)
    stmt = select(RoutingRule).where(RoutingRule.need == need, or_(*owners)).order_by(col(RoutingRule.id))
    return list(session.exec(stmt).all())


def services_for_doors(session: Session, doors: Sequence[str], kommunenummer: str | None) -> list[Service]:
    """Every service (active or not) of these doors that could serve this municipality."""
    reach = [col(Service.scope) == Scope.national]
    if kommunenummer:
        covered = select(ServiceArea.service_id).where(ServiceArea.kommunenummer == kommunenummer)
        reach.append(col(Service.kommunenummer) == kommunenummer)
        reach.append(col(Service.id).in_(covered))
    stmt = select(Service).where(col(Service.door).in_(list(doors)), or_(*reach)).order_by(col(Service.id))
    return list(session.exec(stmt).all())


def absences(session: Session, kommunenummer: str | None) -> list[DoorAbsence]:
    if not kommunenummer:
        return []
    return list(session.exec(select(DoorAbsence).where(DoorAbsence.kommunenummer == kommunenummer)).all())


def get_municipality(session: Session, kommunenummer: str) -> Municipality | None:
    return session.get(Municipality, kommunenummer)


def candidate_of(service: Service) -> Candidate:
    """The routing facts of a service row (no validation round trip: this is the hot path)."""
    assert service.id is not None
    return Candidate(
        id=service.id,
        key=service.key,
        door=service.door,
        name=service.name,
        description=service.description,
        scope=Scope(service.scope),
        kommunenummer=service.kommunenummer,
        active=service.active,
        covers=tuple(a.kommunenummer for a in service.areas),
        phone=service.phone,
        sms=service.sms,
        chat_url=service.chat_url,
        url=service.url,
        email=service.email,
        address=address_of(service),
        map_url=map_url(service),
        open_24_7=service.open_24_7,
        closed_on_holidays=service.closed_on_holidays,
        intervals=tuple(intervals_of(service)),
        closed_dates=frozenset(c.date for c in service.closed_dates),
        age_min=service.age_min,
        age_max=service.age_max,
        referral_required=service.referral_required,
        cost=str(service.cost),
        cost_note=service.cost_note,
        anonymous=service.anonymous,
        languages=tuple(service.languages),
        last_verified=service.last_verified,
        source=service.source,
        example=service.example,
    )


def rule_of(rule: RoutingRule) -> Rule:
    assert rule.id is not None
    return Rule(
        id=rule.id,
        kommunenummer=rule.kommunenummer,
        need=rule.need,
        urgency=Urgency(rule.urgency),
        doors=tuple(rule.doors),
        age_min=rule.age_min,
        age_max=rule.age_max,
    )
