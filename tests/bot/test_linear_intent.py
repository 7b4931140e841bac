"""LinearIntentClassifier (bot/components/linear_intent.py) trained on a few examples, without the rest of Rasa."""

from __future__ import annotations

from pathlib import Path

from components.linear_intent import KNOWN_WORDS, LinearIntentClassifier
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

EXAMPLES = {
    "greet": ["hei", "hei på deg", "hallo", "god morgen"],
    "nedstemthet": ["jeg er så trist", "føler meg tom", "alt er grått", "eg er så lei meg"],
}


def trained(tmp_path: Path) -> LinearIntentClassifier:
    storage = LocalModelStorage(tmp_path)
    classifier = LinearIntentClassifier(LinearIntentClassifier.get_default_config(), storage, Resource("linear_intent"))
    messages = [Message(data={"text": t, "intent": i}) for i, texts in EXAMPLES.items() for t in texts]
    classifier.train(TrainingData(training_examples=messages))
    return classifier


def test_each_message_gets_an_intent_and_a_ranking_that_sums_to_one(tmp_path: Path) -> None:
    [message] = trained(tmp_path).process([Message(data={"text": "jeg er trist"})])
    assert message.get("intent")["name"] == "nedstemthet"
    assert abs(sum(r["confidence"] for r in message.get("intent_ranking")) - 1.0) < 1e-6


def test_it_counts_the_words_it_saw_in_training(tmp_path: Path) -> None:
    known, unknown = trained(tmp_path).process(
        [Message(data={"text": "hei, jeg er trist"}), Message(data={"text": "asdfgh qwerty zxcv"})]
    )
    assert known.get(KNOWN_WORDS) == 4
    assert unknown.get(KNOWN_WORDS) == 0


def test_a_message_with_no_words_has_no_count(tmp_path: Path) -> None:
    [message] = trained(tmp_path).process([Message(data={"text": "😊"})])
    assert message.get(KNOWN_WORDS) is None
