"""Every sentence the action server writes itself, in bokmål (nb), nynorsk (nn) and English (en).

Most replies are domain responses uttered by name; the texts here are the ones that must work without
the domain (the static fallback). tests/bot/test_reply_texts.py scans them
for diagnosing language together with the domain responses.
"""

from __future__ import annotations

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
