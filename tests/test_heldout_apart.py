"""The held-out sets stay apart from the training data: no held-out message is (nearly) a training example.

Quality counts only on messages never used for training (bench/README.md); this keeps an accidental copy,
in either direction, from making the numbers look better than they are.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from service_catalog.config import REPO_ROOT

NLU = REPO_ROOT / "data" / "rasa" / "nlu"
HELDOUT = sorted((REPO_ROOT / "tests" / "data").glob("*_heldout.tsv"))
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def _key(text: str) -> str:
    """Lowercase letters and digits only, so punctuation, case and spacing do not hide a copy."""
    text = unicodedata.normalize("NFKC", _ANNOTATION.sub(r"\1", text)).casefold()
    return " ".join(re.findall(r"\w+", text))


def _training_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for path in sorted(NLU.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    keys.setdefault(_key(line.strip()[2:]), path.name)
    return keys


def test_there_are_held_out_sets() -> None:
    assert {p.name for p in HELDOUT} >= {"understanding_heldout.tsv", "crisis_heldout.tsv", "nlu_heldout.tsv"}


@pytest.mark.parametrize("path", HELDOUT, ids=lambda p: p.name)
def test_no_held_out_message_is_a_training_example(path: Path) -> None:
    training = _training_keys()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    # One- and two-word messages ("deppa", "panikk") may be written twice independently; longer ones may not.
    copies = [
        (row["text"], training[key]) for row in rows if len((key := _key(row["text"])).split()) > 2 and key in training
    ]
    assert copies == []
