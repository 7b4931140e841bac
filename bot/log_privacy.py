"""No chat text in the Rasa process's logs, whatever Rasa or a library logs (issue 13, finding 1).

The chat channel (``channels.py``) logs nothing of a message itself. These are the two layers behind it, for
what Rasa and the libraries under it log; ``install()`` puts both in place (the channel calls it):

1. ``drop_content_fields``, first in Rasa's structlog chain: the fields Rasa's structlog events carry user
   content in (``text``, ``user_text``, ``parse_data_text``, ... the keys of Rasa's own ``_anonymizer``) are
   replaced by ``WITHHELD`` before anything renders them.
2. A log record factory for every record of the standard ``logging`` module (where structlog's lines end up
   too): while a message is being answered (``message_in_flight``), its text is replaced by ``WITHHELD`` in the
   record's message, arguments and traceback, as it is and as JSON or ``repr`` escape it (Rasa's JSON lines
   write "får" as "f\\u00e5r"); and SQL parameters (SQLAlchemy's ``[parameters: ...]``, which hold the stored
   events when the tracker store fails) are always hidden.

Texts shorter than ``MIN_CHARS`` are not looked for: "ja" or "ok" say nothing about anyone and are in too
many log lines.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import structlog

WITHHELD = "[not logged]"
MIN_CHARS = 3
# The keys Rasa 3.6 anonymises in its structlog events (rasa/utils/log_utils.py, ``_anonymizer``), which it
# only does with a Rasa Pro plugin: every one can carry what a young person wrote.
CONTENT_KEYS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
    }
)
SQL_PARAMETERS = re.compile(r"\[parameters: [^\n]*\]")

_lock = threading.Lock()
_in_flight: Counter[str] = Counter()
_pattern: re.Pattern[str] | None = None


def drop_content_fields(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The structlog event with every field that can hold user content replaced by ``WITHHELD``."""
    for key in CONTENT_KEYS.intersection(event):
        event[key] = WITHHELD
    return event


def _forms(text: str) -> set[str]:
    """``text`` as a log line can write it: as it is, stripped (as Rasa keeps it), JSON- and repr-escaped."""
    forms = set()
    for variant in {text, text.strip()}:
        forms |= {variant, json.dumps(variant)[1:-1], json.dumps(variant, ensure_ascii=False)[1:-1]}
        forms.add(repr(variant)[1:-1])
    return {form for form in forms if len(form) >= MIN_CHARS}


def _rebuild_pattern() -> None:
    global _pattern
    forms = sorted((form for form, count in _in_flight.items() if count > 0), key=len, reverse=True)
    _pattern = re.compile("|".join(map(re.escape, forms)), re.IGNORECASE) if forms else None


@contextmanager
def message_in_flight(text: str) -> Iterator[None]:
    """While the block runs, ``text`` is withheld from every log record of this process."""
    forms = _forms(text)
    with _lock:
        _in_flight.update(forms)
        _rebuild_pattern()
    try:
        yield
    finally:
        with _lock:
            _in_flight.subtract(forms)
            for form in forms:
                if _in_flight[form] <= 0:
                    del _in_flight[form]
            _rebuild_pattern()


def withheld(line: str) -> str:
    """``line`` without the text of any message in flight and without SQL parameters."""
    pattern = _pattern
    if pattern is not None:
        line = pattern.sub(WITHHELD, line)
    return SQL_PARAMETERS.sub(f"[parameters: {WITHHELD}]", line)


def scrub(record: logging.LogRecord) -> None:
    """Withhold chat text and SQL parameters from ``record``'s message, traceback and stack."""
    try:
        message = record.getMessage()
    except Exception:  # a record whose arguments do not fit its format: logging reports that itself
        return
    cleaned = withheld(message)
    if cleaned != message:
        record.msg, record.args = cleaned, ()
    if record.exc_info and record.exc_info[0] is not None:
        trace = logging.Formatter().formatException(record.exc_info)
        cleaned = withheld(trace)
        if cleaned != trace:  # keep the withheld traceback as the text formatters print, without the exception
            record.exc_text, record.exc_info = cleaned, None
    if record.stack_info:
        record.stack_info = withheld(record.stack_info)


class _ScrubbingFactory:
    """A log record factory that scrubs every record the previous factory makes."""

    def __init__(self, previous: Any) -> None:
        self.previous = previous

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.previous(*args, **kwargs)
        scrub(record)
        return record


def install() -> None:
    """Both layers, once per process (idempotent)."""
    processors = structlog.get_config()["processors"]
    if drop_content_fields not in processors:
        processors.insert(0, drop_content_fields)  # in place: loggers Rasa already made share this list
    if not isinstance(logging.getLogRecordFactory(), _ScrubbingFactory):
        logging.setLogRecordFactory(_ScrubbingFactory(logging.getLogRecordFactory()))
