"""The text of a chat message never reaches a log, whatever happens to its request (issue 13, finding 1).

Rasa's REST handler logs the whole message at ERROR when its request is cancelled and when handling it raises.
A request is cancelled when its client leaves before the reply: the widget's quick exit, "Slett samtalen", its
30-second give-up, a closed tab, or nginx's ``proxy_read_timeout`` (30 s), which closes the connection to Rasa;
and by Sanic's response timeout (``rasa run --response-timeout``). Handling raises, for example, when a
conversation's lock expires while an earlier message of it is still being answered. Rasa's structlog lines
are JSON with non-ASCII escaped ("f\\u00e5r"), so each check looks for the text in every form a log can write
it, and for a made-up word of ASCII letters that only this message contains.

The paths that need a short response timeout or lock lifetime run against a second Rasa beside the stack's
(``strict_rasa``), sharing its action server.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import string
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from rest_stack import Stack, rasa_command, texts

from testing.processes import free_port, start, wait_until_up

STRICT_RESPONSE_TIMEOUT = 8


def _message() -> tuple[str, str]:
    """A message with a word nobody else writes, and that word."""
    word = "".join(secrets.choice(string.ascii_lowercase) for _ in range(12))
    return f"får panikk på bussen sammen med {word}", word


def logged_lines_with(stack: Stack, text: str, word: str) -> list[str]:
    """Every log line, of every process of the stack, that holds the message in any form."""
    forms = {text, json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1], repr(text)[1:-1], word}
    return [line for line in stack.log_text().splitlines() if any(form in line for form in forms)]


def _post(url: str, text: str, timeout: float, sender: str | None = None) -> httpx.Response:
    body = {"sender": sender or uuid.uuid4().hex, "message": text, "metadata": {"kommune": "9999"}}
    return httpx.post(f"{url}/webhooks/rest/webhook", json=body, timeout=timeout)


@contextmanager
def logs_once_more(log: Path, marker: str, seconds: float = 15) -> Iterator[None]:
    """The block (or what it sets off) makes the process writing ``log`` log ``marker`` once more."""
    before = log.read_text(errors="replace").count(marker)
    yield
    deadline = time.monotonic() + seconds
    while log.read_text(errors="replace").count(marker) <= before:
        assert time.monotonic() < deadline, f"{marker!r} not logged again in {log.name}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def strict_rasa(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second Rasa on the stack's action server: response timeout 8 s, conversation locks live 1 s."""
    folder = tmp_path_factory.mktemp("strict-rasa")
    port = free_port()
    env = {
        **stack.env,
        "RASA_TRACKER_DB": str(folder / "tracker.db"),
        "TICKET_LOCK_LIFETIME": "1",
        # Longer than the response timeout, so that Sanic's timeout is what ends a request to a hung action server.
        "VEIVISER_ACTION_TIMEOUT_SECONDS": "30",
    }
    command = [*rasa_command(env, port), "--response-timeout", str(STRICT_RESPONSE_TIMEOUT)]
    proc = start(command, env, stack.logs / "rasa-strict.log")
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", 240, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_request_dropped_while_the_assistant_waits_leaves_no_text_in_any_log(stack: Stack) -> None:
    text, word = _message()
    with stack.frozen("actions"), logs_once_more(stack.logs / "rasa.log", "rest.message.received.timeout"):
        # The widget gives up, the tab is closed or nginx times out: Rasa notices the closed connection and
        # cancels the handler while it waits for the action server.
        with pytest.raises(httpx.ReadTimeout):
            _post(stack.rasa_url, text, timeout=1.5)
    assert logged_lines_with(stack, text, word) == []


def test_a_message_the_tracker_store_cannot_save_leaves_no_text_in_any_log(stack: Stack) -> None:
    sender = uuid.uuid4().hex
    _post(stack.rasa_url, "hei", timeout=30, sender=sender)  # so the message is the first event to save
    text, word = _message()
    # Another writer holds the tracker database: reading works, saving gives up after SQLite's busy timeout.
    with logs_once_more(stack.logs / "rasa.log", "trying to save conversation tracker"):
        with sqlite3.connect(stack.env["RASA_TRACKER_DB"], isolation_level=None) as holder:
            holder.execute("BEGIN IMMEDIATE")
            try:
                response = _post(stack.rasa_url, text, timeout=30, sender=sender)
            finally:
                holder.execute("ROLLBACK")
    assert logged_lines_with(stack, text, word) == []
    assert response.status_code == 200 and response.json()  # the live conversation goes on


def test_a_response_timeout_leaves_no_text_in_any_log(stack: Stack, strict_rasa: str) -> None:
    text, word = _message()
    with stack.frozen("actions"), logs_once_more(stack.logs / "rasa-strict.log", "rest.message.received.timeout"):
        response = _post(strict_rasa, text, timeout=30)
    assert logged_lines_with(stack, text, word) == []
    assert response.status_code == 503  # Sanic's answer; the widget then shows its emergency block


def test_a_message_that_raises_in_rasa_leaves_no_text_in_any_log_and_still_names_113(
    stack: Stack, strict_rasa: str
) -> None:
    sender = uuid.uuid4().hex
    first, _ = _message()
    text, word = _message()
    with stack.frozen("actions"), logs_once_more(stack.logs / "rasa-strict.log", "rest.message.received.failure"):
        # The first message holds the conversation while it waits for the action server; the second waits
        # longer than its ticket for the conversation lives, and when the first ends (its client leaves),
        # Rasa raises LockError in the second's handler.
        leaving = threading.Thread(target=_leave_after, args=(strict_rasa, first, sender, 3.5))
        leaving.start()
        time.sleep(0.5)
        response = _post(strict_rasa, text, timeout=30, sender=sender)
        leaving.join()
    assert logged_lines_with(stack, text, word) == []
    assert response.status_code == 200
    assert "113" in texts(response.json())  # the young person is not left without an answer


def _leave_after(url: str, text: str, sender: str, seconds: float) -> None:
    try:
        _post(url, text, timeout=seconds, sender=sender)
    except httpx.ReadTimeout:
        pass


def test_an_action_server_that_is_down_leaves_no_text_in_any_log(stack: Stack) -> None:
    text, word = _message()
    with stack.down("actions"):
        assert _post(stack.rasa_url, text, timeout=30).status_code == 200
    assert logged_lines_with(stack, text, word) == []
