"""A tracker store that persists a redacted copy of each conversation (issue 6, privacy).

Rasa keeps the live tracker of a turn in memory and calls ``save()`` at the end of the turn. This wrapper
hands the backing store (SQL, Redis or in-memory, Rasa's own classes) a copy in which:

- every user message, its parse text, entity values and string slot values went through
  ``veiviser_contract.redaction.redact`` (phone numbers, e-mail, fødselsnummer, addresses, names), and the
  crisis layer's findings keep their verdict (level, need, action) without the words they matched;
- a crisis turn (urgent intent, or a reply whose doors payload says ``urgency: akutt``) keeps no text at all:
  the text becomes ``CRISIS_MARKER``, the parse data keeps only the intent and ``urgency: akutt``; a turn
  that was asked the direct question (intent ``check_risk``, an ambiguous signal that may be about
  suicide) keeps no text either, with ``urgency: haster``.

The turn itself is unaffected: Rasa answers from its in-memory tracker. Later turns read the redacted copy
back, which is fine because the policies use intents, entities and slots, never old message text.

endpoints.yml::

    tracker_store:
      type: redacting_store.RedactingTrackerStore
      backend: sql          # or redis / memory; the remaining keys go to Rasa's store unchanged
      dialect: sqlite
      db: var/rasa-tracker.db

The redaction rules and the urgent needs come from ``veiviser_contract`` (standard library only, installed in
both environments), so the catalogue redacts shared messages with the very same rules.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import redis
import sqlalchemy.exc
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import TrackerStore, _create_from_endpoint_config
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from veiviser_contract.needs import URGENT_NEEDS
from veiviser_contract.redaction import redact

logger = logging.getLogger(__name__)
T = TypeVar("T")

PART_REMOVED = "[fjernet]"
CRISIS_MARKER = "[akutt: teksten er ikke lagret]"
# Asked directly whether they think of taking their life (components/urgency.py): its text is not kept either.
CHECK_INTENT = "check_risk"
_INTEGER_KWARGS = ("port", "db", "record_exp")
# The keys of the parse output's `crisis` (and of each matched span) that hold no words of the message.
_CRISIS_VERDICT = ("level", "need", "needs", "action", "reasons", "need_hint", "classifier_intent")
_SPAN_VERDICT = ("need", "strength", "level", "negated", "past")


def _redact_value(value: Any) -> Any:
    """Strings redacted, lists and dicts walked, anything else kept."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redact_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    return value


def _is_urgent_reply(event: dict[str, Any]) -> bool:
    custom = (event.get("data") or {}).get("custom")
    return isinstance(custom, dict) and custom.get("urgency") == "akutt"


def _crisis_turns(events: list[dict[str, Any]]) -> set[int]:
    """Indexes of user events that started a crisis turn."""
    crisis: set[int] = set()
    last_user: int | None = None
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "user":
            last_user = index
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in URGENT_NEEDS or intent == CHECK_INTENT:
                crisis.add(index)
        elif kind == "bot" and last_user is not None and _is_urgent_reply(event):
            crisis.add(last_user)
    return crisis


def _stored_user_event(event: dict[str, Any], crisis: bool) -> dict[str, Any]:
    event = copy.deepcopy(event)
    parse_data = event.get("parse_data") or {}
    if crisis:
        event["text"] = CRISIS_MARKER
        intent = parse_data.get("intent") or {}
        event["parse_data"] = {
            "text": CRISIS_MARKER,
            "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
            "entities": [],
            "urgency": "haster" if intent.get("name") == CHECK_INTENT else "akutt",
        }
        return event
    text = event.get("text")
    original = text if isinstance(text, str) else ""
    redacted_text = redact(original)
    if original:
        event["text"] = redacted_text
    if parse_data:
        if isinstance(parse_data.get("text"), str):
            parse_data["text"] = redact(parse_data["text"])
        for entity in parse_data.get("entities") or []:
            for key in ("value", "text"):
                value = entity.get(key)
                if not isinstance(value, str):
                    continue
                value = redact(value)
                # A piece cut out of personal data ("912" of a phone number read as an age) is personal data too.
                if value and original and value not in redacted_text:
                    value = PART_REMOVED
                entity[key] = value
        if "crisis" in parse_data:
            parse_data["crisis"] = _crisis_verdict(parse_data["crisis"])
    return event


