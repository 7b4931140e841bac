"""The NLU components as Rasa 3.6 components: on hand-made messages, and in a small trained pipeline."""

from __future__ import annotations

import asyncio
import logging
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from components.crisis_gate import CrisisGate
from components.crisis_lexicon import Lexicon
from components.language import LanguageDetector
from rasa.shared.nlu.training_data.message import Message


def message(text: str, intent: str, confidence: float, ranking: list[tuple[str, float]] | None = None) -> Message:
    """A message as the classifiers before the gate leave it."""
    msg = Message(data={"text": text})
    msg.set("intent", {"name": intent, "confidence": confidence}, add_to_output=True)
    ranking = ranking if ranking is not None else [(intent, confidence)]
    msg.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking], add_to_output=True)
    msg.set("entities", [], add_to_output=True)
    return msg


def entities(msg: Message, name: str) -> list[dict[str, Any]]:
    return [e for e in msg.get("entities") if e["entity"] == name]


@pytest.fixture(scope="module")
def gate() -> CrisisGate:
    return CrisisGate({})


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector({})


def test_lexicon_overrides_a_non_urgent_intent(gate: CrisisGate) -> None:
    msg = message("vil ikke leve lenger", "nedstemthet", 0.81, [("nedstemthet", 0.81), ("ensomhet", 0.1)])
    gate.process([msg])
    assert msg.get("intent") == {"name": "selvmordstanker", "confidence": 1.0}
    assert [r["name"] for r in msg.get("intent_ranking")] == ["selvmordstanker", "nedstemthet", "ensomhet"]
    assert entities(msg, "crisis_need") == [
        {
            "entity": "crisis_need",
            "value": "selvmordstanker",
            "start": 0,
            "end": 13,
            "confidence": 1.0,
            "extractor": "CrisisGate",
        }
    ]
    crisis = msg.get("crisis")
    assert (crisis["level"], crisis["action"], crisis["words"]) == (
        "urgent",
        "override",
        ["vil ikke leve", "vil ikke leve lenger"],
    )
    assert crisis["classifier_intent"] == {"name": "nedstemthet", "confidence": 0.81}


def test_lexicon_overrides_the_fallback_intent(gate: CrisisGate) -> None:
    msg = message("kms", "nlu_fallback", 0.45, [("nlu_fallback", 0.45), ("greet", 0.3)])
    gate.process([msg])
    assert msg.get("intent")["name"] == "selvmordstanker"
    assert msg.get("crisis")["action"] == "override"


def test_an_urgent_intent_is_left_alone_and_gets_the_crisis_data(gate: CrisisGate) -> None:
    msg = message("jeg vil dø og har tatt masse piller", "selvmordstanker", 0.7)
    gate.process([msg])
    assert msg.get("intent") == {"name": "selvmordstanker", "confidence": 0.7}
    assert msg.get("crisis")["action"] == "confirmed"
    assert msg.get("crisis")["need"] == "overdose"  # the lexicon's own choice stays visible
    assert [e["value"] for e in entities(msg, "crisis_need")] == ["selvmordstanker"]


def test_an_urgent_intent_is_never_demoted_when_the_lexicon_is_silent(gate: CrisisGate) -> None:
    msg = message("det er noe jeg ikke klarer å si", "akutt_fare", 0.9)
    gate.process([msg])
    assert msg.get("intent") == {"name": "akutt_fare", "confidence": 0.9}
    assert entities(msg, "crisis_need") == []
    assert (msg.get("crisis")["level"], msg.get("crisis")["action"]) == ("none", "classifier")


def test_much_probability_on_an_urgent_need_of_danger_makes_it_urgent(gate: CrisisGate) -> None:
    ranking = [("nedstemthet", 0.4), ("overdose", 0.35), ("greet", 0.1)]
    msg = message("føler meg rar etter festen", "nedstemthet", 0.4, ranking)
    gate.process([msg])
    assert msg.get("intent") == {"name": "overdose", "confidence": 0.35}
    assert [r["name"] for r in msg.get("intent_ranking")][:2] == ["overdose", "nedstemthet"]
    assert msg.get("crisis")["action"] == "urgent_mass"
    assert [e["value"] for e in entities(msg, "crisis_need")] == ["overdose"]


