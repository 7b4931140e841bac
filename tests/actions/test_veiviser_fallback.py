"""action_veiviser_fallback: two close needs as buttons; otherwise ask once, then show the general doors."""

from __future__ import annotations

from conftest import TrackerFactory
from rasa_sdk.executor import CollectingDispatcher
from replies import doors_payload, kinds, responses, slots

from actions.actions import ActionVeiviserFallback
from actions.catalogue_client import CatalogueClient
from actions.dialogue import close_needs
from actions.needs import vocabulary

CLOSE_RANKING = [("nlu_fallback", 0.7), ("angst_uro", 0.41), ("nedstemthet", 0.33), ("greet", 0.1)]


async def test_fallback_offers_two_close_needs_as_buttons_with_readable_titles(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent_ranking=CLOSE_RANKING, text="alt er bare tungt og skummelt")

    events = await ActionVeiviserFallback(live_client).run(dispatcher, tracker, {})

    [message] = dispatcher.messages
    assert message["buttons"] == [
        {"title": "Angst og uro", "payload": "/angst_uro"},
        {"title": "Nedstemthet", "payload": "/nedstemthet"},
    ]
    assert "113" in message["text"]  # every fallback carries the urgent line (safety.md rule 4)
    assert slots(events) == {"fallback_asked": True}


async def test_fallback_button_titles_follow_the_users_language(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent_ranking=CLOSE_RANKING, slots={"language": "nn"})

    await ActionVeiviserFallback(live_client).run(dispatcher, tracker, {})

    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["Angst og uro", "Nedstemtheit"]


async def test_fallback_asks_to_rephrase_once_when_no_two_needs_are_close(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent_ranking=[("nlu_fallback", 0.7), ("angst_uro", 0.5), ("nedstemthet", 0.2)])

    events = await ActionVeiviserFallback(live_client).run(dispatcher, tracker, {})

    assert kinds(dispatcher) == ["utter_fallback_rephrase"]
    assert slots(events) == {"fallback_asked": True}


async def test_fallback_the_second_time_shows_the_general_doors_and_starts_over(
    live_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent_ranking=[("nlu_fallback", 0.8), ("greet", 0.1)], slots={"fallback_asked": True})

    events = await ActionVeiviserFallback(live_client).run(dispatcher, tracker, {})

    assert kinds(dispatcher) == ["utter_fallback_general", "text", "doors"]
    assert doors_payload(dispatcher)["need"] == "snakke_med_noen"
    assert slots(events)["fallback_asked"] is False


async def test_fallback_general_doors_with_the_catalogue_down_still_answer(
    down_client: CatalogueClient, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(intent_ranking=[("nlu_fallback", 0.8)], slots={"fallback_asked": True})

    await ActionVeiviserFallback(down_client).run(dispatcher, tracker, {})

    assert responses(dispatcher) == ["utter_fallback_general", "utter_catalogue_down"]
    assert doors_payload(dispatcher)["doors"]


def test_close_needs_counts_need_intents_only() -> None:
    ranking = [{"name": "greet", "confidence": 0.45}, {"name": "sorg", "confidence": 0.4}]

    assert close_needs(ranking, vocabulary()) is None


def test_close_needs_allows_exactly_the_margin() -> None:
    ranking = [{"name": "sorg", "confidence": 0.5}, {"name": "ensomhet", "confidence": 0.35}]

    assert close_needs(ranking, vocabulary()) == ("sorg", "ensomhet")


def test_close_needs_requires_both_to_be_likely_enough() -> None:
    ranking = [{"name": "sorg", "confidence": 0.25}, {"name": "ensomhet", "confidence": 0.19}]

    assert close_needs(ranking, vocabulary()) is None
