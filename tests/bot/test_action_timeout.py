"""A custom action waits ``VEIVISER_ACTION_TIMEOUT_SECONDS`` at most for the action server, then answers from the
domain with the first-line doors and 113 in the conversation's language (bot/rasa_patches.py, issue 13, finding
15). Rasa's own RemoteAction, domain and response generator; the action server is a socket that accepts and never
answers (hung) or a port nobody listens on (down). Through the whole stack:
tests/conversation/test_action_server_hung.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import rasa_patches
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from testing.processes import free_port

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "bot" / "domain"))


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("VEIVISER_ACTION_TIMEOUT_SECONDS", "0.5")
    rasa_patches.action_timeout.cache_clear()
    rasa_patches.install()
    yield
    rasa_patches.action_timeout.cache_clear()


async def _run_show_doors(port: int, language: str) -> list[Event]:
    tracker = DialogueStateTracker.from_events("s", [SlotSet("language", language)], slots=DOMAIN.slots)
    action = RemoteAction("action_show_doors", EndpointConfig(f"http://127.0.0.1:{port}/webhook"))
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    return await action.run(CollectingOutputChannel(), nlg, tracker, DOMAIN)


def _with_hung_server(language: str) -> tuple[list[Event], float]:
    async def scenario() -> tuple[list[Event], float]:
        async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await asyncio.sleep(60)

        server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        started = time.monotonic()
        try:
            return await _run_show_doors(port, language), time.monotonic() - started
        finally:
            server.close()

    return asyncio.run(scenario())


def _uttered(events: list[Event]) -> BotUttered:
    [uttered] = [event for event in events if isinstance(event, BotUttered)]
    return uttered


def test_a_hung_action_server_gets_the_first_line_doors_and_113_after_the_timeout() -> None:
    events, seconds = _with_hung_server("nb")
    assert 0.4 < seconds < 3
    uttered = _uttered(events)
    assert "113" in uttered.text
    assert uttered.data["custom"]["doors"][0]["category"] == "helsesykepleier"


def test_the_answer_from_the_domain_is_in_the_language_of_the_conversation() -> None:
    events, _ = _with_hung_server("en")
    uttered = _uttered(events)
    assert "Is it an emergency? Call 113." in uttered.text
    assert uttered.data["custom"]["doors"][0]["name"] == "The school nurse at your school"


def test_an_action_server_that_is_down_gets_the_same_answer() -> None:
    uttered = _uttered(asyncio.run(_run_show_doors(free_port(), "nn")))
    assert "Ring 113" in uttered.text and "Helsesjukepleiaren" in uttered.data["custom"]["doors"][0]["name"]


def test_the_timeout_is_six_seconds_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VEIVISER_ACTION_TIMEOUT_SECONDS")
    rasa_patches.action_timeout.cache_clear()
    assert rasa_patches.action_timeout() == 6.0


@pytest.mark.parametrize("value", ["fem", "0", "-1", "301"])
def test_a_timeout_rasa_could_not_wait_stops_rasa_at_start(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("VEIVISER_ACTION_TIMEOUT_SECONDS", value)
    rasa_patches.action_timeout.cache_clear()
    with pytest.raises(ValueError, match="VEIVISER_ACTION_TIMEOUT_SECONDS"):
        rasa_patches.install()