def test_some_probability_on_taking_ones_life_asks_directly_with_the_need_as_hint(gate: CrisisGate) -> None:
    ranking = [("nedstemthet", 0.6), ("selvmordstanker", 0.25), ("greet", 0.1)]
    msg = message("alt er så tungt", "nedstemthet", 0.6, ranking)
    gate.process([msg])
    assert msg.get("intent")["name"] == "check_risk"
    assert [e["value"] for e in entities(msg, "need_hint")] == ["nedstemthet"]
    assert entities(msg, "crisis_need") == []


def test_a_little_probability_on_an_urgent_need_changes_nothing(gate: CrisisGate) -> None:
    msg = message("føler meg rar", "nedstemthet", 0.7, [("nedstemthet", 0.7), ("overdose", 0.15)])
    gate.process([msg])
    assert msg.get("intent")["name"] == "nedstemthet"
    assert entities(msg, "crisis_need") == []


def test_a_maybe_about_taking_ones_life_asks_directly(gate: CrisisGate) -> None:
    msg = message("jeg vil ikke dø", "nedstemthet", 0.7)
    gate.process([msg])
    assert msg.get("intent")["name"] == "check_risk"
    assert (msg.get("crisis")["level"], msg.get("crisis")["words"]) == ("maybe", ["vil ikke dø"])
    assert [e["value"] for e in entities(msg, "need_hint")] == ["nedstemthet"]


def test_a_story_from_the_past_is_not_asked_about(gate: CrisisGate) -> None:
    msg = message("jeg ble voldtatt for to år siden", "seksuelle_overgrep", 0.8)
    gate.process([msg])
    assert msg.get("intent")["name"] == "seksuelle_overgrep"


def test_danger_words_of_another_language_are_urgent_and_answered_in_two_languages(
    gate: CrisisGate, detector: LanguageDetector
) -> None:
    polish = message("tata mnie bije, boję się", "nlu_fallback", 0.2)
    detector.process([polish])
    gate.process([polish])
    assert polish.get("intent")["name"] == "vold_pagar"
    assert [e["value"] for e in entities(polish, "language")] == ["other"]
    assert polish.get("crisis")["foreign"]["language"] == "pl"


def test_intent_payloads_from_buttons_are_left_alone(gate: CrisisGate, detector: LanguageDetector) -> None:
    msg = message("/selvmordstanker", "selvmordstanker", 1.0)
    detector.process([msg])
    gate.process([msg])
    assert msg.get("crisis") is None and msg.get("language") is None and msg.get("entities") == []


