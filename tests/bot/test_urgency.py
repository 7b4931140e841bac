"""Graded urgency (bot/components/urgency.py): urgent, ask directly, another language, or the classifier."""

from __future__ import annotations

from typing import Any

from components.urgency import CHECK_INTENT, Signals, decide


def signals(intent: str, confidence: float, *ranking: tuple[str, float], **other: Any) -> Signals:
    return Signals(
        intent=intent,
        confidence=confidence,
        ranking=[{"name": n, "confidence": c} for n, c in (ranking or ((intent, confidence),))],
        **other,
    )


def test_a_lexicon_hit_is_urgent_whatever_the_classifier_says() -> None:
    decision = decide(signals("nedstemthet", 0.9, lexicon_level="urgent", lexicon_need="selvmordstanker"))
    assert (decision.action, decision.intent) == ("override", "selvmordstanker")


def test_words_of_violence_the_classifier_is_sure_are_figurative_are_asked_about() -> None:
    ranking = (("skolestress", 0.9), ("angst_uro", 0.05))
    decision = decide(signals("skolestress", 0.9, *ranking, lexicon_level="urgent", lexicon_need="vold_pagar"))
    assert (decision.action, decision.intent, decision.need_hint) == ("check", CHECK_INTENT, "skolestress")


def test_danger_now_the_classifier_reads_as_the_same_trouble_not_now_is_urgent() -> None:
    # "far min slår løs på mor mi": the classifier is sure of violence at home; the lexicon sees it is now.
    ranking = (("vold_hjemme", 0.95), ("familiekonflikt", 0.03))
    decision = decide(signals("vold_hjemme", 0.95, *ranking, lexicon_level="urgent", lexicon_need="vold_pagar"))
    assert (decision.action, decision.intent) == ("override", "vold_pagar")


def test_words_of_taking_ones_life_are_urgent_however_sure_the_classifier_is() -> None:
    ranking = (("nedstemthet", 0.9), ("angst_uro", 0.05))
    decision = decide(signals("nedstemthet", 0.9, *ranking, lexicon_level="urgent", lexicon_need="selvmordstanker"))
    assert (decision.action, decision.intent) == ("override", "selvmordstanker")


def test_a_long_message_read_as_an_age_gets_the_fallback() -> None:
    decision = decide(signals("inform_kommune", 0.6, ("inform_kommune", 0.6), ("nedstemthet", 0.1), words=14))
    assert (decision.action, decision.intent) == ("smalltalk_unsure", "nlu_fallback")


def test_a_confident_urgent_intent_is_urgent_at_once() -> None:
    decision = decide(signals("vold_pagar", 0.8))
    assert (decision.action, decision.intent) == ("classifier", "vold_pagar")


def test_an_urgent_top_intent_is_urgent_however_unsure() -> None:
    decision = decide(signals("selvmordstanker", 0.3, ("selvmordstanker", 0.3), ("nedstemthet", 0.28)))
    assert (decision.action, decision.intent) == ("classifier", "selvmordstanker")


def test_some_probability_on_taking_ones_life_asks_directly_with_the_top_need_as_hint() -> None:
    decision = decide(signals("nedstemthet", 0.6, ("nedstemthet", 0.6), ("selvmordstanker", 0.22)))
    assert (decision.action, decision.intent, decision.need_hint) == ("check", CHECK_INTENT, "nedstemthet")


def test_much_probability_on_the_urgent_needs_together_is_urgent() -> None:
    ranking = (("vold_hjemme", 0.45), ("vold_pagar", 0.2), ("akutt_fare", 0.15))
    decision = decide(signals("vold_hjemme", 0.45, *ranking))
    assert (decision.action, decision.intent) == ("urgent_mass", "vold_pagar")


def test_a_maybe_from_the_lexicon_that_the_classifier_shares_is_urgent() -> None:
    ranking = (("nedstemthet", 0.7), ("selvmordstanker", 0.12))
    decision = decide(signals("nedstemthet", 0.7, *ranking, lexicon_level="maybe", lexicon_live_maybe=True))
    assert (decision.action, decision.intent) == ("urgent_mass", "selvmordstanker")


def test_small_talk_the_classifier_is_unsure_of_gives_way_to_a_likely_need() -> None:
    decision = decide(signals("affirm", 0.43, ("affirm", 0.43), ("psykose_tegn", 0.2)))
    assert (decision.action, decision.intent) == ("smalltalk_unsure", "nlu_fallback")


def test_sure_small_talk_stays_small_talk() -> None:
    assert decide(signals("greet", 0.9, ("greet", 0.9), ("ensomhet", 0.05))).intent == "greet"


def test_unsure_small_talk_without_one_known_word_gets_the_fallback() -> None:
    decision = decide(signals("chitchat", 0.26, ("chitchat", 0.26), ("kropp_helse", 0.07), known_words=0))
    assert (decision.action, decision.intent) == ("smalltalk_unsure", "nlu_fallback")


def test_unsure_small_talk_with_a_known_word_stays_small_talk() -> None:
    decision = decide(signals("chitchat", 0.26, ("chitchat", 0.26), ("kropp_helse", 0.07), known_words=1))
    assert decision.intent == "chitchat"


def test_a_maybe_from_the_lexicon_alone_is_asked_about_and_keeps_the_classifiers_need() -> None:
    decision = decide(signals("nedstemthet", 0.9, lexicon_level="maybe", lexicon_live_maybe=True))
    assert (decision.intent, decision.need_hint) == (CHECK_INTENT, "nedstemthet")


def test_a_story_from_the_past_is_not_asked_about() -> None:
    decision = decide(signals("seksuelle_overgrep", 0.9, lexicon_level="maybe", lexicon_live_maybe=False))
    assert (decision.action, decision.intent) == ("none", "seksuelle_overgrep")


def test_a_sure_classifier_is_not_second_guessed_by_an_unlikely_urgent_runner_up() -> None:
    decision = decide(signals("selvskading", 0.85, ("selvskading", 0.85), ("selvskading_akutt", 0.1)))
    assert (decision.action, decision.intent) == ("none", "selvskading")


def test_another_language_gets_the_bilingual_message_not_the_classifiers_guess() -> None:
    decision = decide(signals("overdose", 0.9, language="other"))
    assert (decision.action, decision.intent) == ("other_language", "other_language")


def test_danger_words_of_another_language_are_urgent() -> None:
    decision = decide(signals("other_language", 1.0, language="other", foreign_need="vold_pagar"))
    assert (decision.action, decision.intent) == ("foreign", "vold_pagar")


def test_a_lexicon_hit_in_a_foreign_message_is_still_urgent() -> None:
    decision = decide(signals("greet", 0.9, language="other", lexicon_level="urgent", lexicon_need="selvmordstanker"))
    assert decision.intent == "selvmordstanker"


def test_nothing_to_worry_about_leaves_the_classifier_alone() -> None:
    decision = decide(signals("angst_uro", 0.8))
    assert (decision.action, decision.intent, decision.changed) == ("none", "angst_uro", False)
