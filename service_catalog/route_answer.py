"""Builds the answer of ``GET /api/v1/route`` from the database and the pure routing functions."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from service_catalog import catalog
from service_catalog.door_text import door_text, opening_text
from service_catalog.models.municipality import MunicipalityPublic
from service_catalog.models.route import DoorOut, Excluded, RouteAnswer, RuleUsed
from service_catalog.route_cache import RoutingInputs, route_cache
from service_catalog.routing import PROBE_AGES, Rule, choose_rule, has_first_line_door, route_doors
from service_catalog.vocabulary import Lang, Urgency, Vocabulary, split_rule_door
from veiviser_contract.doors import CHAT_DOORS
from veiviser_contract.needs import GENERAL_NEED

# The general need's doors are added when a rule leaves nothing usable (or only specialist doors).
FALLBACK_NEED = GENERAL_NEED


def answer_route(
    session: Session,
    vocabulary: Vocabulary,
    *,
    need: str,
    kommunenummer: str | None,
    age: int | None,
    at: datetime,
    lang: Lang = Lang.nb,
    urgency: Urgency | None = None,
) -> RouteAnswer:
    """The ordered doors for a need in a municipality at a moment, with the reasons."""
    inputs = route_cache.inputs(session, need, kommunenummer, load_inputs)
    municipality = inputs.municipality
    kommune = municipality.kommunenummer if municipality else None
    rules = list(inputs.rules)
    rule = choose_rule(rules, kommunenummer=kommune, age=age, urgency=urgency)
    absent = inputs.absent
    fallback_rules = list(inputs.fallback_rules)
    candidates = inputs.candidates

    def run(r: Rule, a: int | None) -> tuple[list[DoorOut], list[Excluded]]:
        routed = route_doors(
            r,
            candidates,
            vocabulary=vocabulary,
            kommunenummer=kommune,
            absent=absent,
            age=a,
            at=at,
            lang=lang,
        )
        return routed.doors, routed.excluded

    doors, excluded = run(rule, age) if rule else ([], [])
    fallback = False
    if not doors or not has_first_line_door(doors, vocabulary):
        general = choose_rule(fallback_rules, kommunenummer=kommune, age=age)
        if general is not None and general != rule:
            extra, extra_excluded = run(general, age)
            seen = {(d.category, d.service_id) for d in doors}
            doors += [d for d in extra if (d.category, d.service_id) not in seen]
            excluded += extra_excluded
            fallback = True
    shown, not_shown = arrange(doors, vocabulary)
    shown = [finish_door(d, vocabulary, lang, at) for d in shown]
    not_shown = [finish_door(d, vocabulary, lang, at) for d in not_shown]
    age_dependent = False
    if age is None and rule is not None:
        signatures = set()
        for probe in PROBE_AGES:
            probe_rule = choose_rule(rules, kommunenummer=kommune, age=probe, urgency=urgency) or rule
            probe_doors, _ = run(probe_rule, probe)
            signatures.add(tuple((d.category, d.service_id) for d in probe_doors))
        age_dependent = len(signatures) > 1
    return RouteAnswer(
        need=need,
        urgency=rule.urgency if rule else (urgency or Urgency.snart),
        kommune=municipality,
        kommune_known=municipality is not None,
        age=age,
        at=at,
        lang=lang.value,
        rule=RuleUsed(
            id=rule.id,
            kommunenummer=rule.kommunenummer,
            need=rule.need,
            urgency=rule.urgency,
            doors=list(rule.doors),
            age_min=rule.age_min,
            age_max=rule.age_max,
        )
        if rule
        else None,
        age_dependent=age_dependent,
        fallback=fallback,
        doors=shown,
        not_shown=not_shown,
        excluded=excluded,
    )


def arrange(doors: list[DoorOut], vocabulary: Vocabulary) -> tuple[list[DoorOut], list[DoorOut]]:
    """What the chat shows and what it leaves out: specialist doors after the others and never alone."""
    # BUP and Statens barnehus need a referral: a young person cannot open them first, or as the only door.
    specialist = {code for code, info in vocabulary.doors.items() if info.specialist}
    direct = [d for d in doors if d.category not in specialist]
    if not direct:
        return [], doors
    ordered = direct + [d for d in doors if d.category in specialist]
    return ordered[:CHAT_DOORS], ordered[CHAT_DOORS:]


def finish_door(door: DoorOut, vocabulary: Vocabulary, lang: Lang, at: datetime) -> DoorOut:
    """The door with what the chat shows of it: whether it is a specialist, its opening line and its text."""
    info = vocabulary.doors.get(door.category)
    specialist = bool(info and info.specialist)
    done = door.model_copy(update={"specialist": specialist, "opening": opening_text(door, lang, at)})
    done.text = door_text(done, lang, specialist=specialist)
    return done


def load_inputs(session: Session, need: str, kommunenummer: str | None) -> RoutingInputs:
    """The routing inputs for a need in a municipality, read from the database (what the cache holds)."""
    municipality = catalog.get_municipality(session, kommunenummer) if kommunenummer else None
    kommune = municipality.kommunenummer if municipality else None
    rules = tuple(catalog.rule_of(r) for r in catalog.rules_for_need(session, need, kommune))
    absent = frozenset(a.door for a in catalog.absences(session, kommune))
    # One query for every door any rule of this need could name; the age probes reuse it.
    fallback_rules = tuple(catalog.rule_of(r) for r in catalog.rules_for_need(session, FALLBACK_NEED, kommune))
    doors_named = sorted({split_rule_door(d)[0] for r in [*rules, *fallback_rules] for d in r.doors})
    candidates = tuple(catalog.candidate_of(s) for s in catalog.services_for_doors(session, doors_named, kommune))
    return RoutingInputs(
        municipality=_public(municipality),
        rules=rules,
        fallback_rules=fallback_rules,
        absent=absent,
        candidates=candidates,
    )


def _public(m: object) -> MunicipalityPublic | None:
    from service_catalog.models import Municipality

    if not isinstance(m, Municipality):
        return None
    return MunicipalityPublic(
        kommunenummer=m.kommunenummer,
        name=m.name,
        fylke=m.fylke,
        other_names=[n for n in m.other_names.split("|") if n],
        example=m.example,
    )
