"""Edits of the catalogue with their checks and audit entries, shared by the admin API and the maintainer pages.

Each operation is one maintainer action: it checks the whole change, writes it, records an audit entry
with the state before and after in the same transaction, and commits. A refused change raises before
the first write (a :class:`~service_catalog.errors.CatalogError`, or pydantic's ``ValidationError`` for a
service or rule that does not hold together), so nothing is written. Which maintainer may touch which
scope is checked here too (``service_for_edit``, ``rule_for_edit``, ``check_document_scope``), so the
API's bearer token and the pages' session cookie lead to the same answers.

A regional service belongs to one kommune's catalogue and shows in the chat of every kommune it covers.
So that no maintainer can put a service into another municipality's chat, a maintainer may add to
``covers`` only kommuner they maintain (national maintainers: any); a kommune already covered stays when
the service is edited, and may always be taken out (``check_covers``, ``check_document_covers``). The
maintainers of a covered kommune see those services (``catalog.regional_services_reaching``), read only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from service_catalog import catalog
from service_catalog.auth import may_edit, municipalities_of, require_editable
from service_catalog.config import Settings
from service_catalog.errors import (
    NOT_YOUR_CHAT,
    Conflict,
    Forbidden,
    ImportForbidden,
    ImportProblem,
    ImportRejected,
    NotFound,
    NotYourChat,
    Unprocessable,
)
from service_catalog.importer import ImportPlan, apply_import, export_document, plan_import
from service_catalog.interchange import CatalogueDocument, dump_csv, dump_yaml, parse_csv, parse_yaml
from service_catalog.models import Maintainer, Municipality, RoutingRule, Service
from service_catalog.models.routing_rule import RoutingRuleIn
from service_catalog.models.service import ServiceIn, ServiceUpdate
from service_catalog.vocabulary import Scope, Vocabulary, split_rule_door

Band = tuple[str, int | None, int | None]
UPLOAD_SUFFIXES = (".yaml", ".yml", ".csv")


def today(settings: Settings) -> date:
    """Today's date where the catalogue's services are (Europe/Oslo by default)."""
    return datetime.now(ZoneInfo(settings.timezone)).date()


# ---------------------------------------------------------------- finding what a maintainer may edit


def service_for_edit(session: Session, maintainer: Maintainer, service_id: int) -> Service:
    """The service with this id (NotFound), when its municipality is the maintainer's (Forbidden)."""
    service = catalog.get_service(session, service_id)
    require_editable(session, maintainer, service.kommunenummer)
    return service


def rule_for_edit(session: Session, maintainer: Maintainer, rule_id: int) -> RoutingRule:
    """The routing rule with this id (NotFound), when its scope is the maintainer's (Forbidden)."""
    rule = session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound(f"no routing rule with id {rule_id}")
    require_editable(session, maintainer, rule.kommunenummer)
    return rule


# ---------------------------------------------------------------- services


def check_scope_matches(data: ServiceIn, kommunenummer: str | None) -> None:
    """A national service lives in the national catalogue, every other one in a municipality's."""
    if data.scope is Scope.national and kommunenummer is not None:
        raise Unprocessable("a national service belongs in the national catalogue: leave out ?kommune=")
    if data.scope is not Scope.national and kommunenummer is None:
        raise Unprocessable(f"a {data.scope} service belongs to a kommune: give ?kommune=")


def check_covers(session: Session, maintainer: Maintainer, data: ServiceIn, *, already: Sequence[str] = ()) -> None:
    """Every kommune a regional service covers is in the municipality list (Unprocessable), and the maintainer
    may put the service into the chat of every kommune added to those ``already`` covered (Forbidden)."""
    if not data.covers:
        return
    stmt = select(Municipality.kommunenummer).where(col(Municipality.kommunenummer).in_(data.covers))
    unknown = sorted(set(data.covers) - set(session.exec(stmt).all()))
    if unknown:
        raise Unprocessable(f"covers: {', '.join(unknown[:10])} is not a kommunenummer in the municipality list")
    foreign = sorted(not_maintained(session, maintainer, set(data.covers) - set(already)))
    if foreign:
        raise NotYourChat(foreign)


