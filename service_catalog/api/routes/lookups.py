"""Public lookups: municipalities, services, door codes and need codes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel
from sqlmodel import select

from service_catalog import catalog
from service_catalog.deps import ItemId, SessionDep, VocabularyDep
from service_catalog.errors import NotFound
from service_catalog.models import Municipality
from service_catalog.models.municipality import MunicipalityMatch, MunicipalityPublic
from service_catalog.models.service import ServicePublic, ServicesPublic
from service_catalog.municipalities import find_municipalities
from service_catalog.vocabulary import DoorInfo, Urgency

router = APIRouter(prefix="/api/v1", tags=["lookups"])


def _public(m: Municipality) -> MunicipalityPublic:
    return MunicipalityPublic(
        kommunenummer=m.kommunenummer,
        name=m.name,
        fylke=m.fylke,
        other_names=[n for n in m.other_names.split("|") if n],
        example=m.example,
    )


@router.get("/municipalities")
def search_municipalities(
    *,
    session: SessionDep,
    q: Annotated[str, Query(min_length=1, max_length=100, description="A name or kommunenummer")],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[MunicipalityMatch]:
    """Municipalities matching a name or number, tolerant of case, missing æøå and typos."""
    rows = session.exec(select(Municipality)).all()
    return [
        MunicipalityMatch(**_public(m.municipality).model_dump(), score=m.score, sure=m.sure)
        for m in find_municipalities(rows, q, limit=limit)
    ]


@router.get("/municipalities/{kommunenummer}")
def get_municipality(
    *, session: SessionDep, kommunenummer: Annotated[str, Path(pattern=r"^\d{4}$")]
) -> MunicipalityPublic:
    """One municipality by its four-digit number."""
    found = catalog.get_municipality(session, kommunenummer)
    if found is None:
        raise NotFound(f"no municipality {kommunenummer}")
    return _public(found)


@router.get("/services")
def list_services(
    *,
    session: SessionDep,
    kommune: Annotated[str | None, Query(pattern=r"^\d{4}$")] = None,
    door: Annotated[str | None, Query(max_length=40)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> ServicesPublic:
    """Active services, by owner municipality (national ones when no kommune is given) and door."""
    services, total = catalog.list_services(
        session,
        kommuner=[kommune] if kommune else None,
        national=kommune is None,
        door=door,
        q=q,
        limit=limit,
        offset=offset,
    )
    return ServicesPublic(data=[catalog.service_to_public(s) for s in services], count=total)


@router.get("/services/{service_id}")
def get_service(*, session: SessionDep, service_id: ItemId) -> ServicePublic:
    """One service by id (deactivated ones too, marked active=false)."""
    return catalog.service_to_public(catalog.get_service(session, service_id))


class NeedsPublic(BaseModel):
    urgent: list[str]
    other: list[str]


@router.get("/doors")
def list_doors(vocabulary: VocabularyDep) -> list[DoorInfo]:
    """Every door code with its label and generic texts."""
    return list(vocabulary.doors.values())


@router.get("/needs")
def list_needs(vocabulary: VocabularyDep) -> NeedsPublic:
    """The need codes; urgent ones bypass every question in the chat."""
    return NeedsPublic(urgent=list(vocabulary.urgent_needs), other=list(vocabulary.other_needs))


@router.get("/urgency")
def list_urgency(vocabulary: VocabularyDep) -> dict[Urgency, str]:
    """The urgency levels and what each means."""
    return {Urgency(k): v for k, v in vocabulary.urgency_levels.items()}
