"""How a door reads in the chat: how to reach it, open now or when it opens (Oslo time), and the facts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from service_catalog.models.route import DoorOut
from service_catalog.models.service import Address
from service_catalog.route_answer import finish_door
from service_catalog.vocabulary import Lang, Scope, get_vocabulary

MONDAY_EVENING = datetime.fromisoformat("2026-11-23T20:00:00+01:00")  # a Monday in winter time


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def door(category: str = "helsesykepleier", **facts: Any) -> DoorOut:
    """An invented school nurse with a phone, an SMS number and an address; any fact can be changed."""
    values: dict[str, Any] = {
        "category": category,
        "category_label": category,
        "name": "Helsesykepleier på Eksempel ungdomsskole (oppdiktet)",
        "description": "Du kan komme innom uten time.",
        "generic": False,
        "scope": Scope.municipal,
        "phone": "10 00 01 01",
        "sms": "10 00 01 01",
        "address": Address(street="Skoleveien 1", postal_code="9999", city="Eksempelby"),
        "open_now": True,
        "referral_required": False,
        "cost": "free",
        "anonymous": False,
        "why": "test",
        **facts,
    }
    return DoorOut(**values)


def text(d: DoorOut, lang: Lang = Lang.nb, now: datetime = MONDAY_EVENING) -> str:
    return finish_door(d, get_vocabulary(), lang, now).text


def test_text_names_the_door_and_how_to_reach_it() -> None:
    said = text(door())
    assert said.startswith("Helsesykepleier på Eksempel ungdomsskole")
    assert "Ring 10 00 01 01 · SMS 10 00 01 01 · Adresse: Skoleveien 1, 9999 Eksempelby" in said


def test_text_gives_the_chat_when_there_is_one() -> None:
    said = text(door("kors_pa_halsen", phone="800 33 321", sms=None, address=None, chat_url="https://chat.example"))
    assert "Chat: https://chat.example" in said


def test_opening_says_open_now_or_open_day_and_night() -> None:
    assert finish_door(door(open_now=True), get_vocabulary(), Lang.nb, MONDAY_EVENING).opening == "Åpent nå"
    assert "Åpent hele døgnet" in text(door(open_24_7=True))


def test_text_says_closed_and_opens_tomorrow() -> None:
    assert "Stengt nå, åpner i morgen kl. 15" in text(door(open_now=False, next_open=at("2026-11-24T15:00:00+01:00")))


def test_text_names_the_weekday_of_a_later_opening() -> None:
    closed = door(open_now=False, next_open=at("2026-11-26T08:30:00+01:00"))
    assert "Stengt nå, åpner torsdag kl. 8.30" in text(closed)


def test_text_gives_the_opening_in_oslo_time_whatever_offset_the_catalogue_used() -> None:
    closed = door(open_now=False, next_open=at("2026-11-25T14:00:00+00:00"))  # 15:00 in Oslo (UTC+1)
    assert "åpner onsdag kl. 15" in text(closed)


def test_text_uses_summer_time_in_summer() -> None:
    closed = door(open_now=False, next_open=at("2026-06-02T13:30:00+00:00"))  # 15:30 in Oslo (UTC+2)
    assert "åpner i morgen kl. 15.30" in text(closed, now=at("2026-06-01T22:00:00+02:00"))


def test_text_counts_days_in_oslo_not_utc() -> None:
    # 23:30 UTC on Monday is already Tuesday 00:30 in Oslo, so a Tuesday 15:00 opening is "i dag".
    closed = door(open_now=False, next_open=at("2026-11-24T15:00:00+01:00"))
    assert "åpner i dag kl. 15" in text(closed, now=at("2026-11-23T23:30:00+00:00"))


def test_nothing_is_said_about_opening_when_the_hours_are_unknown() -> None:
    finished = finish_door(door(open_now=None), get_vocabulary(), Lang.nb, MONDAY_EVENING)
    assert finished.opening is None
    assert "Åpent" not in finished.text and "Stengt" not in finished.text


def test_text_says_free_anonymous_and_without_referral() -> None:
    assert "Gratis · anonymt · uten henvisning" in text(door(open_now=None, anonymous=True))


def test_text_of_a_generic_door_says_where_to_go() -> None:
    generic = door(
        name="Helsesykepleieren på skolen din",
        generic=True,
        phone=None,
        sms=None,
        address=None,
        open_now=None,
        how_to_reach="Spør på skolen når helsesykepleieren er der.",
    )
    assert text(generic).startswith("Helsesykepleieren på skolen din\nSpør på skolen når helsesykepleieren er der.")


def test_text_marks_how_a_specialist_door_is_reached() -> None:
    bup = door("bup", name="BUP", referral_required=True, open_now=None, cost=None, phone=None, sms=None)
    barnehus = door("statens_barnehus", name="Statens barnehus", referral_required=True, open_now=None, cost=None)
    assert text(bup).splitlines()[-1] == "Via henvisning"
    assert text(barnehus).splitlines()[-1] == "Gjennom politiet"
    assert finish_door(bup, get_vocabulary(), Lang.nb, MONDAY_EVENING).specialist is True


def test_text_in_nynorsk() -> None:
    closed = door(open_now=False, next_open=at("2026-11-24T15:00:00+01:00"), anonymous=True)
    assert "Stengt no, opnar i morgon kl. 15 · gratis · anonymt · utan tilvising" in text(closed, Lang.nn)


def test_text_in_english() -> None:
    said = text(door(open_now=False, next_open=at("2026-11-26T08:30:00+01:00")), Lang.en)
    assert "Call 10 00 01 01" in said
    assert "Closed now, opens Thursday at 08:30 · free · no referral needed" in said
