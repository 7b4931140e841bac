"""The maintainers' API under ``/api/v1/admin``: services, routing table, absent doors, import/export, audit.

Every route needs a bearer token (``service_catalog.auth``). Which scope a maintainer may touch is
decided by dependencies, never by checks copied into routes: ``EditableScope`` / ``EditableKommune``
for a ``?kommune=`` parameter (left out: the national catalogue), ``EditableService`` /
``EditableRule`` for an entry by id (404 when it does not exist, then 403 when it is not yours).

Every write records an audit entry with the state before and after, in the same transaction, and
commits. CSRF does not apply: the token travels in the Authorization header and never in a cookie.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import PurePath
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Body, Depends, File, Query, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session, col, func, select

from service_catalog import catalog
from service_catalog.auth import (
    EditableKommune,
    EditableScope,
    MaintainerDep,
    VisibleKommuner,
    current_maintainer,
    may_edit,
    require_editable,
)
from service_catalog.config import Settings
from service_catalog.deps import ItemId, SessionDep, SettingsDep, VocabularyDep
from service_catalog.errors import CatalogError, Conflict, Forbidden, ImportProblem, ImportRejected, NotFound
from service_catalog.field_types import Age, Note, Source
from service_catalog.importer import ImportPlan, apply_import, export_document, plan_import
from service_catalog.interchange import CatalogueDocument, dump_csv, dump_yaml, parse_csv, parse_yaml
from service_catalog.models import AuditEntry, DoorAbsence, Maintainer, Municipality, RoutingRule, Service
from service_catalog.models.audit import AuditEntryPublic
from service_catalog.models.municipality import DoorAbsenceIn, DoorAbsencePublic
from service_catalog.models.routing_rule import RoutingRuleIn, RoutingRulePublic
from service_catalog.models.service import ServiceIn, ServicePublic, ServicesPublic, ServiceUpdate
from service_catalog.vocabulary import DoorCode, NeedCode, Scope, Urgency, Vocabulary

router = APIRouter(prefix="/api/v1/admin", tags=["admin"], dependencies=[Depends(current_maintainer)])

MAX_TABLE_ROWS = 2000
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


class Unprocessable(CatalogError):
    """The request is well-formed but asks for something the catalogue cannot hold."""

    status_code = 422


class VerifyIn(BaseModel):
    source: Source | None = Field(default=None, description="Where the facts were checked, when it changed")


class RoutingRuleUpdate(BaseModel):
    """A partial change of one routing rule: only the fields sent are changed."""

    need: NeedCode | None = Field(default=None, max_length=40)
    urgency: Urgency | None = None
    doors: list[DoorCode] | None = Field(default=None, min_length=1, max_length=20)
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
    service = catalog.get_service(session, service_id)
    require_editable(session, maintainer, service.kommunenummer)
    return service


def editable_rule(session: SessionDep, maintainer: MaintainerDep, rule_id: ItemId) -> RoutingRule:
    """The routing rule with this id (404), when its scope is the maintainer's (403)."""
    rule = session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound(f"no routing rule with id {rule_id}")
    require_editable(session, maintainer, rule.kommunenummer)
    return rule


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


@router.post("/services", status_code=201)
def create_service(
    *, session: SessionDep, maintainer: MaintainerDep, scope: EditableScope, service_in: ServiceIn
) -> ServicePublic:
    """Add a service to ``?kommune=`` (or, without it, to the national catalogue)."""
    _check_scope_matches(service_in, scope)
    if catalog.get_service_by_key(session, service_in.key) is not None:
        raise Conflict(f"a service with the key '{service_in.key}' exists already; choose another key")
    _check_covers(session, service_in)
    service = catalog.write_service(session, service_in, kommunenummer=scope)
    _audit_service(session, maintainer, "service.create", service, before=None)
    session.commit()
    return catalog.service_to_public(service)


@router.get("/services/{service_id}")
def get_service(*, service: EditableService) -> ServicePublic:
    """One service you may edit, active or not."""
    return catalog.service_to_public(service)


