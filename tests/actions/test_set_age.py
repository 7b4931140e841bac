"""action_set_age: the age from digits or number words; the doors again when they depend on it."""

from __future__ import annotations

import pytest
from conftest import TrackerFactory
from rasa_sdk.executor import CollectingDispatcher
from replies import categories, doors_payload, kinds, message_for, responses, slots

from actions.actions import ActionSetAge
from actions.age import parse_age, plausible_age
from actions.catalogue_client import CatalogueClient


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("15", 15),
        ("jeg er 15 år", 15),
        ("15år", 15),
        ("femten", 15),
        ("jeg er en jente på fjorten", 14),
        ("tretten", 13),
        ("femtenåring", 15),
        ("sytten", 17),
        ("søtten", 17),
        ("fjortn", 14),
        ("tjuefem", 25),
        ("tjue fem", 25),
        ("fem og tjue", 25),
        ("eg er seksten år", 16),  # nynorsk
        ("tjueein", 21),  # nynorsk
        ("fifteen", 15),
        ("I'm twenty-one", 21),
    ],
)
def test_age_is_read_from_digits_and_number_words(text: str, age: int) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize("text", ["3", "45", "hundre", "tirsdag", "vet ikke", ""])
def test_age_outside_8_to_30_or_unreadable_is_not_used(text: str) -> None:
    assert plausible_age(text) is None


async def test_set_age_sets_the_slot_and_confirms(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="inform_age", text="jeg er femten", entities={"alder": "femten"})

    events = await ActionSetAge(live_client).run(dispatcher, tracker, {})

    assert slots(events)["alder"] == 15.0
    assert kinds(dispatcher)[:3] == ["utter_age_set_no_need", "text", "doors"]
    assert message_for(dispatcher, "utter_age_set_no_need")["alder"] == 15


async def test_set_age_without_a_known_need_still_gives_doors_for_anyone(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="inform_age", text="15", metadata={"kommune": "9999"})

    events = await ActionSetAge(live_client).run(dispatcher, tracker, {})

    assert slots(events)["need"] == "snakke_med_noen"
    assert "utter_ask_age" not in kinds(dispatcher)  # it was just told
    assert doors_payload(dispatcher)["doors"]


async def test_set_age_reads_the_message_when_no_entity_was_found(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    events = await ActionSetAge(live_client).run(dispatcher, make_tracker(intent="inform_age", text="17"), {})

    assert slots(events)["alder"] == 17.0


async def test_set_age_shows_the_doors_for_that_age_when_a_need_is_known(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(
        intent="inform_age",
        entities={"alder": "seksten"},
        slots={"need": "angst_uro", "doors_shown": True, "age_asked": True},
    )

    events = await ActionSetAge(live_client).run(dispatcher, tracker, {})

    assert slots(events)["alder"] == 16.0
    assert categories(dispatcher)[:2] == ["helsesykepleier", "rask_psykisk_helsehjelp"]  # RPH is for 16+
    assert "utter_ask_age" not in responses(dispatcher)
    assert "utter_empathy_angst_uro" not in responses(dispatcher)


async def test_set_age_correction_overwrites_the_earlier_age(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(entities={"alder": "14"}, slots={"alder": 16.0, "need": "angst_uro"})

    events = await ActionSetAge(live_client).run(dispatcher, tracker, {})

    assert slots(events)["alder"] == 14.0
    assert "rask_psykisk_helsehjelp" not in categories(dispatcher)  # RPH is for 16+


async def test_set_age_that_cannot_be_read_asks_for_a_number(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="inform_age", text="gammel nok", entities={"alder": "gammel"})

    events = await ActionSetAge(live_client).run(dispatcher, tracker, {})

    assert kinds(dispatcher) == ["utter_age_unclear"]
    assert slots(events) == {"age_asked": True}


async def test_a_long_message_read_as_an_age_for_a_phone_number_gets_the_unclear_message_answer(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    text = "jeg heter Ola og nummeret mitt er 912 34 567, jeg er så lei meg"
    ranking = [("inform_age", 0.95), ("nedstemthet", 0.03)]
    tracker = make_tracker(intent="inform_age", text=text, entities={"alder": "912"}, intent_ranking=ranking)

    await ActionSetAge(live_client).run(dispatcher, tracker, {})

    assert "utter_age_unclear" not in kinds(dispatcher)
    assert "utter_age_set" not in kinds(dispatcher)
