"""Public holidays: a municipal office is closed on 17. mai, at Easter, on Kristi himmelfartsdag, at Whitsun and
at Christmas, in /api/v1/route and in the opening line the chat's door card shows; 24/7 lines stay open."""

from __future__ import annotations

from datetime import date

import pytest
from factories import make_service
from fastapi.testclient import TestClient
from sqlmodel import Session

from service_catalog.public_holidays import holiday_name, public_holidays

ORDINARY_MONDAY = "2027-05-10T12:00:00+02:00"
HOLIDAYS = {
    "17. mai": "2027-05-17T12:00:00+02:00",
    "skjærtorsdag": "2027-03-25T12:00:00+01:00",
    "langfredag": "2027-03-26T12:00:00+01:00",
    "2. påskedag": "2027-03-29T12:00:00+02:00",
    "Kristi himmelfartsdag": "2027-05-06T12:00:00+02:00",
    "2. pinsedag": "2026-05-25T12:00:00+02:00",
    "1. juledag": "2026-12-25T12:00:00+01:00",
}


def doors(client: TestClient, at: str, need: str = "angst_uro") -> list[dict]:
    answer = client.get("/api/v1/route", params={"need": need, "kommune": "9999", "age": 15, "at": at})
    assert answer.status_code == 200, answer.text
    return answer.json()["doors"] + answer.json()["not_shown"]


def offices(found: list[dict]) -> list[dict]:
    """The municipality's own doors with weekly hours (not generic, not 24/7)."""
    return [d for d in found if d["scope"] == "municipal" and not d["generic"] and d["hours"] and not d["open_24_7"]]


def test_the_moving_holidays_are_computed_for_each_year() -> None:
    days = public_holidays(2027)
    assert {date(2027, 3, 25), date(2027, 3, 28), date(2027, 5, 6), date(2027, 5, 17), date(2027, 12, 26)} <= days
    assert date(2027, 3, 21) not in days  # an ordinary Sunday: weekly hours decide Sundays
    assert holiday_name(date(2027, 3, 25)) == "Skjærtorsdag"


def test_an_office_open_on_an_ordinary_monday_noon(client: TestClient) -> None:
    assert any(d["open_now"] for d in offices(doors(client, ORDINARY_MONDAY)))


@pytest.mark.parametrize("holiday", sorted(HOLIDAYS))
def test_every_municipal_office_is_closed_on_a_public_holiday(client: TestClient, holiday: str) -> None:
    found = offices(doors(client, HOLIDAYS[holiday]))
    assert found and not any(d["open_now"] for d in found), holiday


def test_the_door_card_says_closed_on_17_mai_and_when_it_opens(client: TestClient) -> None:
    nurse = next(d for d in offices(doors(client, HOLIDAYS["17. mai"])) if d["category"] == "helsesykepleier")
    assert nurse["open_now"] is False and nurse["opening"].startswith("Stengt nå, åpner ")
    assert nurse["next_open"] > "2027-05-18"  # not later on the holiday itself


def test_a_line_open_day_and_night_stays_open_on_a_holiday(client: TestClient) -> None:
    lines = [d for d in doors(client, HOLIDAYS["1. juledag"], need="selvmordstanker") if d["open_24_7"]]
    assert lines and all(d["open_now"] and d["opening"] == "Åpent hele døgnet" for d in lines)


def test_a_service_that_keeps_holiday_hours_is_open_on_17_mai(client: TestClient, session: Session) -> None:
    make_service(
        session,
        "9999",
        door="helsestasjon_for_ungdom",
        name="Oppdiktet helsestasjon åpen på 17. mai",
        hours={"mon": ["10:00-16:00"]},
        closed_on_holidays=False,
    )
    found = [d for d in doors(client, HOLIDAYS["17. mai"]) if d["name"] == "Oppdiktet helsestasjon åpen på 17. mai"]
    assert found and found[0]["open_now"] is True
