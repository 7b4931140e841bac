"""The responses the actions utter by name exist in the domain (bot/domain/*.yml)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from actions.dialogue import opening_response
from actions.needs import vocabulary

ROOT = Path(__file__).resolve().parents[2]


def _domain_responses() -> dict[str, list[dict[str, object]]]:
    responses: dict[str, list[dict[str, object]]] = {}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        responses.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return responses


def _names_in_action_code() -> set[str]:
    code = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "actions").glob("*.py"))
    return set(re.findall(r'"(utter_[a-z_]+)"', code))


def test_every_response_an_action_utters_is_in_the_domain() -> None:
    needs = vocabulary()
    openings = {response for code in needs.codes if (response := opening_response(code, needs))}
    used = _names_in_action_code() | openings

    assert sorted(used - _domain_responses().keys()) == []


def test_utter_kommune_set_uses_only_the_variable_the_action_fills() -> None:
    texts = " ".join(str(variant.get("text", "")) for variant in _domain_responses()["utter_kommune_set"])

    assert set(re.findall(r"{(\w+)}", texts)) == {"kommune_navn"}
