"""The shared codes: doors, needs and urgency levels from taxonomy.yml, with the doors' generic texts.

The codes are the contract between the assistant, the catalogue and the web; they are read from the
files the project ships (``data/taxonomy.yml``, ``data/catalogue/doors.yml``), never written in code.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from service_catalog.config import get_settings
from service_catalog.field_types import check_slug


class Urgency(StrEnum):
    akutt = "akutt"
    haster = "haster"
    snart = "snart"
    info = "info"


class Scope(StrEnum):
    municipal = "municipal"
    regional = "regional"
    national = "national"


class Lang(StrEnum):
    nb = "nb"
    nn = "nn"
    en = "en"


class LocalText(BaseModel):
    """One text in bokmål, nynorsk and English."""

    model_config = ConfigDict(frozen=True)
    nb: str = ""
    nn: str = ""
    en: str = ""

    def get(self, lang: Lang) -> str:
        return getattr(self, lang.value) or self.nb


class DoorInfo(BaseModel):
    """A door code with what the taxonomy says of it and its generic texts."""

    model_config = ConfigDict(frozen=True)
    code: str
    label: str
    scope: Scope
    urgency: Urgency
    referral: bool | None = None
    cost: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    contact: str | None = None
    note: str | None = None
    generic_name: LocalText = LocalText()
    description: LocalText = LocalText()
    how_to_reach: LocalText = LocalText()

    @property
    def specialist(self) -> bool:
        """Specialist doors need a referral and are never offered as the only door."""
        return bool(self.referral)


class Vocabulary(BaseModel):
    """All codes the project knows."""

    model_config = ConfigDict(frozen=True)
    doors: dict[str, DoorInfo]
    urgent_needs: tuple[str, ...]
    other_needs: tuple[str, ...]
    urgency_levels: dict[str, str] = Field(default_factory=dict)

    @property
    def needs(self) -> tuple[str, ...]:
        return self.urgent_needs + self.other_needs

    def is_need(self, code: str) -> bool:
        return code in self.urgent_needs or code in self.other_needs

    def is_door(self, code: str) -> bool:
        return code in self.doors


def load_vocabulary(taxonomy_path: Path, doors_path: Path | None = None) -> Vocabulary:
    """Read the taxonomy and, when present, the doors' generic texts."""
    taxonomy = yaml.safe_load(taxonomy_path.read_text(encoding="utf-8"))
    texts: dict[str, dict[str, dict[str, str]]] = {}
    if doors_path is not None and doors_path.exists():
        texts = yaml.safe_load(doors_path.read_text(encoding="utf-8")).get("doors", {}) or {}
    doors: dict[str, DoorInfo] = {}
    for code, facts in taxonomy["doors"].items():
        extra = texts.get(code, {})
        doors[code] = DoorInfo(
            code=code,
            label=facts["label"],
            scope=Scope(facts["scope"]),
            urgency=Urgency(facts["urgency"]),
            referral=facts.get("referral"),
            cost=facts.get("cost"),
            min_age=facts.get("min_age", extra.get("age_min")),
            max_age=extra.get("age_max"),
            contact=facts.get("contact"),
            note=facts.get("note"),
            generic_name=LocalText(**extra.get("generic_name", {"nb": facts["label"]})),
            description=LocalText(**extra.get("description", {})),
            how_to_reach=LocalText(**extra.get("how_to_reach", {})),
        )
    needs = taxonomy["needs"]
    return Vocabulary(
        doors=doors,
        urgent_needs=tuple(needs["urgent"]),
        other_needs=tuple(needs["other"]),
        urgency_levels=dict(taxonomy.get("urgency", {})),
    )


@lru_cache
def get_vocabulary() -> Vocabulary:
    """The vocabulary of the configured data directory, read once."""
    settings = get_settings()
    return load_vocabulary(settings.taxonomy_path, settings.doors_path)


def _door_code(code: str) -> str:
    if not get_vocabulary().is_door(code):
        raise ValueError(f"'{code[:40]}' is not a door code in taxonomy.yml")
    return code


def _need_code(code: str) -> str:
    if not get_vocabulary().is_need(code):
        raise ValueError(f"'{code[:40]}' is not a need code in taxonomy.yml")
    return code


def split_rule_door(entry: str) -> tuple[str, str | None]:
    """A routing rule's door entry: a door code, or ``door:service-key`` for one service of that door only."""
    # Needed where a door holds services for different dangers (nodtelefon is 113, 112 and 110): a rule
    # for suicidal thoughts names 113, not the fire brigade.
    door, _, key = entry.partition(":")
    return door, key or None


def _rule_door(entry: str) -> str:
    door, key = split_rule_door(entry)
    _door_code(door)
    if key is not None:
        check_slug(key)
    return entry


DoorCode = Annotated[str, AfterValidator(_door_code)]
RuleDoor = Annotated[str, AfterValidator(_rule_door)]
NeedCode = Annotated[str, AfterValidator(_need_code)]
