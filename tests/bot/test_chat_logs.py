"""No chat text in the Rasa process's logs (bot/channels.py, bot/log_privacy.py; issue 13, finding 1).

The chat channel runs in a real Sanic server here, with Rasa's structlog set up as ``rasa run`` sets it up
(JSON lines through the standard ``logging`` module); the model is replaced by a function that hangs, raises
or logs the way Rasa's own code does. Every test reads everything logged at INFO and above. The same paths
through the whole stack: tests/privacy/test_chat_text_never_logged.py.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import log_privacy
import pytest
import structlog
from channels import FAILED_TEXT, ChannelSettings, GuardedRestInput
from rasa.core.channels.channel import UserMessage
from rasa.utils.log_utils import configure_structlog
from sanic import Sanic

from testing.processes import free_port

TEXT = "jeg heter Kari Nordmann og får panikk på bussen"
OnMessage = Callable[[UserMessage], Awaitable[Any]]


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several Sanic apps in one process (Sanic 21.12 rewrites its classes once per app otherwise)."""
    monkeypatch.setattr(Sanic, "test_mode", True)


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    """Everything the process logs at INFO and above while the test runs, with Rasa's structlog set up."""
    configure_structlog(logging.INFO)
    log_privacy.install()  # as the chat channel does when Rasa creates it
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        structlog.reset_defaults()


def _forms(text: str) -> list[str]:
    return [text, json.dumps(text)[1:-1], repr(text)[1:-1], "Kari Nordmann"]


def _in(log: io.StringIO, text: str = TEXT) -> list[str]:
    return [form for form in _forms(text) if form in log.getvalue()]


def _chat(on_new_message: OnMessage, *, response_timeout: float = 30, client_timeout: float = 30) -> httpx.Response:
    """One chat request to the channel in a real Sanic server; ReadTimeout when the client gives up first."""

    async def scenario() -> httpx.Response:
        app = Sanic(f"chat-{uuid.uuid4().hex[:8]}")
        app.config.RESPONSE_TIMEOUT = response_timeout
        channel = GuardedRestInput(ChannelSettings())
        app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/rest")
        port = free_port()
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
        assert server is not None
        await server.startup()
        serving = asyncio.ensure_future(server.serve_forever())
        body = {"sender": "s", "message": TEXT, "metadata": {"kommune": "9999"}}
        try:
            async with httpx.AsyncClient(timeout=client_timeout) as client:
                return await client.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook", json=body)
        finally:
            await asyncio.sleep(0.3)  # the server notices a client that left, and cancels the handler
            serving.cancel()
            server.close()
            await server.wait_closed()

    return asyncio.run(scenario())


async def _hangs(message: UserMessage) -> None:
    await asyncio.sleep(60)


def test_a_request_ended_by_the_response_timeout_logs_no_text(logged: io.StringIO) -> None:
    response = _chat(_hangs, response_timeout=1)
    assert response.status_code == 503
    assert "rest.message.received.timeout" in logged.getvalue()
    assert _in(logged) == []


def test_a_request_whose_client_leaves_logs_no_text(logged: io.StringIO) -> None:
    with pytest.raises(httpx.ReadTimeout):
        _chat(_hangs, client_timeout=0.5)
    assert "rest.message.received.timeout" in logged.getvalue()
    assert _in(logged) == []


def test_a_failure_logs_its_type_and_place_only_and_the_answer_names_113(logged: io.StringIO) -> None:
    async def fails(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Hei!")
        raise ValueError(f"could not handle {message.text!r}")

    response = _chat(fails)
    assert response.status_code == 200
    assert response.json() == [{"recipient_id": "s", "text": "Hei!"}, {"recipient_id": "s", "text": FAILED_TEXT}]
    assert "rest.message.received.failure: ValueError at test_chat_logs.py" in logged.getvalue()
    assert _in(logged) == []


def test_what_rasa_logs_while_a_message_is_answered_carries_no_text(logged: io.StringIO) -> None:
    async def logs_the_text(message: UserMessage) -> None:
        structlog.get_logger().error("processor.message", text=message.text, user_text=message.text)
        structlog.get_logger().error("processor.other_field", note=message.text)
        logging.getLogger("rasa.core.processor").error("Received user message '%s'", message.text)
        try:
            raise RuntimeError(f"parse failed for {message.text}")
        except RuntimeError:
            logging.getLogger("rasa.core.agent").exception("Failed")

    assert _chat(logs_the_text).status_code == 200
    assert logged.getvalue().count(log_privacy.WITHHELD) >= 5
    assert _in(logged) == []


def test_sql_parameters_never_reach_a_log(logged: io.StringIO) -> None:
    statement = '[SQL: INSERT INTO events (data) VALUES (?)]\n[parameters: (\'{"text": "ring meg på 987 65 432"}\',)]'
    logging.getLogger("rasa.core.tracker_store").error("database is locked\n%s", statement)
    assert "987 65 432" not in logged.getvalue()
    assert "[SQL: INSERT INTO events (data) VALUES (?)]" in logged.getvalue()


def test_log_lines_without_chat_text_are_left_as_they_are(logged: io.StringIO) -> None:
    async def logs_something_else(message: UserMessage) -> None:
        logging.getLogger("rasa.core.processor").warning("Policy %s predicted %s", "RulePolicy", "action_listen")

    _chat(logs_something_else)
    assert "Policy RulePolicy predicted action_listen" in logged.getvalue()


def test_a_short_message_is_not_looked_for_in_log_lines() -> None:
    with log_privacy.message_in_flight("ja"):
        assert log_privacy.withheld("Loading jar") == "Loading jar"
