"""The ``doors`` payload of the reply contract: the catalogue's doors forwarded as they are, and their text."""

from __future__ import annotations

import json

import pytest
from builders import door_json, make_door, make_result
from jsonschema import Draft202012Validator

from actions.catalogue_client import Door, MalformedAnswer
from actions.doors import doors_payload, doors_text, shows_cards
from veiviser_contract.doors import CHAT_DOORS, DOOR_FIELDS, DOORS_PAYLOAD_SCHEMA


def test_payload_is_a_doors_message_with_need_and_urgency() -> None:
    payload = doors_payload(make_result(make_door()))

    assert list(payload) == ["type", "need", "urgency", "doors"]
    assert (payload["type"], payload["need"], payload["urgency"]) == ("doors", "angst_uro", "snart")


def test_payload_validates_against_the_contracts_schema() -> None:
    payload = json.loads(json.dumps(doors_payload(make_result(make_door(), make_door("fastlege")))))

    Draft202012Validator(DOORS_PAYLOAD_SCHEMA).validate(payload)


def test_payload_door_is_the_catalogues_door_field_for_field() -> None:
    sent = doors_payload(make_result(make_door(opening="Stengt nå, åpner tirsdag kl. 15", open_now=False)))

    assert list(sent["doors"][0]) == list(DOOR_FIELDS)
    assert sent["doors"][0] == door_json(opening="Stengt nå, åpner tirsdag kl. 15", open_now=False)


def test_payload_keeps_the_catalogues_order_best_first() -> None:
    doors = [make_door("helsesykepleier"), make_door("helsestasjon_for_ungdom"), make_door("fastlege")]

    payload = doors_payload(make_result(*doors))

    assert [d["category"] for d in payload["doors"]] == ["helsesykepleier", "helsestasjon_for_ungdom", "fastlege"]


def test_payload_never_holds_more_doors_than_the_chat_shows() -> None:
    doors = [make_door(name=f"Dør {n}") for n in range(10)]

    assert len(doors_payload(make_result(*doors))["doors"]) == CHAT_DOORS == 6


def test_text_numbers_the_doors_own_texts() -> None:
    doors = [make_door(text="Helsesykepleier\nRing 10 00 01 01"), make_door("fastlege", text="Fastlegen din")]

    assert doors_text(doors) == "1. Helsesykepleier\nRing 10 00 01 01\n\n2. Fastlegen din"


@pytest.mark.parametrize(
    ("metadata", "cards"),
    [({"cards": True}, True), ({"cards": "yes"}, False), ({}, False), (None, False), ("cards", False)],
)
def test_only_a_client_that_says_cards_true_gets_the_doors_without_text(metadata: object, cards: bool) -> None:
    assert shows_cards({"metadata": metadata}) is cards


@pytest.mark.parametrize(
    "broken",
    [{"text": ""}, {"phone_href": "javascript:alert(1)"}, {"open_now": "yes"}, {"age_min": -1}, {"scope": "galaxy"}],
)
def test_a_door_that_breaks_the_contract_is_refused(broken: dict) -> None:
    with pytest.raises(MalformedAnswer):
        Door.from_json(door_json(**broken))


def test_a_door_without_a_contract_field_is_refused() -> None:
    door = door_json()
    del door["opening"]

    with pytest.raises(MalformedAnswer, match="opening"):
        Door.from_json(door)
