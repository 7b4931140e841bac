"""The reply Rasa gives from the domain when the action server does not answer (``utter_first_line_doors``,
bot/rasa_patches.py) carries the general first-line doors exactly as the action server's cache of national doors
has them (actions/national_doors.json, what the chat shows when the catalogue is down), in each language.
Pure YAML and JSON reading, so it runs in both environments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from veiviser_contract.needs import GENERAL_NEED

ROOT = Path(__file__).resolve().parents[2]
RESPONSE = yaml.safe_load((ROOT / "bot" / "domain" / "responses_general.yml").read_text(encoding="utf-8"))["responses"][
    "utter_first_line_doors"
]
CACHE = json.loads((ROOT / "actions" / "national_doors.json").read_text(encoding="utf-8"))


def _language(variation: dict[str, Any]) -> str:
    conditions = variation.get("condition") or []
    return str(conditions[0]["value"]) if conditions else "nb"


VARIATIONS = {_language(variation): variation for variation in RESPONSE}


def test_the_reply_exists_for_every_language_of_the_chat() -> None:
    assert set(VARIATIONS) == {"nb", "nn", "en", "other"}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_generic_doors_are_the_cache_doors_in_the_language_of_the_reply(language: str) -> None:
    generic = [door for door in VARIATIONS[language]["custom"]["doors"] if door["generic"]]
    assert generic, "the first-line doors are generic: every municipality has them"
    for door in generic:
        cached = CACHE["doors"][f"generic:{door['category']}"][language]
        assert {field: cached[field] for field in door} == door


def test_the_first_door_is_the_first_door_the_cache_shows_for_the_general_need() -> None:
    first_cached = CACHE["needs"][GENERAL_NEED]["doors"][0]
    assert f"generic:{VARIATIONS['nb']['custom']['doors'][0]['category']}" == first_cached


def test_the_reply_has_a_door_open_around_the_clock() -> None:
    for variation in RESPONSE:
        assert any(door["open_24_7"] for door in variation["custom"]["doors"]), _language(variation)


def test_the_payload_is_the_general_need_at_the_urgency_the_catalogue_gives_it() -> None:
    for variation in RESPONSE:
        payload = variation["custom"]
        assert (payload["need"], payload["urgency"]) == (GENERAL_NEED, CACHE["needs"][GENERAL_NEED]["urgency"])
