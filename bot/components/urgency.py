"""Graded urgency: from the classifier, the two lexicons and the language, what the assistant acts on.

Pure Python, so the decision is tested without Rasa; components/crisis_gate.py applies it to a message.
The order of the rules is the order of importance (design/safety.md, rules 1 and 2, and "Ambiguous signals"):

1. ``foreign``: a danger entry of another language (crisis_lexicon_other.yml) -> that urgent need. The reply
   is the urgent one in Norwegian and English (the message is marked as another language).
2. ``override`` / ``confirmed``: the Norwegian/English lexicon says "urgent" -> its urgent need (or the
   classifier's own urgent need when it agrees). Recall first: a lexicon hit is never ignored. Words of
   taking one's life always count; words of violence, overdose or danger, which are so often figurative
   ("matteprøven kommer til å drepe meg", "eg skal drepe deg i mario kart", "overdose av netflix"), are
   asked about directly instead (``check``) when the classifier is sure (``lexicon_doubt``) that the message
   is about something else and gives the urgent needs almost nothing (below ``doubt_mass``). Not when what
   it is sure of is the same trouble without the danger now (``NOT_NOW``: violence at home for violence now):
   then the topic is real, and "now" is exactly what the lexicon sees and the classifier may miss.
3. ``other_language``: confidently another language and nothing above -> the bilingual message with the
   numbers. The classifier cannot read such a message, so its guess (even an urgent one) is dropped.
4. ``classifier``: the classifier's top intent is urgent -> urgent.
5. ``urgent_mass``: the classifier puts at least ``urgent_mass`` of its probability on the urgent needs
   together, though its top intent is not urgent -> the likeliest urgent need.
6. The lexicon's "maybe" about taking one's life or self-harm ("orker ikke mer", "vil bare forsvinne",
   "jeg kutter meg"), not only a story from the past: ``urgent_mass`` when the classifier also gives taking
   one's life at least ``maybe_confirmed`` (two weak signals agree), else ``check``.
7. ``check``: the classifier alone gives taking one's life at least ``check_from``.
8. ``smalltalk_unsure``: a small-talk intent the classifier is unsure of (below ``smalltalk_sure``) while a
   need is likely enough (``need_floor``) -> the fallback, which shows doors and buttons for the needs:
   "stemmer i hodet" is not "ja", and principle 3 says a need message never goes without a door. So is an
   age or a municipality read from a longer message (more than ``answer_words`` words): "eg er 19, bur i
   Ålesund og ..." is about something the classifier did not recognise. So is unsure small talk with not one
   word the classifier has seen ("asdfgh qwerty zxcv"): its guess came from letter n-grams alone.
9. ``none``: the classifier's answer stands (a need, small talk or the fallback).

``check`` means: 116 123 and 113 first and one direct question (intent ``check_risk``); the need whose doors
follow a "no" travels along as ``need_hint``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from veiviser_contract.needs import URGENT_NEEDS

CHECK_INTENT = "check_risk"
OTHER_LANGUAGE_INTENT = "other_language"
FALLBACK_INTENT = "nlu_fallback"
# The need whose doors follow a "no" when nothing better is known: low mood is what ambiguous messages are about.
CHECK_DEFAULT_NEED = "nedstemthet"
# Ambiguity about these is asked about directly; about the other urgent needs it is treated as urgent.
ASKED_ABOUT = frozenset({"selvmordstanker"})
# Each urgent need's twin that is the same trouble not happening now (data/rasa/nlu/LABELLING.md).
NOT_NOW: Mapping[str, frozenset[str]] = {
    "vold_pagar": frozenset({"vold_hjemme", "kjaerestevold"}),
    "overgrep_nylig": frozenset({"seksuelle_overgrep"}),
    "selvskading_akutt": frozenset({"selvskading"}),
    "overdose": frozenset({"rus_egen", "rus_familie"}),
}

Action = Literal[
    "foreign", "override", "confirmed", "other_language", "classifier", "urgent_mass", "check", "smalltalk_unsure",
    "none",
]  # fmt: skip


@dataclass(frozen=True)
class Thresholds:
    """The classifier's probabilities that make a message urgent or ambiguous (bench/README.md says how chosen)."""

    # Rule 5: the urgent needs together at least this likely.
    urgent_mass: float = 0.3
    # Rule 6: with the lexicon's "maybe", taking one's life (or self-harm with it) at least this likely.
    maybe_confirmed: float = 0.1
    # Rule 7: taking one's life at least this likely from the classifier alone.
    check_from: float = 0.2
    # Rule 8: small talk surer than this is small talk; below it, a need at least ``need_floor`` likely wins.
    smalltalk_sure: float = 0.5
    need_floor: float = 0.1
    # Rule 2: a classifier this sure of a need or small talk, with the urgent needs below ``doubt_mass``,
    # makes a lexicon hit a question instead of the crisis reply.
    lexicon_doubt: float = 0.9
    doubt_mass: float = 0.05
    # Rule 8: an answer to "how old are you?" or "where do you live?" has at most this many words.
    answer_words: float = 6


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
    words: int = 0  # how many words the message has
    known_words: int | None = None  # how many of them the classifier saw in training (None: no words, or not known)


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
    mass, likeliest = _mass(signals.ranking, URGENT_NEEDS)
    if signals.lexicon_level == "urgent" and signals.lexicon_need is not None:
        if intent in URGENT_NEEDS:
            return Decision("confirmed", intent, confidence, reasons=("lexicon and classifier agree",))
        twin = intent in NOT_NOW.get(signals.lexicon_need, ())
        doubted = signals.lexicon_need not in ASKED_ABOUT and intent != FALLBACK_INTENT and not twin
        if doubted and confidence >= limits.lexicon_doubt and mass < limits.doubt_mass:
            hint = _hint_or(intent, _need_hint(signals.ranking))
            return Decision("check", CHECK_INTENT, confidence, hint, ("lexicon: urgent, classifier: sure it is not",))
        return Decision("override", signals.lexicon_need, 1.0, reasons=("lexicon: urgent",))
    if signals.language == "other":
        return Decision("other_language", OTHER_LANGUAGE_INTENT, 1.0, reasons=("another language",))
    if intent in URGENT_NEEDS:
        return Decision("classifier", intent, confidence, reasons=("classifier: urgent",))
    hint = _hint_or(intent, _need_hint(signals.ranking))
    if likeliest is not None and mass >= limits.urgent_mass:
        return Decision("urgent_mass", likeliest, mass, reasons=("classifier: the urgent needs together",))
    life, life_need = _mass(signals.ranking, ASKED_ABOUT)
    if signals.lexicon_level == "maybe" and signals.lexicon_live_maybe:
        if life_need is not None and life >= limits.maybe_confirmed:
            return Decision("urgent_mass", life_need, life, reasons=("lexicon: maybe, and the classifier agrees",))
        return Decision("check", CHECK_INTENT, 1.0, hint, ("lexicon: maybe",))
    if life >= limits.check_from:
        return Decision("check", CHECK_INTENT, life, hint, ("classifier: maybe about taking one's life",))
    if intent in ANSWERS and signals.words > limits.answer_words:
        return Decision("smalltalk_unsure", FALLBACK_INTENT, confidence, reasons=("an answer, but a long message",))
    if intent in SMALL_TALK and confidence < limits.smalltalk_sure:
        if signals.known_words == 0:
            return Decision("smalltalk_unsure", FALLBACK_INTENT, confidence, reasons=("no word it knows",))
        need = next((r for r in signals.ranking if _is_other_need(r.get("name"))), None)
        if need is not None and float(need.get("confidence") or 0.0) >= limits.need_floor:
            return Decision("smalltalk_unsure", FALLBACK_INTENT, confidence, reasons=("small talk, unsure",))
    return Decision("none", intent, confidence)


def _mass(ranking: Sequence[Mapping[str, Any]], needs: Collection[str]) -> tuple[float, str | None]:
    """The summed probability of ``needs`` in the ranking, and the likeliest of them."""
    found = [r for r in ranking if r.get("name") in needs]
    if not found:
        return 0.0, None
    likeliest = max(found, key=lambda r: float(r.get("confidence") or 0.0))
    return sum(float(r.get("confidence") or 0.0) for r in found), str(likeliest["name"])


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
SMALL_TALK = frozenset(
    {
        "greet", "goodbye", "thanks", "affirm", "deny", "bot_challenge", "ask_human", "ask_privacy",
        "ask_what_can_you_do", "inform_kommune", "inform_age", "out_of_scope", "chitchat",
    }
)  # fmt: skip
_NOT_NEEDS = SMALL_TALK | {OTHER_LANGUAGE_INTENT, CHECK_INTENT, FALLBACK_INTENT}
# Answers to the assistant's questions; as long messages they are about something else.
ANSWERS = frozenset({"inform_age", "inform_kommune"})


def _is_other_need(name: object) -> bool:
    return isinstance(name, str) and bool(name) and name not in URGENT_NEEDS and name not in _NOT_NEEDS