def _crisis_verdict(crisis: Any) -> dict[str, Any]:
    """What a stored turn keeps of the crisis layer's findings (components/crisis_gate.py): the verdict only.

    The lexicon's matched words, its patterns and the risk-context items are words of the message, taken from a
    lower-cased, normalised copy that the redaction rules cannot read ("kniv i kong oscars gate 5 og trua"), and
    they are crisis words, which are never kept (safety.md rule 6).
    """
    if not isinstance(crisis, dict):
        return {}
    kept = {key: crisis[key] for key in _CRISIS_VERDICT if key in crisis}
    kept["matched"] = [
        {key: span[key] for key in _SPAN_VERDICT if key in span}
        for span in crisis.get("matched") or ()
        if isinstance(span, dict)
    ]
    foreign = crisis.get("foreign")
    if isinstance(foreign, dict):
        kept["foreign"] = {key: foreign.get(key) for key in ("language", "need")}
    return kept


def redact_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events as they may be stored: user text redacted, crisis text removed, string slots redacted."""
    crisis = _crisis_turns(events)
    stored = []
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "user":
            event = _stored_user_event(event, index in crisis)
        elif kind == "slot" and isinstance(event.get("value"), str | list | dict):
            event = {**event, "value": _redact_value(event["value"])}
        stored.append(event)
    return stored


def redacted_copy(tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
    """A new tracker with the same events, redacted (the given tracker is left as it is)."""
    events = redact_events([event.as_dict() for event in tracker.events])
    return DialogueStateTracker.from_dict(
        tracker.sender_id, events, domain.slots, max_event_history=tracker._max_event_history
    )


def _backend_config(url: str | None, backend: str, kwargs: dict[str, Any]) -> EndpointConfig:
    settings = dict(kwargs)
    for key in _INTEGER_KWARGS:
        # endpoints.yml substitutes ${ENV} as text; Redis wants numbers.
        if isinstance(settings.get(key), str) and settings[key].strip().isdigit():
            settings[key] = int(settings[key])
    return EndpointConfig(url=url, type=None if backend == "memory" else backend, **settings)


class RedactingTrackerStore(TrackerStore):
    """Wraps one of Rasa's tracker stores so that ``save()`` stores a redacted copy (see module docstring)."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        backend: str = "sql",
        **kwargs: Any,
    ) -> None:
        """Create the backing store from the remaining endpoint settings (``backend``: sql, redis, memory)."""
        self._store = _create_from_endpoint_config(
            _backend_config(host, backend, kwargs), domain or Domain.empty(), event_broker
        )
        super().__init__(self._store.domain, event_broker)
        logger.info("Conversations are stored redacted in %s", type(self._store).__name__)

    @property
    def domain(self) -> Domain:
        """The domain of the backing store."""
        return self._store.domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        self._store.domain = domain or Domain.empty()

    @property
    def inner(self) -> TrackerStore:
        """The backing store (Rasa's own class)."""
        return self._store

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store a redacted copy; the tracker Rasa is working with keeps its text."""
        stored = redacted_copy(tracker, self.domain)
        await _after_reconnect(lambda: self._store.save(stored))

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The stored (redacted) tracker of the latest session."""
        tracker: DialogueStateTracker | None = await _after_reconnect(lambda: self._store.retrieve(sender_id))
        return tracker

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        """The stored (redacted) tracker with all sessions."""
        tracker: DialogueStateTracker | None = await _after_reconnect(
            lambda: self._store.retrieve_full_tracker(conversation_id)
        )
        return tracker

    async def keys(self) -> Iterable[str]:
        """The stored conversation ids."""
        keys: Iterable[str] = await _after_reconnect(self._store.keys)
        return keys


def _lost_connection(error: BaseException) -> bool:
    """The database or Redis dropped the connection (a restart, a failover), as opposed to a real error."""
    if isinstance(error, sqlalchemy.exc.DBAPIError):
        return bool(error.connection_invalidated)
    return isinstance(error, redis.exceptions.ConnectionError)


async def _after_reconnect(call: Callable[[], Awaitable[T]]) -> T:
    """Run ``call``; when it met a dropped connection, run it once more on a fresh one.

    Without this, Rasa's fail-safe wrapper answers a message that meets a dead pooled connection (after every
    PostgreSQL restart) from an empty in-memory tracker: the conversation silently starts over. SQLAlchemy has
    by then thrown the whole pool away, so the second call connects anew. A save repeated after a commit that
    did land stores nothing twice: Rasa's SQL store appends only the events it does not already hold.
    """
    try:
        return await call()
    except Exception as error:
        if not _lost_connection(error):
            raise
        logger.warning("Tracker store connection was lost (%s); trying once more", type(error).__name__)
        return await call()
