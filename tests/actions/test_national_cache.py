"""The cached national doors: complete for every need (tests/catalogue/test_chat_files.py keeps them current)."""

from __future__ import annotations

from pathlib import Path

import yaml

from actions.national_cache import national_cache
from actions.needs import vocabulary
from veiviser_contract.doors import CHAT_DOORS
from veiviser_contract.needs import URGENT_NEEDS

TAXONOMY = Path(__file__).resolve().parents[2] / "data" / "taxonomy.yml"


def _taxonomy_needs() -> set[str]:
    needs = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))["needs"]
    return {*needs["urgent"], *needs["other"]}


def test_cache_and_need_labels_cover_every_need_of_the_taxonomy() -> None:
    assert set(national_cache().door_ids) == _taxonomy_needs()
    assert vocabulary().codes == _taxonomy_needs()


def test_cache_and_contract_agree_on_the_urgent_needs() -> None:
    urgent = {need for need, urgency in national_cache().urgency.items() if urgency == "akutt"}

    assert urgent == URGENT_NEEDS


def test_cached_answer_for_an_urgent_need_leads_with_113() -> None:
    result = national_cache().route("selvmordstanker")

    assert result.doors[0].fields["phone"] == "113"
    assert "116 123" in [door.fields["phone"] for door in result.doors]


def test_cached_answer_names_a_first_door_and_then_the_national_numbers() -> None:
    result = national_cache().route("nedstemthet")

    assert result.doors[0].name == "Helsesykepleieren på skolen din"
    phones = [door.fields["phone"] for door in result.doors[1:4]]
    assert phones == [None, "116 123", "22 40 00 40"]  # ung.no, then the helplines the catalogue left below six
    assert result.from_cache and result.urgency == "snart"


def test_cached_answer_never_leads_with_a_specialist_door() -> None:
    cache = national_cache()

    assert not any(cache.route(need).doors[0].specialist for need in cache.door_ids)


def test_cached_answer_leaves_out_doors_outside_the_age() -> None:
    # Kors på halsen is for those under 18.
    assert "kors_pa_halsen" in [d.category for d in national_cache().route("snakke_med_noen", age=15).doors]
    assert "kors_pa_halsen" not in [d.category for d in national_cache().route("snakke_med_noen", age=22).doors]


def test_cached_doors_claim_open_now_only_when_open_day_and_night() -> None:
    doors = [door for versions in national_cache().doors.values() for door in versions.values()]

    assert all(door.open_now is (True if door.fields["open_24_7"] else None) for door in doors)
    assert all(door.fields["next_open"] is None for door in doors)


def test_cached_doors_say_when_they_are_open_only_for_doors_open_day_and_night() -> None:
    doors = [door for versions in national_cache().doors.values() for door in versions.values()]

    assert all((door.fields["opening"] is not None) is door.fields["open_24_7"] for door in doors)


def test_cached_answer_holds_at_most_what_the_chat_shows() -> None:
    cache = national_cache()

    assert all(len(cache.route(need).doors) <= CHAT_DOORS for need in cache.door_ids)


def test_cached_generic_doors_speak_the_users_language() -> None:
    assert national_cache().route("angst_uro", lang="en").doors[0].name == "The school nurse at your school"
