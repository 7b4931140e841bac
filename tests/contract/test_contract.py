"""The shared contract (veiviser_contract/) against data/taxonomy.yml, and the two environments kept apart.

The catalogue reads the needs from the taxonomy, Rasa and the action server from the contract: these tests
keep the two equal, so a need made urgent (or no longer urgent) in one place cannot be missed in the other.
The contract is installed in both environments, so it may import only the standard library and its one declared
dependency, phonenumbers; everything else the Rasa side knows of the catalogue comes over HTTP.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
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


# The contract's one third-party import: redaction.py finds other countries' phone numbers with Google's
# libphonenumber (pure Python, no dependencies of its own). Anything more would have to fit both environments.
CONTRACT_DEPENDENCIES = {"phonenumbers"}


def _requirement_names(requirements: Iterable[str]) -> set[str]:
    return {re.split(r"[<>=!~ ;\[]", line.strip(), maxsplit=1)[0].lower() for line in requirements if line.strip()}


def test_contract_imports_only_the_standard_library_and_its_declared_dependency() -> None:
    imported = _imported((ROOT / "veiviser_contract").glob("*.py"))

    assert imported - {"veiviser_contract"} - sys.stdlib_module_names == CONTRACT_DEPENDENCIES


def test_every_environment_gets_the_contracts_dependency() -> None:
    contract = tomllib.loads((ROOT / "veiviser_contract" / "pyproject.toml").read_text(encoding="utf-8"))
    main = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # .venv-rasa and the Rasa image install the contract with --no-deps: its dependency comes pinned from here.
    rasa_pins = [
        line.split("#")[0]
        for line in (ROOT / "requirements-rasa.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line.split("#")[0]
    ]

    assert _requirement_names(contract["project"]["dependencies"]) == CONTRACT_DEPENDENCIES
    assert CONTRACT_DEPENDENCIES <= _requirement_names(main["project"]["dependencies"])
    assert CONTRACT_DEPENDENCIES <= _requirement_names(rasa_pins)
    assert "-r requirements-rasa.txt" in (ROOT / "Dockerfile.rasa").read_text(encoding="utf-8")


def test_rasa_side_imports_nothing_of_the_catalogue() -> None:
    imported = _imported([*(ROOT / "bot").rglob("*.py"), *(ROOT / "actions").rglob("*.py")])

    assert "service_catalog" not in imported


def test_rasa_image_copies_no_catalogue_file_and_installs_the_contract() -> None:
    dockerfile = (ROOT / "Dockerfile.rasa").read_text(encoding="utf-8")

    assert "service_catalog" not in dockerfile
    assert "pip install --no-deps /tmp/veiviser_contract" in dockerfile
