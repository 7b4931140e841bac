"""An action never fails silently: any exception becomes the static fallback with the national numbers."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from conftest import TrackerFactory
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from replies import doors_payload, texts

from actions.actions import ActionShowDoors, VeiviserAction
from actions.catalogue_client import RouteResult
from actions.texts import STATIC_FALLBACK


class BrokenCatalogue:
    """A catalogue client with a bug: it raises instead of returning CatalogueUnavailable."""

    async def route(
        self, need: str, kommune: str | None = None, age: int | None = None, lang: str = "nb"
    ) -> RouteResult:
        raise KeyError("doors")


class ActionThatLeaks(VeiviserAction):
    """An action whose bug puts what the user wrote into the exception message."""

    def name(self) -> str:
        return "action_that_leaks"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[Any]:
        raise ValueError(f"cannot read {tracker.latest_message['text']} with {tracker.get_slot('kommune_text')}")


async def test_exception_inside_an_action_gives_the_static_fallback_with_113(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    action = ActionShowDoors(BrokenCatalogue())  # type: ignore[arg-type]

    events = await action.run(dispatcher, make_tracker(intent="angst_uro"), {})

    assert events == []
    [text] = texts(dispatcher)
    assert "113" in text and "116 123" in text and "116 111" in text


async def test_a_failing_action_still_leaves_doors_from_the_cached_national_doors(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    await ActionShowDoors(BrokenCatalogue()).run(dispatcher, make_tracker(intent="angst_uro"), {})  # type: ignore[arg-type]

    payload = doors_payload(dispatcher)
    assert payload["need"] == "snakke_med_noen" and payload["doors"]


async def test_static_fallback_speaks_the_users_language(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher
) -> None:
    await ActionThatLeaks().run(dispatcher, make_tracker(text="hei", slots={"language": "nn"}), {})

    assert texts(dispatcher) == [STATIC_FALLBACK["nn"]]


async def test_failure_is_logged_without_message_text_or_slot_values(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    tracker = make_tracker(text="pappa drikker hver dag", slots={"kommune_text": "Eksempelby"})

    with caplog.at_level(logging.DEBUG):
        await ActionThatLeaks().run(dispatcher, tracker, {})

    logged = "\n".join(record.getMessage() + str(record.exc_info) for record in caplog.records)
    assert "action_that_leaks failed with ValueError" in logged
    assert "pappa drikker" not in logged
    assert "Eksempelby" not in logged
