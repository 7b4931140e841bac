"""The crisis lexicon matcher (veiviser_contract/crisis_lexicon.py, read by bot/components/crisis_lexicon.py) against
the rules of data/rasa/crisis_lexicon.yml."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from components.crisis_lexicon import (
    DEFAULT_LEXICON_PATH,
    LEXICON_PATH_ENV,
    CrisisHit,
    Lexicon,
    cached_lexicon,
    load_lexicon,
    normalise_variants,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veiviser_contract.needs import URGENT_NEEDS

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "crisis_heldout.tsv"


def level(lexicon: Lexicon, text: str) -> str:
    """The lexicon's level for a text, "none" included."""
    hit = lexicon.check(text)
    return hit.level if hit else "none"


def test_every_documented_check_in_the_lexicon_file_holds(lexicon: Lexicon) -> None:
    failures = []
    for case in cached_lexicon().checks:
        hit = lexicon.check(case["text"])
        got = (hit.level, hit.need) if hit else ("none", None)
        want = (case["level"], case.get("need") if case["level"] != "none" else None)
        if got != want:
            failures.append((case["text"], want, got))
    assert len(cached_lexicon().checks) >= 40
    assert failures == []


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("kms", "selvmordstanker"),
        ("KMS", "selvmordstanker"),
        ("orker ikke mer, vil bare forsvinne", "selvmordstanker"),
        ("vil bare forsvinne for godt", "selvmordstanker"),
        ("eg vil ikkje leve meir", "selvmordstanker"),
        ("eg vil berre døy", "selvmordstanker"),
        ("sjølvmordstankar heile tida", "selvmordstanker"),
        ("i want to die", "selvmordstanker"),
        ("im gonna kill myself tonight", "selvmordstanker"),
        ("I don’t want to live anymore", "selvmordstanker"),
        ("i´m going to kill myself", "selvmordstanker"),
        ("tenker på selvmort", "selvmordstanker"),
        ("tenker på sjolvmord", "selvmordstanker"),
        ("JEG VIL DØØØØØ", "selvmordstanker"),
        ("vil døø", "selvmordstanker"),
        ("vil do", "selvmordstanker"),
        ("unalive-tanker", "selvmordstanker"),
        ("💊💊💊", "overdose"),
        ("💊 og vodka", "overdose"),
        ("har tatt masse piller", "overdose"),
        ("pappa slår mamma nå", "vold_pagar"),
        ("jeg ble voldtatt i natt", "overgrep_nylig"),
        ("kutta for dypt og det slutter ikke å blø", "selvskading_akutt"),
        ("hjelp!!!", "akutt_fare"),
    ],
)
def test_crisis_wording_fires_as_urgent_with_its_need(lexicon: Lexicon, text: str, need: str) -> None:
    hit = lexicon.check(text)
    assert hit is not None and hit.urgent
    assert hit.need == need


@pytest.mark.parametrize(
    "text",
    [
        "jeg er dødsliten",
        "asså e dødsliten etter trening",
        "drepende kjedelig skole",
        "lo meg i hjel av den videoen",
        "jeg ler meg i hjel",
        "døra mi er ødelagt",
        "hvordan får jeg p-piller",
        "tok en pille mot hodepine",
        "orker ikke mer lekser i dag",
        "det slår meg at jeg aldri har vært i Bergen",
        "han slo meg i fifa igjen",
        "kjørte 200 kms i går",
        "mamma og pappa krangler mye",
        "hei",
        "",
    ],
)
def test_harmless_wording_does_not_fire(lexicon: Lexicon, text: str) -> None:
    assert lexicon.check(text) is None


def test_an_exclusion_does_not_veto_the_rest_of_the_message(lexicon: Lexicon) -> None:
    hit = lexicon.check("jeg er dødsliten og vil dø")
    assert hit is not None and hit.urgent
    assert hit.words == ("vil dø",)


def test_jeg_vil_ikke_do_is_maybe_so_the_reply_still_carries_the_crisis_line(lexicon: Lexicon) -> None:
    # "vil dø" does not match (the words are not adjacent), and the weak pattern "vil ikke dø" carries its
    # negation inside it, so rule 3 does not negate it: level "maybe", never silence.
    hit = lexicon.check("jeg vil ikke dø")
    assert hit is not None
    assert (hit.level, hit.need, hit.urgent) == ("maybe", "selvmordstanker", False)
    assert hit.words == ("vil ikke dø",)


