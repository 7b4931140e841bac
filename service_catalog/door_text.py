"""Doors as words: the opening line ("Stengt nå, åpner tirsdag kl. 15") and a door's readable text, nb/nn/en.

Written here once; the route answer carries both with every door, so the chat, the widget and plain-text
channels show the same words and nobody formats opening hours again.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from service_catalog.models.route import DoorOut
from service_catalog.vocabulary import Lang

OSLO = ZoneInfo("Europe/Oslo")

# How one door is described; {placeholders} are filled in below.
DOOR_WORDS: dict[Lang, dict[str, str]] = {
    Lang.nb: {
        "call": "Ring {phone}",
        "sms": "SMS {sms}",
        "chat": "Chat: {url}",
        "web": "Nettside: {url}",
        "address": "Adresse: {address}",
        "open_now": "Åpent nå",
        "open_24_7": "Åpent hele døgnet",
        "closed_opens": "Stengt nå, åpner {when}",
        "closed": "Stengt nå",
        "today": "i dag",
        "tomorrow": "i morgen",
        "at": "kl. {time}",
        "free": "gratis",
        "anonymous": "anonymt",
        "no_referral": "uten henvisning",
        "via_referral": "via henvisning",
        "via_police": "gjennom politiet",
    },
    Lang.nn: {
        "call": "Ring {phone}",
        "sms": "SMS {sms}",
        "chat": "Chat: {url}",
        "web": "Nettside: {url}",
        "address": "Adresse: {address}",
        "open_now": "Ope no",
        "open_24_7": "Ope heile døgnet",
        "closed_opens": "Stengt no, opnar {when}",
        "closed": "Stengt no",
        "today": "i dag",
        "tomorrow": "i morgon",
        "at": "kl. {time}",
        "free": "gratis",
        "anonymous": "anonymt",
        "no_referral": "utan tilvising",
        "via_referral": "via tilvising",
        "via_police": "gjennom politiet",
    },
    Lang.en: {
        "call": "Call {phone}",
        "sms": "Text {sms}",
        "chat": "Chat: {url}",
        "web": "Website: {url}",
        "address": "Address: {address}",
        "open_now": "Open now",
        "open_24_7": "Open day and night",
        "closed_opens": "Closed now, opens {when}",
        "closed": "Closed now",
        "today": "today",
        "tomorrow": "tomorrow",
        "at": "at {time}",
        "free": "free",
        "anonymous": "anonymous",
        "no_referral": "no referral needed",
        "via_referral": "by referral",
        "via_police": "through the police",
    },
}
WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    Lang.nb: ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    Lang.nn: ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"),
    Lang.en: ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
# Statens barnehus is reached through a police report; every other specialist door through a referral.
VIA_POLICE = frozenset({"statens_barnehus"})


def opening_text(door: DoorOut, lang: Lang, now: datetime) -> str | None:
    """Open now, or closed and when it opens (Oslo time); None when the hours are unknown."""
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


def door_text(door: DoorOut, lang: Lang, *, specialist: bool) -> str:
    """The door as readable lines: name, how to reach it, then its facts (with ``door.opening`` first)."""
    words = DOOR_WORDS[lang]
    lines = [door.name]
    reach = _how_to_reach(door, words)
    if reach:
        lines.append(reach)
    facts = _facts(door, words, specialist)
    if facts:
        lines.append(facts)
    return "\n".join(lines)


def _how_to_reach(door: DoorOut, words: dict[str, str]) -> str | None:
    parts = []
    if door.phone:
        parts.append(words["call"].format(phone=door.phone))
    if door.sms:
        parts.append(words["sms"].format(sms=door.sms))
    if door.chat_url:
        parts.append(words["chat"].format(url=door.chat_url))
    if door.url and not parts:
        # The website only when there is no number or chat to use: the card links it anyway.
        parts.append(words["web"].format(url=door.url))
    if door.address:
        place = " ".join(p for p in (door.address.postal_code, door.address.city) if p)
        one_line = f"{door.address.street}, {place}" if place else door.address.street
        parts.append(words["address"].format(address=one_line))
    if parts:
        return " · ".join(parts)
    # A door named generically has no number of its own; its how_to_reach says where to go instead.
    return door.how_to_reach


def _facts(door: DoorOut, words: dict[str, str], specialist: bool) -> str | None:
    facts = []
    if door.opening:
        facts.append(door.opening)
    if door.cost == "free":
        facts.append(words["free"])
    if door.anonymous:
        facts.append(words["anonymous"])
    if door.referral_required is False:
        facts.append(words["no_referral"])
    if specialist:
        facts.append(words["via_police" if door.category in VIA_POLICE else "via_referral"])
    if not facts:
        return None
    line = " · ".join(facts)
    return line[0].upper() + line[1:]


def _when(moment: datetime, lang: Lang, now: datetime) -> str:
    words = DOOR_WORDS[lang]
    local = moment.astimezone(OSLO)
    days = (local.date() - now.date()).days
    if days == 0:
        day = words["today"]
    elif days == 1:
        day = words["tomorrow"]
    elif 1 < days < 7:
        day = WEEKDAYS[lang][local.weekday()]
    elif lang is Lang.en:
        day = f"{WEEKDAYS[lang][local.weekday()]} {local.day}/{local.month}"
    else:
        day = f"{WEEKDAYS[lang][local.weekday()]} {local.day}.{local.month}."
    return f"{day} {words['at'].format(time=_clock(local, lang))}"


def _clock(moment: datetime, lang: Lang) -> str:
    if lang is Lang.en:
        return f"{moment.hour:02d}:{moment.minute:02d}"
    # Norwegian writes whole hours as "kl. 15" and others as "kl. 15.30".
    return f"{moment.hour}" if moment.minute == 0 else f"{moment.hour}.{moment.minute:02d}"