def not_maintained(session: Session, maintainer: Maintainer, kommuner: set[str]) -> set[str]:
    """The kommuner among these that the maintainer does not maintain (none for a national maintainer)."""
    if maintainer.is_national or not kommuner:
        return set()
    return kommuner - set(municipalities_of(session, maintainer))


def create_service(session: Session, maintainer: Maintainer, scope: str | None, data: ServiceIn) -> Service:
    """Add a service to the scope (a kommune, or None for the national catalogue); the caller checked the scope."""
    check_scope_matches(data, scope)
    if catalog.get_service_by_key(session, data.key) is not None:
        raise Conflict(f"a service with the key '{data.key}' exists already; choose another key")
    check_covers(session, maintainer, data)
    service = catalog.write_service(session, data, kommunenummer=scope)
    catalog.audit_service(session, actor=maintainer.username, action="service.create", service=service, before=None)
    session.commit()
    return service


def update_service(
    session: Session, maintainer: Maintainer, service: Service, update: ServiceUpdate, *, action: str = "service.update"
) -> Service:
    """Change the fields set in ``update``; the whole service is checked again (ValidationError) before writing."""
    # Lock the row and read it afresh: two concurrent writers would otherwise both replace the opening
    # hours from the same old state and leave both sets behind (found by tests/faults).
    session.refresh(service, with_for_update=True)
    data = catalog.merged(service, update)
    check_scope_matches(data, service.kommunenummer)
    check_covers(session, maintainer, data, already=[a.kommunenummer for a in service.areas])
    before = catalog.snapshot(service)
    catalog.write_service(session, data, kommunenummer=service.kommunenummer, existing=service)
    catalog.audit_service(session, actor=maintainer.username, action=action, service=service, before=before)
    session.commit()
    return service


def verify_service(
    session: Session, maintainer: Maintainer, service: Service, *, on: date, source: str | None = None
) -> Service:
    """Record that a person checked the facts on ``on`` (optionally from a new source)."""
    changes: dict[str, Any] = {"last_verified": on}
    if source is not None:
        changes["source"] = source
    return update_service(session, maintainer, service, ServiceUpdate.model_validate(changes), action="service.verify")


def set_active(session: Session, maintainer: Maintainer, service: Service, *, active: bool) -> Service:
    """Deactivate (a soft delete) or restore a service; no change, no audit entry."""
    session.refresh(service, with_for_update=True)
    if service.active != active:
        before = catalog.snapshot(service)
        catalog.set_active(session, service, active)
        action = "service.restore" if active else "service.deactivate"
        catalog.audit_service(session, actor=maintainer.username, action=action, service=service, before=before)
        session.commit()
    return service


def unverified(session: Session, settings: Settings, kommuner: Sequence[str] | None) -> list[Service]:
    """Active services of these kommuner (None: all) nobody has checked for ``unverified_after_days`` days."""
    before = today(settings) - timedelta(days=settings.unverified_after_days)
    return catalog.unverified_services(session, before=before, kommuner=kommuner, national=False)


# ---------------------------------------------------------------- routing table


def check_rule_doors(
    session: Session,
    vocabulary: Vocabulary,
    doors: Sequence[str],
    scope: str | None,
    *,
    where: str = "",
    more_services: Sequence[ServiceIn] = (),
) -> None:
    """Refuse a rule whose first door needs a referral, or that names a service the scope cannot use."""
    # Specialist doors (BUP, Statens barnehus) need a referral: a young person cannot open them first.
    first = vocabulary.doors.get(split_rule_door(doors[0])[0]) if doors else None
    if first is not None and first.specialist:
        raise Unprocessable(
            f"{where}'{first.code}' needs a referral, so it can never be the first or only door of a rule; "
            "put a first-line door (such as helsesykepleier or fastlege) before it"
        )
    named = {key: door for door, key in map(split_rule_door, doors) if key is not None}
    if not named:
        return
    usable = {s.key: s.door for s in more_services} | {
        s.key: s.door
        for s in session.exec(select(Service).where(col(Service.key).in_(list(named))))
        if s.scope == Scope.national or s.kommunenummer == scope
    }
    for key, door in named.items():
        if usable.get(key) != door:
            raise Unprocessable(
                f"{where}'{door}:{key}' names no {door} service that "
                + ("the national table" if scope is None else f"kommune {scope}")
                + " can use; write the service's key as it is in the catalogue, or the door code alone"
            )


