"""Remove personal data from a message a young person chose to share: phone numbers, e-mail addresses,
fødselsnummer (and D-numbers), street addresses and names become placeholders.

Used by the catalogue (shared messages, service_catalog/feedback.py) and by Rasa's tracker store
(bot/redacting_store.py), hence here in the shared contract. Its one third-party import is ``phonenumbers``
(Google's libphonenumber in pure Python, no dependencies): it finds numbers of every country written with
their country code (+46 70 123 45 67, 0048 512 345 678), beside the rules here for Norwegian numbers.

Names are found where the message says they are names: after an introduction ("jeg heter Ola", "my name
is Sam"), and after a relation ("stefaren min Per", "læreren vår Kari Hansen", "faren til Emma", "my stepdad
Mike"). After a relation only a capitalised word counts as a name ("stefaren min slår" is a verb); a name
written in lower case there is kept, since telling it from the verb that usually follows needs a dictionary.

What stays, on purpose:
- short service numbers (113, 112, 110, 116 117, 116 123, 116 111, 116 006): national lines, not people;
- ages, times and counts ("jeg er 15", "klokka 14", "3 ganger");
- 11-digit numbers whose check digits are wrong (not a fødselsnummer; a typo at worst).

Every 8-digit number that looks like a Norwegian phone number is removed, including the 8xx service
numbers and the public lines written with 8 digits (Kirkens SOS 22 40 00 40): removing a public number
loses nothing, keeping a private one would. Numbers of other countries are removed when written with their
country code; written the way that country writes them at home (a Swedish 070-123 45 67) they are not
recognised. The rules are lexical; they are a safety net, not a guarantee, which is why a maintainer reads
every shared message before it becomes a test case.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers

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
# Any country's number written with its country code: "+" or the international prefix 00, then a digit.
_INTERNATIONAL = re.compile(r"(?:\+|(?<!\d)00)[ (]*\d")

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
# A person named by how they are related to the writer: "stefaren min Per", "onkel Per", "faren til Emma".
_RELATIONS = """
    mamma mammaen mor mora moren pappa pappaen far faren fattern stefar stefaren stemor stemora stemoren
    bonusfar bonusfaren bonusmor bonusmora bonuspappa bonuspappaen bonusmamma bonusmammaen
    bror broren brødrene søster søstera søsteren syster systera storebror storebroren lillebror lillebroren
    storesøster storesøstera storesøsteren lillesøster lillesøstera lillesøsteren halvbror halvbroren
    halvsøster halvsøstera halvsøsteren onkel onkelen tante tanta tanten fetter fetteren kusine kusina kusinen
    bestemor bestemora bestefar bestefaren besta mormor morfar farmor farfar
    kjæreste kjæresten kjærasten kjæraste ekskjæreste ekskjæresten eksen typen dama
    venn vennen venninne venninna venninnen ven venen bestevenn bestevennen bestevenninne bestevenninna
    bestevenninnen kompis kompisen kamerat kameraten klassekamerat klassekameraten
    lærer læreren lærar læraren kontaktlærer kontaktlæreren kontaktlærar kontaktlæraren
    trener treneren trenar trenaren nabo naboen sjef sjefen
    mum mom mother dad father stepdad stepfather stepmum stepmom stepmother brother sister stepbrother
    stepsister uncle aunt cousin grandma grandpa grandmother grandfather boyfriend girlfriend friend bestie
    teacher coach neighbour neighbor boss
""".split()
# Between the relation and the name: "min", "vår", "til" ("faren til Emma"), …
_POSSESSIVES = "min mi mitt mine vår vårt våre din di ditt dine hans hennes sin si sitt sine deres dykkar til"
_WORD = r"[^\W\d_][\w'-]*"
_NEXT = r"(?=(?P<gap>\s+)(?P<second>" + _WORD + r"))?"
_NAME = re.compile(
    r"\b(?P<lead>" + "|".join(_INTRODUCTIONS) + r")\s+(?P<first>" + _WORD + r")" + _NEXT,
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"\b(?P<lead>(?:beste\s+|best\s+)?(?:" + "|".join(sorted(_RELATIONS, key=len, reverse=True)) + r")"
    r"(?:\s+(?:" + "|".join(_POSSESSIVES.split()) + r"))?)\s+(?P<first>" + _WORD + r")" + _NEXT,
    re.IGNORECASE,
)
# Words that follow an introduction or a relation but are not a name ("jeg heter Ola og …", "vennen min i Oslo").
_NOT_A_NAME = frozenset(
    """og men eller så sa som er var har og jeg eg i im på pa til fra frå med og å og at kan vil skal
    det den de du dei e ikkje ikke not and but or so is am was from to in on at with i'm years year år og
    han hun ho hen vi me oss meg deg seg dem hva kva hvorfor kvifor når hvis om
    he she they we it me you my his her their our who when if""".split()
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


def _any_word(word: str) -> bool:
    return word.lower() not in _NOT_A_NAME


def _capitalised(word: str) -> bool:
    return word[0].isupper() and word.lower() not in _NOT_A_NAME


def _names(pattern: re.Pattern[str], is_name: Callable[[str], bool], text: str) -> str:
    """Each name ``pattern`` finds after its lead becomes ``NAME``; a second word is kept unless it is a name too.

    The second word is looked at, never consumed, when it is not part of the name, so the next lead may start
    there ("jeg heter Ola jeg heter Kari"): redacting twice gives what redacting once gave.
    """
    pieces: list[str] = []
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        if not is_name(match.group("first")):
            pieces.append(text[pos : match.end("lead")])
            pos = match.end("lead")
            continue
        pieces.append(text[pos : match.start("first")] + NAME)
        second = match.group("second")
        pos = match.end("second") if second is not None and is_name(second) else match.end("first")
    pieces.append(text[pos:])
    return "".join(pieces)


def _international_phones(text: str) -> str:
    """Numbers of any country written with the country code (``+46 …``, ``0048 …``) become ``PHONE``."""
    if _INTERNATIONAL.search(text) is None:
        return text
    pieces: list[str] = []
    pos = 0
    for match in phonenumbers.PhoneNumberMatcher(text, "NO", leniency=phonenumbers.Leniency.POSSIBLE):
        # Numbers written without a country code are Norwegian ones, and the rules for those decide.
        if not match.raw_string.lstrip("( ").startswith(("+", "00")):
            continue
        pieces.append(text[pos : match.start] + PHONE)
        pos = match.end
    pieces.append(text[pos:])
    return "".join(pieces)


def redact(text: str) -> str:
    """The text with personal data replaced by placeholders such as ``[telefon]`` and ``[navn]``."""
    text = _EMAIL.sub(EMAIL, text)
    text = _ELEVEN.sub(_fnr, text)
    # Country codes first: "+212 6 50 12 34 56" ends in what the Norwegian rule would take for a number.
    text = _international_phones(text)
    text = _PHONE.sub(PHONE, text)
    text = _ADDRESS.sub(ADDRESS, text)
    text = _names(_NAME, _any_word, text)
    return _names(_RELATED, _capitalised, text)
