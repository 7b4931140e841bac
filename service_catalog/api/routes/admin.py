"""The maintainers' API under ``/api/v1/admin``: services, routing table, absent doors, import/export, audit.

Every route needs a bearer token (``service_catalog.auth``). Which scope a maintainer may touch is
decided by dependencies, never by checks copied into routes: ``EditableScope`` / ``EditableKommune``
for a ``?kommune=`` parameter (left out: the national catalogue), ``EditableService`` /
``EditableRule`` for an entry by id (404 when it does not exist, then 403 when it is not yours).

Every write records an audit entry with the state before and after, in the same transaction, and
commits. CSRF does not apply: the token travels in the Authorization header and never in a cookie.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Query, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session, select

from service_catalog import catalog, maintenance
from service_catalog.auth import (
    EditableKommune,
    EditableScope,
    MaintainerDep,
    VisibleKommuner,
    current_maintainer,
    require_editable,
)
from service_catalog.deps import ItemId, SessionDep, SettingsDep, VocabularyDep
from service_catalog.errors import Unprocessable
from service_catalog.field_types import Age, Note, Source
from service_catalog.importer import ImportPlan
from service_catalog.models import DoorAbsence, RoutingRule, Service
from service_catalog.models.audit import AuditEntryPublic
from service_catalog.models.municipality import DoorAbsenceIn, DoorAbsencePublic
from service_catalog.models.routing_rule import RoutingRuleIn, RoutingRulePublic
from service_catalog.models.service import ServiceIn, ServicePublic, ServicesPublic, ServiceUpdate
from service_catalog.vocabulary import NeedCode, RuleDoor, Urgency

router = APIRouter(prefix="/api/v1/admin", tags=["admin"], dependencies=[Depends(current_maintainer)])

MAX_TABLE_ROWS = 2000
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


class VerifyIn(BaseModel):
    source: Source | None = Field(default=None, description="Where the facts were checked, when it changed")


class RoutingRuleUpdate(BaseModel):
    """A partial change of one routing rule: only the fields sent are changed."""

    need: NeedCode | None = Field(default=None, max_length=40)
    urgency: Urgency | None = None
    doors: list[RuleDoor] | None = Field(default=None, min_length=1, max_length=20)
    age_min: Age | None = None
    age_max: Age | None = None
    note: Note | None = Field(default=None, max_length=500)


class ExportFormat(StrEnum):
    yaml = "yaml"
    csv = "csv"


class ImportOutcome(BaseModel):
    dry_run: bool = Field(description="True when nothing was written")
    plan: ImportPlan


class AuditPage(BaseModel):
    data: list[AuditEntryPublic]
    count: int


# ---------------------------------------------------------------- dependencies for entries by id


def editable_service(session: SessionDep, maintainer: MaintainerDep, service_id: ItemId) -> Service:
    """The service with this id (404), when its municipality is the maintainer's (403)."""
    return maintenance.service_for_edit(session, maintainer, service_id)


def editable_rule(session: SessionDep, maintainer: MaintainerDep, rule_id: ItemId) -> RoutingRule:
    """The routing rule with this id (404), when its scope is the maintainer's (403)."""
    return maintenance.rule_for_edit(session, maintainer, rule_id)


@contextmanager
def _as_request_error() -> Iterator[None]:
    # A whole service or rule checked outside request parsing: the same 422 answer as a bad request body.
    try:
        yield
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False, include_input=False)) from None


def national_listing(session: SessionDep, maintainer: MaintainerDep, national: bool = False) -> bool:
    """``?national=true``, allowed for national maintainers only."""
    if national:
        require_editable(session, maintainer, None)
    return national


EditableService = Annotated[Service, Depends(editable_service)]
EditableRule = Annotated[RoutingRule, Depends(editable_rule)]
NationalListing = Annotated[bool, Depends(national_listing)]


# ---------------------------------------------------------------- services


