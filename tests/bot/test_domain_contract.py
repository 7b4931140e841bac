"""The domain, the rules and stories, and the catalogue agree with each other.

Every intent has a rule, urgent intents are answered from the domain alone, every name a rule, story or
action uses exists, every need has its words, and the emergency doors the chat carries for when the
catalogue is down are the catalogue's own facts (data/catalogue/national.yml). Pure YAML and ``ast``
reading, no Rasa import, so it runs in the catalogue's venv.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_DIR = ROOT / "bot" / "domain"
RASA_DATA = ROOT / "data" / "rasa"
ACTIONS_DIR = ROOT / "actions"


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


TAXONOMY = _yaml(ROOT / "data" / "taxonomy.yml")
URGENT_NEEDS: list[str] = TAXONOMY["needs"]["urgent"]
OTHER_NEEDS: list[str] = TAXONOMY["needs"]["other"]
CORE = _yaml(DOMAIN_DIR / "core.yml")
DOMAIN_FILES = {path.name: _yaml(path) for path in sorted(DOMAIN_DIR.glob("*.yml"))}
RESPONSES: dict[str, list[dict[str, Any]]] = {
    name: variations for domain in DOMAIN_FILES.values() for name, variations in (domain.get("responses") or {}).items()
}
RULES: list[dict[str, Any]] = _yaml(RASA_DATA / "rules.yml").get("rules") or []
STORIES: list[dict[str, Any]] = _yaml(RASA_DATA / "stories.yml").get("stories") or []
NATIONAL: dict[str, dict[str, Any]] = {
    service["key"]: service for service in _yaml(ROOT / "data" / "catalogue" / "national.yml")["services"]
}
# Rasa's own actions and intents that rules may name without declaring them.
RASA_DEFAULT_ACTIONS = {"action_listen", "action_restart", "action_default_fallback", "action_two_stage_fallback"}
RASA_DEFAULT_INTENTS = {"nlu_fallback"}
# Door facts the static payloads copy from national.yml (payload field -> catalogue field).
COPIED_FACTS = {
    "category": "door",
    "name": "name",
    "phone": "phone",
    "sms": "sms",
    "chat_url": "chat_url",
    "url": "url",
    "open_24_7": "open_24_7",
    "referral_required": "referral_required",
    "cost": "cost",
    "anonymous": "anonymous",
    "age_min": "age_min",
    "age_max": "age_max",
}
# Norwegian phone numbers as the replies write them: 113, 116 123, 22 40 00 40, 800 33 321, 417 16 111.
PHONE_IN_TEXT = re.compile(r"(?<!\d)(?<!\d )(1\d\d(?: \d{3})?|\d{2} \d{2} \d{2} \d{2}|\d{3} \d{2} \d{3})(?!\d)")


def user_intent(steps: list[dict[str, Any]]) -> str | None:
    """The intent of a rule's first user step."""
    return next((step["intent"] for step in steps if "intent" in step), None)


def actions_after(steps: list[dict[str, Any]]) -> list[str]:
    """The actions of a rule or story, in order."""
    return [step["action"] for step in steps if "action" in step]


def rule_for(intent: str) -> dict[str, Any]:
    """The one rule that starts with ``intent`` (rules that continue after a reply, such as the answer to
    the direct question, start with that reply instead)."""
    matching = [rule for rule in RULES if "intent" in rule["steps"][0] and rule["steps"][0]["intent"] == intent]
    assert len(matching) == 1, f"{intent}: {len(matching)} rules"
    return matching[0]


def static_doors() -> list[tuple[str, dict[str, Any]]]:
    """Every door of a national service in a doors payload written into the domain, with its response name.
    (Generic doors, "the school nurse at your school", are the action server's cache's: test_first_line_doors.py.)"""
    return [
        (name, door)
        for name, variations in RESPONSES.items()
        for variation in variations
        if isinstance(variation.get("custom"), dict) and variation["custom"].get("type") == "doors"
        for door in variation["custom"]["doors"]
        if not door.get("generic")
    ]


def tel_href(phone: str) -> str:
    """The tel: link the catalogue makes for a phone number (service_catalog.field_types.phone_href)."""
    digits = phone.replace(" ", "")
    return f"tel:{digits}" if len(digits) < 8 else f"tel:+47{digits}"


# --- intents and rules ------------------------------------------------------------------------------


def test_every_taxonomy_need_is_an_intent() -> None:
    intents = set(CORE["intents"])
    assert set(URGENT_NEEDS + OTHER_NEEDS) <= intents


@pytest.mark.parametrize("intent", [*CORE["intents"], *sorted(RASA_DEFAULT_INTENTS)])
def test_every_intent_has_one_rule(intent: str) -> None:
    assert rule_for(intent)


@pytest.mark.parametrize("need", URGENT_NEEDS)
def test_urgent_rule_answers_from_the_domain_alone(need: str) -> None:
    assert actions_after(rule_for(need)["steps"]) == [f"utter_crisis_{need}", "utter_crisis_followup"]


