"""action_show_doors: a warm sentence, the doors as text and payload, then (only if it matters) the age question."""

from __future__ import annotations

from conftest import TrackerFactory
from jsonschema import Draft202012Validator
from rasa_sdk.executor import CollectingDispatcher
from replies import categories, doors_payload, kinds, responses, slots, texts

from actions.actions import ActionShowDoors
from actions.catalogue_client import CatalogueClient
from veiviser_contract.doors import DOORS_PAYLOAD_SCHEMA


async def test_show_doors_answers_empathy_intro_text_payload_then_age_question(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="angst_uro", text="får panikk på bussen")

    await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert kinds(dispatcher) == ["utter_empathy_angst_uro", "utter_doors_intro", "text", "doors", "utter_ask_age"]


async def test_show_doors_payload_carries_need_urgency_and_doors_best_first(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    await ActionShowDoors(live_client).run(dispatcher, make_tracker(intent="angst_uro"), {})

    payload = doors_payload(dispatcher)
    assert (payload["need"], payload["urgency"]) == ("angst_uro", "snart")
    assert categories(dispatcher)[0] == "helsesykepleier"
    assert 1 <= len(payload["doors"]) <= 6


async def test_show_doors_to_a_client_with_cards_sends_the_doors_once_as_the_payload(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="angst_uro", metadata={"kommune": "9999", "cards": True})

    await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert kinds(dispatcher) == ["utter_empathy_angst_uro", "utter_doors_intro", "doors", "utter_ask_age"]


async def test_show_doors_payload_validates_against_the_contracts_schema(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    await ActionShowDoors(live_client).run(dispatcher, make_tracker(intent="angst_uro"), {})

    Draft202012Validator(DOORS_PAYLOAD_SCHEMA).validate(doors_payload(dispatcher))


async def test_show_doors_remembers_need_urgency_doors_shown_and_age_asked(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    events = await ActionShowDoors(live_client).run(dispatcher, make_tracker(intent="sorg"), {})

    assert slots(events) == {
        "need": "sorg",
        "urgency": "snart",
        "doors_shown": True,
        "age_asked": True,
    }


async def test_show_doors_takes_the_kommune_from_the_rest_metadata(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="angst_uro", metadata={"kommune": "9999"})

    events = await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert slots(events)["kommunenummer"] == "9999"
    first = doors_payload(dispatcher)["doors"][0]
    assert (first["name"], first["generic"]) == ("Helsesykepleier på Eksempel ungdomsskole", False)


async def test_show_doors_ignores_metadata_kommune_that_is_not_four_digits(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="angst_uro", metadata={"kommune": "Eksempelby"})

    events = await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert "kommunenummer" not in slots(events)
    assert doors_payload(dispatcher)["doors"][0]["generic"] is True


async def test_show_doors_prefers_the_kommune_from_the_conversation_over_metadata(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    # The young person said "jeg bor i Bærum" (3201) on the example municipality's website (9999).
    tracker = make_tracker(intent="angst_uro", slots={"kommunenummer": "3201"}, metadata={"kommune": "9999"})

    events = await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert "kommunenummer" not in slots(events)
    assert doors_payload(dispatcher)["doors"][0]["generic"] is True  # Bærum has no catalogue entries yet


async def test_show_doors_uses_the_need_slot_when_the_intent_is_not_a_need(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="affirm", slots={"need": "mobbing"})

    await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert doors_payload(dispatcher)["need"] == "mobbing"
    assert categories(dispatcher)[0] == "skole"


async def test_show_doors_does_not_ask_the_age_when_it_is_known(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="angst_uro", slots={"alder": 16.0})

    await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert "utter_ask_age" not in responses(dispatcher)
    assert categories(dispatcher)[:2] == ["helsesykepleier", "rask_psykisk_helsehjelp"]  # the 16+ order


async def test_show_doors_uses_an_age_sent_in_the_metadata(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="angst_uro", metadata={"alder": 16})

    await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert "utter_ask_age" not in responses(dispatcher)
    assert categories(dispatcher)[:2] == ["helsesykepleier", "rask_psykisk_helsehjelp"]  # the 16+ order


async def test_show_doors_asks_the_age_only_once(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="nedstemthet", slots={"age_asked": True})

    events = await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert "utter_ask_age" not in responses(dispatcher)
    assert slots(events)["age_asked"] is True


async def test_show_doors_for_utredning_opens_with_the_diagnosis_boundary(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    await ActionShowDoors(live_client).run(dispatcher, make_tracker(intent="utredning", text="har jeg adhd?"), {})

    assert responses(dispatcher)[0] == "utter_diagnosis_boundary"
    assert "utter_empathy_utredning" not in responses(dispatcher)


async def test_show_doors_for_a_worried_friend_opens_with_friend_support(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    await ActionShowDoors(live_client).run(dispatcher, make_tracker(intent="bekymring_for_venn"), {})

    assert responses(dispatcher)[0] == "utter_friend_support"


async def test_show_doors_explains_a_specialist_door_and_puts_it_last(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="utredning", metadata={"kommune": "9999"}, slots={"alder": 14.0})

    await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert categories(dispatcher)[-1] == "bup"
    assert categories(dispatcher)[0] != "bup"
    assert kinds(dispatcher)[-1] == "utter_specialist_explained"


async def test_show_doors_text_and_payload_list_the_same_doors(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    await ActionShowDoors(live_client).run(dispatcher, make_tracker(intent="sorg", metadata={"kommune": "9999"}), {})

    names = [door["name"] for door in doors_payload(dispatcher)["doors"]]
    text = texts(dispatcher)[0]
    assert [f"{n}. {name}" in text for n, name in enumerate(names, start=1)] == [True] * len(names)


async def test_show_doors_answers_in_nynorsk_when_the_user_writes_nynorsk(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    await ActionShowDoors(live_client).run(dispatcher, make_tracker(intent="sorg", slots={"language": "nn"}), {})

    assert texts(dispatcher)[0].startswith("1. Helsesjukepleiaren på skulen din")


async def test_show_doors_with_the_catalogue_down_answers_from_the_cache_and_says_so(
    down_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="nedstemthet", metadata={"kommune": "9999"})

    events = await ActionShowDoors(down_client).run(dispatcher, tracker, {})

    assert kinds(dispatcher) == ["utter_empathy_nedstemthet", "utter_catalogue_down", "text", "doors"]
    assert "krisetelefon" in categories(dispatcher)
    assert "Ring 116 123" in texts(dispatcher)[0]
    assert doors_payload(dispatcher)["urgency"] == "snart"
    assert "kommunenummer" not in slots(events)  # not confirmed by the catalogue


async def test_show_doors_with_the_catalogue_down_for_an_urgent_need_leads_with_113(
    down_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    await ActionShowDoors(down_client).run(dispatcher, make_tracker(intent="selvmordstanker"), {})

    payload = doors_payload(dispatcher)
    assert (payload["urgency"], payload["doors"][0]["phone"]) == ("akutt", "113")
    assert "utter_ask_age" not in responses(dispatcher)


# --- what the young person already said in the message (principle 3) ---------------------------------


async def test_show_doors_uses_an_age_said_in_the_message_and_never_asks_it(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="okonomi_bolig", text="jeg er 22 og har mistet jobben", entities={"alder": "22"})

    events = await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert "utter_ask_age" not in responses(dispatcher)
    assert slots(events)["alder"] == 22.0
    assert categories(dispatcher)[0] == "nav"  # the rule for 16+; under 16 it would be the school nurse


async def test_show_doors_uses_a_municipality_said_in_the_message(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="angst_uro", text="bor i Bærum og har angst", entities={"kommune": "Bærum"})

    events = await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert slots(events)["kommunenummer"] == "3201"
    assert responses(dispatcher)[0] == "utter_kommune_set"


async def test_show_doors_a_municipality_said_wins_over_the_websites(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="angst_uro", entities={"kommune": "Bærum"}, metadata={"kommune": "9999"})

    events = await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert slots(events)["kommunenummer"] == "3201"


async def test_show_doors_about_a_friend_speaks_to_the_helper_and_asks_no_age(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(
        intent="spiseproblemer", text="venninna mi spiser nesten ingenting", entities={"om_hvem": "venn"}
    )

    await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert responses(dispatcher)[0] == "utter_friend_support"
    assert "utter_ask_age" not in responses(dispatcher)
    assert doors_payload(dispatcher)["need"] == "spiseproblemer"


async def test_show_doors_after_a_no_to_the_direct_question_shows_the_hinted_need_without_a_new_opening(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent="deny", text="nei", slots={"need": "nedstemthet"})

    await ActionShowDoors(live_client).run(dispatcher, tracker, {})

    assert not any(name.startswith("utter_empathy") for name in responses(dispatcher))
    assert doors_payload(dispatcher)["need"] == "nedstemthet"
