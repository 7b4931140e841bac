"""CrisisGate: the last NLU component; makes a message urgent when the crisis lexicon or the classifier says so.

design/safety.md rule 2: the reply is urgent if EITHER the classifier OR the lexicon fires. What it does
to each message, in order:
1. Lexicon level "urgent" (data/rasa/crisis_lexicon.yml, via crisis_lexicon.py):
   - classifier's intent is not urgent -> intent := lexicon need with confidence 1.0 ("override");
   - classifier's intent is already urgent -> left as it is ("confirmed").
2. Otherwise, if the classifier was unsure (intent `nlu_fallback`, or confidence below
   `unsure_below`) and an urgent need is among its top `promote_top_k` (3) real intents with
   confidence >= `promote_threshold` (0.2) -> intent := that urgent need, keeping its own
   confidence ("promoted"). 0.2 is about ten times chance with 46 intents and lets through the
   "close second" cases the FallbackClassifier would otherwise turn into a clarifying question;
   a question before the numbers is what rule 1 of safety.md forbids. Not yet measured on a
   trained model: the NLU owner should check the promoted share on tests/data/nlu_heldout.tsv.
3. Lexicon level "maybe": nothing changes, but `crisis.level` says "maybe" so the reply can start
   with the short crisis line. A lexicon "none" never demotes an urgent intent.
In cases 1 and 2 the intent ranking keeps the classifier's order with the urgent need moved to the
front, and an entity `crisis_need` (extractor "CrisisGate", value = the final urgent intent) is added.
Every message gets `crisis` in the parse output: the lexicon's verdict, the words it matched (for the
routing lab), what the gate did and the classifier's original intent.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa_patches import install as install_rasa_patches

from components.crisis_lexicon import CrisisHit, Lexicon, cached_lexicon

# CrisisGate is in every Veiviser pipeline, so every Rasa process that serves Veiviser loads this module:
# the place to apply the measured fix to Rasa's hot path (bot/rasa_patches.py).
install_rasa_patches()

logger = logging.getLogger(__name__)

URGENT_NEEDS = ("selvmordstanker", "akutt_fare", "overdose", "vold_pagar", "overgrep_nylig", "selvskading_akutt")
EXTRACTOR = "CrisisGate"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGate(GraphComponent):
    """Overrule or confirm the classifier with the deterministic crisis lexicon (see module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Defaults: the repository's lexicon, promotion of urgent needs at 0.2 within the top 3."""
        return {
            "lexicon_path": None,
            "urgent_needs": list(URGENT_NEEDS),
            "promote_threshold": 0.2,
            "promote_top_k": 3,
            "unsure_below": 0.45,
            "fallback_intent": "nlu_fallback",
        }

    def __init__(self, config: dict[str, Any], lexicon: Lexicon | None = None) -> None:
        """Load the lexicon once per process (compiling it takes a fraction of a second)."""
        self.config = {**self.get_default_config(), **config}
        self.lexicon = lexicon or cached_lexicon(self.config["lexicon_path"])
        self.urgent = frozenset(self.config["urgent_needs"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisGate:
        """Build the component for the predict graph."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Apply the gate to each message; a failure leaves the classifier's answer and is logged."""
        for message in messages:
            try:
                self._process_one(message)
            except Exception:  # noqa: BLE001 - parsing must go on; the classifier's answer still stands
                logger.exception("CrisisGate failed on a message; the classifier's intent is kept")
        return messages

    def _process_one(self, message: Message) -> None:
        """The three cases of the module docstring for one message."""
        text = message.get("text")
        if not isinstance(text, str) or text.startswith("/"):
            return  # no text, or a button/intent payload handled by RegexMessageHandler
        hit = self.lexicon.check(text)
        intent = dict(message.get("intent") or {})
        ranking = [dict(r) for r in message.get("intent_ranking") or []]
        classifier_intent = {"name": intent.get("name"), "confidence": intent.get("confidence")}

        action = "none"
        final_need: str | None = None
        if hit is not None and hit.urgent and hit.need is not None:
            if intent.get("name") in self.urgent:
                action, final_need = "confirmed", str(intent["name"])
            else:
                action, final_need = "override", hit.need
                self._set_intent(message, hit.need, 1.0, ranking)
        elif intent.get("name") not in self.urgent:
            promoted = self._promotion(intent, ranking)
            if promoted is not None:
                action, final_need = "promoted", str(promoted["name"])
                self._set_intent(message, final_need, float(promoted.get("confidence") or 0.0), ranking)

        if final_need is not None:
            self._add_entity(message, text, final_need, hit)
        message.set("crisis", self._crisis_data(hit, action, classifier_intent), add_to_output=True)

    def _promotion(self, intent: dict[str, Any], ranking: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The urgent need to promote when the classifier was unsure, or None."""
        confidence = intent.get("confidence")
        unsure = intent.get("name") == self.config["fallback_intent"] or (
            isinstance(confidence, int | float) and confidence < self.config["unsure_below"]
        )
        if not unsure:
            return None
        real = [r for r in ranking if r.get("name") != self.config["fallback_intent"]][: self.config["promote_top_k"]]
        candidates = [
            r
            for r in real
            if r.get("name") in self.urgent and float(r.get("confidence") or 0.0) >= self.config["promote_threshold"]
        ]
        return max(candidates, key=lambda r: float(r.get("confidence") or 0.0)) if candidates else None

    @staticmethod
    def _set_intent(message: Message, need: str, confidence: float, ranking: list[dict[str, Any]]) -> None:
        """Make `need` the intent and put it first in the ranking, keeping the rest in the classifier's order."""
        message.set("intent", {"name": need, "confidence": confidence}, add_to_output=True)
        rest = [r for r in ranking if r.get("name") != need]
        message.set("intent_ranking", [{"name": need, "confidence": confidence}, *rest], add_to_output=True)

    @staticmethod
    def _add_entity(message: Message, text: str, need: str, hit: CrisisHit | None) -> None:
        """Add `crisis_need`, spanning the first matched words when they are found verbatim, else the message."""
        start, end = 0, len(text)
        lowered = text.casefold()
        for word in hit.words if hit is not None else ():
            pos = lowered.find(word)
            if pos >= 0 and len(lowered) == len(text):
                start, end = pos, pos + len(word)
                break
        entities = [e for e in message.get("entities") or [] if e.get("entity") != "crisis_need"]
        entities.append(
            {
                "entity": "crisis_need",
                "value": need,
                "start": start,
                "end": end,
                "confidence": 1.0,
                "extractor": EXTRACTOR,
            }
        )
        message.set("entities", entities, add_to_output=True)

    @staticmethod
    def _crisis_data(hit: CrisisHit | None, action: str, classifier_intent: dict[str, Any]) -> dict[str, Any]:
        """What the parse output shows under `crisis`."""
        data: dict[str, Any] = (
            hit.as_dict()
            if hit is not None
            else {"level": "none", "need": None, "needs": [], "words": [], "matched": [], "context": []}
        )
        data["action"] = action
        data["classifier_intent"] = classifier_intent
        return data
