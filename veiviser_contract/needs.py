"""Need codes that code acts on, not only data: the urgent needs and the general need.

The same codes are in ``data/taxonomy.yml`` (``needs.urgent`` and ``needs.other``), which people read and edit;
tests/contract/test_contract.py fails when the two differ.
"""

from __future__ import annotations

# Answered by the crisis path: emergency numbers in the very first reply, no question before (principle 1),
# and their text is never stored, not even redacted (safety rule 6).
URGENT_NEEDS: frozenset[str] = frozenset(
    {"selvmordstanker", "akutt_fare", "overdose", "vold_pagar", "overgrep_nylig", "selvskading_akutt"}
)

# The need whose doors are shown when nothing more specific is known ("I just want to talk to someone").
GENERAL_NEED = "snakke_med_noen"
