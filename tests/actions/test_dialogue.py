"""The dialogue's small decisions, as plain functions."""

from __future__ import annotations

import pytest
from builders import make_door, make_result

from actions.dialogue import (
    intro_response,
    known_age,
    metadata_age,
    metadata_kommune,
    opening_response,
    reply_lang,
    should_ask_age,
)
from actions.needs import vocabulary


def test_age_is_asked_when_doors_depend_on_it_and_it_is_unknown() -> None:
    assert should_ask_age(make_result(make_door(), age_dependent=True), age=None, age_asked=False)


@pytest.mark.parametrize(
    ("age_dependent", "age", "age_asked"),
    [(False, None, False), (True, 15, False), (True, None, True)],
    ids=["doors-same-for-all-ages", "age-known", "already-asked"],
)
def test_age_is_not_asked(age_dependent: bool, age: int | None, age_asked: bool) -> None:
    assert not should_ask_age(make_result(make_door(), age_dependent=age_dependent), age=age, age_asked=age_asked)


def test_age_is_not_asked_when_answering_from_the_cache() -> None:
    assert not should_ask_age(make_result(make_door(), age_dependent=True, from_cache=True), None, False)


def test_closed_intro_when_the_best_door_is_closed_now() -> None:
    closed_first = make_result(make_door(open_now=False), make_door(open_now=True))

    assert intro_response(closed_first) == "utter_doors_intro_closed"
    assert intro_response(make_result(make_door(open_now=None))) == "utter_doors_intro"


@pytest.mark.parametrize(
    ("need", "response"),
    [
        ("angst_uro", "utter_empathy_angst_uro"),
        ("utredning", "utter_diagnosis_boundary"),
        ("bekymring_for_venn", "utter_friend_support"),
        ("selvmordstanker", None),  # the crisis rule has answered already
    ],
)
def test_opening_response_per_need(need: str, response: str | None) -> None:
    assert opening_response(need, vocabulary()) == response


def test_every_non_urgent_need_has_an_opening_response() -> None:
    needs = vocabulary()

    assert len([code for code in needs.codes if opening_response(code, needs)]) == 27


@pytest.mark.parametrize(
    ("metadata", "kommune"),
    [({"kommune": "9999"}, "9999"), ({"kommune": "301"}, None), ({"kommune": 9999}, None), ({}, None), (None, None)],
)
def test_metadata_kommune_must_be_four_digits(metadata: dict[str, object] | None, kommune: str | None) -> None:
    assert metadata_kommune({"metadata": metadata}) == kommune


@pytest.mark.parametrize(
    ("metadata", "age"),
    [({"alder": 15}, 15), ({"alder": 40}, None), ({"alder": "15"}, None), ({"alder": True}, None), (None, None)],
)
def test_metadata_age_must_be_a_plausible_whole_number(metadata: dict[str, object] | None, age: int | None) -> None:
    assert metadata_age({"metadata": metadata}) == age


def test_known_age_reads_the_float_slot() -> None:
    assert (known_age(15.0), known_age(None), known_age(True)) == (15, None, None)


def test_reply_language_defaults_to_bokmal() -> None:
    assert [reply_lang(v) for v in ("nb", "nn", "en", "other", None)] == ["nb", "nn", "en", "en", "nb"]
