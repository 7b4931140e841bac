"""``GET /api/v1/route``: the doors for a need, best first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from sqlmodel import select

from service_catalog.deps import SessionDep, SettingsDep, VocabularyDep
from service_catalog.errors import UnknownCode
from service_catalog.models import Municipality
from service_catalog.models.route import RouteAnswer
from service_catalog.municipalities import find_municipalities
from service_catalog.route_answer import answer_route
from service_catalog.vocabulary import Lang, Urgency

router = APIRouter(prefix="/api/v1", tags=["routing"])


@router.get("/route")
def route(
    *,
    session: SessionDep,
    settings: SettingsDep,
    vocabulary: VocabularyDep,
    need: Annotated[str, Query(min_length=1, max_length=40, description="Need code from taxonomy.yml")],
    kommune: Annotated[str | None, Query(max_length=100, description="Kommunenummer or name")] = None,
    age: Annotated[int | None, Query(ge=0, le=120)] = None,
    at: Annotated[datetime | None, Query(description="ISO time; local Norwegian time when no offset is given")] = None,
    lang: Lang = Lang.nb,
    urgency: Urgency | None = None,
) -> RouteAnswer:
    """The ordered doors for a need: the municipality's own first, then regional and national, with open-now."""
    if not vocabulary.is_need(need):
        raise UnknownCode(f"'{need[:40]}' is not a need code; see /api/v1/needs")
    zone = ZoneInfo(settings.timezone)
    moment = at or datetime.now(zone)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return answer_route(
        session,
        vocabulary,
        need=need,
        kommunenummer=_resolve(session, kommune),
        age=age,
        at=moment.astimezone(zone),
        lang=lang,
        urgency=urgency,
    )


def _resolve(session: SessionDep, kommune: str | None) -> str | None:
    if not kommune or not kommune.strip():
        return None
    text = kommune.strip()
    if text.isdigit():
        return text.zfill(4) if len(text) <= 4 else None
    matches = find_municipalities(session.exec(select(Municipality)).all(), text, limit=1)
    return matches[0].municipality.kommunenummer if matches and matches[0].sure else None
