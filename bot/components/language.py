"""LanguageDetector: NLU component that tells nb, nn, en or other apart (rules in language_rules.py).

It stores `language` = {code, probability, method, confident} on every message (shown in /model/parse)
and adds the entity `language` (which fills the slot of the same name) only when `confident` is true.
Short or unclear messages add no entity, so the conversation keeps the language it had: the component
cannot see the tracker, and Norwegian (bokmål) is the prior when nothing is known yet. What a confidently
foreign message is answered with is CrisisGate's decision (components/urgency.py), which runs after this.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from components.language_rules import detect_language

logger = logging.getLogger(__name__)

EXTRACTOR = "LanguageDetector"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageDetector(GraphComponent):
    """Detect the message's language and emit the `language` entity when sure."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Defaults: use langdetect for long messages (see language_rules for the thresholds)."""
        return {"use_langdetect": True}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keep the config; langdetect loads its profiles on first use."""
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        """Build the component for the predict graph."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Annotate each message; a failure only costs the language hint and is logged."""
        for message in messages:
            try:
                self._process_one(message)
            except Exception:  # noqa: BLE001 - language is a hint; parsing must go on
                logger.exception("LanguageDetector failed on a message")
        return messages

    def _process_one(self, message: Message) -> None:
        """Store the guess and, when confident, the entity."""
        text = message.get("text")
        if not isinstance(text, str) or text.startswith("/"):
            return  # no text, or a button/intent payload
        guess = detect_language(text, use_langdetect=bool(self.config["use_langdetect"]))
        message.set("language", guess.as_dict(), add_to_output=True)
        if not guess.confident:
            return
        entities = [e for e in message.get("entities") or [] if e.get("entity") != "language"]
        entities.append(
            {
                "entity": "language",
                "value": guess.code,
                "start": 0,
                "end": len(text),
                "confidence": round(guess.probability, 3),
                "extractor": EXTRACTOR,
            }
        )
        message.set("entities", entities, add_to_output=True)