@pytest.mark.parametrize("need", URGENT_NEEDS)
def test_urgent_rule_fires_after_any_turn(need: str) -> None:
    rule = rule_for(need)
    assert not rule.get("conversation_start") and not rule.get("condition")
    assert "intent" in rule["steps"][0]


@pytest.mark.parametrize("need", OTHER_NEEDS)
def test_other_need_rule_shows_the_doors(need: str) -> None:
    assert actions_after(rule_for(need)["steps"]) == ["action_show_doors"]


def test_no_two_rules_share_a_name() -> None:
    names = Counter(rule["rule"] for rule in RULES)
    assert [name for name, count in names.items() if count > 1] == []


# --- every name used exists -------------------------------------------------------------------------


@pytest.mark.parametrize("block", RULES + STORIES, ids=lambda b: b.get("rule") or b.get("story"))
def test_every_action_in_rules_and_stories_exists(block: dict[str, Any]) -> None:
    known = set(RESPONSES) | set(CORE["actions"]) | RASA_DEFAULT_ACTIONS
    assert [action for action in actions_after(block["steps"]) if action not in known] == []


@pytest.mark.parametrize("block", RULES + STORIES, ids=lambda b: b.get("rule") or b.get("story"))
def test_every_intent_in_rules_and_stories_is_declared(block: dict[str, Any]) -> None:
    known = set(CORE["intents"]) | RASA_DEFAULT_INTENTS
    assert [step["intent"] for step in block["steps"] if "intent" in step and step["intent"] not in known] == []


def test_no_response_is_defined_in_two_domain_files() -> None:
    names = Counter(name for domain in DOMAIN_FILES.values() for name in domain.get("responses") or {})
    assert [name for name, count in names.items() if count > 1] == []


def test_every_response_condition_names_a_declared_slot_value() -> None:
    slots = CORE["slots"]
    wrong = [
        (name, condition)
        for name, variations in RESPONSES.items()
        for variation in variations
        for condition in variation.get("condition") or []
        if condition["name"] not in slots or condition["value"] not in slots[condition["name"]].get("values", [])
    ]
    assert wrong == []


def test_responses_the_actions_utter_exist() -> None:
    if not ACTIONS_DIR.is_dir():
        pytest.skip("actions/ is not there yet")
    named = {
        node.value
        for path in ACTIONS_DIR.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if re.fullmatch(r"utter_[a-z0-9_]*[a-z0-9]", node.value)
    }
    assert sorted(named - set(RESPONSES)) == []


# --- every need has its words ------------------------------------------------------------------------


@pytest.mark.parametrize("need", URGENT_NEEDS)
def test_urgent_need_has_a_crisis_response(need: str) -> None:
    assert f"utter_crisis_{need}" in RESPONSES


@pytest.mark.parametrize("need", OTHER_NEEDS)
def test_other_need_has_an_empathy_response(need: str) -> None:
    assert f"utter_empathy_{need}" in RESPONSES


# --- the static doors are the catalogue's facts --------------------------------------------------------


def test_every_static_door_is_a_national_catalogue_service() -> None:
    assert [(name, door.get("key")) for name, door in static_doors() if door.get("key") not in NATIONAL] == []


def test_static_door_facts_equal_the_national_catalogue() -> None:
    differences = []
    for name, door in static_doors():
        service = NATIONAL[door["key"]]
        for field, catalogue_field in COPIED_FACTS.items():
            if door.get(field) != service.get(catalogue_field):
                differences.append((name, door["key"], field, door.get(field), service.get(catalogue_field)))
    assert differences == []


def test_static_door_links_match_its_numbers() -> None:
    wrong = [
        (name, door["key"])
        for name, door in static_doors()
        if door.get("phone_href") != (tel_href(door["phone"]) if door.get("phone") else None)
        or door.get("sms_href") != (tel_href(door["sms"]).replace("tel:", "sms:", 1) if door.get("sms") else None)
    ]
    assert wrong == []


def test_static_door_is_open_now_only_when_open_around_the_clock() -> None:
    # A static reply cannot know the hours: open_now is true for 24/7 lines and "not known" (null) otherwise.
    wrong = [
        (name, door["key"])
        for name, door in static_doors()
        if door["open_now"] is not (True if door["open_24_7"] else None)
    ]
    assert wrong == []


def test_every_phone_number_in_a_reply_is_a_national_catalogue_number() -> None:
    numbers = {service.get("phone") for service in NATIONAL.values()} | {
        service.get("sms") for service in NATIONAL.values()
    }
    unknown = [
        (name, found)
        for name, variations in RESPONSES.items()
        for variation in variations
        for found in PHONE_IN_TEXT.findall(" ".join(variation.get("text", "").split()))
        if found not in numbers
    ]
    assert unknown == []
