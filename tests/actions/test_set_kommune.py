"""action_set_kommune: "jeg bor i Asker" becomes a kommunenummer; a correction simply overwrites it."""

from __future__ import annotations

from conftest import TrackerFactory
from rasa_sdk.executor import CollectingDispatcher
from replies import doors_payload, kinds, message_for, responses, slots

from actions.actions import ActionSetKommune
from actions.catalogue_client import CatalogueClient


async def test_set_kommune_sets_the_number_and_names_the_kommune(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="inform_kommune", text="jeg bor i asker", entities={"kommune": "asker"})

    events = await ActionSetKommune(live_client).run(dispatcher, tracker, {})

    assert slots(events) == {"kommunenummer": "3203"}
    assert kinds(dispatcher) == ["utter_kommune_set"]
    assert message_for(dispatcher, "utter_kommune_set")["kommune_navn"] == "Asker"


async def test_set_kommune_reads_the_kommune_text_slot_without_an_entity(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="inform_kommune", slots={"kommune_text": "Tromsø"})

    events = await ActionSetKommune(live_client).run(dispatcher, tracker, {})

    assert slots(events) == {"kommunenummer": "5501"}


async def test_set_kommune_correction_overwrites_and_shows_the_doors_again(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(
        intent="inform_kommune",
        text="nei, jeg bor i Eksempelby",
        entities={"kommune": "Eksempelby"},
        slots={"kommunenummer": "3203", "need": "angst_uro", "doors_shown": True, "age_asked": True},
    )

    events = await ActionSetKommune(live_client).run(dispatcher, tracker, {})

    assert slots(events)["kommunenummer"] == "9999"
    assert message_for(dispatcher, "utter_kommune_set")["kommune_navn"] == "Eksempel kommune"
    assert doors_payload(dispatcher)["doors"][0]["name"] == "Helsesykepleier på Eksempel ungdomsskole"


async def test_set_kommune_does_not_repeat_the_empathy_sentence(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(entities={"kommune": "Bærum"}, slots={"need": "angst_uro", "age_asked": True})

    await ActionSetKommune(live_client).run(dispatcher, tracker, {})

    assert responses(dispatcher)[0] == "utter_kommune_set"
    assert "utter_empathy_angst_uro" not in responses(dispatcher)


async def test_set_kommune_with_a_name_no_kommune_has_says_so(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(entities={"kommune": "Atlantis"}, slots={"kommunenummer": "3203"})

    events = await ActionSetKommune(live_client).run(dispatcher, tracker, {})

    assert events == []  # the earlier kommune stays
    assert kinds(dispatcher) == ["utter_kommune_unknown"]


async def test_set_kommune_with_the_catalogue_down_answers_from_the_cache(
    down_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(entities={"kommune": "Asker"}, slots={"need": "ensomhet"})

    events = await ActionSetKommune(down_client).run(dispatcher, tracker, {})

    assert "kommunenummer" not in slots(events)
    assert kinds(dispatcher) == ["utter_catalogue_down", "text", "doors"]
    assert doors_payload(dispatcher)["need"] == "ensomhet"