def test_jeg_vil_ikke_do_with_risk_context_is_urgent(lexicon: Lexicon) -> None:
    assert level(lexicon, "jeg vil ikke dø, men jeg står på brua") == "urgent"


def test_a_negated_strong_hit_is_maybe_and_reports_its_words(lexicon: Lexicon) -> None:
    hit = lexicon.check("i dont want to kill myself")
    assert hit is not None and hit.level == "maybe"
    assert [(m.text, m.negated) for m in hit.matched] == [("kill myself", True)]


def test_a_negated_strong_hit_with_risk_context_is_urgent(lexicon: Lexicon) -> None:
    assert level(lexicon, "jeg har ikke lyst til å dø men jeg står på brua") == "urgent"


def test_negation_window_skips_fillers_anywhere_as_the_rule_text_says(lexicon: Lexicon) -> None:
    # The header's example calls this "NOT negated", but that was written before "tenkt" became a filler.
    # Following the rule as written: "å" and "tenkt" are skipped, "på" and "aldri" are the window.
    hit = lexicon.check("har aldri tenkt på å ta livet mitt")
    assert hit is not None and hit.level == "maybe"
    assert hit.matched[0].negated


def test_negation_stops_at_a_clause_boundary(lexicon: Lexicon) -> None:
    assert level(lexicon, "ikke. vil dø") == "urgent"


def test_a_past_story_is_maybe_and_only_another_strong_hit_raises_it(lexicon: Lexicon) -> None:
    assert level(lexicon, "jeg ble voldtatt for to år siden") == "maybe"
    assert level(lexicon, "jeg ble voldtatt for to år siden. nå vil jeg dø") == "urgent"


def test_two_weak_hits_raise_each_other(lexicon: Lexicon) -> None:
    assert level(lexicon, "takk for alt") == "maybe"
    assert level(lexicon, "takk for alt. tilgi meg") == "urgent"


def test_two_risk_context_items_without_a_hit_give_maybe_without_a_need(lexicon: Lexicon) -> None:
    hit = lexicon.check("ibuprofen 💊 og helt alene")
    assert hit is not None
    assert (hit.level, hit.need) == ("maybe", None)
    assert set(hit.context) >= {"💊", "helt alene"}


def test_need_is_the_first_in_priority_and_needs_lists_all(lexicon: Lexicon) -> None:
    hit = lexicon.check("jeg vil dø og har tatt masse piller")
    assert hit is not None and hit.urgent
    assert hit.need == "overdose"
    assert set(hit.needs) == {"overdose", "selvmordstanker"}


def test_matched_spans_point_at_the_words_in_the_normalised_copy(lexicon: Lexicon) -> None:
    hit = lexicon.check("Jeg er så lei. Vil bare forsvinne")
    assert hit is not None
    span = hit.matched[0]
    copy = dict(normalise_variants("Jeg er så lei. Vil bare forsvinne"))[span.copy]
    assert copy[span.start : span.end] == "vil bare forsvinne" == span.text
    assert hit.as_dict()["words"] == ["vil bare forsvinne"]


def test_words_keep_norwegian_letters(lexicon: Lexicon) -> None:
    hit = lexicon.check("vil dø")
    assert hit is not None and hit.words == ("vil dø",)


def test_normalisation_makes_four_aligned_copies() -> None:
    copies = dict(normalise_variants("Hjeeeelp! Don't, p-piller 👍🏽"))
    assert copies["runs2"] == "hjeelp| dont| p piller 👍"
    assert copies["runs1"] == "hjelp| dont| p piller 👍"
    assert copies["runs1+folded"] == "hjelp| dont| p piller 👍"
    assert dict(normalise_variants("Søster på Ærø"))["runs2+folded"] == "soster pa aero"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00\x01\x02\x1b[31m",
        "|||",
        "\u0301\u0301",
        "İstanbul ß ﬁ",
        "😵‍💫👩🏽‍🦱🏳️‍🌈" * 50,
        "ሰላም ሓገዝ የድልየኒ",
        "أنا حزين",
        "\uffff\U0010ffff",
        "lone surrogate \ud800 vil dø",
        "a" * 100_000,
        "vil dø " * 2_000,
    ],
)
def test_odd_input_never_raises(lexicon: Lexicon, text: str) -> None:
    result = lexicon.check(text)
    assert result is None or isinstance(result, CrisisHit)


