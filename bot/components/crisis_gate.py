"""CrisisGate: the last NLU component; decides what the assistant acts on when there may be danger.

design/safety.md rule 2: the reply is urgent if EITHER the classifier OR a lexicon fires; its section on
ambiguous signals adds a middle way: ask once, directly, with 116 123 and 113 first. The decision itself is
components/urgency.py (pure Python, its docstring lists the rules in order); this component gathers the
signals for it and writes the result into the message:
- the Norwegian/English crisis lexicon (data/rasa/crisis_lexicon.yml, via crisis_lexicon.py; the matcher is
  veiviser_contract.crisis_lexicon, which the catalogue uses on shared messages too);
- the danger words of other languages (data/rasa/crisis_lexicon_other.yml, via foreign_lexicon.py and
  veiviser_contract.foreign_lexicon);
- the classifier's intent and ranking, after FallbackClassifier;
- the language LanguageDetector found (a confident "other" means the classifier could not read it).
An urgent decision makes the urgent need the intent (first in the ranking) and adds the entity `crisis_need`;
"check" makes the intent `check_risk` and adds the entity `need_hint` (the need whose doors follow a "no");
a message in another language gets `other_language`, and a danger word of another language also marks the
message as language "other", so the urgent reply comes in Norwegian and English.
Every message gets `crisis` in the parse output: the lexicon's verdict and matched words (for the routing
lab), the foreign entry if any, what the gate did and why, and the classifier's original intent.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa_patches import install as install_rasa_patches

from components.crisis_lexicon import CrisisHit, Lexicon, cached_lexicon
from components.foreign_lexicon import ForeignHit, ForeignLexicon, cached_foreign_lexicon
from components.linear_intent import KNOWN_WORDS
from components.urgency import ASKED_ABOUT, Decision, Signals, Thresholds, decide

# CrisisGate is in every Veiviser pipeline, so every Rasa process that serves Veiviser loads this module:
# the place to apply the measured fix to Rasa's hot path (bot/rasa_patches.py).
install_rasa_patches()

logger = logging.getLogger(__name__)

EXTRACTOR = "CrisisGate"
_NO_HIT: dict[str, Any] = {"level": "none", "need": None, "needs": [], "words": [], "matched": [], "context": []}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGate(GraphComponent):
    """Decide urgent, ask directly, another language, or leave the classifier's answer (module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Defaults: the repository's lexicons and the thresholds of components.urgency.Thresholds."""
        return {"lexicon_path": None, "foreign_lexicon_path": None, **asdict(Thresholds())}

    def __init__(
        self, config: dict[str, Any], lexicon: Lexicon | None = None, foreign: ForeignLexicon | None = None
    ) -> None:
        """Load the lexicons once per process (compiling them takes a fraction of a second)."""
        self.config = {**self.get_default_config(), **config}
        self.lexicon = lexicon or cached_lexicon(self.config["lexicon_path"])
        self.foreign = foreign or cached_foreign_lexicon(self.config["foreign_lexicon_path"])
        self.thresholds = Thresholds(**{name: float(self.config[name]) for name in asdict(Thresholds())})

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
        """Gather the signals, decide, and write the decision into the message."""
        text = message.get("text")
        if not isinstance(text, str) or text.startswith("/"):
            return  # no text, or a button/intent payload handled by RegexMessageHandler
        hit = self.lexicon.check(text)
        foreign = self.foreign.check(text)
        intent = dict(message.get("intent") or {})
        ranking = [dict(r) for r in message.get("intent_ranking") or []]
        language = message.get("language") or {}
        confident_language = language.get("code") if language.get("confident") else None
        signals = Signals(
            intent=intent.get("name"),
            confidence=float(intent.get("confidence") or 0.0),
            ranking=ranking,
            lexicon_level=hit.level if hit is not None else "none",
            lexicon_need=hit.need if hit is not None else None,
            lexicon_live_maybe=hit is not None
            and any(s.level == "maybe" and not s.past and s.need in ASKED_ABOUT for s in hit.matched),
            foreign_need=foreign.need if foreign is not None else None,
            language=confident_language,
            words=len(text.split()),
            known_words=message.get(KNOWN_WORDS),
        )
        decision = decide(signals, self.thresholds)
        if decision.changed and decision.intent is not None:
            self._set_intent(message, decision.intent, decision.confidence, ranking)
        if decision.crisis_entity and decision.intent is not None:
            self._add_entity(message, "crisis_need", decision.intent, *self._span(text, hit))
        if decision.need_hint is not None:
            self._add_entity(message, "need_hint", decision.need_hint, 0, len(text))
        if foreign is not None and confident_language not in ("nb", "nn", "en"):
            self._mark_language_other(message, text)
        message.set("crisis", self._crisis_data(hit, foreign, decision, intent), add_to_output=True)

    @staticmethod
    def _set_intent(message: Message, name: str, confidence: float, ranking: list[dict[str, Any]]) -> None:
        """Make ``name`` the intent and put it first in the ranking, keeping the rest in the classifier's order."""
        message.set("intent", {"name": name, "confidence": confidence}, add_to_output=True)
        rest = [r for r in ranking if r.get("name") != name]
        message.set("intent_ranking", [{"name": name, "confidence": confidence}, *rest], add_to_output=True)

    @staticmethod
    def _span(text: str, hit: CrisisHit | None) -> tuple[int, int]:
        """The first matched words when they are found verbatim, else the whole message."""
        lowered = text.casefold()
        for word in hit.words if hit is not None else ():
            pos = lowered.find(word)
            if pos >= 0 and len(lowered) == len(text):
                return pos, pos + len(word)
        return 0, len(text)

    @staticmethod
    def _add_entity(message: Message, name: str, value: str, start: int, end: int) -> None:
        entities = [e for e in message.get("entities") or [] if e.get("entity") != name]
        entities.append(
            {"entity": name, "value": value, "start": start, "end": end, "confidence": 1.0, "extractor": EXTRACTOR}
        )
        message.set("entities", entities, add_to_output=True)

    @staticmethod
    def _mark_language_other(message: Message, text: str) -> None:
        """Danger words of another language: answer in Norwegian and English (the `language` slot)."""
        entities = [e for e in message.get("entities") or [] if e.get("entity") != "language"]
        entities.append(
            {"entity": "language", "value": "other", "start": 0, "end": len(text), "confidence": 1.0,
             "extractor": EXTRACTOR}
        )  # fmt: skip
        message.set("entities", entities, add_to_output=True)

    @staticmethod
    def _crisis_data(
        hit: CrisisHit | None, foreign: ForeignHit | None, decision: Decision, classifier_intent: dict[str, Any]
    ) -> dict[str, Any]:
        """What the parse output shows under `crisis`."""
        data: dict[str, Any] = hit.as_dict() if hit is not None else dict(_NO_HIT)
        data["foreign"] = foreign.as_dict() if foreign is not None else None
        data["action"] = decision.action
        data["reasons"] = list(decision.reasons)
        data["need_hint"] = decision.need_hint
        data["classifier_intent"] = {
            "name": classifier_intent.get("name"),
            "confidence": classifier_intent.get("confidence"),
        }
        return data
