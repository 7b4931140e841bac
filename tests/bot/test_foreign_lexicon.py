"""Danger words of other languages (veiviser_contract/foreign_lexicon.py read by bot/components/foreign_lexicon.py,
data/rasa/crisis_lexicon_other.yml)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from components.foreign_lexicon import ForeignLexicon, cached_foreign_lexicon, normalise

from veiviser_contract.needs import URGENT_NEEDS

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "rasa" / "crisis_lexicon_other_samples.tsv"


def _samples() -> list[dict[str, str]]:
    with SAMPLES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def lexicon() -> ForeignLexicon:
    return cached_foreign_lexicon()


@pytest.mark.parametrize("row", [r for r in _samples() if r["expect"] != "none"], ids=lambda r: r["lang"])
def test_a_danger_sentence_finds_its_urgent_need(lexicon: ForeignLexicon, row: dict[str, str]) -> None:
    hit = lexicon.check(row["text"])
    assert hit is not None and hit.need == row["expect"], row["note"]


@pytest.mark.parametrize("row", [r for r in _samples() if r["expect"] == "none"], ids=lambda r: r["lang"])
def test_a_harmless_sentence_finds_nothing(lexicon: ForeignLexicon, row: dict[str, str]) -> None:
    assert lexicon.check(row["text"]) is None, row["note"]


def test_no_norwegian_or_english_training_example_matches(lexicon: ForeignLexicon) -> None:
    # A foreign entry firing on Norwegian text would send a false alarm in two languages.
    hits = []
    for path in sorted((ROOT / "data" / "rasa" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                if line.strip().startswith("- ") and (hit := lexicon.check(line.strip()[2:])) is not None:
                    hits.append((path.name, line.strip()[2:], hit.entry))
    assert hits == []


def test_typing_without_diacritics_matches_the_entry_with_them() -> None:
    lexicon = ForeignLexicon({"languages": {"pl": {"needs": {"selvmordstanker": ["chcę umrzeć"]}}}})
    assert lexicon.check("chce umrzec") is not None


def test_a_star_matches_inflections_and_words_may_stand_apart() -> None:
    lexicon = ForeignLexicon({"languages": {"pl": {"needs": {"vold_pagar": ["tata mnie bij*"]}}}})
    assert lexicon.check("tata znowu mnie bije") is not None
    assert lexicon.check("tata mnie") is None


def test_arabic_letter_variants_are_one_letter() -> None:
    assert normalise("أبي") == normalise("ابي")


def test_languages_without_spaces_match_inside_words() -> None:
    lexicon = ForeignLexicon({"languages": {"th": {"spaces": False, "needs": {"selvmordstanker": ["อยากตาย"]}}}})
    assert lexicon.check("ฉันอยากตายแล้ว") is not None


def test_an_unknown_need_is_refused() -> None:
    with pytest.raises(ValueError, match="not an urgent need"):
        ForeignLexicon({"languages": {"pl": {"needs": {"nedstemthet": ["smutny"]}}}})


def test_every_language_covers_every_urgent_need(lexicon: ForeignLexicon) -> None:
    covered = {(entry.language, entry.need) for entry in lexicon.entries}
    missing = [
        (lang, need)
        for lang in sorted(lexicon.languages)
        for need in sorted(URGENT_NEEDS)
        if (lang, need) not in covered
    ]
    assert missing == []


@pytest.mark.parametrize("text", ["", " ", "\x00", "a" * 100_000, "🙂" * 500, "/vold_pagar"])
def test_odd_input_never_raises(lexicon: ForeignLexicon, text: str) -> None:
    lexicon.check(text)
