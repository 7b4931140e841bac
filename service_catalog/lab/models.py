"""The shapes of the lab's answers: a message's trace, and a test set's scores (the JSON the lab prints)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from service_catalog.models.route import DoorOut, Excluded, RuleUsed
from service_catalog.vocabulary import Urgency


class NeedGuess(BaseModel):
    need: str
    confidence: float


class LanguageTrace(BaseModel):
    code: str = Field(description="nb, nn, en or other")
    probability: float
    method: str | None = Field(default=None, description="How it was decided: marker words, langdetect, prior")
    confident: bool


class CrisisTrace(BaseModel):
    """What the crisis layer (classifier OR lexicon, bot/components/crisis_gate.py) did with the message."""

    fired: bool = Field(description="True when the reply is the crisis reply (numbers first)")
    action: str = Field(description="none, confirmed, override (lexicon over classifier) or promoted (top three)")
    lexicon_level: str | None = Field(default=None, description="The lexicon's own verdict: urgent, maybe or none")
    words: list[str] = Field(default_factory=list, description="The lexicon phrases that matched")
    classifier_need: str | None = None
    classifier_confidence: float | None = None


class Entity(BaseModel):
    entity: str
    value: str
    extractor: str | None = None


class DoorDecision(BaseModel):
    """A door the catalogue returned, and whether the reply showed it."""

    position: int
    shown: bool = Field(description="False when the chat leaves it out (it shows the first six)")
    door: DoorOut


class Trace(BaseModel):
    """How one message was routed, and why."""

    message: str
    kommune: str | None
    age: int | None
    at: datetime
    language: LanguageTrace | None
    need: str | None = Field(description="The need the assistant acts on (after fallback and crisis layer)")
    intent: str = Field(description="The final intent, also when it is not a need (small talk, fallback)")
    confidence: float
    runner_up: list[NeedGuess] = Field(description="The next guesses, best first")
    entities: list[Entity]
    crisis: CrisisTrace
    urgency: Urgency | None
    rule: RuleUsed | None = Field(description="The routing rule the catalogue used; None when no need")
    kommune_known: bool
    fallback_doors_added: bool = False
    doors: list[DoorDecision] = Field(description="The catalogue's doors, best first, with why each is there")
    excluded: list[Excluded] = Field(description="Doors or services the rule named but left out, and why")
    reply: list[str] = Field(description="The reply's texts as the young person reads them, in order")
    reply_doors: list[str] = Field(description="The door codes of the reply's door cards, in order")
    reply_urgency: str | None = Field(description="The urgency in the reply's doors payload")