@router.patch("/services/{service_id}")
def update_service(
    *, session: SessionDep, maintainer: MaintainerDep, service: EditableService, update: ServiceUpdate
) -> ServicePublic:
    """Change the fields sent; the whole service is checked again before anything is written."""
    data = _merged(service, update)
    _check_scope_matches(data, service.kommunenummer)
    _check_covers(session, data)
    before = _snapshot(service)
    catalog.write_service(session, data, kommunenummer=service.kommunenummer, existing=service)
    _audit_service(session, maintainer, "service.update", service, before=before)
    session.commit()
    return catalog.service_to_public(service)


@router.post("/services/{service_id}/deactivate")
def deactivate_service(*, session: SessionDep, maintainer: MaintainerDep, service: EditableService) -> ServicePublic:
    """Take a service out of the answers (a soft delete; restore undoes it)."""
    return _set_active(session, maintainer, service, active=False)


@router.post("/services/{service_id}/restore")
def restore_service(*, session: SessionDep, maintainer: MaintainerDep, service: EditableService) -> ServicePublic:
    """Bring a deactivated service back."""
    return _set_active(session, maintainer, service, active=True)


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
    changes: dict[str, Any] = {"last_verified": _today(settings)}
    if body is not None and body.source is not None:
        changes["source"] = body.source
    data = _merged(service, ServiceUpdate.model_validate(changes))
    before = _snapshot(service)
    catalog.write_service(session, data, kommunenummer=service.kommunenummer, existing=service)
    _audit_service(session, maintainer, "service.verify", service, before=before)
    session.commit()
    return catalog.service_to_public(service)


@router.get("/unverified")
def list_unverified(*, session: SessionDep, settings: SettingsDep, kommuner: VisibleKommuner) -> list[ServicePublic]:
    """Active services you may edit whose facts nobody has checked for ``unverified_after_days`` days."""
    before = _today(settings) - timedelta(days=settings.unverified_after_days)
    services = catalog.unverified_services(session, before=before, kommuner=kommuner, national=False)
    return [catalog.service_to_public(s) for s in services]


def _set_active(session: Session, maintainer: Maintainer, service: Service, *, active: bool) -> ServicePublic:
    if service.active != active:
        before = _snapshot(service)
        catalog.set_active(session, service, active)
        _audit_service(session, maintainer, "service.restore" if active else "service.deactivate", service, before)
        session.commit()
    return catalog.service_to_public(service)


def _merged(service: Service, update: ServiceUpdate) -> ServiceIn:
    try:
        return catalog.merged(service, update)
    except ValidationError as error:
        # Raised outside request parsing, so hand it to the same 422 answer as a bad request body.
        raise RequestValidationError(error.errors(include_url=False, include_input=False)) from None


def _check_scope_matches(data: ServiceIn, kommunenummer: str | None) -> None:
    if data.scope is Scope.national and kommunenummer is not None:
        raise Unprocessable("a national service belongs in the national catalogue: leave out ?kommune=")
    if data.scope is not Scope.national and kommunenummer is None:
        raise Unprocessable(f"a {data.scope} service belongs to a kommune: give ?kommune=")


def _check_covers(session: Session, data: ServiceIn) -> None:
    if not data.covers:
        return
    stmt = select(Municipality.kommunenummer).where(col(Municipality.kommunenummer).in_(data.covers))
    unknown = sorted(set(data.covers) - set(session.exec(stmt).all()))
    if unknown:
        raise Unprocessable(f"covers: {', '.join(unknown[:10])} is not a kommunenummer in the municipality list")


def _snapshot(service: Service) -> dict[str, Any]:
    try:
        return catalog.snapshot(service)
    except ValidationError:
        # A row written under older rules still gets an audit entry, with what can be shown of it.
        return {"kommunenummer": service.kommunenummer, "key": service.key, "name": service.name, "invalid": True}


def _audit_service(
    session: Session, maintainer: Maintainer, action: str, service: Service, before: dict[str, Any] | None
) -> None:
    catalog.audit(
        session,
        actor=maintainer.username,
        action=action,
        entity="service",
        entity_id=str(service.id),
        kommunenummer=service.kommunenummer,
        before=before,
        after=_snapshot(service),
    )