def test_a_failing_lexicon_keeps_the_classifiers_answer(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(Lexicon):
        def __init__(self) -> None:
            pass

        def check(self, text: str) -> None:
            raise RuntimeError("boom")

    msg = message("vil dø", "nedstemthet", 0.8)
    with caplog.at_level(logging.ERROR):
        CrisisGate({}, lexicon=Broken()).process([msg])
    assert msg.get("intent")["name"] == "nedstemthet"
    assert "CrisisGate failed" in caplog.text


def test_language_entity_only_when_confident(detector: LanguageDetector) -> None:
    sure, unsure = message("eg veit ikkje kva eg skal gjere", "x", 1.0), message("hei", "x", 1.0)
    detector.process([sure, unsure])
    assert [e["value"] for e in entities(sure, "language")] == ["nn"]
    assert sure.get("language")["code"] == "nn" and sure.get("language")["confident"] is True
    assert entities(unsure, "language") == []
    assert unsure.get("language") == {"code": "nb", "probability": 0.667, "method": "markers", "confident": False}


def test_confidently_foreign_message_gets_the_other_language_intent(
    detector: LanguageDetector, gate: CrisisGate
) -> None:
    polish = message("Czuję się bardzo samotny i nie wiem, z kim mogę porozmawiać", "ensomhet", 0.6)
    detector.process([polish])
    gate.process([polish])
    assert polish.get("intent") == {"name": "other_language", "confidence": 1.0}
    assert polish.get("intent_ranking")[1]["name"] == "ensomhet"


def test_the_classifiers_urgent_guess_at_a_foreign_message_is_dropped(
    detector: LanguageDetector, gate: CrisisGate
) -> None:
    # The classifier cannot read Polish: its "overdose" was the Norwegian-only misreading.
    polish = message("Czuję się bardzo samotny i nie wiem, z kim mogę porozmawiać", "overdose", 0.6)
    detector.process([polish])
    gate.process([polish])
    assert polish.get("intent")["name"] == "other_language"


# --- a real, tiny pipeline -------------------------------------------------------------------------------

NLU = """
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hei
    - hei på deg
    - hallo
    - heisann
    - god morgen
    - hello
- intent: chitchat
  examples: |
    - jeg er dødsliten etter trening
    - hva gjør du i dag
    - liker du pizza
    - kjedelig dag
    - fortell en vits
    - det regner igjen
- intent: nedstemthet
  examples: |
    - jeg er så trist hele tiden
    - føler meg tom
    - alt er grått
    - eg er så lei meg
    - i feel sad all the time
    - ingenting gleder meg lenger
- intent: selvmordstanker
  examples: |
    - jeg tenker på å ta livet mitt
    - har selvmordstanker
    - vil ikke leve lenger
    - i want to die
    - tenker at alle har det bedre uten meg
    - eg vil ikkje leve meir
"""

CONFIG = """
recipe: default.v1
language: nb
assistant_id: crisis-gate-test
pipeline:
  - name: WhitespaceTokenizer
  - name: components.linear_intent.LinearIntentClassifier
  - name: FallbackClassifier
    threshold: 0.2
  - name: components.context_reader.ContextReader
  - name: components.language.LanguageDetector
  - name: components.crisis_gate.CrisisGate
policies: []
"""


@pytest.fixture(scope="module")
def parse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Train the tiny model once (in a temp dir, cache included) and return a parse function."""
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    work = tmp_path_factory.mktemp("rasa")
    (work / "nlu.yml").write_text(textwrap.dedent(NLU), encoding="utf-8")
    (work / "config.yml").write_text(textwrap.dedent(CONFIG), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(work)  # Rasa keeps its training cache in ./.rasa
        model = train_nlu(str(work / "config.yml"), str(work / "nlu.yml"), str(work / "models"), fixed_model_name="t")
        assert model is not None and Path(model).exists()
        agent = Agent.load(model)
        loop = asyncio.new_event_loop()
        yield lambda text: loop.run_until_complete(agent.parse_message(text))
        loop.close()


@pytest.mark.slow
def test_pipeline_lexicon_overrides_the_trained_classifier(parse: Any) -> None:
    result = parse("kms")
    assert result["intent"] == {"name": "selvmordstanker", "confidence": 1.0}
    assert result["intent_ranking"][0]["name"] == "selvmordstanker"
    [crisis_need] = entities_of(result, "crisis_need")
    assert (crisis_need["value"], crisis_need["extractor"]) == ("selvmordstanker", "CrisisGate")
    assert result["crisis"]["words"] == ["kms"]


@pytest.mark.slow
def test_pipeline_the_linear_classifier_is_trained_stored_and_loaded(parse: Any) -> None:
    result = parse("eg er så lei meg heile tida")
    assert result["intent"]["name"] == "nedstemthet"
    assert [r["name"] for r in result["intent_ranking"]][0] == "nedstemthet"
    assert abs(sum(r["confidence"] for r in result["intent_ranking"]) - 1.0) < 1e-6


@pytest.mark.slow
def test_pipeline_the_count_of_known_words_stays_out_of_the_parse_result(parse: Any) -> None:
    assert "known_words" not in parse("hei på deg")


@pytest.mark.slow
def test_pipeline_reads_the_age_and_the_municipality(parse: Any) -> None:
    result = parse("jeg er 16 og bor i Bodø og er så trist")
    assert {e["entity"]: e["value"] for e in result["entities"] if e["extractor"] == "ContextReader"} == {
        "alder": "16",
        "kommune": "Bodø",
    }


@pytest.mark.slow
def test_pipeline_indirect_wording_becomes_urgent(parse: Any) -> None:
    result = parse("orker ikke mer, vil bare forsvinne")
    assert result["intent"]["name"] == "selvmordstanker"
    assert result["crisis"]["level"] == "urgent"


@pytest.mark.slow
def test_pipeline_figurative_speech_stays_harmless(parse: Any) -> None:
    result = parse("jeg er dødsliten etter trening")
    assert result["intent"]["name"] == "chitchat"
    assert result["crisis"]["level"] == "none"
    assert entities_of(result, "crisis_need") == []


@pytest.mark.slow
def test_pipeline_language_entity(parse: Any) -> None:
    assert [e["value"] for e in entities_of(parse("i feel sad all the time"), "language")] == ["en"]
    assert [e["value"] for e in entities_of(parse("eg er så lei meg"), "language")] == ["nn"]
    assert entities_of(parse("hei"), "language") == []
    assert parse("hei")["language"]["confident"] is False


def entities_of(result: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [e for e in result.get("entities", []) if e["entity"] == name]
