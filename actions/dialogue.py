"""The dialogue's small decisions, as pure functions of plain values (no Rasa objects, no HTTP)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from actions.age import PLAUSIBLE_AGES
from actions.catalogue_client import RouteResult
from actions.needs import NeedVocabulary
from veiviser_contract.needs import URGENT_NEEDS

# The fallback offers the likeliest needs as buttons: at most three, each at least this likely; the rest of
# the three are the commonest needs of young people (domain-brief §4), so there are always buttons to press.
LIKELY_NEEDS_MAX = 3
LIKELY_NEED_FLOOR = 0.05
COMMON_NEEDS = ("nedstemthet", "angst_uro", "snakke_med_noen")

_KOMMUNENUMMER = re.compile(r"^\d{4}$")

# Needs whose first sentence is not the usual empathy line.
_SPECIAL_OPENINGS = {
    "utredning": "utter_diagnosis_boundary",  # never a yes/no to "har jeg ADHD?" (safety.md rule 5)
    "bekymring_for_venn": "utter_friend_support",
}
_ABOUT_OPENINGS = {"venn": "utter_friend_support", "familie": "utter_family_support"}


def reply_lang(language_slot: Any) -> str:
    """The language to answer in: nb, nn or en (other languages get English, the unknown bokmål)."""
    if language_slot in ("nb", "nn", "en"):
        return str(language_slot)
    return "en" if language_slot == "other" else "nb"


def opening_response(need: str, needs: NeedVocabulary, about: str | None = None) -> str | None:
    """The response that opens a doors reply for this need; None for urgent needs (their rule spoke already).

    A message about a friend or a sibling opens with words for the one who helps (``about`` "venn"/"familie").
    """
    if need in URGENT_NEEDS or not needs.is_need(need):
        return None
    if need == "utredning":
        return _SPECIAL_OPENINGS[need]  # the boundary comes first, whoever it is about
    if about in _ABOUT_OPENINGS:
        return _ABOUT_OPENINGS[about]
    return _SPECIAL_OPENINGS.get(need, f"utter_empathy_{need}")


def kommunenummer(value: Any) -> str | None:
    """``value`` as a kommunenummer when it is exactly four digits, else None."""
    if isinstance(value, str) and _KOMMUNENUMMER.match(value.strip()):
        return value.strip()
    return None


def metadata_kommune(latest_message: Mapping[str, Any] | None) -> str | None:
    """The kommunenummer the embedding website sent in the REST request's metadata, if valid."""
    metadata = (latest_message or {}).get("metadata")
    if not isinstance(metadata, Mapping):
        return None
    return kommunenummer(metadata.get("kommune"))


def metadata_age(latest_message: Mapping[str, Any] | None) -> int | None:
    """The age a client sent in the REST request's metadata (the routing lab does), if plausible (8 to 30)."""
    metadata = (latest_message or {}).get("metadata")
    if not isinstance(metadata, Mapping):
        return None
    age = metadata.get("alder")
    return age if isinstance(age, int) and not isinstance(age, bool) and age in PLAUSIBLE_AGES else None


def known_age(alder_slot: Any) -> int | None:
    """The age held in the ``alder`` slot (a float in Rasa), as a whole number."""
    if isinstance(alder_slot, int | float) and not isinstance(alder_slot, bool) and 0 < alder_slot <= 120:
        return int(alder_slot)
    return None


def should_ask_age(result: RouteResult, age: int | None, age_asked: bool) -> bool:
    """Ask the age only when the doors differ by age, it is unknown, and it was not asked before (principle 3)."""
    return not result.from_cache and result.age_dependent and age is None and not age_asked


def intro_response(result: RouteResult) -> str:
    """The line before the doors: the closed variant when the best door is closed right now."""
    if result.from_cache:
        return "utter_catalogue_down"
    first = result.doors[0] if result.doors else None
    return "utter_doors_intro_closed" if first is not None and first.open_now is False else "utter_doors_intro"


def likely_needs(
    intent_ranking: Sequence[Mapping[str, Any]] | None,
    needs: NeedVocabulary,
    limit: int = LIKELY_NEEDS_MAX,
    floor: float = LIKELY_NEED_FLOOR,
) -> tuple[str, ...]:
    """The likeliest non-urgent needs in the ranking (at least ``floor``), topped up with the commonest ones."""
    scored = []
    for entry in intent_ranking or ():
        name, confidence = entry.get("name"), entry.get("confidence")
        if needs.is_need(name) and name not in URGENT_NEEDS and isinstance(confidence, int | float):
            if confidence >= floor:
                scored.append((float(confidence), str(name)))
    chosen = [name for _, name in sorted(scored, reverse=True)][:limit]
    for common in COMMON_NEEDS:
        if len(chosen) >= limit:
            break
        if common not in chosen:
            chosen.append(common)
    return tuple(chosen)
