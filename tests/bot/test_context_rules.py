"""What a young person says in passing (bot/components/context_rules.py): age, municipality, about a friend."""

from __future__ import annotations

import pytest
from components.context_rules import read_about, read_age, read_context, read_kommune


def age(text: str) -> int | None:
    found = read_age(text)
    return None if found is None else int(found.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jeg er 22 og har mistet jobben", 22),
        ("hi, i'm 16 and i keep having panic attacks at school", 16),
        ("15 år og deppa", 15),
        ("eg er 19 og bur på Voss", 19),
        ("e 16 år og lei meg", 16),
        ("Jeg er femten år", 15),
        ("16yo girl here, cant sleep", 16),
        ("i am 17 years old", 17),
        ("im 13", 13),
        ("går i 9. klasse og blir mobba", 14),
        ("jeg er i 10. klasse", 15),
        ("vg2 elev, sykt stressa", 17),
        ("fyller 18 snart og vet ikke hva jeg skal gjøre", 18),
        ("15", 15),
        ("femten", 15),
        ("16 år", 16),
    ],
)
def test_an_age_said_in_passing_is_read(text: str, expected: int) -> None:
    assert age(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "i 15 år har jeg hatt det sånn",  # for fifteen years
        "for 16 år siden døde bestefar",  # years ago
        "jeg har tenkt på det i 16 år",
        "klokka 15 i dag",
        "jeg har vært trist i 2 uker",
        "I have 3 exams tomorrow",
        "jeg er 1 av 5 som har det sånn",
        "det tok 20 minutter",
        "jeg veier 45 kg",
        "han er 40 og drikker hver dag",  # someone else's age is outside the plausible range anyway
        "",
    ],
)
def test_numbers_that_are_not_the_writers_age_are_left_alone(text: str) -> None:
    assert age(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jeg bor i Bærum", "Bærum"),
        ("Bergen", "Bergen"),
        ("eg bur på Voss og er lei meg", "Voss"),
        ("i bergen er det ingen å snakke med", "Bergen"),
        ("in Tromsø there is nobody", "Tromsø"),
        ("i live in oslo", "Oslo"),
        ("fra Nordre Follo", "Nordre Follo"),
        ("kjem frå Evje og Hornnes", "Evje og Hornnes"),
        ("jeg er fra Aurskog-Høland", "Aurskog-Høland"),
        ("bor i sola", "Sola"),
    ],
)
def test_a_municipality_said_in_passing_is_read(text: str, expected: str) -> None:
    found = read_kommune(text)
    assert found is not None and found.value == expected


@pytest.mark.parametrize(
    "text",
    [
        "ligger i sola og er trist",  # the sun, not Sola
        "eg kom heim i går",  # nynorsk for home, not Heim
        "i stad var eg trist",  # a moment ago, not Stad
        "jeg har det vondt i hodet",
        "fra time til time",
        "i kveld er det ille",
    ],
)
def test_everyday_words_are_not_read_as_municipalities(text: str) -> None:
    assert read_kommune(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vennen min kutter seg", "venn"),
        ("asking for a friend, she cant eat", "venn"),
        ("bestevenninna mi har sluttet å spise", "venn"),
        ("my best friend keeps talking about dying", "venn"),
        ("lillebroren min blir slått", "familie"),
        ("søstera mi drikker mye", "familie"),
        ("jeg er så lei meg", None),
    ],
)
def test_who_the_message_is_about(text: str, expected: str | None) -> None:
    found = read_about(text)
    assert (found.value if found else None) == expected


def test_the_span_points_at_the_words_in_the_text() -> None:
    text = "hei, jeg er 22 og bor i Bodø"
    context = read_context(text)
    assert context.age is not None and text[context.age.start : context.age.end] == "22"
    assert context.kommune is not None and text[context.kommune.start : context.kommune.end] == "Bodø"


def test_button_payloads_and_empty_messages_give_nothing() -> None:
    for text in ("/angst_uro", "", "   "):
        assert read_context(text) == read_context("")
