"""The readable doors text: how to reach each door, open now or when it opens (Oslo time), and the facts."""

from __future__ import annotations

from builders import at, make_door

from actions.doors import doors_text

MONDAY_EVENING = at("2026-11-23T20:00:00+01:00")  # a Monday in winter time


def test_text_names_the_door_and_how_to_reach_it() -> None:
    text = doors_text([make_door()], "nb", now=MONDAY_EVENING)

    assert text.startswith("1. Helsesykepleier på Eksempel ungdomsskole")
    assert "Ring 10 00 01 01" in text
    assert "SMS 10 00 01 01" in text
    assert "Adresse: Skoleveien 1, 9999 Eksempelby" in text


def test_text_gives_the_chat_when_there_is_one() -> None:
    door = make_door("kors_pa_halsen", phone="800 33 321", sms=None, address=None, chat_url="https://chat.example")

    assert "Chat: https://chat.example" in doors_text([door], "nb", now=MONDAY_EVENING)


def test_text_says_open_now() -> None:
    assert "Åpent nå" in doors_text([make_door(open_now=True)], "nb", now=MONDAY_EVENING)


def test_text_says_open_day_and_night_for_24_7_doors() -> None:
    assert "Åpent hele døgnet" in doors_text([make_door(open_24_7=True)], "nb", now=MONDAY_EVENING)


def test_text_says_closed_and_opens_tomorrow() -> None:
    door = make_door(open_now=False, next_open=at("2026-11-24T15:00:00+01:00"))

    assert "Stengt nå, åpner i morgen kl. 15" in doors_text([door], "nb", now=MONDAY_EVENING)


def test_text_names_the_weekday_of_a_later_opening() -> None:
    door = make_door(open_now=False, next_open=at("2026-11-26T08:30:00+01:00"))

    assert "Stengt nå, åpner torsdag kl. 8.30" in doors_text([door], "nb", now=MONDAY_EVENING)


def test_text_gives_the_opening_in_oslo_time_whatever_offset_the_catalogue_used() -> None:
    door = make_door(open_now=False, next_open=at("2026-11-25T14:00:00+00:00"))  # 15:00 in Oslo (UTC+1)

    assert "åpner onsdag kl. 15" in doors_text([door], "nb", now=MONDAY_EVENING)


def test_text_uses_summer_time_in_summer() -> None:
    door = make_door(open_now=False, next_open=at("2026-06-02T13:30:00+00:00"))  # 15:30 in Oslo (UTC+2)

    assert "åpner i morgen kl. 15.30" in doors_text([door], "nb", now=at("2026-06-01T22:00:00+02:00"))


def test_text_counts_days_in_oslo_not_utc() -> None:
    # 23:30 UTC on Monday is already Tuesday 00:30 in Oslo, so a Tuesday 15:00 opening is "i dag".
    door = make_door(open_now=False, next_open=at("2026-11-24T15:00:00+01:00"))

    assert "åpner i dag kl. 15" in doors_text([door], "nb", now=at("2026-11-23T23:30:00+00:00"))


def test_text_says_nothing_about_opening_when_the_hours_are_unknown() -> None:
    text = doors_text([make_door(open_now=None)], "nb", now=MONDAY_EVENING)

    assert "Åpent" not in text and "Stengt" not in text


def test_text_says_free_anonymous_and_without_referral() -> None:
    door = make_door(open_now=None, cost="free", anonymous=True, referral_required=False)

    assert "Gratis · anonymt · uten henvisning" in doors_text([door], "nb", now=MONDAY_EVENING)


def test_text_of_a_generic_door_says_where_to_go() -> None:
    door = make_door(
        name="Helsesykepleieren på skolen din",
        generic=True,
        phone=None,
        sms=None,
        url=None,
        address=None,
        open_now=None,
        how_to_reach="Spør på skolen når helsesykepleieren er der.",
    )

    assert "1. Helsesykepleieren på skolen din\nSpør på skolen når helsesykepleieren er der." in doors_text(
        [door], "nb", now=MONDAY_EVENING
    )


def test_text_marks_how_a_specialist_door_is_reached() -> None:
    doors = [
        make_door(),
        make_door("bup", name="BUP", referral_required=True, open_now=None, cost=None, phone=None, sms=None),
        make_door("statens_barnehus", name="Statens barnehus", referral_required=True, open_now=None, cost=None),
    ]

    blocks = doors_text(doors, "nb", now=MONDAY_EVENING).split("\n\n")

    assert blocks[1].splitlines()[-1] == "Via henvisning"
    assert blocks[2].splitlines()[-1] == "Gjennom politiet"


def test_text_in_nynorsk() -> None:
    door = make_door(open_now=False, next_open=at("2026-11-24T15:00:00+01:00"), anonymous=True)

    assert "Stengt no, opnar i morgon kl. 15 · gratis · anonymt · utan tilvising" in doors_text(
        [door], "nn", now=MONDAY_EVENING
    )


def test_text_in_english() -> None:
    door = make_door(open_now=False, next_open=at("2026-11-26T08:30:00+01:00"))

    text = doors_text([door], "en", now=MONDAY_EVENING)

    assert "Call 10 00 01 01" in text
    assert "Closed now, opens Thursday at 08:30 · free · no referral needed" in text
