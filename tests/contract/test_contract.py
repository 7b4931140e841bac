"""The shared contract (veiviser_contract/) against data/taxonomy.yml, and the two environments kept apart.

The catalogue reads the needs from the taxonomy, Rasa and the action server from the contract: these tests
keep the two equal, so a need made urgent (or no longer urgent) in one place cannot be missed in the other.
The contract is installed in both environments, so it may import only the standard library; everything else
the Rasa side knows of the catalogue comes over HTTP.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from pathlib import Path

import yaml

from veiviser_contract.needs import GENERAL_NEED, URGENT_NEEDS

ROOT = Path(__file__).resolve().parents[2]
TAXONOMY = yaml.safe_load((ROOT / "data" / "taxonomy.yml").read_text(encoding="utf-8"))


def _imported(files: Iterable[Path]) -> set[str]:
    """The top-level names of every absolute import in ``files``."""
    names: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module is not None:
                names.add(node.module.split(".")[0])
    return names


def test_urgent_needs_are_the_taxonomys_urgent_needs() -> None:
    assert sorted(URGENT_NEEDS) == sorted(TAXONOMY["needs"]["urgent"])


def test_general_need_is_a_need_of_the_taxonomy_that_is_not_urgent() -> None:
    assert GENERAL_NEED in TAXONOMY["needs"]["other"]


def test_contract_imports_only_the_standard_library() -> None:
    imported = _imported((ROOT / "veiviser_contract").glob("*.py"))

    assert imported - {"veiviser_contract"} <= sys.stdlib_module_names


def test_rasa_side_imports_nothing_of_the_catalogue() -> None:
    imported = _imported([*(ROOT / "bot").rglob("*.py"), *(ROOT / "actions").rglob("*.py")])

    assert "service_catalog" not in imported


def test_rasa_image_copies_no_catalogue_file_and_installs_the_contract() -> None:
    dockerfile = (ROOT / "Dockerfile.rasa").read_text(encoding="utf-8")

    assert "service_catalog" not in dockerfile
    assert "pip install --no-deps /tmp/veiviser_contract" in dockerfile
