"""The cached national doors: made from the seed catalogue's real answers, and complete for every need."""

from __future__ import annotations

from pathlib import Path

import yaml

from actions.doors import SPECIALIST_DOORS
from actions.national_cache import CACHE_FILE, national_cache
from actions.needs import vocabulary
from actions.refresh_national_cache import build_cache, render

TAXONOMY = Path(__file__).resolve().parents[2] / "data" / "taxonomy.yml"


def _taxonomy_needs() -> set[str]:
    needs = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))["needs"]
    return {*needs["urgent"], *needs["other"]}


def test_committed_cache_is_exactly_what_the_seed_catalogue_answers(catalogue_url: str) -> None:
    assert CACHE_FILE.read_text(encoding="utf-8") == render(build_cache(catalogue_url)), (
        "actions/national_doors.json is stale: run "
        "`.venv-rasa/bin/python -m actions.refresh_national_cache --catalogue <url>` against a seeded catalogue"
    )


def test_cache_and_need_labels_cover_every_need_of_the_taxonomy() -> None:
    assert set(national_cache().door_ids) == _taxonomy_needs()
    assert vocabulary().codes == _taxonomy_needs()


def test_cache_and_need_labels_agree_on_the_urgent_needs() -> None:
    urgent = {need for need, urgency in national_cache().urgency.items() if urgency == "akutt"}

    assert urgent == vocabulary().urgent


def test_cached_answer_for_an_urgent_need_leads_with_113() -> None:
    result = national_cache().route("selvmordstanker")

    assert result.doors[0].phone == "113"
    assert "116 123" in [door.phone for door in result.doors]


def test_cached_answer_names_a_first_door_and_then_the_national_numbers() -> None:
    result = national_cache().route("nedstemthet")

    assert result.doors[0].name == "Helsesykepleieren på skolen din"
    assert [door.phone for door in result.doors[1:4]] == [None, "116 123", "22 40 00 40"]  # ung.no, then helplines
    assert result.from_cache and result.urgency == "snart"


def test_cached_answer_never_leads_with_a_specialist_door() -> None:
    cache = national_cache()

    assert all(cache.route(need).doors[0].category not in SPECIALIST_DOORS for need in cache.door_ids)


def test_cached_answer_leaves_out_doors_outside_the_age() -> None:
    # Kors på halsen is for those under 18.
    assert "kors_pa_halsen" in [d.category for d in national_cache().route("snakke_med_noen", age=15).doors]
    assert "kors_pa_halsen" not in [d.category for d in national_cache().route("snakke_med_noen", age=22).doors]


def test_cached_doors_claim_open_now_only_when_open_day_and_night() -> None:
    doors = [door for versions in national_cache().doors.values() for door in versions.values()]

    assert all(door.open_now is (True if door.open_24_7 else None) for door in doors)
    assert all(door.next_open is None for door in doors)


def test_cached_generic_doors_speak_the_users_language() -> None:
    assert national_cache().route("angst_uro", lang="en").doors[0].name == "The school nurse at your school"
