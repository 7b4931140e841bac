"""The chat channel keeps only the metadata Veiviser reads, each in the form its reader accepts (bot/channels.py,
issue 13, finding 3). What reaches the tracker store through the whole stack: tests/privacy/test_chat_metadata.py."""

from __future__ import annotations

from typing import Any

import pytest
from channels import allowed_metadata


def test_the_keys_veiviser_reads_are_kept() -> None:
    assert allowed_metadata({"kommune": "9999", "alder": 15, "cards": True}) == {
        "kommune": "9999",
        "alder": 15,
        "cards": True,
    }


def test_a_kommunenummer_is_kept_without_surrounding_spaces() -> None:
    assert allowed_metadata({"kommune": " 0301 "}) == {"kommune": "0301"}


def test_keys_veiviser_does_not_read_are_dropped() -> None:
    metadata = {"kommune": "9999", "notat": "x" * 5000, "model_id": "fra-klienten", "lang": "nb"}
    assert allowed_metadata(metadata) == {"kommune": "9999"}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("kommune", "Oslo"),
        ("kommune", "03011"),
        ("kommune", 301),
        ("kommune", "Storgata 1, 0150 Oslo"),
        ("alder", "15"),
        ("alder", 15.5),
        ("alder", True),
        ("alder", 0),
        ("alder", 121),
        ("cards", "true"),
        ("cards", 1),
        ("cards", False),
    ],
)
def test_a_value_of_another_form_is_dropped(key: str, value: Any) -> None:
    assert allowed_metadata({key: value}) is None


def test_no_metadata_is_none() -> None:
    assert allowed_metadata(None) is None and allowed_metadata({}) is None
