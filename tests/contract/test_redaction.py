"""Redaction of shared messages: personal data becomes placeholders, everything else stays as written.

Hypothesis generates valid fødselsnummer (and D-numbers) and Norwegian phone numbers in every grouping;
hand cases pin down what must be kept (ages, times, the national helplines).
"""

from __future__ import annotations

import re
from datetime import date

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from veiviser_contract.redaction import is_fodselsnummer, redact

SAFE_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå ,.!?", max_size=40)

# ---------------------------------------------------------------- generators


def _check(digits: str, weights: tuple[int, ...]) -> int | None:
    check = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if check == 11 else (None if check == 10 else check)


def _valid_from(prefix: str, individual: int) -> str:
    """The first valid number from ``prefix`` (date, six digits) and individual number ``individual`` on."""
    for step in range(1000):
        base = f"{prefix}{(individual + step) % 1000:03d}"
        first = _check(base, (3, 7, 6, 1, 8, 9, 4, 5, 2))
        second = None if first is None else _check(base + str(first), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
        if first is not None and second is not None:
            return f"{base}{first}{second}"
    raise AssertionError(f"no valid number for {prefix}")


@st.composite
def fodselsnummer(draw: st.DrawFn) -> str:
    """A valid fødselsnummer or D-number (the day plus 40)."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)))
    day = born.day + (40 if draw(st.booleans()) else 0)
    return _valid_from(f"{day:02d}{born.month:02d}{born.year % 100:02d}", draw(st.integers(0, 999)))


@st.composite
def phone_number(draw: st.DrawFn) -> str:
    """A Norwegian 8-digit number, as people write it: together, 3-2-3 or 2-2-2-2, with or without +47."""
    digits = draw(st.sampled_from("23456789")) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=7, max_size=7))
    )
    grouping = draw(st.sampled_from([(8,), (3, 2, 3), (2, 2, 2, 2)]))
    parts, at = [], 0
    for size in grouping:
        parts.append(digits[at : at + size])
        at += size
    number = draw(st.sampled_from([" ", "-"])).join(parts) if len(parts) > 1 else digits
    prefix = draw(st.sampled_from(["", "+47 ", "+47", "0047 "]))
    return prefix + number


# ---------------------------------------------------------------- properties


@given(fodselsnummer(), SAFE_TEXT, SAFE_TEXT)
def test_valid_fodselsnummer_is_always_removed(number: str, before: str, after: str) -> None:
    assert is_fodselsnummer(number)
    redacted = redact(f"{before} {number} {after}")
    assert number not in redacted
    assert "[fødselsnummer]" in redacted


@given(fodselsnummer())
def test_fodselsnummer_written_six_and_five_is_removed(number: str) -> None:
    redacted = redact(f"personnummeret mitt er {number[:6]} {number[6:]}")
    assert redacted == "personnummeret mitt er [fødselsnummer]"


@given(fodselsnummer(), st.integers(min_value=1, max_value=9))
def test_eleven_digits_with_a_wrong_check_digit_are_kept(number: str, change: int) -> None:
    wrong = number[:10] + str((int(number[10]) + change) % 10)
    assert not is_fodselsnummer(wrong)
    assert redact(f"ordre {wrong}") == f"ordre {wrong}"


@given(phone_number(), SAFE_TEXT, SAFE_TEXT)
def test_phone_numbers_are_always_removed(number: str, before: str, after: str) -> None:
    redacted = redact(f"{before} ring meg på {number} {after}")
    assert not re.search(r"\d{2}", redacted), redacted
    assert "[telefon]" in redacted


@given(SAFE_TEXT)
def test_text_without_personal_data_is_unchanged(text: str) -> None:
    assert redact(text) == text


@given(st.text(max_size=200))
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


# ---------------------------------------------------------------- by hand


@pytest.mark.parametrize(
    "text",
    [
        "jeg er 15",
        "jeg er 15 år og går i 10. klasse",
        "ring 116 123 hvis du vil snakke med noen",
        "ring 113 eller 112, eller 116 111, eller legevakten på 116 117",
        "klokka 14",
        "klokka 14:30 i morgen",
        "det har vart i 3 uker, 2 ganger om dagen",
        "skoleåret 2024 2025 var tungt",
        "jeg sov på gata 3 netter",
        "jeg heter ikke noe",
    ],
)
def test_text_that_is_not_personal_is_kept(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "jeg heter Ola og nummeret mitt er 912 34 567, jeg er så lei meg",
            "jeg heter [navn] og nummeret mitt er [telefon], jeg er så lei meg",
        ),
        ("Jeg heter Kari Nordmann og er 16", "Jeg heter [navn] og er 16"),
        ("eg heiter kari og er lei meg", "eg heiter [navn] og er lei meg"),
        ("mitt navn er Per Hansen", "mitt navn er [navn]"),
        ("navnet mitt er Ali", "navnet mitt er [navn]"),
        ("my name is Sam and I feel sad", "my name is [navn] and I feel sad"),
        ("I'm called Noor", "I'm called [navn]"),
        ("send til ola.nordmann+test@skole.example.no takk", "send til [e-post] takk"),
        ("jeg bor i Storgata 12 i Oslo", "jeg bor i [adresse] i Oslo"),
        ("adressen er Skoleveien 1B", "adressen er [adresse]"),
        ("Kirkeveien 45 b, 0370 Oslo", "[adresse]"),
        ("vi bor i Karl Johans gate 12", "vi bor i [adresse]"),
        ("Solbakken 3 er huset vårt", "[adresse] er huset vårt"),
        ("ring 41 23 45 67 eller +4798765432", "ring [telefon] eller [telefon]"),
        ("tlf 0047 22 33 44 55", "tlf [telefon]"),
    ],
)
def test_personal_data_becomes_placeholders(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_d_number_is_a_fodselsnummer() -> None:
    number = _valid_from("540309", 0)  # 14 March 2009, day plus 40
    assert is_fodselsnummer(number)
    assert redact(f"d-nummer {number}") == "d-nummer [fødselsnummer]"


# ---------------------------------------------------------------- names after a relation (issue 13, finding 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "stefaren min Per slår mamma når han har drukket",
            "stefaren min [navn] slår mamma når han har drukket",
        ),
        ("læreren vår Kari Hansen sier at jeg er lat", "læreren vår [navn] sier at jeg er lat"),
        ("bestevenninna mi Sara har sluttet å spise", "bestevenninna mi [navn] har sluttet å spise"),
        (
            "kjæresten min Jonas sjekker telefonen min hele tiden",
            "kjæresten min [navn] sjekker telefonen min hele tiden",
        ),
        ("onkel Per kommer på besøk i helga og jeg gruer meg", "onkel [navn] kommer på besøk i helga og jeg gruer meg"),
        ("faren til Emma er treneren vår og han er ekkel", "faren til [navn] er treneren vår og han er ekkel"),
        ("venen min Ola seier at eg er rar", "venen min [navn] seier at eg er rar"),
        ("min beste venn Ali flytter til Bergen", "min beste venn [navn] flytter til Bergen"),
        ("my stepdad Mike yells at me every night", "my stepdad [navn] yells at me every night"),
        ("my best friend Sarah stopped talking to me", "my best friend [navn] stopped talking to me"),
    ],
)
def test_a_name_after_a_relation_becomes_a_placeholder(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "stefaren min slår mamma",
        "læreren min er streng og kontaktlæreren vår sa ingenting",
        "mamma og pappa krangler hele tiden",
        "vennen min i Oslo svarer ikke",
        "kjæresten min Og jeg har slått opp",
        "my friend I guess is sad too",
        "bestevenninna mi sa at hun hater meg",
    ],
)
def test_a_word_after_a_relation_that_is_not_a_name_is_kept(text: str) -> None:
    assert redact(text) == text


# ---------------------------------------------------------------- foreign phone numbers (issue 13, finding 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "kompisen min i Sverige har nummer +46 70 123 45 67, kan dere ringe han?",
            "kompisen min i Sverige har nummer [telefon], kan dere ringe han?",
        ),
        ("mamma sitt polske nummer er +48 512 345 678", "mamma sitt polske nummer er [telefon]"),
        ("my mum's number is +44 7700 900123 if you need it", "my mum's number is [telefon] if you need it"),
        ("ring søstera mi på 0046 70-123 45 67", "ring søstera mi på [telefon]"),
        ("faren min bor i Tyskland, +4915112345678", "faren min bor i Tyskland, [telefon]"),
        ("tante i Litauen: +370 612 34567", "tante i Litauen: [telefon]"),
        ("onkelen min i Syria har +963 944 567 890", "onkelen min i Syria har [telefon]"),
        ("pappa er i Ukraina, nummeret er +380 67 123 4567", "pappa er i Ukraina, nummeret er [telefon]"),
    ],
)
def test_foreign_phone_numbers_become_placeholders(text: str, expected: str) -> None:
    assert redact(text) == expected


# phonenumbers reads a country's metadata the first time it meets one of its numbers: no deadline.
@settings(deadline=None)
@given(st.sampled_from(sorted(phonenumbers.SUPPORTED_REGIONS)), SAFE_TEXT)
def test_every_countrys_mobile_number_written_internationally_is_removed(region: str, before: str) -> None:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assume(example is not None)
    number = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    redacted = redact(f"{before} nummeret er {number}")
    assert not re.search(r"\d{2}", redacted), redacted
    assert "[telefon]" in redacted


def test_national_service_numbers_stay_beside_a_foreign_number() -> None:
    text = "ring 113, 116 123 eller 116 111, eller søstera mi på +46 70 123 45 67"
    assert redact(text) == "ring 113, 116 123 eller 116 111, eller søstera mi på [telefon]"


def test_a_fodselsnummer_is_still_a_fodselsnummer_beside_a_foreign_number() -> None:
    number = _valid_from("010109", 0)
    text = f"personnummeret mitt er {number} og mammas nummer er +48 512 345 678"
    assert redact(text) == "personnummeret mitt er [fødselsnummer] og mammas nummer er [telefon]"
