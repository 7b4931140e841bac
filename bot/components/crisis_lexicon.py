"""The crisis lexicon for the Rasa side: data/rasa/crisis_lexicon.yml read with PyYAML, compiled once per process.

The matcher itself (the rules of the file's header) is ``veiviser_contract.crisis_lexicon``, shared with the
catalogue, which refuses shared messages with crisis words; this module finds and reads the file for the crisis
gate, the routing lab and the benchmark, and re-exports the matcher's names.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

from veiviser_contract.crisis_lexicon import CrisisHit, Level, Lexicon, MatchedSpan, Strength, fold, normalise_variants

__all__ = [
    "DEFAULT_LEXICON_PATH",
    "LEXICON_PATH_ENV",
    "CrisisHit",
    "Level",
    "Lexicon",
    "MatchedSpan",
    "Strength",
    "cached_lexicon",
    "fold",
    "load_lexicon",
    "normalise_variants",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_LEXICON_PATH = REPO_ROOT / "data" / "rasa" / "crisis_lexicon.yml"
# Lets a deployment (or a test) point the component at another copy without code changes.
LEXICON_PATH_ENV = "VEIVISER_CRISIS_LEXICON"


def load_lexicon(path: str | os.PathLike[str] | None = None) -> Lexicon:
    """Load and compile a lexicon file (default: $VEIVISER_CRISIS_LEXICON or data/rasa/crisis_lexicon.yml)."""
    resolved = Path(path or os.environ.get(LEXICON_PATH_ENV) or DEFAULT_LEXICON_PATH)
    if not resolved.is_absolute() and not resolved.exists():
        # Relative paths are read from the repository root, wherever the process was started.
        resolved = REPO_ROOT / resolved
    with resolved.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return Lexicon(data, source=str(resolved))


@lru_cache(maxsize=4)
def cached_lexicon(path: str | None = None) -> Lexicon:
    """One compiled lexicon per path and process (compiling ~900 patterns takes a moment)."""
    return load_lexicon(path)
