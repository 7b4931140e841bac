"""Reading an age from what a young person wrote: digits or number words in bokmål, nynorsk or English."""

from __future__ import annotations

import re

# Veiviser is for about 12 to 25; a little room either side, anything else is more likely a misreading.
PLAUSIBLE_AGES = range(8, 31)

_UNITS = {
    # bokmål and nynorsk share most words; dialect and chat spellings ("fjortn", "søtten") are common
    "åtte": 8, "atte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12,
    "tretten": 13, "trettan": 13, "trettn": 13,
    "fjorten": 14, "fjortan": 14, "fjortn": 14,
    "femten": 15, "femtan": 15, "femtn": 15,
    "seksten": 16, "sekstan": 16, "sekstn": 16,
    "sytten": 17, "søtten": 17, "syttan": 17, "syttn": 17, "søttn": 17,
    "atten": 18, "åtten": 18, "attan": 18, "attn": 18,
    "nitten": 19, "nittan": 19, "nittn": 19,
    "tjue": 20, "tjuge": 20, "tyve": 20,
    "tretti": 30, "tredve": 30,
    # English
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
}  # fmt: skip
_ONES = {
    "en": 1, "én": 1, "ein": 1, "eitt": 1, "ett": 1, "one": 1, "to": 2, "two": 2, "tre": 3, "three": 3,
    "fire": 4, "four": 4, "fem": 5, "five": 5, "seks": 6, "six": 6, "sju": 7, "syv": 7, "seven": 7,
    "åtte": 8, "eight": 8, "ni": 9, "nine": 9,
}  # fmt: skip
_TENS = {"tjue": 20, "tjuge": 20, "tyve": 20, "twenty": 20}
# What may follow a number in the same word: "15år", "femtenåring", "tjuefem".
_SUFFIXES = ("", "år", "åring", "åringer", "yo", "y", "yrs", "years")

_DIGITS = re.compile(r"(?<![\d.,])(\d{1,3})(?![\d.,]?\d)")
_WORDS = re.compile(r"[a-zæøåé]+")


def parse_age(text: str | None) -> int | None:
    """The first age in ``text`` as a whole number, or None; the caller decides whether it is plausible."""
    if not text:
        return None
    lowered = text.lower()
    digits = _DIGITS.search(lowered)
    if digits:
        return int(digits.group(1))
    words = _WORDS.findall(lowered.replace("-", ""))
    for index, word in enumerate(words):
        following = words[index + 1 : index + 3]
        # Old counting: "fem og tjue" is 25. Small numbers alone are too often other words ("en", "to").
        if word in _ONES and len(following) == 2 and following[0] == "og" and following[1] in _TENS:
            return _TENS[following[1]] + _ONES[word]
        value = _word_number(word)
        if value is None:
            continue
        # "twenty one", "tjue fem": the tens and the ones written apart.
        if value in _TENS.values() and following and following[0] in _ONES:
            return value + _ONES[following[0]]
        return value
    return None


def plausible_age(text: str | None) -> int | None:
    """The age in ``text`` when it is one Veiviser's users could have (8 to 30), else None."""
    age = parse_age(text)
    return age if age is not None and age in PLAUSIBLE_AGES else None


def _word_number(word: str) -> int | None:
    for tens_word, tens in _TENS.items():
        if word.startswith(tens_word) and len(word) > len(tens_word):
            ones = _strip_suffix(word[len(tens_word) :])
            if ones in _ONES:
                return tens + _ONES[ones]
    for unit_word, value in sorted(_UNITS.items(), key=lambda item: -len(item[0])):
        if word.startswith(unit_word) and word[len(unit_word) :] in _SUFFIXES:
            return value
    return None


def _strip_suffix(rest: str) -> str:
    for suffix in sorted(_SUFFIXES, key=len, reverse=True):
        if suffix and rest.endswith(suffix) and rest[: -len(suffix)] in _ONES:
            return rest[: -len(suffix)]
    return rest
