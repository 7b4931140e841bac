"""Need -> ordered doors: choosing the routing rule, filling each door with services, and filtering.

Pure functions over plain values (no database, no web), so the decision can be tested and traced.
Order: the rule's door order is the maintainers' ranking; within a door, the municipality's own
services come first, then regional, then national. A rule may name one service of a door
(``nodtelefon:nasjonal-113-medisinsk-nodtelefon``); a service is shown once even when two entries reach
it. A municipal door without an entry is still named generically ("helsesykepleieren på skolen din"),
unless the municipality has recorded that it lacks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from service_catalog.field_types import phone_href, sms_href
from service_catalog.models.route import DoorOut, Excluded
from service_catalog.models.service import Address
from service_catalog.opening_hours import Interval, format_week, opening_state
from service_catalog.public_holidays import public_holidays
from service_catalog.vocabulary import Lang, Scope, Urgency, Vocabulary, split_rule_door

_SCOPE_ORDER = {Scope.municipal: 0, Scope.regional: 1, Scope.national: 2}
# Ages used to tell whether the answer depends on age: a young teen, a pupil at vgs, a young adult.
PROBE_AGES = (13, 17, 22)


@dataclass(frozen=True)
class Rule:
    id: int
    kommunenummer: str | None
    need: str
    urgency: Urgency
    doors: tuple[str, ...]
    age_min: int | None = None
    age_max: int | None = None

    @property
    def banded(self) -> bool:
        return self.age_min is not None or self.age_max is not None

    def fits(self, age: int | None) -> bool:
        if age is None:
            return not self.banded
        return (self.age_min is None or age >= self.age_min) and (self.age_max is None or age <= self.age_max)


@dataclass(frozen=True)
class Candidate:
    """The facts of one service that routing needs."""

    id: int
    key: str
    door: str
    name: str
    description: str
    scope: Scope
    kommunenummer: str | None
    active: bool = True
    covers: tuple[str, ...] = ()
    phone: str | None = None
    sms: str | None = None
    chat_url: str | None = None
    url: str | None = None
    email: str | None = None
    address: Address | None = None
    map_url: str | None = None
    open_24_7: bool = False
    closed_on_holidays: bool = False
    intervals: tuple[Interval, ...] = ()
    closed_dates: frozenset[date] = frozenset()
    age_min: int | None = None
    age_max: int | None = None
    referral_required: bool = False
    cost: str = "free"
    cost_note: str | None = None
    anonymous: bool = False
    languages: tuple[str, ...] = ()
    last_verified: date | None = None
    source: str | None = None
    example: bool = False


@dataclass
class Routed:
    doors: list[DoorOut] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)


def choose_rule(
    rules: Sequence[Rule], *, kommunenummer: str | None, age: int | None, urgency: Urgency | None = None
) -> Rule | None:
    """The most specific rule: the municipality's own before national, an age band that fits before none."""
    fitting = [r for r in rules if r.fits(age)] or [r for r in rules if not r.banded]
    if age is None and not fitting:
        fitting = list(rules)
    if urgency is not None and any(r.urgency == urgency for r in fitting):
        fitting = [r for r in fitting if r.urgency == urgency]
    if not fitting:
        return None

    def specificity(rule: Rule) -> tuple[int, int, int]:
        local = 1 if rule.kommunenummer is not None and rule.kommunenummer == kommunenummer else 0
        return (local, 1 if rule.banded else 0, -rule.id)

    return max(fitting, key=specificity)


def _age_fits(age_min: int | None, age_max: int | None, age: int | None) -> bool:
    if age is None:
        return True
    return (age_min is None or age >= age_min) and (age_max is None or age <= age_max)


def _band(age_min: int | None, age_max: int | None) -> str:
    if age_min is not None and age_max is not None:
        return f"{age_min}–{age_max} år"
    if age_min is not None:
        return f"fra {age_min} år"
    return f"til og med {age_max} år"


