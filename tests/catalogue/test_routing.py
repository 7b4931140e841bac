"""Specification of need -> doors (service_catalog.routing), with plain values and the real taxonomy."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from service_catalog.config import get_settings
from service_catalog.opening_hours import parse_week
from service_catalog.routing import Candidate, Rule, choose_rule, has_first_line_door, route_doors
from service_catalog.vocabulary import Scope, Urgency, Vocabulary, load_vocabulary

OSLO = ZoneInfo("Europe/Oslo")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=OSLO)
MONDAY_22 = datetime(2026, 11, 23, 22, 0, tzinfo=OSLO)


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    settings = get_settings()
    return load_vocabulary(settings.taxonomy_path, settings.doors_path)


def rule(
    *doors: str,
    rule_id: int = 1,
    kommune: str | None = None,
    age_min: int | None = None,
    age_max: int | None = None,
    urgency: Urgency = Urgency.snart,
) -> Rule:
    return Rule(
        id=rule_id,
        kommunenummer=kommune,
        need="angst_uro",
        urgency=urgency,
        doors=doors,
        age_min=age_min,
        age_max=age_max,
    )


def service(
    service_id: int, door: str, scope: Scope = Scope.municipal, kommune: str | None = "9999", **facts: object
) -> Candidate:
    """An invented service; municipal in the example kommune 9999 unless told otherwise."""
    return Candidate(
        id=service_id,
        key=f"test-{service_id}",
        door=door,
        name=f"Oppdiktet {door} {service_id}",
        description="Oppdiktet testtjeneste.",
        scope=scope,
        kommunenummer=None if scope is Scope.national else kommune,
        **facts,
    )  # type: ignore[arg-type]


def route(
    vocabulary: Vocabulary,
    the_rule: Rule,
    candidates: list[Candidate],
    *,
    kommune: str | None = "9999",
    age: int | None = None,
    absent: frozenset[str] = frozenset(),
    at: datetime = MONDAY_10,
):
    return route_doors(
        the_rule, candidates, vocabulary=vocabulary, kommunenummer=kommune, absent=absent, age=age, at=at
    )


def test_route_keeps_the_rule_order_of_doors(vocabulary: Vocabulary) -> None:
    routed = route(
        vocabulary, rule("fastlege", "helsesykepleier"), [service(1, "helsesykepleier"), service(2, "fastlege")]
    )
    assert [d.category for d in routed.doors] == ["fastlege", "helsesykepleier"]


def test_route_within_a_door_puts_municipal_before_regional_before_national(vocabulary: Vocabulary) -> None:
    candidates = [
        service(1, "legevakt", Scope.national),
        service(2, "legevakt", Scope.regional, covers=("9999",)),
        service(3, "legevakt"),
    ]
    routed = route(vocabulary, rule("legevakt"), candidates)
    assert [d.scope for d in routed.doors] == [Scope.municipal, Scope.regional, Scope.national]


def test_route_unknown_kommune_names_municipal_door_generically(vocabulary: Vocabulary) -> None:
    routed = route(
        vocabulary, rule("helsesykepleier", "krisetelefon"), [service(1, "krisetelefon", Scope.national)], kommune=None
    )
    first = routed.doors[0]
    assert first.generic and first.category == "helsesykepleier"
    assert first.name == vocabulary.doors["helsesykepleier"].generic_name.nb
    assert first.open_now is None
    assert routed.doors[1].category == "krisetelefon" and not routed.doors[1].generic


def test_route_known_kommune_without_entry_names_door_generically(vocabulary: Vocabulary) -> None:
    routed = route(vocabulary, rule("psykisk_helsetjeneste"), [], kommune="9999")
    assert routed.doors[0].generic
    assert "ingen oppføring" in routed.doors[0].why


def test_route_absent_door_is_skipped_not_invented(vocabulary: Vocabulary) -> None:
    routed = route(
        vocabulary, rule("rask_psykisk_helsehjelp", "fastlege"), [], absent=frozenset({"rask_psykisk_helsehjelp"})
    )
    assert [d.category for d in routed.doors] == ["fastlege"]
    assert routed.excluded[0].reason == "absent"


def test_route_age_outside_service_band_is_excluded_with_reason(vocabulary: Vocabulary) -> None:
    routed = route(
        vocabulary,
        rule("rask_psykisk_helsehjelp", "helsesykepleier"),
        [service(1, "rask_psykisk_helsehjelp", age_min=16), service(2, "helsesykepleier")],
        age=14,
    )
    assert [d.category for d in routed.doors] == ["helsesykepleier"]
    assert routed.excluded[0].reason == "age" and routed.excluded[0].service_id == 1


def test_route_age_inside_band_keeps_service(vocabulary: Vocabulary) -> None:
    routed = route(
        vocabulary, rule("rask_psykisk_helsehjelp"), [service(1, "rask_psykisk_helsehjelp", age_min=16)], age=16
    )
    assert [d.service_id for d in routed.doors] == [1]


def test_route_generic_door_respects_taxonomy_minimum_age(vocabulary: Vocabulary) -> None:
    routed = route(vocabulary, rule("rask_psykisk_helsehjelp", "helsesykepleier"), [], kommune=None, age=13)
    assert [d.category for d in routed.doors] == ["helsesykepleier"]


def test_route_regional_service_only_for_covered_kommune(vocabulary: Vocabulary) -> None:
    familievern = service(1, "familievern", Scope.regional, covers=("9999",))
    assert route(vocabulary, rule("familievern"), [familievern]).doors[0].service_id == 1
    other = route(vocabulary, rule("familievern"), [familievern], kommune="0301")
    assert other.doors[0].generic


def test_route_inactive_service_is_left_out_with_reason(vocabulary: Vocabulary) -> None:
    routed = route(vocabulary, rule("helsesykepleier"), [service(1, "helsesykepleier", active=False)])
    assert routed.excluded[0].reason == "inactive"
    assert routed.doors[0].generic


def test_route_open_now_follows_weekly_hours(vocabulary: Vocabulary) -> None:
    nurse = service(1, "helsesykepleier", intervals=tuple(parse_week({"mon": ["08:00-15:30"]})))
    assert route(vocabulary, rule("helsesykepleier"), [nurse], at=MONDAY_10).doors[0].open_now is True
    closed = route(vocabulary, rule("helsesykepleier"), [nurse], at=MONDAY_22).doors[0]
    assert closed.open_now is False
    assert closed.next_open == datetime(2026, 11, 30, 8, 0, tzinfo=OSLO)


def test_route_closed_date_keeps_door_closed_that_day(vocabulary: Vocabulary) -> None:
    nurse = service(
        1,
        "helsesykepleier",
        intervals=tuple(parse_week({"mon": ["08:00-15:30"]})),
        closed_dates=frozenset({date(2026, 11, 23)}),
    )
    assert route(vocabulary, rule("helsesykepleier"), [nurse], at=MONDAY_10).doors[0].open_now is False


def test_route_open_24_7_service_is_always_open(vocabulary: Vocabulary) -> None:
    line = service(1, "krisetelefon", Scope.national, open_24_7=True)
    assert route(vocabulary, rule("krisetelefon"), [line], at=MONDAY_22).doors[0].open_now is True


def test_route_phone_links_are_dialable(vocabulary: Vocabulary) -> None:
    line = service(1, "krisetelefon", Scope.national, phone="116 123", sms="10 00 00 01")
    door = route(vocabulary, rule("krisetelefon"), [line]).doors[0]
    assert door.phone_href == "tel:116123"
    assert door.sms_href == "sms:+4710000001"


def test_choose_rule_prefers_the_municipality_own_rule() -> None:
    national, local = rule("fastlege", rule_id=1), rule("helsesykepleier", rule_id=2, kommune="9999")
    assert choose_rule([national, local], kommunenummer="9999", age=None) == local
    assert choose_rule([national, local], kommunenummer="0301", age=None) == national


def test_choose_rule_prefers_a_fitting_age_band_when_age_is_known() -> None:
    plain = rule("helsesykepleier", rule_id=1)
    older = rule("rask_psykisk_helsehjelp", rule_id=2, age_min=16)
    assert choose_rule([plain, older], kommunenummer=None, age=17) == older
    assert choose_rule([plain, older], kommunenummer=None, age=14) == plain
    assert choose_rule([plain, older], kommunenummer=None, age=None) == plain


def test_choose_rule_without_rules_is_none() -> None:
    assert choose_rule([], kommunenummer=None, age=None) is None


def test_specialist_doors_alone_are_not_a_first_line(vocabulary: Vocabulary) -> None:
    routed = route(
        vocabulary, rule("bup"), [service(1, "bup", Scope.regional, covers=("9999",), referral_required=True)]
    )
    assert not has_first_line_door(routed.doors, vocabulary)
    both = route(vocabulary, rule("helsesykepleier", "bup"), [])
    assert has_first_line_door(both.doors, vocabulary)


def test_route_service_without_hours_is_unknown_not_closed(vocabulary: Vocabulary) -> None:
    door = route(vocabulary, rule("fastlege"), [service(1, "fastlege")], at=MONDAY_22).doors[0]
    assert door.open_now is None


def test_route_generic_school_nurse_is_not_offered_past_school_age(vocabulary: Vocabulary) -> None:
    routed = route(vocabulary, rule("helsesykepleier", "fastlege"), [], kommune=None, age=23)
    assert [d.category for d in routed.doors] == ["fastlege"]
    assert routed.excluded[0].reason == "age"


def test_rule_with_a_referral_door_first_is_refused() -> None:
    from pydantic import ValidationError

    from service_catalog.models.routing_rule import RoutingRuleIn

    with pytest.raises(ValidationError, match="needs a referral"):
        RoutingRuleIn(need="angst_uro", urgency=Urgency.snart, doors=["bup", "fastlege"])


def test_a_rule_can_name_one_service_of_a_door(vocabulary: Vocabulary) -> None:
    ambulance = service(1, "nodtelefon", Scope.national)
    police = service(2, "nodtelefon", Scope.national)
    routed = route_doors(
        rule("nodtelefon:test-2", "nodtelefon:test-1", urgency=Urgency.akutt),
        [ambulance, police],
        vocabulary=vocabulary,
        kommunenummer="9999",
        absent=frozenset(),
        age=None,
        at=MONDAY_22,
    )
    assert [d.service_id for d in routed.doors] == [2, 1]


def test_a_service_named_twice_is_shown_once(vocabulary: Vocabulary) -> None:
    line, other = service(1, "krisetelefon", Scope.national), service(2, "krisetelefon", Scope.national)
    routed = route_doors(
        rule("krisetelefon:test-2", "krisetelefon"),
        [line, other],
        vocabulary=vocabulary,
        kommunenummer="9999",
        absent=frozenset(),
        age=None,
        at=MONDAY_22,
    )
    assert [d.service_id for d in routed.doors] == [2, 1]
