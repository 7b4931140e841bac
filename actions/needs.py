"""The need codes and their readable titles, read from ``need_labels.json`` (data, not code).

Which needs are urgent, and the general need, are the shared contract's (``veiviser_contract.needs``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeGuard

# Re-exported: the actions import the general need from here, beside the labels.
from veiviser_contract.needs import GENERAL_NEED as GENERAL_NEED

LABELS_FILE = Path(__file__).with_name("need_labels.json")


@dataclass(frozen=True)
class NeedVocabulary:
    """Every need code and a title per language."""

    labels: dict[str, dict[str, str]]

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
    return NeedVocabulary(labels=labels)
