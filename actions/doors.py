"""Doors as the reply shows them: the ``doors`` payload of the reply contract and the readable text.

Pure functions of the doors and the clock; no Rasa, no HTTP. Both outputs go through
``arrange_doors`` so the payload and the text always list the same doors in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from actions.catalogue_client import Door
from actions.texts import DOOR_WORDS, WEEKDAYS

OSLO = ZoneInfo("Europe/Oslo")

# A phone screen holds about this many doors; more is a list nobody reads.
MAX_DOORS = 6

# Doors reached only through someone else: explained, never first and never alone (taxonomy.yml).
SPECIALIST_DOORS = {"bup": "via_referral", "statens_barnehus": "via_police"}

# The payload fields, in the order the web chat and the evaluators read them.
PAYLOAD_FIELDS = (
    "category",
    "name",
    "description",
    "phone",
    "phone_href",
    "sms",
    "sms_href",
    "chat_url",
    "url",
    "map_url",
    "address",
    "open_now",
    "next_open",
    "open_24_7",
    "referral_required",
    "anonymous",
    "cost",
    "age_min",
    "age_max",
    "generic",
    "how_to_reach",
    "example",
)


def is_specialist(door: Door) -> bool:
    """Whether the door is reached only through a referral or the police."""
    return door.category in SPECIALIST_DOORS


def arrange_doors(doors: Sequence[Door], limit: int = MAX_DOORS) -> tuple[Door, ...]:
    """Best first, at most ``limit``; specialist doors after the others, and none when they would be alone."""
    direct = [door for door in doors if not is_specialist(door)]
    if not direct:
        return ()
    return tuple([*direct, *(door for door in doors if is_specialist(door))][:limit])


def doors_payload(need: str, urgency: str, doors: Sequence[Door], text: str | None = None) -> dict[str, Any]:
    """The ``custom`` message of the reply contract: ``{"type": "doors", need, urgency, doors}``.

    ``text`` is the same doors as the readable message sent just before it. Rasa's REST channel sends a
    text one paragraph a message (split at blank lines), so a client that shows cards (the web chat)
    hides the run of messages that makes up ``text``, and the doors are not shown twice.
    """
    payload: dict[str, Any] = {
        "type": "doors",
        "need": need,
        "urgency": urgency,
        "doors": [_door_json(door) for door in arrange_doors(doors)],
    }
    if text is not None:
        payload["text"] = text
    return payload


def doors_text(doors: Sequence[Door], lang: str, now: datetime | None = None) -> str:
    """The doors as readable text: name, how to reach, open now or when it opens (Oslo time), and the facts."""
    lang = lang if lang in DOOR_WORDS else "nb"
    words = DOOR_WORDS[lang]
    moment = (now or datetime.now(OSLO)).astimezone(OSLO)
    blocks = []
    for number, door in enumerate(arrange_doors(doors), start=1):
        lines = [f"{number}. {door.name}"]
        reach = _how_to_reach(door, words)
        if reach:
            lines.append(reach)
        facts = _facts(door, words, lang, moment)
        if facts:
            lines.append(facts)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def opening_text(door: Door, lang: str, now: datetime) -> str | None:
    """Open now, or closed and when it opens (e.g. "Stengt nå, åpner tirsdag kl. 15"); None when hours are unknown."""
    lang = lang if lang in DOOR_WORDS else "nb"
    words = DOOR_WORDS[lang]
    if door.open_24_7:
        return words["open_24_7"]
    if door.open_now is True:
        return words["open_now"]
    if door.open_now is False:
        if door.next_open is None:
            return words["closed"]
        return words["closed_opens"].format(when=_when(door.next_open, lang, now.astimezone(OSLO)))
    return None


def _door_json(door: Door) -> dict[str, Any]:
    values: dict[str, Any] = {
        field: getattr(door, field) for field in PAYLOAD_FIELDS if field not in ("address", "next_open")
    }
    values["address"] = door.address.as_json() if door.address else None
    values["next_open"] = door.next_open.isoformat() if door.next_open else None
    return {field: values[field] for field in PAYLOAD_FIELDS}


def _how_to_reach(door: Door, words: dict[str, str]) -> str | None:
    parts = []
    if door.phone:
        parts.append(words["call"].format(phone=door.phone))
    if door.sms:
        parts.append(words["sms"].format(sms=door.sms))
    if door.chat_url:
        parts.append(words["chat"].format(url=door.chat_url))
    if door.url and not parts:
        # The website only when there is no number or chat to use: the payload card links it anyway.
        parts.append(words["web"].format(url=door.url))
    if door.address:
        parts.append(words["address"].format(address=door.address.one_line()))
    if parts:
        return " · ".join(parts)
    # A door named generically has no number of its own; its how_to_reach says where to go instead.
    return door.how_to_reach


def _facts(door: Door, words: dict[str, str], lang: str, now: datetime) -> str | None:
    facts = []
    opening = opening_text(door, lang, now)
    if opening:
        facts.append(opening)
    if door.cost == "free":
        facts.append(words["free"])
    if door.anonymous:
        facts.append(words["anonymous"])
    if door.referral_required is False:
        facts.append(words["no_referral"])
    if is_specialist(door):
        facts.append(words[SPECIALIST_DOORS[door.category]])
    if not facts:
        return None
    line = " · ".join(facts)
    return line[0].upper() + line[1:]


def _when(moment: datetime, lang: str, now: datetime) -> str:
    words = DOOR_WORDS[lang]
    local = moment.astimezone(OSLO)
    days = (local.date() - now.date()).days
    if days == 0:
        day = words["today"]
    elif days == 1:
        day = words["tomorrow"]
    elif 1 < days < 7:
        day = WEEKDAYS[lang][local.weekday()]
    elif lang == "en":
        day = f"{WEEKDAYS[lang][local.weekday()]} {local.day}/{local.month}"
    else:
        day = f"{WEEKDAYS[lang][local.weekday()]} {local.day}.{local.month}."
    return f"{day} {words['at'].format(time=_clock(local, lang))}"


def _clock(moment: datetime, lang: str) -> str:
    if lang == "en":
        return f"{moment.hour:02d}:{moment.minute:02d}"
    # Norwegian writes whole hours as "kl. 15" and others as "kl. 15.30".
    return f"{moment.hour}" if moment.minute == 0 else f"{moment.hour}.{moment.minute:02d}"