def route_doors(
    rule: Rule,
    candidates: Sequence[Candidate],
    *,
    vocabulary: Vocabulary,
    kommunenummer: str | None,
    absent: frozenset[str],
    age: int | None,
    at: datetime,
    lang: Lang = Lang.nb,
) -> Routed:
    """Fill the rule's doors with services for this municipality and age, best first."""
    out = Routed()
    shown: set[int] = set()
    for entry in rule.doors:
        code, only = split_rule_door(entry)
        info = vocabulary.doors.get(code)
        if info is None:
            continue
        if code in absent and info.scope is not Scope.national:
            out.excluded.append(
                Excluded(
                    category=code,
                    name=info.label,
                    reason="absent",
                    detail=f"kommune {kommunenummer} har ikke denne døra",
                )
            )
            continue
        mine = [
            c for c in candidates if c.door == code and (only is None or c.key == only) and _reaches(c, kommunenummer)
        ]
        mine.sort(key=lambda c: (_SCOPE_ORDER[c.scope], c.id))
        found = False
        had_entry = False
        for c in mine:
            if c.id in shown:
                found = True
                continue
            if not c.active:
                out.excluded.append(
                    Excluded(category=code, service_id=c.id, name=c.name, reason="inactive", detail="deaktivert")
                )
                continue
            had_entry = had_entry or c.scope is not Scope.national
            if not _age_fits(c.age_min, c.age_max, age):
                had_entry = True
                out.excluded.append(
                    Excluded(
                        category=code,
                        service_id=c.id,
                        name=c.name,
                        reason="age",
                        detail=f"for {_band(c.age_min, c.age_max)}, alder {age}",
                    )
                )
                continue
            out.doors.append(_door_from_service(c, info.label, at, kommunenummer))
            shown.add(c.id)
            found = True
        if found or had_entry:
            continue
        if info.scope is Scope.national and mine:
            continue
        if not _age_fits(info.min_age, info.max_age, age):
            detail = f"for {_band(info.min_age, info.max_age)}, alder {age}"
            out.excluded.append(Excluded(category=code, name=info.label, reason="age", detail=detail))
            continue
        why = "kommunen er ukjent" if kommunenummer is None else f"ingen oppføring i kommune {kommunenummer}"
        out.doors.append(_generic_door(info.code, vocabulary, lang, why))
    return out


def _reaches(c: Candidate, kommunenummer: str | None) -> bool:
    if c.scope is Scope.national:
        return True
    if kommunenummer is None:
        return False
    if c.scope is Scope.regional:
        return kommunenummer in c.covers
    return c.kommunenummer == kommunenummer


def _door_from_service(c: Candidate, label: str, at: datetime, kommunenummer: str | None) -> DoorOut:
    closed = c.closed_dates | public_holidays(at.year, at.year + 1) if c.closed_on_holidays else c.closed_dates
    state = opening_state(c.intervals, at, closed_dates=closed, always_open=c.open_24_7)
    # No weekly hours and not 24/7 means the hours are unknown, which is not the same as closed.
    hours_known = c.open_24_7 or bool(c.intervals)
    why = {
        Scope.municipal: f"kommunal tjeneste i {kommunenummer}",
        Scope.regional: f"regional tjeneste som dekker {kommunenummer}",
        Scope.national: "nasjonal tjeneste",
    }[c.scope]
    return DoorOut(
        category=c.door,
        category_label=label,
        name=c.name,
        description=c.description,
        generic=False,
        service_id=c.id,
        key=c.key,
        scope=c.scope,
        kommunenummer=c.kommunenummer,
        phone=c.phone,
        phone_href=phone_href(c.phone) if c.phone else None,
        sms=c.sms,
        sms_href=sms_href(c.sms) if c.sms else None,
        chat_url=c.chat_url,
        url=c.url,
        email=c.email,
        address=c.address,
        map_url=c.map_url,
        open_24_7=c.open_24_7,
        open_now=state.open_now if hours_known else None,
        next_open=state.next_open,
        closes_at=state.closes_at,
        hours=format_week(c.intervals),
        age_min=c.age_min,
        age_max=c.age_max,
        referral_required=c.referral_required,
        cost=c.cost,
        cost_note=c.cost_note,
        anonymous=c.anonymous,
        languages=list(c.languages),
        last_verified=c.last_verified,
        source=c.source,
        example=c.example,
        why=why,
    )


def _generic_door(code: str, vocabulary: Vocabulary, lang: Lang, why: str) -> DoorOut:
    info = vocabulary.doors[code]
    return DoorOut(
        category=code,
        category_label=info.label,
        name=info.generic_name.get(lang),
        description=info.description.get(lang),
        how_to_reach=info.how_to_reach.get(lang) or None,
        generic=True,
        scope=info.scope,
        open_now=None,
        age_min=info.min_age,
        age_max=info.max_age,
        referral_required=info.referral,
        cost=info.cost,
        why=f"generell dør: {why}",
    )


def has_first_line_door(doors: Sequence[DoorOut], vocabulary: Vocabulary) -> bool:
    """True when at least one door needs no referral: specialist doors are never offered alone."""
    return any(not vocabulary.doors[d.category].specialist for d in doors if d.category in vocabulary.doors)
