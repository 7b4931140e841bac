"""The catalogue as Open Referral HSDS 3.0 ``service`` objects: a pure mapping of loaded rows (no query, no web).

How our facts fit HSDS 3.0 (schema commit 279fd2e), and the choices made where they do not fit exactly:

- Ids are UUIDs, as HSDS requires. They are ``uuid5`` values derived from the service's stable ``key``
  (and, for nested objects, from the key plus what the object is), so an export is the same every time
  and a consumer can match records across exports.
- ``schedules``: one ``WEEKLY`` schedule per distinct opening range, ``byday`` listing the days it
  applies to (``MO,TU``). ``opens_at``/``closes_at`` are Norwegian wall-clock times (``HH:MM``, Europe/Oslo)
  without an offset, because Norway changes between +01:00 and +02:00 and one fixed offset would be wrong
  half the year; every schedule's ``notes`` says so. ``24:00`` means midnight at the end of the day, and a
  ``closes_at`` at or before ``opens_at`` means the range runs past midnight into the next day. A 24/7
  service has one schedule for every day, 00:00-24:00, described as "Døgnåpen".
- Closed dates: HSDS 3.0 has no exception type, so each closed date is its own schedule with
  ``valid_from`` = ``valid_to`` = that date, no times, ``notes`` = ``"closed"`` and a description saying
  that the service is closed that day (and why, when the catalogue knows).
- ``service_areas``: one per municipality served (the owner for municipal services, the covered ones for
  regional services), named after the municipality with its kommunenummer in the description;
  ``"Norge"`` for national services.
- ``organization``: HSDS does not require it, but consumers expect one. A municipal or regional service
  belongs to its kommune ("Eksempel kommune"); a national service is its own organisation, named after
  the service, since the catalogue does not record the organisation behind a national number.
- ``phones``: ``phone`` as ``voice`` and ``sms`` as ``text`` (RFC 6350 types), each with the service's
  languages; numbers are written as in the catalogue (``113``, ``22 40 00 40``).
- ``attributes``: the door code as a ``taxonomy_term`` of the taxonomy ``veiviser-doors``
  (``code`` = door code, ``name`` = the door's label).
- ``cost_options``: ``free`` is an amount of 0 NOK; ``paid`` and ``partly_free`` carry no amount (the
  catalogue does not record one) but the cost note.
- Invented example data is said to be invented in ``alert``, so it cannot pass for a real service.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from service_catalog.catalog import intervals_of, service_to_in
from service_catalog.models.service import Cost, Service, ServiceIn
from service_catalog.opening_hours import HSDS_BYDAY, Interval, format_minutes
from service_catalog.vocabulary import DoorInfo, Lang, Scope

# Every HSDS id is derived from this namespace, so ids stay stable across exports and machines.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:veiviser:service-catalogue")
DOOR_TAXONOMY = "veiviser-doors"
LOCAL_TIME_NOTE = "Norsk tid (Europe/Oslo), uten UTC-forskyvning: sommertid +02:00, vintertid +01:00."
LANGUAGE_NAMES = {
    "nb": "Norsk bokmål",
    "nn": "Norsk nynorsk",
    "no": "Norsk",
    "se": "Davvisámegiella",
    "sma": "Åarjelsaemien gïele",
    "smj": "Julevsámegiella",
    "en": "English",
    "uk": "Українська",
    "ar": "العربية",
    "so": "Soomaali",
    "pl": "Polski",
}


class _Hsds(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HsdsLanguage(_Hsds):
    id: str
    service_id: str | None = None
    phone_id: str | None = None
    name: str
    code: str


class HsdsPhone(_Hsds):
    id: str
    service_id: str
    number: str
    type: Literal["voice", "text"]
    description: str | None = None
    languages: list[HsdsLanguage] = []


class HsdsSchedule(_Hsds):
    id: str
    service_id: str
    freq: Literal["WEEKLY"] | None = None
    byday: str | None = None
    opens_at: str | None = None
    closes_at: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    description: str | None = None
    notes: str | None = None


class HsdsServiceArea(_Hsds):
    id: str
    service_id: str
    name: str
    description: str | None = None


class HsdsCostOption(_Hsds):
    id: str
    service_id: str
    option: str
    currency: str = "NOK"
    amount: float | None = None
    amount_description: str | None = None


class HsdsTaxonomyTerm(_Hsds):
    id: str
    code: str
    name: str
    description: str
    taxonomy: str
    language: str = "nb"


class HsdsAttribute(_Hsds):
    id: str
    link_id: str
    link_type: str
    link_entity: str
    taxonomy_term_id: str
    taxonomy_term: HsdsTaxonomyTerm


class HsdsOrganization(_Hsds):
    id: str
    name: str
    description: str


class HsdsService(_Hsds):
    """One HSDS 3.0 ``service`` with its nested objects."""

    id: str
    organization_id: str
    name: str
    description: str
    url: str | None = None
    email: str | None = None
    status: Literal["active", "inactive"]
    application_process: str | None = None
    fees_description: str | None = None
    eligibility_description: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    assured_date: str
    alert: str | None = None
    last_modified: str
    phones: list[HsdsPhone] = []
    schedules: list[HsdsSchedule] = []
    service_areas: list[HsdsServiceArea] = []
    languages: list[HsdsLanguage] = []
    organization: HsdsOrganization
    cost_options: list[HsdsCostOption] = []
    attributes: list[HsdsAttribute] = []


class HsdsServicePage(_Hsds):
    """A page of services, shaped like the HSDS 3.0 API's ``Page`` with ``contents``."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[HsdsService]


