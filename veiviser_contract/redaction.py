"""Remove personal data from a message a young person chose to share: phone numbers, e-mail addresses,
fødselsnummer (and D-numbers), street addresses and introduced names become placeholders.

Used by the catalogue (shared messages, service_catalog/feedback.py) and by Rasa's tracker store
(bot/redacting_store.py), hence here in the shared contract, standard library only.

What stays, on purpose:
- short service numbers (113, 112, 110, 116 117, 116 123, 116 111, 116 006): national lines, not people;
- ages, times and counts ("jeg er 15", "klokka 14", "3 ganger");
- 11-digit numbers whose check digits are wrong (not a fødselsnummer; a typo at worst).

Every 8-digit number that looks like a Norwegian phone number is removed, including the 8xx service
numbers and the public lines written with 8 digits (Kirkens SOS 22 40 00 40): removing a public number
loses nothing, keeping a private one would. The rules are lexical; they are a safety net, not a guarantee,
which is why a maintainer reads every shared message before it becomes a test case.
"""

from __future__ import annotations

import re

PHONE = "[telefon]"
EMAIL = "[e-post]"
FNR = "[fødselsnummer]"
ADDRESS = "[adresse]"
NAME = "[navn]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# 11 digits, written together or as 6 + 5 (date, then individual number and check digits).
_ELEVEN = re.compile(r"(?<![\d+])(\d{6}) ?(\d{5})(?!\d)")

# Eight digits starting with 2-9, together or grouped 3-2-3 or 2-2-2-2, with an optional +47 / 0047.
# (4-4 is left out: "2024 2025" is two years far more often than a phone number.)
_GROUPS = (r"\d{8}", r"\d{3}[ -]\d{2}[ -]\d{3}", r"\d{2}[ -]\d{2}[ -]\d{2}[ -]\d{2}")
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)47[ -]?)?(?=[2-9])(?:" + "|".join(_GROUPS) + r")(?!\d)")

_STREET_SUFFIXES = r"(?:veien|vegen|gata|gaten|gate|vei|veg|stien|plassen|bakken|allé|allè)"
_LETTER = r"(?:[ ]?[A-Ha-h](?![\wæøåÆØÅ]))?"
_NUMBER = r"\d{1,4}(?![\d:.,]\d)" + _LETTER
_POSTCODE = r"(?:,?[ ]+\d{4}[ ]+[A-ZÆØÅ][\wæøåÆØÅ-]*)?"
# "Storgata 12", "Skoleveien 1B", "Kirkeveien 45 b", and "Kong Oscars gate 5" / "Karl Johans gate 12".
_ADDRESS = re.compile(
    r"(?:\b[A-Za-zÆØÅæøåÉé][A-Za-zÆØÅæøåÉé-]+" + _STREET_SUFFIXES + r"|"
    r"\b(?:[A-ZÆØÅ][\wæøåÆØÅ]*[ ]+){1,2}(?:gate|gata|gaten|vei|veien|veg|vegen|allé|alle|plass))"
    r"[ ]+" + _NUMBER + _POSTCODE,
)

# A name introduced as such: "jeg heter X", "eg heiter X", "mitt navn er X", "my name is X", …
_INTRODUCTIONS = (
    r"jeg heter",
    r"jeg heiter",
    r"eg heiter",
    r"eg heter",
    r"e heite[r]?",
    r"mitt navn er",
    r"navnet mitt er",
    r"mitt namn er",
    r"namnet mitt er",
    r"my name is",
    r"my name['’]s",
    r"i['’]m called",
    r"i am called",
    r"im called",
)
_WORD = r"[^\W\d_][\w'-]*"
_NAME = re.compile(
    r"\b(?P<intro>" + "|".join(_INTRODUCTIONS) + r")(?P<space>\s+)(?P<first>" + _WORD + r")"
    r"(?:(?P<gap>\s+)(?P<second>" + _WORD + r"))?",
    re.IGNORECASE,
)
# A second word after a name that is not part of it ("jeg heter Ola og …").
_NOT_A_NAME = frozenset(
    """og men eller så sa som er var har og jeg eg i im på pa til fra frå med og å og at kan vil skal
    det den de du dei e ikkje ikke not and but or so is am was from to in on at with i'm years year år og""".split()
)

_FNR_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_FNR_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    check = 11 - remainder
    if check == 11:
        return 0
    return None if check == 10 else check


def is_fodselsnummer(number: str) -> bool:
    """True for 11 digits with a plausible date (D- and H-numbers too) and both mod-11 check digits right."""
    if len(number) != 11 or not number.isascii() or not number.isdigit():
        return False
    day, month = int(number[:2]), int(number[2:4])
    if day > 40:  # D-number: the day plus 40
        day -= 40
    if month > 80:  # synthetic test numbers (Tenor): the month plus 80
        month -= 80
    elif month > 40:  # H-number: the month plus 40
        month -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    first = _check_digit(number[:9], _FNR_WEIGHTS_1)
    second = _check_digit(number[:10], _FNR_WEIGHTS_2)
    return first is not None and second is not None and number[9:] == f"{first}{second}"


def _fnr(match: re.Match[str]) -> str:
    return FNR if is_fodselsnummer(match.group(1) + match.group(2)) else match.group(0)


def _name(match: re.Match[str]) -> str:
    if match.group("first").lower() in _NOT_A_NAME:
        return match.group(0)
    kept = match.group("intro") + match.group("space") + NAME
    second = match.group("second")
    if second is not None and second.lower() in _NOT_A_NAME:
        return kept + match.group("gap") + second
    return kept


def redact(text: str) -> str:
    """The text with personal data replaced by placeholders such as ``[telefon]`` and ``[navn]``."""
    text = _EMAIL.sub(EMAIL, text)
    text = _ELEVEN.sub(_fnr, text)
    text = _PHONE.sub(PHONE, text)
    text = _ADDRESS.sub(ADDRESS, text)
    return _NAME.sub(_name, text)
