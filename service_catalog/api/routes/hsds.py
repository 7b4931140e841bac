"""``/api/v1/hsds``: the catalogue as Open Referral HSDS 3.0 services (public, read only).

The mapping itself lives in :mod:`service_catalog.hsds`; this module only selects and pages.
"""

from __future__ import annotations

import math
import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from service_catalog import catalog
from service_catalog.deps import SessionDep, VocabularyDep
from service_catalog.errors import NotFound
from service_catalog.hsds import HsdsService, HsdsServicePage, service_uuid, to_hsds_service
from service_catalog.models import Municipality, Service, ServiceArea
from service_catalog.vocabulary import Scope, Vocabulary

router = APIRouter(prefix="/api/v1/hsds", tags=["hsds"])

_ID_PATTERN = r"^(\d{1,9}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"


@router.get("/services", response_model_exclude_none=True)
def list_hsds_services(
    *,
    session: SessionDep,
    vocabulary: VocabularyDep,
    kommune: Annotated[
        str | None, Query(pattern=r"^\d{4}$", description="Only services available in this kommune")
    ] = None,
    include_inactive: Annotated[bool, Query(description="Also export deactivated services (status inactive)")] = False,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
) -> HsdsServicePage:
    """HSDS services, a page at a time: the whole catalogue, or what a kommune's residents can use."""
    stmt = select(Service)
    if kommune is not None:
        if catalog.get_municipality(session, kommune) is None:
            raise NotFound(f"no municipality {kommune}")
        stmt = stmt.where(_available_in(kommune))
    if not include_inactive:
        stmt = stmt.where(col(Service.active).is_(True))
    total = int(session.exec(select(func.count()).select_from(stmt.subquery())).one())
    rows = session.exec(stmt.order_by(col(Service.id)).offset((page - 1) * per_page).limit(per_page)).all()
    contents = _export(session, vocabulary, list(rows))
    total_pages = math.ceil(total / per_page)
    return HsdsServicePage(
        total_items=total,
        total_pages=total_pages,
        page_number=page,
        size=len(contents),
        first_page=page == 1,
        last_page=page >= total_pages,
        empty=not contents,
        contents=contents,
    )


@router.get("/services/{service_id}", response_model_exclude_none=True)
def get_hsds_service(
    *,
    session: SessionDep,
    vocabulary: VocabularyDep,
    service_id: Annotated[
        str, Path(pattern=_ID_PATTERN, description="The catalogue's numeric id, or the service's HSDS UUID")
    ],
) -> HsdsService:
    """One service as HSDS, by catalogue id or HSDS id (deactivated ones too, with status inactive)."""
    service = _find(session, service_id)
    return _export(session, vocabulary, [service])[0]


def _available_in(kommune: str) -> ColumnElement[bool]:
    covered = select(ServiceArea.service_id).where(ServiceArea.kommunenummer == kommune)
    return or_(
        col(Service.scope) == Scope.national,
        col(Service.kommunenummer) == kommune,
        col(Service.id).in_(covered),
    )


def _find(session: Session, service_id: str) -> Service:
    if service_id.isdigit():
        return catalog.get_service(session, int(service_id))
    wanted = str(uuid.UUID(service_id))
    # uuid5 cannot be reversed; the catalogue holds hundreds of services, so comparing every key is cheap.
    for row_id, key in session.exec(select(Service.id, Service.key)).all():
        if row_id is not None and service_uuid(key) == wanted:
            return catalog.get_service(session, row_id)
    raise NotFound(f"no service with id {service_id}")


def _export(session: Session, vocabulary: Vocabulary, services: list[Service]) -> list[HsdsService]:
    wanted = {s.kommunenummer for s in services if s.kommunenummer}
    wanted |= {a.kommunenummer for s in services for a in s.areas}
    rows = session.exec(select(Municipality).where(col(Municipality.kommunenummer).in_(wanted))).all()
    names = {m.kommunenummer: m.name for m in rows}
    return [to_hsds_service(s, municipality_names=names, doors=vocabulary.doors) for s in services]
