"""Graded urgency: from the classifier, the two lexicons and the language, what the assistant acts on.

Pure Python, so the decision is tested without Rasa; components/crisis_gate.py applies it to a message.
The order of the rules is the order of importance (design/safety.md, rules 1 and 2, and "Ambiguous signals"):

1. ``foreign``: a danger entry of another language (crisis_lexicon_other.yml) -> that urgent need. The reply
   is the urgent one in Norwegian and English (the message is marked as another language).
2. ``override`` / ``confirmed``: the Norwegian/English lexicon says "urgent" -> its urgent need (or the
   classifier's own urgent need when it agrees). Recall first: a lexicon hit is never questioned.
3. ``other_language``: confidently another language and nothing above -> the bilingual message with the
   numbers. The classifier cannot read such a message, so its guess (even an urgent one) is dropped.
4. ``classifier``: the classifier's top intent is urgent -> urgent.
5. The classifier puts at least ``urgent_mass`` of its probability on the urgent needs together, though its
   top intent is not urgent: ``check`` when the likeliest urgent need is about taking one's life (asking is
   what crisis lines do), otherwise ``urgent_mass`` with that urgent need (violence, overdose, assault or other
   danger: recall first, no question before the numbers).
6. ``check``: the lexicon's "maybe" about taking one's life or self-harm ("orker ikke mer", "vil bare
   forsvinne", "jeg kutter meg"), when it is not only a story from the past.
7. ``none``: the classifier's answer stands (a need, small talk or the fallback).

``check`` means: 116 123 and 113 first and one direct question (intent ``check_risk``); the need whose doors
follow a "no" travels along as ``need_hint``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

URGENT_NEEDS = ("selvmordstanker", "akutt_fare", "overdose", "vold_pagar", "overgrep_nylig", "selvskading_akutt")
CHECK_INTENT = "check_risk"
OTHER_LANGUAGE_INTENT = "other_language"
FALLBACK_INTENT = "nlu_fallback"
# The need whose doors follow a "no" when nothing better is known: low mood is what ambiguous messages are about.
CHECK_DEFAULT_NEED = "nedstemthet"
# Ambiguity about these is asked about directly; about the other urgent needs it is treated as urgent.
ASKED_ABOUT = frozenset({"selvmordstanker", "selvskading_akutt"})

Action = Literal["foreign", "override", "confirmed", "other_language", "classifier", "urgent_mass", "check", "none"]


@dataclass(frozen=True)
class Thresholds:
    """The classifier's probabilities that make a message urgent or ambiguous (bench/README.md says how chosen)."""

    # The urgent needs together at least this likely: urgent, or asked about (rule 5).
    urgent_mass: float = 0.3


@dataclass(frozen=True)
class Signals:
    """Everything the decision looks at for one message."""

    intent: str | None
    confidence: float
    ranking: Sequence[Mapping[str, Any]]
    lexicon_level: Literal["urgent", "maybe", "none"] = "none"
    lexicon_need: str | None = None
    lexicon_live_maybe: bool = False  # a "maybe" about taking one's life or self-harm, not only a past story
    foreign_need: str | None = None
    language: str | None = None  # the confident language code, or None when not sure


@dataclass(frozen=True)
class Decision:
    """The intent to act on, why, and the need whose doors a "no" to the direct question leads to."""

    action: Action
    intent: str | None
    confidence: float
    need_hint: str | None = None
    reasons: tuple[str, ...] = field(default=())

    @property
    def changed(self) -> bool:
        """Whether the classifier's intent is replaced."""
        return self.action not in ("none", "confirmed", "classifier")

    @property
    def crisis_entity(self) -> bool:
        """Whether an urgent decision came from more than the classifier's own top intent (``crisis_need``)."""
        return self.intent in URGENT_NEEDS and self.action != "classifier"


def decide(signals: Signals, thresholds: Thresholds | None = None) -> Decision:
    """Apply the rules of the module docstring to one message."""
    limits = thresholds or Thresholds()
    intent, confidence = signals.intent, signals.confidence
    if signals.foreign_need is not None:
        return Decision("foreign", signals.foreign_need, 1.0, reasons=("danger words of another language",))
    if signals.lexicon_level == "urgent" and signals.lexicon_need is not None:
        if intent in URGENT_NEEDS:
            return Decision("confirmed", intent, confidence, reasons=("lexicon and classifier agree",))
        return Decision("override", signals.lexicon_need, 1.0, reasons=("lexicon: urgent",))
    if signals.language == "other":
        return Decision("other_language", OTHER_LANGUAGE_INTENT, 1.0, reasons=("another language",))
    if intent in URGENT_NEEDS:
        return Decision("classifier", intent, confidence, reasons=("classifier: urgent",))
    hint = _hint_or(intent, _need_hint(signals.ranking))
    mass, likeliest = _urgent_mass(signals.ranking)
    if likeliest is not None and mass >= limits.urgent_mass:
        if likeliest in ASKED_ABOUT:
            return Decision("check", CHECK_INTENT, mass, hint, ("classifier: maybe about taking one's life",))
        return Decision("urgent_mass", likeliest, mass, reasons=("classifier: the urgent needs together",))
    if signals.lexicon_level == "maybe" and signals.lexicon_live_maybe:
        return Decision("check", CHECK_INTENT, 1.0, hint, ("lexicon: maybe",))
    return Decision("none", intent, confidence)


def _urgent_mass(ranking: Sequence[Mapping[str, Any]]) -> tuple[float, str | None]:
    """The summed probability of the urgent needs in the ranking, and the likeliest of them."""
    urgent = [r for r in ranking if r.get("name") in URGENT_NEEDS]
    if not urgent:
        return 0.0, None
    likeliest = max(urgent, key=lambda r: float(r.get("confidence") or 0.0))
    return sum(float(r.get("confidence") or 0.0) for r in urgent), str(likeliest["name"])


def _need_hint(ranking: Sequence[Mapping[str, Any]]) -> str:
    """The most likely non-urgent need in the ranking: its doors follow a "no"."""
    from_ranking = next(
        (str(r["name"]) for r in ranking if _is_other_need(r.get("name"))),
        None,
    )
    return from_ranking or CHECK_DEFAULT_NEED


def _hint_or(intent: str | None, hint: str) -> str:
    return intent if isinstance(intent, str) and _is_other_need(intent) else hint


# Conversation intents and the pseudo-intents are not needs; everything else the classifier knows is.
_NOT_NEEDS = frozenset(
    {
        "greet", "goodbye", "thanks", "affirm", "deny", "bot_challenge", "ask_human", "ask_privacy",
        "ask_what_can_you_do", "inform_kommune", "inform_age", "out_of_scope", "chitchat",
        OTHER_LANGUAGE_INTENT, CHECK_INTENT, FALLBACK_INTENT,
    }
)  # fmt: skip


def _is_other_need(name: object) -> bool:
    return isinstance(name, str) and bool(name) and name not in URGENT_NEEDS and name not in _NOT_NEEDS
