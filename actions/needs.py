"""The need codes and their readable titles, read from ``need_labels.json`` (data, not code)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeGuard

LABELS_FILE = Path(__file__).with_name("need_labels.json")

# The need shown when nothing more specific is known ("I just want to talk to someone").
GENERAL_NEED = "snakke_med_noen"


@dataclass(frozen=True)
class NeedVocabulary:
    """Every need code, which of them are urgent, and a title per language."""

    labels: dict[str, dict[str, str]]
    urgent: frozenset[str]

    @property
    def codes(self) -> frozenset[str]:
        """All need codes."""
        return frozenset(self.labels)

    def is_need(self, code: object) -> TypeGuard[str]:
        """Whether ``code`` is a need code (intent names for needs are exactly these codes)."""
        return isinstance(code, str) and code in self.labels

    def label(self, code: str, lang: str) -> str:
        """The readable title of a need, in bokmål when the language has no title of its own."""
        titles = self.labels[code]
        return titles.get(lang) or titles["nb"]


@lru_cache(maxsize=1)
def vocabulary() -> NeedVocabulary:
    """The need vocabulary, loaded on first use."""
    data = json.loads(LABELS_FILE.read_text(encoding="utf-8"))
    labels = {code: dict(titles) for code, titles in data["labels"].items()}
    return NeedVocabulary(labels=labels, urgent=frozenset(data["urgent"]))