@router.get("/services")
def list_services(
    *,
    session: SessionDep,
    kommuner: VisibleKommuner,
    national: NationalListing,
    door: Annotated[str | None, Query(max_length=40)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    active: bool | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ServicesPublic:
    """The services you may edit, filtered by kommune (or ``national=true``), door, text and state."""
    if national and kommuner is None:
        kommuner = []  # national only, not "every municipality" as well
    services, count = catalog.list_services(
        session, kommuner=kommuner, national=national, door=door, q=q, active=active, limit=limit, offset=offset
    )
    return ServicesPublic(data=[catalog.service_to_public(s) for s in services], count=count)


@router.get("/regional-services")
def list_regional_services(
    *, session: SessionDep, kommuner: VisibleKommuner, active: bool | None = True, limit: Limit = 50, offset: Offset = 0
) -> ServicesPublic:
    """Regional services of other catalogues that show in your kommuner's chat (``?kommune=`` for one); read only."""
    services = catalog.regional_services_reaching(session, kommuner, active=active)
    page = services[offset : offset + limit]
    return ServicesPublic(data=[catalog.service_to_public(s) for s in page], count=len(services))


@router.post("/services", status_code=201)
def create_service(
    *, session: SessionDep, maintainer: MaintainerDep, scope: EditableScope, service_in: ServiceIn
) -> ServicePublic:
    """Add a service to ``?kommune=`` (or, without it, to the national catalogue)."""
    return catalog.service_to_public(maintenance.create_service(session, maintainer, scope, service_in))


@router.get("/services/{service_id}")
def get_service(*, service: EditableService) -> ServicePublic:
    """One service you may edit, active or not."""
    return catalog.service_to_public(service)


@router.patch("/services/{service_id}")
def update_service(
    *, session: SessionDep, maintainer: MaintainerDep, service: EditableService, update: ServiceUpdate
) -> ServicePublic:
    """Change the fields sent; the whole service is checked again before anything is written."""
    with _as_request_error():
        maintenance.update_service(session, maintainer, service, update)
    return catalog.service_to_public(service)


@router.post("/services/{service_id}/deactivate")
def deactivate_service(*, session: SessionDep, maintainer: MaintainerDep, service: EditableService) -> ServicePublic:
    """Take a service out of the answers (a soft delete; restore undoes it)."""
    return catalog.service_to_public(maintenance.set_active(session, maintainer, service, active=False))


@router.post("/services/{service_id}/restore")
def restore_service(*, session: SessionDep, maintainer: MaintainerDep, service: EditableService) -> ServicePublic:
    """Bring a deactivated service back."""
    return catalog.service_to_public(maintenance.set_active(session, maintainer, service, active=True))


@router.post("/services/{service_id}/verify")
def verify_service(
    *,
    session: SessionDep,
    settings: SettingsDep,
    maintainer: MaintainerDep,
    service: EditableService,
    body: Annotated[VerifyIn | None, Body()] = None,
) -> ServicePublic:
    """Record that a person checked the facts today (optionally from a new source)."""
    source = body.source if body is not None else None
    with _as_request_error():
        maintenance.verify_service(session, maintainer, service, on=maintenance.today(settings), source=source)
    return catalog.service_to_public(service)


@router.get("/unverified")
def list_unverified(*, session: SessionDep, settings: SettingsDep, kommuner: VisibleKommuner) -> list[ServicePublic]:
    """Active services you may edit whose facts nobody has checked for ``unverified_after_days`` days."""
    return [catalog.service_to_public(s) for s in maintenance.unverified(session, settings, kommuner)]


# ---------------------------------------------------------------- routing table


@router.get("/routing")
def list_routing(*, session: SessionDep, scope: EditableScope) -> list[RoutingRulePublic]:
    """The routing rules of ``?kommune=`` (its local overrides), or the national table without it."""
    return [RoutingRulePublic.model_validate(r) for r in catalog.scope_rules(session, scope)]


@router.put("/routing")
def replace_routing(
    *,
    session: SessionDep,
    maintainer: MaintainerDep,
    vocabulary: VocabularyDep,
    scope: EditableScope,
    rules: Annotated[list[RoutingRuleIn], Body(max_length=MAX_TABLE_ROWS)],
) -> list[RoutingRulePublic]:
    """Replace the whole routing table of the scope with these rules."""
    new = maintenance.replace_rules(session, maintainer, vocabulary, scope, rules)
    return [RoutingRulePublic.model_validate(r) for r in new]


@router.post("/routing", status_code=201)
def create_rule(
    *,
    session: SessionDep,
    maintainer: MaintainerDep,
    vocabulary: VocabularyDep,
    scope: EditableScope,
    rule_in: RoutingRuleIn,
) -> RoutingRulePublic:
    """Add one routing rule to the scope."""
    return RoutingRulePublic.model_validate(maintenance.create_rule(session, maintainer, vocabulary, scope, rule_in))


@router.patch("/routing/{rule_id}")
def update_rule(
    *,
    session: SessionDep,
    maintainer: MaintainerDep,
    vocabulary: VocabularyDep,
    rule: EditableRule,
    update: RoutingRuleUpdate,
) -> RoutingRulePublic:
    """Change the fields sent of one routing rule; the whole rule is checked again."""
    with _as_request_error():
        maintenance.update_rule(session, maintainer, vocabulary, rule, update.model_dump(exclude_unset=True))
    return RoutingRulePublic.model_validate(rule)


@router.delete("/routing/{rule_id}", status_code=204)
def delete_rule(*, session: SessionDep, maintainer: MaintainerDep, rule: EditableRule) -> Response:
    """Remove one routing rule (the national rule applies again where a local one is removed)."""
    maintenance.delete_rule(session, maintainer, rule)
    return Response(status_code=204)


# ---------------------------------------------------------------- absent doors


@router.get("/absent-doors")
def list_absent_doors(*, session: SessionDep, kommune: EditableKommune) -> list[DoorAbsencePublic]:
    """The doors this municipality has recorded that it lacks."""
    return [DoorAbsencePublic.model_validate(a, from_attributes=True) for a in _absences(session, kommune)]


@router.put("/absent-doors")
def replace_absent_doors(
    *,
    session: SessionDep,
    maintainer: MaintainerDep,
    kommune: EditableKommune,
    absences: Annotated[list[DoorAbsenceIn], Body(max_length=100)],
) -> list[DoorAbsencePublic]:
    """Replace the municipality's list of doors it lacks."""
    doors = [a.door for a in absences]
    repeated = next((d for i, d in enumerate(doors) if d in doors[:i]), None)
    if repeated is not None:
        raise Unprocessable(f"'{repeated}' is listed twice")
    new = [DoorAbsence(**a.model_dump(), kommunenummer=kommune) for a in absences]
    catalog.replace_and_audit(
        session,
        old=_absences(session, kommune),
        new=new,
        data=catalog.absence_data,
        table="absent_doors",
        actor=maintainer.username,
        action="absent_doors.replace",
        entity="door_absences",
        kommunenummer=kommune,
    )
    session.commit()
    return [DoorAbsencePublic.model_validate(a, from_attributes=True) for a in new]


def _absences(session: Session, kommune: str) -> list[DoorAbsence]:
    stmt = select(DoorAbsence).where(DoorAbsence.kommunenummer == kommune).order_by(DoorAbsence.door)
    return list(session.exec(stmt).all())


# ---------------------------------------------------------------- import and export


@router.post("/import")
def import_file(
    *,
    session: SessionDep,
    maintainer: MaintainerDep,
    vocabulary: VocabularyDep,
    scope: EditableScope,
    file: Annotated[UploadFile, File(description="A catalogue file: .yaml, .yml or .csv (data/catalogue/FORMAT.md)")],
    dry_run: bool = True,
    replace: bool = True,
) -> ImportOutcome:
    """Import a catalogue file for ``?kommune=`` (or the national one), all or nothing; a dry run by default."""
    plan = maintenance.import_file(
        session,
        maintainer,
        vocabulary,
        scope=scope,
        filename=file.filename or "",
        content=file.file.read(),
        dry_run=dry_run,
        replace=replace,
    )
    return ImportOutcome(dry_run=dry_run, plan=plan)


@router.get("/export", response_class=Response, responses={200: {"content": {"application/yaml": {}, "text/csv": {}}}})
def export_file(*, session: SessionDep, scope: EditableScope, format: ExportFormat = ExportFormat.yaml) -> Response:
    """The scope's catalogue as a file in the import format (export, then import, changes nothing)."""
    exported = maintenance.export_file(session, scope, as_csv=format is ExportFormat.csv)
    headers = {"Content-Disposition": f'attachment; filename="{exported.filename}"'}
    return Response(content=exported.content, media_type=exported.media_type, headers=headers)


# ---------------------------------------------------------------- audit log


@router.get("/audit")
def list_audit(*, session: SessionDep, kommuner: VisibleKommuner, limit: Limit = 50, offset: Offset = 0) -> AuditPage:
    """Who changed what in your municipalities (and, for national maintainers, everywhere), newest first."""
    entries, count = catalog.audit_entries(session, kommuner=kommuner, limit=limit, offset=offset)
    return AuditPage(data=[AuditEntryPublic.model_validate(e, from_attributes=True) for e in entries], count=count)