def band(rule: RoutingRuleIn | RoutingRule) -> Band:
    """What makes a rule unique in its scope: the need and the age band."""
    return (rule.need, rule.age_min, rule.age_max)


def check_band_free(session: Session, scope: str | None, wanted: Band) -> None:
    """Refuse a second rule for the same need and age band in one scope."""
    if any(band(r) == wanted for r in catalog.scope_rules(session, scope)):
        raise Conflict(f"there is already a rule for '{wanted[0]}' with this age band; change that one instead")


def create_rule(
    session: Session, maintainer: Maintainer, vocabulary: Vocabulary, scope: str | None, rule_in: RoutingRuleIn
) -> RoutingRule:
    """Add one routing rule to the scope."""
    check_rule_doors(session, vocabulary, rule_in.doors, scope)
    check_band_free(session, scope, band(rule_in))
    rule = RoutingRule(**rule_in.model_dump(), kommunenummer=scope)
    session.add(rule)
    session.flush()
    _audit_rule(session, maintainer, "routing.create", rule, before=None, after=catalog.rule_data(rule))
    session.commit()
    return rule


def update_rule(
    session: Session, maintainer: Maintainer, vocabulary: Vocabulary, rule: RoutingRule, changes: dict[str, Any]
) -> RoutingRule:
    """Change these fields of one rule; the whole rule is checked again (ValidationError) before writing."""
    current = catalog.rule_data(rule)
    data = RoutingRuleIn.model_validate({**current, **changes})
    check_rule_doors(session, vocabulary, data.doors, rule.kommunenummer)
    if band(data) != band(rule):
        check_band_free(session, rule.kommunenummer, band(data))
    rule.sqlmodel_update(data.model_dump())
    rule.updated_at = datetime.now(UTC)
    session.add(rule)
    session.flush()
    _audit_rule(session, maintainer, "routing.update", rule, before=current, after=catalog.rule_data(rule))
    session.commit()
    return rule


def delete_rule(session: Session, maintainer: Maintainer, rule: RoutingRule) -> None:
    """Remove one routing rule (the national rule applies again where a local one is removed)."""
    before = catalog.rule_data(rule)
    session.delete(rule)
    session.flush()
    _audit_rule(session, maintainer, "routing.delete", rule, before=before, after=None)
    session.commit()


def replace_rules(
    session: Session, maintainer: Maintainer, vocabulary: Vocabulary, scope: str | None, rules: list[RoutingRuleIn]
) -> list[RoutingRule]:
    """Replace the whole routing table of the scope with these rules."""
    for index, rule in enumerate(rules):
        check_rule_doors(session, vocabulary, rule.doors, scope, where=f"rule {index + 1}: ")
    bands = [band(r) for r in rules]
    repeated = next((b for i, b in enumerate(bands) if b in bands[:i]), None)
    if repeated is not None:
        raise Unprocessable(f"two rules for '{repeated[0]}' with the same age band; keep one")
    new = [RoutingRule(**rule.model_dump(), kommunenummer=scope) for rule in rules]
    catalog.replace_and_audit(
        session,
        old=catalog.scope_rules(session, scope),
        new=new,
        data=catalog.rule_data,
        table="rules",
        actor=maintainer.username,
        action="routing.replace",
        entity="routing_rules",
        kommunenummer=scope,
    )
    session.commit()
    return new


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


# ---------------------------------------------------------------- import


