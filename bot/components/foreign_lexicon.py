"""The danger words of other languages for the Rasa side: data/rasa/crisis_lexicon_other.yml read with PyYAML.

The matcher is ``veiviser_contract.foreign_lexicon``, shared with the catalogue; this module finds and reads the
file for the crisis gate and re-exports the matcher's names.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

from veiviser_contract.foreign_lexicon import MAX_GAP, PRIORITY, ForeignHit, ForeignLexicon, normalise

__all__ = [
    "DEFAULT_PATH",
    "MAX_GAP",
    "PATH_ENV",
    "PRIORITY",
    "ForeignHit",
    "ForeignLexicon",
    "cached_foreign_lexicon",
    "load_foreign_lexicon",
    "normalise",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = REPO_ROOT / "data" / "rasa" / "crisis_lexicon_other.yml"
PATH_ENV = "VEIVISER_CRISIS_LEXICON_OTHER"


def load_foreign_lexicon(path: str | os.PathLike[str] | None = None) -> ForeignLexicon:
    """Load and compile the file (default: $VEIVISER_CRISIS_LEXICON_OTHER or data/rasa/crisis_lexicon_other.yml)."""
    resolved = Path(path or os.environ.get(PATH_ENV) or DEFAULT_PATH)
    if not resolved.is_absolute() and not resolved.exists():
        resolved = REPO_ROOT / resolved
    with resolved.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return ForeignLexicon(data, source=str(resolved))


@lru_cache(maxsize=4)
def cached_foreign_lexicon(path: str | None = None) -> ForeignLexicon:
    """One compiled lexicon per path and process."""
    return load_foreign_lexicon(path)
