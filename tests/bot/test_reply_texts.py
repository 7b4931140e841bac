"""What Veiviser says, read from the domain files and the action server's source, never run.

It never diagnoses (safety.md rule 5, issue 3), crisis replies put the numbers first and ask nothing
(rule 1), fallbacks carry the 113 line (rule 4), and every reply exists in bokmål, nynorsk and English.
Pure YAML, JSON and ``ast`` reading, no Rasa import, so it runs in the catalogue's venv.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from veiviser_contract.doors import DOORS_PAYLOAD_SCHEMA

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_DIR = ROOT / "bot" / "domain"
ACTIONS_DIR = ROOT / "actions"
DOOR_WORDS_FILE = ROOT / "service_catalog" / "door_text.py"
URGENT_NEEDS: list[str] = yaml.safe_load((ROOT / "data" / "taxonomy.yml").read_text(encoding="utf-8"))["needs"][
    "urgent"
]

# Diagnosing language, one pattern per way of saying it (bokmål, nynorsk, English). A label for the young
# person, a "yes" to "har jeg X?", or a diagnosis promised as the outcome of a door.
_LABELS = (
    r"(depresjon\w*|depressiv\w*|deprimert|angst\w*|adhd|add|autism\w*|autist\w*|asperger\w*|"
    r"spiseforstyrr\w*|anoreksi|anorektiker|bulimi\w*|bipolar\w*|psykose|psykotisk|ptsd|ocd|"
    r"tvangslidel\w*|personlighetsforstyrr\w*|schizofren\w*|diagnose\w*)"
)
_EN_LABELS = (
    r"(depression|depressed|anxiety|adhd|add|autism|autistic|asperger\w*|an eating disorder|"
    r"anorexia|anorexic|bulimia|bipolar|psychosis|psychotic|ptsd|ocd|schizophreni\w*|a diagnosis)"
)
_HEDGES = r"((nok|sannsynligvis|sannsynlegvis|trolig|truleg|antakelig|kanskje|helt sikkert|klart) )?"
DIAGNOSING: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "du har <label>": rf"\bdu har {_HEDGES}((en|ei|et|ein|eit) )?{_LABELS}\b",
        "du er <label>": rf"\bdu er {_HEDGES}((en|ein) )?(deprimert|autist|anorektiker|bipolar|psykotisk)\b",
        "du har nok": r"\bdu har nok\b",
        "du lider av / du lid av": r"\bdu (lider|lid) av\b",
        "det høres ut som du har": r"\bdet høre?s?t? ut som (om |at )?(du har|du er|det er) ",
        "det høres ut som <label>": rf"\bdet høre?s?t? ut som (om |at )?((en|ei|ein) )?{_LABELS}\b",
        "du ligner / du liknar": r"\bdu (ligner|liknar|liknar på|ligner på)\b",
        "ja, du har": r"\bja,? (du har|det har du|det er)\b",
        "you have <label>": rf"\byou ((probably|might|may|likely|definitely|clearly) )?(have|are) ({_EN_LABELS})\b",
        "it sounds like you have": r"\b(it )?sounds like (you have|you are|you suffer)\b",
        "you suffer from": r"\byou (suffer|are suffering) from\b",
        "yes, you have": r"\byes,? (you have|you do|you are|it is)\b",
        "<noen> kan stille en diagnose": (
            r"\b(jeg|eg|vi|de|dei|dere|dykk|legen|fastlegen|bup) (kan|vil|skal|kommer til å|kjem til å) "
            r"(gi deg|stille|sette|setje) ((en|ei|ein) )?diagnose"
        ),
        "<someone> will diagnose you": (
            r"\b(i|we|they|the doctor|your gp|bup) (can|will) (diagnose you|give you a diagnosis|make a diagnosis)\b"
        ),
        "du får en diagnose": r"\bdu (vil |kommer til å |kjem til å )?få(r)? ((en|ei|ein) )?diagnose\b",
        "you will get a diagnosis": r"\byou (will|can) (get|receive) a diagnosis\b",
    }.items()
}

# Crisis replies never ask about how or about plans (safety.md rule 5).
METHODS_OR_PLANS = re.compile(
    r"\b(hvordan|korleis|åssen|plan\w*|metode\w*|how|plans?|planned|planning|methods?|method)\b", re.IGNORECASE
)
EMERGENCY_NUMBER = re.compile(r"\b(113|112|116 ?\d{3})\b")
MACHINE = re.compile(r"\b(maskin|machine|chatbot)\b", re.IGNORECASE)

# Replies after which the young person may be left without an answer: each carries "113" (safety.md rule 4).
FALLBACK_RESPONSES = (
    "utter_fallback_general",
    "utter_default",
    "utter_out_of_scope",
    "utter_other_language",
    "utter_catalogue_down",
    "utter_first_line_doors",
    "utter_kommune_unknown",
    "utter_age_unclear",
    "utter_greet",
    "utter_goodbye",
)
# Replies written once in Norwegian and English together, on purpose.
BILINGUAL_RESPONSES = {"utter_other_language"}
# The languages a variation may be conditioned on: nynorsk, English, and "other" (a language Veiviser does not
# speak: the same reply in Norwegian and English together).
CONDITION_LANGUAGES = {"nn", "en", "other"}
# Asked before the need is known (the direct question): its payload names no need, so no feedback is asked.
NO_NEED_YET = {"utter_check_risk"}
# The only {placeholders} a response may use, filled by the action that utters it.
PLACEHOLDERS = {"utter_kommune_set": {"kommune_navn"}}
DOOR_FIELDS = (
    "category",
    "name",
    "phone",
    "url",
    "open_now",
    "referral_required",
    "anonymous",
    "age_min",
    "age_max",
)
URGENCIES = {"akutt", "haster", "snart", "info"}
# A message bubble a 14-year-old reads on a phone.
MAX_MESSAGE_CHARS = 400


@dataclass(frozen=True)
class Said:
    """One string Veiviser can say, and where it is written."""

    where: str
    text: str


def load_responses() -> dict[str, list[dict[str, Any]]]:
    """Every response of every domain file in bot/domain."""
    responses: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        responses.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return responses


RESPONSES = load_responses()


def language_of(variation: dict[str, Any]) -> str:
    """nb for the unconditioned default, else the value of the language condition."""
    for condition in variation.get("condition") or []:
        if condition.get("name") == "language":
            return str(condition["value"])
    return "nb"


def messages(text: str) -> list[str]:
    """The REST messages a text becomes: Rasa's collecting channel splits it at blank lines."""
    return [part for part in text.strip().split("\n\n") if part.strip()]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def domain_texts() -> list[Said]:
    """Every text, button title and payload string of every response variation."""
    said = []
    for name, variations in RESPONSES.items():
        for index, variation in enumerate(variations):
            where = f"{name}[{index}]"
            if "text" in variation:
                said.append(Said(where, variation["text"]))
            for button in variation.get("buttons") or []:
                said.append(Said(f"{where}.buttons", button.get("title", "")))
            said.extend(Said(f"{where}.custom", text) for text in _strings(variation.get("custom")))
    return said


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """The ids of docstring constants: documentation for developers, never sent to anyone."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def action_texts() -> list[Said]:
    """Every string constant in actions/**/*.py and the catalogue's door words (docstrings aside), and every
    string in actions/**/*.json (the cached national doors with their texts)."""
    said = []
    for path in [*sorted(ACTIONS_DIR.rglob("*.py")), DOOR_WORDS_FILE]:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        docstrings = _docstring_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                said.append(Said(f"{path.relative_to(ROOT)}:{node.lineno}", node.value))
    for path in sorted(ACTIONS_DIR.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        said.extend(Said(str(path.relative_to(ROOT)), text) for text in _strings(data))
    return said


def diagnosing(text: str) -> list[str]:
    """The names of the diagnosing patterns that match ``text``."""
    flat = " ".join(text.split())
    return [name for name, pattern in DIAGNOSING.items() if pattern.search(flat)]


def doors_payloads() -> list[tuple[str, dict[str, Any]]]:
    """Every custom payload of type doors in the domain, with the response it belongs to."""
    return [
        (name, variation["custom"])
        for name, variations in RESPONSES.items()
        for variation in variations
        if isinstance(variation.get("custom"), dict) and variation["custom"].get("type") == "doors"
    ]


def crisis_variations() -> list[tuple[str, dict[str, Any]]]:
    """Every variation of every utter_crisis_* response (the urgent ones and the follow-up)."""
    return [
        (name, variation)
        for name, variations in RESPONSES.items()
        if name.startswith("utter_crisis_")
        for variation in variations
    ]


# --- the scanner itself -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Du har nok depresjon.",
        "Du har sannsynligvis ADHD.",
        "du har en spiseforstyrrelse",
        "Det høres ut som du har angst.",
        "Det høres ut som depresjon.",
        "Det høyrest ut som du har angst.",
        "Du lider av angst.",
        "Ja, du har ADHD.",
        "Du liknar på ein med autisme.",
        "Du er deprimert.",
        "You probably have depression.",
        "It sounds like you have anxiety.",
        "Yes, you have ADHD.",
        "You suffer from anxiety.",
        "Fastlegen kan gi deg en diagnose.",
        "BUP vil stille en diagnose.",
        "Du får en diagnose hos BUP.",
        "The doctor will diagnose you.",
    ],
)
def test_scanner_flags_diagnosing_sentence(sentence: str) -> None:
    assert diagnosing(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Det kan ikke jeg vurdere – jeg er en maskin og kan ikke stille diagnoser.",
        "Det kan ikkje eg vurdere – eg er ein maskin og kan ikkje stille diagnosar.",
        "I am a machine and cannot make diagnoses.",
        "Uro og angst er noe mange unge kjenner på.",
        "Du har rett til å være trygg.",
        "Du er bra som du er, og du bestemmer selv hvem du vil fortelle det til.",
        "Det høres slitsomt ut å kjenne så mye uro.",
        "Lots of young people feel worried, and good help is out there.",
    ],
)
def test_scanner_lets_boundary_and_normalising_sentence_pass(sentence: str) -> None:
    assert diagnosing(sentence) == [], sentence


# --- never diagnose ---------------------------------------------------------------------------------


def test_domain_responses_never_diagnose() -> None:
    offenders = [(said.where, names) for said in domain_texts() if (names := diagnosing(said.text))]
    assert offenders == []


def test_action_strings_never_diagnose() -> None:
    if not ACTIONS_DIR.is_dir():
        pytest.skip("actions/ is not there yet")
    offenders = [(said.where, names) for said in action_texts() if (names := diagnosing(said.text))]
    assert offenders == []


# --- crisis: numbers first, questions never -----------------------------------------------------------


@pytest.mark.parametrize("need", URGENT_NEEDS)
def test_crisis_response_names_an_emergency_number_in_its_first_sentence(need: str) -> None:
    for variation in RESPONSES[f"utter_crisis_{need}"]:
        first_sentence = re.split(r"(?<=[.!])\s", messages(variation["text"])[0])[0]
        assert EMERGENCY_NUMBER.search(first_sentence), (need, language_of(variation), first_sentence)


def test_crisis_responses_ask_no_question() -> None:
    asking = [(name, language_of(v)) for name, v in crisis_variations() if "?" in v.get("text", "")]
    assert asking == []


def test_crisis_responses_never_mention_methods_or_plans() -> None:
    mentions = [
        (name, language_of(v), match.group(0))
        for name, v in crisis_variations()
        if (match := METHODS_OR_PLANS.search(v.get("text", "")))
    ]
    assert mentions == []


@pytest.mark.parametrize("need", URGENT_NEEDS)
def test_crisis_response_says_it_is_a_machine(need: str) -> None:
    for variation in RESPONSES[f"utter_crisis_{need}"]:
        assert MACHINE.search(variation["text"]), (need, language_of(variation))


@pytest.mark.parametrize("need", URGENT_NEEDS)
def test_crisis_response_carries_an_akutt_doors_payload_for_its_need(need: str) -> None:
    for variation in RESPONSES[f"utter_crisis_{need}"]:
        custom = variation.get("custom") or {}
        assert (custom.get("type"), custom.get("need"), custom.get("urgency")) == ("doors", need, "akutt")
        assert custom["doors"][0]["category"] == "nodtelefon"


@pytest.mark.parametrize("need", URGENT_NEEDS)
def test_crisis_payload_lists_the_same_doors_in_every_language(need: str) -> None:
    keys = [[door["key"] for door in variation["custom"]["doors"]] for variation in RESPONSES[f"utter_crisis_{need}"]]
    assert all(k == keys[0] for k in keys)


@pytest.mark.parametrize("need", URGENT_NEEDS)
def test_crisis_payload_validates_against_the_contracts_schema(need: str) -> None:
    for variation in RESPONSES[f"utter_crisis_{need}"]:
        Draft202012Validator(DOORS_PAYLOAD_SCHEMA).validate(variation["custom"])


@pytest.mark.parametrize("need", URGENT_NEEDS)
def test_crisis_doors_are_all_open_around_the_clock(need: str) -> None:
    doors = RESPONSES[f"utter_crisis_{need}"][0]["custom"]["doors"]
    assert all(door["open_24_7"] is True and door["open_now"] is True for door in doors)


# --- languages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(set(RESPONSES) - BILINGUAL_RESPONSES))
def test_response_exists_in_bokmal_nynorsk_and_english(name: str) -> None:
    assert {language_of(variation) for variation in RESPONSES[name]} - {"other"} == {"nb", "nn", "en"}


def test_language_conditions_name_only_nynorsk_english_or_another_language() -> None:
    conditions = [
        (name, condition)
        for name, variations in RESPONSES.items()
        for variation in variations
        for condition in variation.get("condition") or []
        if (condition.get("type"), condition.get("name")) != ("slot", "language")
        or condition["value"] not in CONDITION_LANGUAGES
    ]
    assert conditions == []


@pytest.mark.parametrize("need", URGENT_NEEDS)
def test_crisis_response_for_another_language_is_in_norwegian_and_english(need: str) -> None:
    [variation] = [v for v in RESPONSES[f"utter_crisis_{need}"] if language_of(v) == "other"]
    text = variation["text"]
    assert " / " in text and re.search(r"\bring\b", text) and re.search(r"\bcall\b", text, re.I)
    assert {"113", "112", "116 111"} <= set(EMERGENCY_NUMBER.findall(text))


# --- fallbacks, placeholders, length, payload shape ---------------------------------------------------


@pytest.mark.parametrize("name", FALLBACK_RESPONSES)
def test_fallback_response_carries_the_emergency_line(name: str) -> None:
    for variation in RESPONSES[name]:
        assert "113" in variation["text"], (name, language_of(variation))


def test_responses_use_only_the_placeholders_their_action_fills() -> None:
    unknown = [
        (name, found)
        for name, variations in RESPONSES.items()
        for variation in variations
        if (found := set(re.findall(r"\{([^{}\n]+)\}", variation.get("text", "")))) - PLACEHOLDERS.get(name, set())
    ]
    assert unknown == []


def test_every_message_is_short_enough_to_read_on_a_phone() -> None:
    long = [
        (said.where, len(part))
        for said in domain_texts()
        if ".custom" not in said.where
        for part in messages(said.text)
        if len(part) > MAX_MESSAGE_CHARS
    ]
    assert long == []


def test_every_doors_payload_has_the_contract_fields() -> None:
    problems: list[tuple[str, str]] = []
    for name, payload in doors_payloads():
        has_need = bool(payload.get("need")) or (name in NO_NEED_YET and payload.get("need") is None)
        if payload.get("urgency") not in URGENCIES or not has_need or not payload.get("doors"):
            problems.append((name, "type, need, urgency or doors"))
        for door in payload.get("doors") or []:
            missing = [field for field in DOOR_FIELDS if field not in door]
            if missing:
                problems.append((name, f"{door.get('name')} lacks {', '.join(missing)}"))
    assert problems == []
