"""action_veiviser_fallback: an unclear message still gets doors, then buttons for the likeliest needs."""

from __future__ import annotations

from conftest import TrackerFactory
from rasa_sdk.executor import CollectingDispatcher
from replies import doors_payload, kinds, responses, slots

from actions.actions import ActionVeiviserFallback
from actions.catalogue_client import CatalogueClient
from actions.dialogue import COMMON_NEEDS, likely_needs
from actions.needs import vocabulary

CLOSE_RANKING = [("nlu_fallback", 0.7), ("angst_uro", 0.41), ("nedstemthet", 0.33), ("greet", 0.1)]


async def test_fallback_shows_the_general_doors_then_the_likeliest_needs_as_buttons(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent_ranking=CLOSE_RANKING, text="alt er bare tungt og skummelt")

    await ActionVeiviserFallback(live_client).run(dispatcher, tracker, {})

    assert kinds(dispatcher) == ["text", "doors", "buttons"]
    assert doors_payload(dispatcher)["need"] == "snakke_med_noen"
    assert doors_payload(dispatcher)["doors"], "never 'say it another way' alone (principle 3)"
    question = dispatcher.messages[-1]
    assert [b["payload"] for b in question["buttons"]] == ["/angst_uro", "/nedstemthet", "/snakke_med_noen"]
    assert [b["title"] for b in question["buttons"]][:2] == ["Angst og uro", "Nedstemthet"]
    assert "113" in question["text"]  # every fallback carries the urgent line (safety.md rule 4)


async def test_fallback_button_titles_follow_the_users_language(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent_ranking=CLOSE_RANKING, slots={"language": "nn"})

    await ActionVeiviserFallback(live_client).run(dispatcher, tracker, {})

    assert [b["title"] for b in dispatcher.messages[-1]["buttons"]][:2] == ["Angst og uro", "Nedstemtheit"]


async def test_fallback_with_nothing_likely_offers_the_commonest_needs(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent_ranking=[("nlu_fallback", 0.8), ("greet", 0.1)])

    events = await ActionVeiviserFallback(live_client).run(dispatcher, tracker, {})

    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == [f"/{need}" for need in COMMON_NEEDS]
    assert slots(events)["doors_shown"] is True


async def test_fallback_uses_an_age_said_in_the_message(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent_ranking=[("nlu_fallback", 0.8)], entities={"alder": "22"})

    events = await ActionVeiviserFallback(live_client).run(dispatcher, tracker, {})

    assert slots(events)["alder"] == 22.0
    assert all((door["age_max"] or 99) >= 22 for door in doors_payload(dispatcher)["doors"])


async def test_fallback_general_doors_with_the_catalogue_down_still_answer(
    down_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent_ranking=[("nlu_fallback", 0.8)])

    await ActionVeiviserFallback(down_client).run(dispatcher, tracker, {})

    assert responses(dispatcher) == ["utter_catalogue_down"]
    assert doors_payload(dispatcher)["doors"]


def test_likely_needs_counts_need_intents_only_and_never_urgent_ones() -> None:
    ranking = [
        {"name": "greet", "confidence": 0.45},
        {"name": "selvmordstanker", "confidence": 0.3},
        {"name": "sorg", "confidence": 0.2},
    ]

    assert likely_needs(ranking, vocabulary()) == ("sorg", "nedstemthet", "angst_uro")


def test_likely_needs_leaves_out_needs_below_the_floor() -> None:
    ranking = [{"name": "sorg", "confidence": 0.5}, {"name": "ensomhet", "confidence": 0.04}]

    assert likely_needs(ranking, vocabulary()) == ("sorg", "nedstemthet", "angst_uro")


def test_likely_needs_orders_by_confidence() -> None:
    ranking = [
        {"name": "ensomhet", "confidence": 0.2},
        {"name": "sorg", "confidence": 0.3},
        {"name": "sovn", "confidence": 0.1},
        {"name": "sinne", "confidence": 0.06},
    ]

    assert likely_needs(ranking, vocabulary()) == ("sorg", "ensomhet", "sovn")