def _today(settings: Settings) -> date:
    return datetime.now(ZoneInfo(settings.timezone)).date()


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
    for index, rule in enumerate(rules):
        _check_first_door(vocabulary, rule.doors, where=f"rule {index + 1}: ")
    bands = [_band(r) for r in rules]
    repeated = next((b for i, b in enumerate(bands) if b in bands[:i]), None)
    if repeated is not None:
        raise Unprocessable(f"two rules for '{repeated[0]}' with the same age band; keep one")
    old = catalog.scope_rules(session, scope)
    before = {"rules": [catalog.rule_data(r) for r in old]}
    for row in old:
        session.delete(row)
    session.flush()
    new = [RoutingRule(**rule.model_dump(), kommunenummer=scope) for rule in rules]
    session.add_all(new)
    session.flush()
    _audit_rules(session, maintainer, "routing.replace", scope, before, {"rules": [catalog.rule_data(r) for r in new]})
    session.commit()
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
    _check_first_door(vocabulary, rule_in.doors)
    _check_band_free(session, scope, _band(rule_in))
    rule = RoutingRule(**rule_in.model_dump(), kommunenummer=scope)
    session.add(rule)
    session.flush()
    _audit_rule(session, maintainer, "routing.create", rule, before=None, after=catalog.rule_data(rule))
    session.commit()
    return RoutingRulePublic.model_validate(rule)


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
    current = catalog.rule_data(rule)
    try:
        data = RoutingRuleIn.model_validate({**current, **update.model_dump(exclude_unset=True)})
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False, include_input=False)) from None
    _check_first_door(vocabulary, data.doors)
    if _band(data) != _band(rule):
        _check_band_free(session, rule.kommunenummer, _band(data))
    rule.sqlmodel_update(data.model_dump())
    rule.updated_at = datetime.now(UTC)
    session.add(rule)
    session.flush()
    _audit_rule(session, maintainer, "routing.update", rule, before=current, after=catalog.rule_data(rule))
    session.commit()
    return RoutingRulePublic.model_validate(rule)


@router.delete("/routing/{rule_id}", status_code=204)
def delete_rule(*, session: SessionDep, maintainer: MaintainerDep, rule: EditableRule) -> Response:
    """Remove one routing rule (the national rule applies again where a local one is removed)."""
    before = catalog.rule_data(rule)
    session.delete(rule)
    session.flush()
    _audit_rule(session, maintainer, "routing.delete", rule, before=before, after=None)
    session.commit()
    return Response(status_code=204)


def _check_first_door(vocabulary: Vocabulary, doors: list[str], *, where: str = "") -> None:
    # Specialist doors (BUP, Statens barnehus) need a referral: a young person cannot open them first.
    first = vocabulary.doors.get(doors[0]) if doors else None
    if first is not None and first.specialist:
        raise Unprocessable(
            f"{where}'{first.code}' needs a referral, so it can never be the first or only door of a rule; "
            "put a first-line door (such as helsesykepleier or fastlege) before it"
        )


def _band(rule: RoutingRuleIn | RoutingRule) -> tuple[str, int | None, int | None]:
    return (rule.need, rule.age_min, rule.age_max)


def _check_band_free(session: Session, scope: str | None, band: tuple[str, int | None, int | None]) -> None:
    if any(_band(r) == band for r in catalog.scope_rules(session, scope)):
        raise Conflict(f"there is already a rule for '{band[0]}' with this age band; change that one instead")