def read_upload(filename: str, content: bytes) -> CatalogueDocument:
    """Parse an uploaded catalogue file by its name's ending (ImportRejected with every problem found)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ImportRejected(problems=[ImportProblem(None, "file", "send a .yaml, .yml or .csv catalogue file")])
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportRejected(problems=[ImportProblem(None, "file", "the file is not UTF-8 text")]) from None
    name = PurePath(filename).name[:100]
    return parse_csv(text, source_name=name) if suffix == ".csv" else parse_yaml(text, source_name=name)


def check_document_scope(
    session: Session, maintainer: Maintainer, document: CatalogueDocument, scope: str | None
) -> None:
    """The file is for a scope the maintainer edits (Forbidden), and the one they chose (Unprocessable)."""
    if not may_edit(session, maintainer, document.kommune):
        where = "the national catalogue" if document.kommune is None else f"kommune {document.kommune}"
        raise Forbidden(f"the file is for {where}, which you do not maintain")
    if document.kommune != scope:
        asked = f"kommune {scope}" if scope else "the national catalogue (no ?kommune=)"
        found = f"kommune {document.kommune}" if document.kommune else "the national catalogue"
        raise Unprocessable(f"the file is for {found}, but you asked for {asked}")


def check_document_covers(session: Session, maintainer: Maintainer, document: CatalogueDocument) -> None:
    """Refuse (403) a file whose regional services would newly cover a kommune the maintainer does not maintain,
    naming each one's line; what a service of the file's catalogue covers already may stay."""
    problems = []
    for index, service in enumerate(document.services):
        row = catalog.get_service_by_key(session, service.key)
        mine = row is not None and row.kommunenummer == document.kommune
        already = {a.kommunenummer for a in row.areas} if row is not None and mine else set()
        foreign = not_maintained(session, maintainer, set(service.covers) - already)
        for position, kommune in enumerate(service.covers):
            if kommune in foreign:
                path = f"services[{index}].covers[{position}]"
                message = f"covers: {NOT_YOUR_CHAT.format(kommuner=kommune)}"
                problems.append(ImportProblem(document.line_of(path), path, message))
    if problems:
        raise ImportForbidden(problems=problems)


def check_document_rules(session: Session, vocabulary: Vocabulary, document: CatalogueDocument) -> None:
    """Refuse a file whose routing rules break check_rule_doors, naming each rule's line."""
    problems = []
    for index, rule in enumerate(document.routing or []):
        try:
            check_rule_doors(session, vocabulary, rule.doors, document.kommune, more_services=document.services)
        except Unprocessable as refused:
            path = f"routing[{index}].doors"
            problems.append(ImportProblem(document.line_of(path), path, f"doors: {refused.message}"))
    if problems:
        raise ImportRejected(problems=problems)


def import_file(
    session: Session,
    maintainer: Maintainer,
    vocabulary: Vocabulary,
    *,
    scope: str | None,
    filename: str,
    content: bytes,
    dry_run: bool,
    replace: bool,
) -> ImportPlan:
    """Check a catalogue file for the scope and plan it (dry run) or apply it, all or nothing."""
    document = read_upload(filename, content)
    check_document_scope(session, maintainer, document, scope)
    check_document_covers(session, maintainer, document)
    check_document_rules(session, vocabulary, document)
    if dry_run:
        return plan_import(session, document, replace=replace)
    try:
        plan = apply_import(session, document, actor=maintainer.username, replace=replace)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return plan


# ---------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportedFile:
    """A scope's catalogue as a file to download."""

    content: bytes
    media_type: str
    filename: str


def export_file(session: Session, scope: str | None, *, as_csv: bool) -> ExportedFile:
    """The scope's catalogue in the import format (export, then import, changes nothing)."""
    document = export_document(session, scope)
    name = scope or "national"
    if as_csv:
        text, media, suffix = dump_csv(document), "text/csv; charset=utf-8", "csv"
    else:
        text, media, suffix = dump_yaml(document), "application/yaml; charset=utf-8", "yml"
    return ExportedFile(text.encode("utf-8"), media, f"catalogue-{name}.{suffix}")
