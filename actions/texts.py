"""Every sentence the action server writes itself, in bokmål (nb), nynorsk (nn) and English (en).

Most replies are domain responses uttered by name; the texts here are the ones that must work without
the domain (the static fallback) or are assembled per door. tests/bot/test_reply_texts.py scans them
for diagnosing language together with the domain responses.
"""

from __future__ import annotations

# How one door is described; {placeholders} are filled in by doors.doors_text. Specialist doors are marked
# "via henvisning" / "gjennom politiet"; the response utter_specialist_explained says what that means.
DOOR_WORDS: dict[str, dict[str, str]] = {
    "nb": {
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
    "nn": {
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
    "en": {
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

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "nn": ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

# The fallback's question above the buttons, after the general doors. Every fallback carries the 113 line
# (safety.md rule 4).
FALLBACK_QUESTION: dict[str, str] = {
    "nb": "Handler det om noe av dette? Trykk, så viser jeg hjelp som passer enda bedre. Haster det, ring 113.",
    "nn": "Handlar det om noko av dette? Trykk, så viser eg hjelp som passar endå betre. Hastar det, ring 113.",
    "en": "Is it about one of these? Tap it and I will show help that fits even better. If it's urgent, call 113.",
}

# Said when an action fails: it needs no domain, no catalogue and no slot (style.md §9, safety.md rule 4).
STATIC_FALLBACK: dict[str, str] = {
    "nb": (
        "Beklager, noe gikk galt hos meg. Trenger du hjelp nå, kan du ringe: "
        "113 hvis livet eller helsen til noen er i fare, "
        "116 123 (Mental Helse Hjelpetelefonen) hvis du trenger noen å snakke med, hele døgnet, "
        "og 116 111 (Alarmtelefonen for barn og unge) hvis du ikke er trygg."
    ),
    "nn": (
        "Orsak, noko gjekk gale hos meg. Treng du hjelp no, kan du ringje: "
        "113 om livet eller helsa til nokon er i fare, "
        "116 123 (Mental Helse Hjelpetelefonen) om du treng nokon å snakke med, heile døgnet, "
        "og 116 111 (Alarmtelefonen for barn og unge) om du ikkje er trygg."
    ),
    "en": (
        "Sorry, something went wrong on my side. If you need help now, you can call: "
        "113 if someone's life or health is in danger, "
        "116 123 (Mental Helse helpline) if you need someone to talk to, day and night, "
        "and 116 111 (helpline for children and young people) if you are not safe."
    ),
}