def test_a_long_message_with_a_crisis_sentence_in_the_middle_fires(lexicon: Lexicon) -> None:
    filler = "i dag var det skole og så trening og så middag. " * 100
    assert level(lexicon, filler + "jeg vil ikke leve mer. " + filler) == "urgent"


@pytest.mark.parametrize("text", ["vil bare forsvinne", "orker ikke mer", "JEG ORKER IKKE MER!!!", "orker ikkje meir"])
def test_hopelessness_without_more_is_a_maybe_the_assistant_asks_about(lexicon: Lexicon, text: str) -> None:
    # safety.md, "Ambiguous signals": 116 123 and 113 first, then one direct question; never the 113 block alone.
    hit = lexicon.check(text)
    assert hit is not None and (hit.level, hit.need) == ("maybe", "selvmordstanker")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_gives_a_result_and_the_same_one_every_time(text: str) -> None:
    lexicon = cached_lexicon()
    first = lexicon.check(text)
    assert first is None or first.level in ("urgent", "maybe")
    assert lexicon.check(text) == first


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["vil", "dø", "ikke", "kms", "💊", ".", ",", "men", "nå", "for", "år", "siden", "å"])))
def test_word_salad_from_crisis_words_never_raises(words: list[str]) -> None:
    hit = cached_lexicon().check(" ".join(words))
    assert hit is None or hit.need is None or hit.need in URGENT_NEEDS


def test_every_need_in_the_file_is_an_urgent_need(lexicon: Lexicon) -> None:
    assert {p.need for p in lexicon.patterns} == URGENT_NEEDS
    assert set(lexicon.priority) == URGENT_NEEDS


def test_the_path_can_be_given_or_set_in_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = tmp_path / "lexicon.yml"
    small.write_text(
        "priority: [selvmordstanker]\npatterns:\n  - need: selvmordstanker\n    phrases: [blåbærsyltetøy]\n",
        encoding="utf-8",
    )
    assert load_lexicon(small).check("BLÅBÆRSYLTETØY!!") is not None
    monkeypatch.setenv(LEXICON_PATH_ENV, str(small))
    assert load_lexicon().check("blabaersyltetoy") is not None
    monkeypatch.delenv(LEXICON_PATH_ENV)
    assert load_lexicon().source == str(DEFAULT_LEXICON_PATH)


def test_a_relative_path_is_read_from_the_repository_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_lexicon("data/rasa/crisis_lexicon.yml").source == str(DEFAULT_LEXICON_PATH)


def _heldout() -> list[dict[str, str]]:
    with HELDOUT.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _canon(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def test_no_held_out_message_was_copied_into_the_lexicon(lexicon: Lexicon) -> None:
    # Messages of three words or more: a single word ("overdosa") being in both is vocabulary, not a copy.
    heldout = {_canon(row["text"]) for row in _heldout() if len(_canon(row["text"]).split()) >= 3}
    phrases = {_canon(p.matcher.source) for p in lexicon.patterns if p.kind == "phrase"}
    assert heldout & phrases == set()


def test_the_lexicon_alone_reaches_its_measured_recall_on_the_held_out_set(lexicon: Lexicon) -> None:
    # Measured 2026-11-23 on 193 urgent / 129 other rows: urgent 68.9 %, urgent-or-maybe 81.3 %,
    # false urgent 1.6 % (bench/results/crisis_lexicon.md). Only 36 % on the 36 rows never used for tuning:
    # the classifier has to carry indirect wording. Floors leave room for new, harder rows.
    rows = _heldout()
    urgent = [row for row in rows if row["urgent"] == "true"]
    other = [row for row in rows if row["urgent"] == "false"]
    levels = {row["text"]: level(lexicon, row["text"]) for row in rows}
    recall = sum(levels[r["text"]] == "urgent" for r in urgent) / len(urgent)
    flagged = sum(levels[r["text"]] != "none" for r in urgent) / len(urgent)
    false_urgent = sum(levels[r["text"]] == "urgent" for r in other) / len(other)
    assert recall >= 0.65
    assert flagged >= 0.78
    assert false_urgent <= 0.05
