"""The cached national doors (``national_doors.json``), used when the catalogue does not answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from actions.catalogue_client import Door, RouteResult
from veiviser_contract.doors import CHAT_DOORS
from veiviser_contract.needs import GENERAL_NEED

CACHE_FILE = Path(__file__).with_name("national_doors.json")
FORMAT = "veiviser-national-doors/1"


@dataclass(frozen=True)
class NationalCache:
    """Per need its urgency and door ids; per door id the door in each language."""

    urgency: dict[str, str]
    door_ids: dict[str, tuple[str, ...]]
    doors: dict[str, dict[str, Door]]

    def route(self, need: str, age: int | None = None, lang: str = "nb") -> RouteResult:
        """The cached answer for a need: one first door, then the national services, then the other doors."""
        known = need if need in self.door_ids else GENERAL_NEED
        doors = [self._door(door_id, lang) for door_id in self.door_ids[known]]
        fitting = [door for door in doors if door.fits_age(age)] or doors
        first, rest = fitting[0], fitting[1:]
        # With the catalogue down the numbers one can call or chat now matter most, so they come right after
        # the first door (often "helsesykepleieren på skolen din"), before the other generic doors; specialist
        # doors stay last, where the catalogue put them.
        services = [door for door in rest if not door.generic]
        generic = [door for door in rest if door.generic]
        return RouteResult(
            need=need,
            urgency=self.urgency[known],
            doors=(first, *services, *generic)[:CHAT_DOORS],
            from_cache=True,
        )

    def _door(self, door_id: str, lang: str) -> Door:
        versions = self.doors[door_id]
        return versions.get(lang) or versions["nb"]


@lru_cache(maxsize=1)
def national_cache() -> NationalCache:
    """The committed cache, read and checked once."""
    data = json.loads(CACHE_FILE.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"{CACHE_FILE.name} is not {FORMAT}")
    doors = {
        door_id: {lang: Door.from_json(door) for lang, door in versions.items()}
        for door_id, versions in data["doors"].items()
    }
    door_ids = {need: tuple(entry["doors"]) for need, entry in data["needs"].items()}
    missing = {door_id for ids in door_ids.values() for door_id in ids} - doors.keys()
    if missing or GENERAL_NEED not in door_ids:
        raise ValueError(f"{CACHE_FILE.name} is incomplete")
    return NationalCache(
        urgency={need: entry["urgency"] for need, entry in data["needs"].items()},
        door_ids=door_ids,
        doors=doors,
    )
