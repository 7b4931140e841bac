"""ContextReader: NLU component that reads age, municipality and "about a friend" from every message.

The rules live in context_rules.py (pure Python). The component adds the entities `alder`, `kommune` and
`om_hvem` (extractor "ContextReader"), which the actions read from the latest message, so a young person who
writes "jeg er 22 og har mistet jobben" or "bor i Bodø" in the first message is never asked again
(principle 3). It replaces the classifier's own entity extraction, which missed most of them.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from components.context_rules import Found, read_context

logger = logging.getLogger(__name__)

EXTRACTOR = "ContextReader"
ENTITIES = ("alder", "kommune", "om_hvem")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ContextReader(GraphComponent):
    """Add the age, municipality and who-it-is-about entities found by context_rules."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No settings: the rules and the municipality list are data of the repository."""
        return {}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keep the config (empty)."""
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ContextReader:
        """Build the component for the predict graph."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Annotate each message; a failure only costs the entities and is logged."""
        for message in messages:
            try:
                self._process_one(message)
            except Exception:  # noqa: BLE001 - the entities are a help; parsing must go on
                logger.exception("ContextReader failed on a message")
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get("text")
        if not isinstance(text, str) or text.startswith("/"):
            return  # no text, or a button payload
        context = read_context(text)
        found = {"alder": context.age, "kommune": context.kommune, "om_hvem": context.about}
        if not any(found.values()):
            return
        entities = [e for e in message.get("entities") or [] if e.get("entity") not in ENTITIES]
        entities += [_entity(name, value) for name, value in found.items() if value is not None]
        message.set("entities", entities, add_to_output=True)


def _entity(name: str, found: Found) -> dict[str, Any]:
    return {
        "entity": name,
        "value": found.value,
        "start": found.start,
        "end": found.end,
        "confidence": 1.0,
        "extractor": EXTRACTOR,
    }