def hsds_id(*parts: str) -> str:
    """A stable UUID for an HSDS object named by ``parts`` (e.g. the service key and "phone")."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def service_uuid(key: str) -> str:
    """The HSDS id of the service with this catalogue key."""
    return hsds_id("service", key)


def to_hsds_service(
    service: Service, *, municipality_names: Mapping[str, str], doors: Mapping[str, DoorInfo]
) -> HsdsService:
    """The service as an HSDS 3.0 ``service`` (``municipality_names``: kommunenummer -> name)."""
    data = service_to_in(service)
    sid = service_uuid(data.key)
    organization = _organization(service.kommunenummer, data, municipality_names)
    return HsdsService(
        id=sid,
        organization_id=organization.id,
        name=data.name,
        description=data.description,
        url=data.url,
        email=data.email,
        status="active" if data.active else "inactive",
        application_process=_how_to_reach(data),
        fees_description=data.cost_note,
        eligibility_description=_age_text(data.age_min, data.age_max),
        minimum_age=data.age_min,
        maximum_age=data.age_max,
        assured_date=data.last_verified.isoformat(),
        alert="Oppdiktet eksempeldata, ikke en ekte tjeneste." if data.example else None,
        last_modified=_utc(service.updated_at),
        phones=_phones(sid, data),
        schedules=_schedules(sid, data, intervals_of(service)),
        service_areas=_areas(sid, data, service.kommunenummer, municipality_names),
        languages=[_language(code, ("service", data.key), service_id=sid) for code in data.languages],
        organization=organization,
        cost_options=[_cost(sid, data)],
        attributes=[_door_attribute(sid, data.door, doors.get(data.door))],
    )


def _utc(moment: datetime) -> str:
    # SQLite hands timestamps back without a zone; they were written in UTC.
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _language(
    code: str, owner: tuple[str, ...], *, service_id: str | None = None, phone_id: str | None = None
) -> HsdsLanguage:
    return HsdsLanguage(
        id=hsds_id(*owner, "language", code),
        service_id=service_id,
        phone_id=phone_id,
        name=LANGUAGE_NAMES.get(code, code),
        code=code,
    )


def _phones(sid: str, data: ServiceIn) -> list[HsdsPhone]:
    phones = []
    for kind, number in (("phone", data.phone), ("sms", data.sms)):
        if not number:
            continue
        owner = ("service", data.key, kind)
        pid = hsds_id(*owner)
        phones.append(
            HsdsPhone(
                id=pid,
                service_id=sid,
                number=number,
                type="voice" if kind == "phone" else "text",
                description="SMS" if kind == "sms" else None,
                languages=[_language(code, owner, phone_id=pid) for code in data.languages],
            )
        )
    return phones


def _how_to_reach(data: ServiceIn) -> str:
    parts = ["Krever henvisning." if data.referral_required else "Ingen henvisning trengs."]
    if data.anonymous:
        parts.append("Du kan være anonym.")
    if data.chat_url:
        parts.append(f"Chat: {data.chat_url}")
    return " ".join(parts)


def _age_text(age_min: int | None, age_max: int | None) -> str | None:
    if age_min is not None and age_max is not None:
        return f"For deg som er {age_min}–{age_max} år."
    if age_min is not None:
        return f"For deg som er {age_min} år eller eldre."
    if age_max is not None:
        return f"For deg som er {age_max} år eller yngre."
    return None


def _schedules(sid: str, data: ServiceIn, intervals: list[Interval]) -> list[HsdsSchedule]:
    if data.open_24_7:
        weekly = [
            HsdsSchedule(
                id=hsds_id("service", data.key, "schedule", "24/7"),
                service_id=sid,
                freq="WEEKLY",
                byday=",".join(HSDS_BYDAY),
                opens_at="00:00",
                closes_at="24:00",
                description="Døgnåpen: alle dager, hele døgnet.",
                notes=LOCAL_TIME_NOTE,
            )
        ]
    else:
        weekly = [_weekly(sid, data.key, opens, closes, days) for (opens, closes), days in _by_range(intervals)]
    closed = [_closed(sid, data.key, c.date, c.note) for c in data.closed_dates]
    return weekly + closed


def _by_range(intervals: list[Interval]) -> list[tuple[tuple[int, int], list[int]]]:
    """Group the ranges that are the same on several days, in order of first appearance in the week."""
    days: dict[tuple[int, int], list[int]] = {}
    for iv in sorted(intervals):
        days.setdefault((iv.opens, iv.closes), []).append(iv.weekday)
    return list(days.items())


def _weekly(sid: str, key: str, opens: int, closes: int, weekdays: list[int]) -> HsdsSchedule:
    opens_at, closes_at = format_minutes(opens), format_minutes(closes)
    overnight = closes <= opens
    description = f"Åpent fra {opens_at} til {closes_at} neste dag." if overnight else f"Åpent {opens_at}–{closes_at}."
    return HsdsSchedule(
        id=hsds_id("service", key, "schedule", f"{opens}-{closes}"),
        service_id=sid,
        freq="WEEKLY",
        byday=",".join(HSDS_BYDAY[d] for d in weekdays),
        opens_at=opens_at,
        closes_at=closes_at,
        description=description,
        notes=LOCAL_TIME_NOTE,
    )


def _closed(sid: str, key: str, day: date, note: str | None) -> HsdsSchedule:
    reason = f": {note}" if note else ""
    return HsdsSchedule(
        id=hsds_id("service", key, "closed", day.isoformat()),
        service_id=sid,
        valid_from=day.isoformat(),
        valid_to=day.isoformat(),
        description=f"Stengt {day.isoformat()}{reason}.",
        notes="closed",
    )


def _areas(
    sid: str, data: ServiceIn, owner: str | None, municipality_names: Mapping[str, str]
) -> list[HsdsServiceArea]:
    if data.scope is Scope.national:
        return [HsdsServiceArea(id=hsds_id("service", data.key, "area", "NO"), service_id=sid, name="Norge")]
    kommuner = list(data.covers) if data.scope is Scope.regional else [owner] if owner else []
    return [
        HsdsServiceArea(
            id=hsds_id("service", data.key, "area", k),
            service_id=sid,
            name=municipality_names.get(k, k),
            description=f"Kommunenummer {k}",
        )
        for k in kommuner
    ]


def _organization(owner: str | None, data: ServiceIn, municipality_names: Mapping[str, str]) -> HsdsOrganization:
    if owner is None:
        return HsdsOrganization(
            id=hsds_id("organization", "service", data.key), name=data.name, description="Nasjonal tjeneste."
        )
    name = _kommune_name(municipality_names.get(owner, owner))
    return HsdsOrganization(id=hsds_id("organization", "kommune", owner), name=name, description=f"{name} ({owner}).")


def _kommune_name(name: str) -> str:
    return name if name.lower().endswith(("kommune", "kommuna", "suohkan")) else f"{name} kommune"


def _cost(sid: str, data: ServiceIn) -> HsdsCostOption:
    cid = hsds_id("service", data.key, "cost")
    if data.cost is Cost.free:
        return HsdsCostOption(
            id=cid, service_id=sid, option="Gratis", amount=0, amount_description=data.cost_note or "Gratis."
        )
    option = "Delvis gratis" if data.cost is Cost.partly_free else "Betaling"
    return HsdsCostOption(id=cid, service_id=sid, option=option, amount_description=data.cost_note)


def _door_attribute(sid: str, door: str, info: DoorInfo | None) -> HsdsAttribute:
    term_id = hsds_id("taxonomy_term", DOOR_TAXONOMY, door)
    label = info.label if info else door
    description = (info.description.get(Lang.nb) if info else "") or label
    return HsdsAttribute(
        id=hsds_id("attribute", sid, DOOR_TAXONOMY),
        link_id=sid,
        link_type="door",
        link_entity="service",
        taxonomy_term_id=term_id,
        taxonomy_term=HsdsTaxonomyTerm(
            id=term_id,
            code=door,
            name=label,
            description=description,
            taxonomy=DOOR_TAXONOMY,
        ),
    )
