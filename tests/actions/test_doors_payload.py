"""The ``doors`` payload of the reply contract: its fields, its order, and where specialist doors go."""

from __future__ import annotations

import json

from builders import at, make_door

from actions.doors import MAX_DOORS, doors_payload

# The contract as the brief states it (web chat, routing lab and evaluators read these names).
CONTRACT_DOOR_FIELDS = [
    "category", "name", "description", "phone", "phone_href", "sms", "sms_href", "chat_url", "url", "map_url",
    "address", "open_now", "next_open", "open_24_7", "referral_required", "anonymous", "cost", "age_min",
    "age_max", "generic", "how_to_reach", "example",
]  # fmt: skip


def test_payload_is_a_doors_message_with_need_and_urgency() -> None:
    payload = doors_payload("angst_uro", "snart", [make_door()])

    assert list(payload) == ["type", "need", "urgency", "doors"]
    assert (payload["type"], payload["need"], payload["urgency"]) == ("doors", "angst_uro", "snart")


def test_payload_carries_the_door_text_when_given_so_card_clients_can_hide_it() -> None:
    payload = doors_payload("angst_uro", "snart", [make_door()], text="1. Helsesykepleier")

    assert list(payload) == ["type", "need", "urgency", "doors", "text"]
    assert payload["text"] == "1. Helsesykepleier"


def test_payload_door_has_every_contract_field_in_order() -> None:
    payload = doors_payload("angst_uro", "snart", [make_door()])

    assert list(payload["doors"][0]) == CONTRACT_DOOR_FIELDS


def test_payload_door_values_are_plain_json() -> None:
    door = make_door(open_now=False, next_open=at("2026-11-24T15:00:00+01:00"))

    sent = json.loads(json.dumps(doors_payload("angst_uro", "snart", [door])))["doors"][0]

    assert sent["address"] == {"street": "Skoleveien 1", "postal_code": "9999", "city": "Eksempelby"}
    assert sent["next_open"] == "2026-11-24T15:00:00+01:00"
    assert (sent["phone"], sent["open_now"], sent["referral_required"]) == ("10 00 01 01", False, False)
    assert (sent["age_min"], sent["age_max"]) == (13, 16)


def test_payload_keeps_the_catalogues_order_best_first() -> None:
    doors = [make_door("helsesykepleier"), make_door("helsestasjon_for_ungdom"), make_door("fastlege")]

    payload = doors_payload("angst_uro", "snart", doors)

    assert [d["category"] for d in payload["doors"]] == ["helsesykepleier", "helsestasjon_for_ungdom", "fastlege"]


def test_payload_holds_at_most_six_doors() -> None:
    doors = [make_door(name=f"Dør {n}") for n in range(10)]

    assert len(doors_payload("angst_uro", "snart", doors)["doors"]) == MAX_DOORS == 6


def test_specialist_door_never_comes_first() -> None:
    doors = [make_door("bup", referral_required=True), make_door("helsesykepleier"), make_door("fastlege")]

    categories = [d["category"] for d in doors_payload("utredning", "snart", doors)["doors"]]

    assert categories == ["helsesykepleier", "fastlege", "bup"]


def test_specialist_door_is_never_shown_alone() -> None:
    doors = [make_door("statens_barnehus", referral_required=True), make_door("bup", referral_required=True)]

    assert doors_payload("vold_hjemme", "haster", doors)["doors"] == []