def _audit_rule(
    session: Session,
    maintainer: Maintainer,
    action: str,
    rule: RoutingRule,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    catalog.audit(
        session,
        actor=maintainer.username,
        action=action,
        entity="routing_rule",
        entity_id=str(rule.id),
        kommunenummer=rule.kommunenummer,
        before=before,
        after=after,
    )


def _audit_rules(
    session: Session,
    maintainer: Maintainer,
    action: str,
    scope: str | None,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    catalog.audit(
        session,
        actor=maintainer.username,
        action=action,
        entity="routing_rules",
        entity_id=scope or "national",
        kommunenummer=scope,
        before=before,
        after=after,
    )


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
    old = _absences(session, kommune)
    before = {"absent_doors": [_absence_data(a) for a in old]}
    for row in old:
        session.delete(row)
    session.flush()  # (kommune, door) is unique: the old rows go before the new ones arrive
    new = [DoorAbsence(**a.model_dump(), kommunenummer=kommune) for a in absences]
    session.add_all(new)
    session.flush()
    catalog.audit(
        session,
        actor=maintainer.username,
        action="absent_doors.replace",
        entity="door_absences",
        entity_id=kommune,
        kommunenummer=kommune,
        before=before,
        after={"absent_doors": [_absence_data(a) for a in new]},
    )
    session.commit()
    return [DoorAbsencePublic.model_validate(a, from_attributes=True) for a in new]


def _absences(session: Session, kommune: str) -> list[DoorAbsence]:
    stmt = select(DoorAbsence).where(DoorAbsence.kommunenummer == kommune).order_by(DoorAbsence.door)
    return list(session.exec(stmt).all())


def _absence_data(absence: DoorAbsence) -> dict[str, Any]:
    return {
        "door": absence.door,
        "note": absence.note,
        "source": absence.source,
        "last_verified": absence.last_verified.isoformat(),
    }


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
    document = _read_upload(file.filename or "", file.file.read())
    if not may_edit(session, maintainer, document.kommune):
        where = "the national catalogue" if document.kommune is None else f"kommune {document.kommune}"
        raise Forbidden(f"the file is for {where}, which you do not maintain")
    if document.kommune != scope:
        asked = f"kommune {scope}" if scope else "the national catalogue (no ?kommune=)"
        found = f"kommune {document.kommune}" if document.kommune else "the national catalogue"
        raise Unprocessable(f"the file is for {found}, but you asked for {asked}")
    _check_document_rules(vocabulary, document)
    if dry_run:
        return ImportOutcome(dry_run=True, plan=plan_import(session, document, replace=replace))
    try:
        plan = apply_import(session, document, actor=maintainer.username, replace=replace)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportOutcome(dry_run=False, plan=plan)


@router.get("/export", response_class=Response, responses={200: {"content": {"application/yaml": {}, "text/csv": {}}}})
def export_file(*, session: SessionDep, scope: EditableScope, format: ExportFormat = ExportFormat.yaml) -> Response:
    """The scope's catalogue as a file in the import format (export, then import, changes nothing)."""
    document = export_document(session, scope)
    name = scope or "national"
    if format is ExportFormat.csv:
        text, media, suffix = dump_csv(document), "text/csv; charset=utf-8", "csv"
    else:
        text, media, suffix = dump_yaml(document), "application/yaml; charset=utf-8", "yml"
    headers = {"Content-Disposition": f'attachment; filename="catalogue-{name}.{suffix}"'}
    return Response(content=text.encode("utf-8"), media_type=media, headers=headers)


def _read_upload(filename: str, content: bytes) -> CatalogueDocument:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".yaml", ".yml", ".csv"}:
        raise ImportRejected(problems=[ImportProblem(None, "file", "send a .yaml, .yml or .csv catalogue file")])
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportRejected(problems=[ImportProblem(None, "file", "the file is not UTF-8 text")]) from None
    name = PurePath(filename).name[:100]
    return parse_csv(text, source_name=name) if suffix == ".csv" else parse_yaml(text, source_name=name)


def _check_document_rules(vocabulary: Vocabulary, document: CatalogueDocument) -> None:
    problems = []
    for index, rule in enumerate(document.routing or []):
        try:
            _check_first_door(vocabulary, rule.doors)
        except Unprocessable as refused:
            path = f"routing[{index}].doors"
            problems.append(ImportProblem(document.line_of(path), path, f"doors: {refused.message}"))
    if problems:
        raise ImportRejected(problems=problems)


# ---------------------------------------------------------------- audit log


@router.get("/audit")
def list_audit(*, session: SessionDep, kommuner: VisibleKommuner, limit: Limit = 50, offset: Offset = 0) -> AuditPage:
    """Who changed what in your municipalities (and, for national maintainers, everywhere), newest first."""
    stmt = select(AuditEntry)
    if kommuner is not None:  # None: a national maintainer sees every entry
        stmt = stmt.where(col(AuditEntry.kommunenummer).in_(kommuner))
    count = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).offset(offset).limit(limit))
    return AuditPage(data=[AuditEntryPublic.model_validate(e, from_attributes=True) for e in rows], count=int(count))
